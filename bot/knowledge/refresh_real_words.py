"""`make real-words`: write real_words.txt, the dictionary words the speller must leave alone.

Uses english-words (a development dependency): the bot itself reads only the short list.
"""

from __future__ import annotations

from english_words import get_english_words_set

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


def real_words_at_risk() -> list[str]:
    kb = load_knowledge()
    speller = Speller(knowledge_words(kb), known=listed_real_words(kb))
    english = get_english_words_set(["web2", "gcide"], lower=True, alpha=True)
    return words_it_would_change(speller, english)


def main() -> None:
    words = real_words_at_risk()
    (KNOWLEDGE_FOLDER / REAL_WORDS_FILE).write_text(HEADER + "\n".join(words) + "\n")


if __name__ == "__main__":
    main()
