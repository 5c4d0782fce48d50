"""`make real-words`: write the dictionary words the spellers must leave alone.

real_words.txt is for /ask's speller (English words); emergencies/real_words_<language>.txt
for each language's emergency speller, drawn from every language's words, since every
message is read in every language ("pumps" must not become the German "pumpe", nor
"Tablette" an English word). Uses english-words and wordfreq (development dependencies):
the bot itself reads only the short lists.
"""

from __future__ import annotations

from functools import cache

from english_words import get_english_words_set
from wordfreq import get_frequency_dict

from bot.domain.wording import plain, vocabulary
from bot.knowledge.emergency_files import (
    EMERGENCY_FOLDER,
    REAL_WORDS,
    lexicon_files,
    read_lexicon,
)
from bot.knowledge.loader import (
    KNOWLEDGE_FOLDER,
    REAL_WORDS_FILE,
    knowledge_words,
    listed_real_words,
    load_knowledge,
)
from bot.knowledge.spelling import Speller, words_it_would_change

HEADER = (
    "# Real English words (english-words: web2 and gcide) that the speller would otherwise\n"
    "# correct into a word of the knowledge base. Written by `make real-words`; do not edit.\n"
)
EMERGENCY_HEADER = (
    "# Real words (english-words: web2 and gcide; wordfreq: English, German, Spanish and Russian\n"
    "# words of Zipf frequency {zipf} or more) that this language's emergency speller would\n"
    "# otherwise correct into one of its words. Written by `make real-words`; do not edit.\n"
)
OTHER_LANGUAGES = ("de", "es", "ru")
# Zipf 2.5: seen about 3 times in 10 million words. Rarer "words" of the web lists are mostly
# misspellings themselves ("галюцинации"), which the speller should repair, not keep.
ZIPF_AT_LEAST = 2.5


def real_words_at_risk() -> list[str]:
    kb = load_knowledge()
    speller = Speller(knowledge_words(kb), known=listed_real_words(kb))
    english = get_english_words_set(["web2", "gcide"], lower=True, alpha=True)
    return words_it_would_change(speller, english)


def dictionary_words() -> dict[str, set[str]]:
    """Each language's words as messages are read ("müde" as "mude"), from wordfreq; English
    also from english-words."""
    least = 10 ** (ZIPF_AT_LEAST - 9)  # Zipf is log10 of the frequency per billion words
    words = {
        language: {word for word, f in _frequencies(language).items() if f >= least}
        for language in ("en", *OTHER_LANGUAGES)
    }
    words["en"] |= _english_words()
    return words


@cache
def _english_words() -> frozenset[str]:
    english = get_english_words_set(["web2", "gcide"], lower=True, alpha=True)
    return frozenset(filter(str.isalpha, map(_read, english)))


@cache
def _frequencies(language: str) -> dict[str, float]:
    """wordfreq's words of the language, as read, with their frequency."""
    found: dict[str, float] = {}
    for word, frequency in get_frequency_dict(language, wordlist="large").items():
        folded = _read(word)
        if folded.isalpha():
            found[folded] = max(frequency, found.get(folded, 0.0))
    return found


def _read(word: str) -> str:
    """The word as a message is read: plain, which leaves a lower-case English word as it is."""
    return word if word.isascii() and word.isalpha() and word.islower() else plain(word)


def emergency_words_at_risk() -> dict[str, list[str]]:
    """For each language: the dictionary words its emergency speller would change.

    Another language's words count when they are at least as common there as here:
    "Tablette" is kept from English typo repair, but "letters", common in German web text
    too, is still English and may become "letter". English itself is english-words' lemmas,
    as for /ask (its inflections are repaired: "letters" → "letter"); for the other
    languages' spellers, English also has its inflected forms ("fantasies" is no typo of
    the German "fantasiert").
    """
    words = dictionary_words()
    found = {}
    for path in lexicon_files(KNOWLEDGE_FOLDER):
        lexicon, endings = read_lexicon(path)
        speller = Speller(vocabulary(lexicon.index.patterns, endings), known=lexicon.real_words)
        own = _frequencies(lexicon.language)
        real = set(_english_words() if lexicon.language == "en" else words[lexicon.language])
        for language, theirs in words.items():
            if language != lexicon.language:
                others = _frequencies(language)
                real.update(
                    w for w in theirs if speller.may_change(w) and others.get(w, 0) >= own.get(w, 0)
                )
        found[lexicon.language] = words_it_would_change(speller, real)
    return found


def main() -> None:
    words = real_words_at_risk()
    (KNOWLEDGE_FOLDER / REAL_WORDS_FILE).write_text(HEADER + "\n".join(words) + "\n")
    header = EMERGENCY_HEADER.format(zipf=ZIPF_AT_LEAST)
    for language, at_risk in emergency_words_at_risk().items():
        path = KNOWLEDGE_FOLDER / EMERGENCY_FOLDER / REAL_WORDS.format(language=language)
        path.write_text(header + "\n".join(at_risk) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
