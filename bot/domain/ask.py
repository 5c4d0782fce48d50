"""/ask: a patient's question → the topic and drug it is about → the facts that answer it.

A lexical matcher, conservative by design: a wrong answer is worse than "I don't know", so a
tie between topics, or a subject the knowledge base does not cover, gives "I don't know".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from bot.domain.knowledge import DrugInfo, Fact, KnowledgeBase, Topic

Words = tuple[str, ...]

# Only longer words may be typos: "car" must never be read as "bar". The cutoff is difflib's
# ratio: "alchohol"~"alcohol" 0.93, "pregnent"~"pregnant" 0.88, "withdrawl"~"withdrawal" 0.95.
TYPO_MIN_LENGTH = 5
DRUG_TYPO_MIN_LENGTH = 6
TYPO_CUTOFF = 0.85
HINT_WEIGHT = 0.5
ANY_NUMBER = "#"  # in a phrase: any number, in digits or words ("took # at once")
GAP = "*"  # in a phrase: up to MAX_GAP other words ("symptoms * stop")
MAX_GAP = 4
NUMBER_WORDS = frozenset(
    ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
)
NOT_COVERED = "not covered"


@dataclass(frozen=True, slots=True)
class AskResult:
    topic: Topic | None
    drug: DrugInfo | None  # None: general advice for any medicine
    facts: tuple[Fact, ...]
    understood: bool


@dataclass(frozen=True, slots=True)
class _Phrase:
    label: str  # a Topic value, NOT_COVERED, a drug key, or "" for a drug the KB does not cover
    words: Words
    weight: float = 1.0

    @property
    def size(self) -> int:
        """The words it needs: a longer phrase is stronger evidence than a shorter one."""
        return sum(word != GAP for word in self.words)


@dataclass(frozen=True, slots=True)
class _Match:
    span: tuple[int, ...]  # positions of the words the phrase matched (gaps excluded)
    phrase: _Phrase


def words_of(text: str, keep: str = "") -> Words:
    """Casefolded words without accents or punctuation; an apostrophe joins ("didn't" → "didnt")."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("'", "").replace("’", "").replace("ʼ", "")
    return tuple("".join(ch if ch.isalnum() or ch in keep else " " for ch in text).split())


@lru_cache(maxsize=65536)
def is_typo_of(word: str, target: str, min_length: int = TYPO_MIN_LENGTH) -> bool:
    """Whether `word` reads as a misspelling of `target` (same first letter, close spelling)."""
    if len(word) < min_length or len(target) < min_length or word[0] != target[0]:
        return False
    if abs(len(word) - len(target)) > 2:
        return False
    matcher = SequenceMatcher(None, word, target)
    return matcher.quick_ratio() >= TYPO_CUTOFF and matcher.ratio() >= TYPO_CUTOFF


def _word_fits(word: str, wanted: str, known: frozenset[str], min_length: int) -> bool:
    if wanted == ANY_NUMBER:
        return word.isdigit() or word in NUMBER_WORDS
    return word == wanted or (word not in known and is_typo_of(word, wanted, min_length))


def _fit(
    words: Words, start: int, wanted: Words, known: frozenset[str], min_length: int
) -> tuple[int, ...] | None:
    """Positions of `wanted` in `words` from `start` on, or None if it does not fit there."""
    if not wanted:
        return ()
    head, rest = wanted[0], wanted[1:]
    if head == GAP:
        for skip in range(MAX_GAP + 1):
            if (found := _fit(words, start + skip, rest, known, min_length)) is not None:
                return found
        return None
    if start < len(words) and _word_fits(words[start], head, known, min_length):
        found = _fit(words, start + 1, rest, known, min_length)
        return None if found is None else (start, *found)
    return None


def _find(
    words: Words, phrases: Iterable[_Phrase], known: frozenset[str], min_length: int
) -> list[_Match]:
    return [
        _Match(span, phrase)
        for phrase in phrases
        for start in range(len(words))
        if (span := _fit(words, start, phrase.words, known, min_length))
    ]


def _longest_first(matches: list[_Match], taken: Iterable[int] = ()) -> list[_Match]:
    """Non-overlapping matches, longer phrases first: "symptoms when stopping" beats "stopping"."""
    chosen, used = [], set(taken)
    for match in sorted(matches, key=lambda m: (-m.phrase.size, m.span)):
        if not used.intersection(match.span):
            chosen.append(match)
            used.update(match.span)
    return chosen


def _vocabulary(kb: KnowledgeBase) -> frozenset[str]:
    """Every word the knowledge base knows exactly: such a word is never someone's typo."""
    lists = [*kb.topic_phrases.values(), *kb.topic_hints.values(), kb.not_covered]
    names = [n for drug in kb.drugs.values() for n in (*drug.names, *drug.look_alikes)]
    texts = [*(p for phrases in lists for p in phrases), *names, *kb.not_typos]
    return frozenset(word for text in texts for word in words_of(text))


def _drug_phrases(kb: KnowledgeBase) -> list[_Phrase]:
    return [
        _Phrase(drug.key if name in drug.names else "", words_of(name))
        for drug in kb.drugs.values()
        for name in (*drug.names, *drug.look_alikes)
    ]


def _topic_phrases(kb: KnowledgeBase) -> list[_Phrase]:
    def phrase(label: str, text: str, weight: float = 1.0) -> _Phrase:
        return _Phrase(label, words_of(text, keep=ANY_NUMBER + GAP), weight)

    return [
        *(phrase(t.value, p) for t, phrases in kb.topic_phrases.items() for p in phrases),
        *(
            phrase(t.value, p, HINT_WEIGHT)
            for t, phrases in kb.topic_hints.items()
            for p in phrases
        ),
        *(phrase(NOT_COVERED, p) for p in kb.not_covered),
    ]


def drugs_named(kb: KnowledgeBase, words: Words) -> list[_Match]:
    """Drug names in the words, in order; a look-alike drug the KB does not cover has label ""."""
    found = _find(words, _drug_phrases(kb), _vocabulary(kb), DRUG_TYPO_MIN_LENGTH)
    return sorted(_longest_first(found), key=lambda m: m.span)


def patient_drug(kb: KnowledgeBase, patient_drugs: Sequence[str]) -> DrugInfo | None:
    """The first of the patient's own medications that the knowledge base covers."""
    for name in patient_drugs:
        for match in drugs_named(kb, words_of(name)):
            if match.phrase.label:
                return kb.drugs[match.phrase.label]
    return None


def topic_scores(kb: KnowledgeBase, words: Words, taken: Iterable[int] = ()) -> dict[str, float]:
    """How strongly the words point to each topic (and to subjects not covered)."""
    found = _find(words, _topic_phrases(kb), _vocabulary(kb), TYPO_MIN_LENGTH)
    scores: dict[str, float] = {}
    for match in _longest_first(found, taken):
        phrase = match.phrase
        scores[phrase.label] = scores.get(phrase.label, 0.0) + phrase.weight * phrase.size
    return scores


def best_topic(scores: dict[str, float]) -> Topic | None:
    """The one topic scoring highest; None on a tie or if an uncovered subject is as strong."""
    covered = {label: score for label, score in scores.items() if label != NOT_COVERED}
    if not covered:
        return None
    best = max(covered.values())
    leaders = [label for label, score in covered.items() if score == best]
    if len(leaders) > 1 or scores.get(NOT_COVERED, 0.0) >= best:
        return None
    return Topic(leaders[0])


def answer_question(kb: KnowledgeBase, question: str, patient_drugs: Sequence[str]) -> AskResult:
    """The facts answering a question, for the drug it names, else the patient's, else general."""
    words = words_of(question)
    named = drugs_named(kb, words)
    # A drug named in the question wins; one the KB does not cover gets general advice.
    drug = kb.drugs.get(named[0].phrase.label) if named else patient_drug(kb, patient_drugs)
    topic = best_topic(topic_scores(kb, words, taken=[i for m in named for i in m.span]))
    facts = () if topic is None else (drug.topics if drug else kb.general).get(topic, ())
    if topic is None or not facts:
        return AskResult(topic=None, drug=drug, facts=(), understood=False)
    return AskResult(topic=topic, drug=drug, facts=facts, understood=True)
