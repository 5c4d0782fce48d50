"""Spelling correction against the knowledge base's own words, with rapidfuzz.

A word is corrected only to a word the knowledge base uses, never when it is a real word
itself, and only when it starts with the same letter and is close for its length: "sezure" →
"seizure", "alchohol" → "alcohol"; "car" never becomes "bar" (too short to be a typo), and
"being" never becomes "bfing". The real words that could be mistaken so are listed in
real_words.txt, drawn from the english-words dictionaries: `make real-words` refreshes it
(a test fails when the knowledge base's words have changed and it is out of date).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_LENGTH = 5
CACHE_SIZE = 65536


def _allowed_distance(word: str) -> int:
    """Edits a typo of this length may have: one up to 8 letters, two up to 12, then three."""
    return 1 if len(word) <= 8 else 2 if len(word) <= 12 else 3


class Speller:
    def __init__(self, vocabulary: Iterable[str], known: Iterable[str] = ()) -> None:
        words = sorted(set(vocabulary))
        self._known = frozenset(words) | frozenset(known)
        self._by_first: dict[str, list[str]] = {}
        for word in words:
            self._by_first.setdefault(word[0], []).append(word)
        # The words a typo may become, by its first letter and length: a few per message.
        self._nearby: dict[tuple[str, int], list[str]] = {}
        self.correct = lru_cache(maxsize=CACHE_SIZE)(self._correct)

    def _correct(self, word: str) -> str:
        if len(word) < MIN_LENGTH or word in self._known or not word.isalpha():
            return word
        limit = _allowed_distance(word)
        candidates = self._candidates(word[0], len(word), limit)
        if not candidates:
            return word
        found = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=limit)
        return found[0] if found else word

    def may_change(self, word: str) -> bool:
        """Whether a correction of this word is possible at all (a quick test, before _correct)."""
        return len(word) >= MIN_LENGTH and word[0] in self._by_first and word not in self._known

    def _candidates(self, first: str, length: int, limit: int) -> list[str]:
        found = self._nearby.get((first, length))
        if found is None:
            words = self._by_first.get(first, ())
            found = self._nearby[first, length] = [
                w for w in words if abs(len(w) - length) <= limit
            ]
        return found


def words_it_would_change(speller: Speller, candidates: Iterable[str]) -> list[str]:
    """The real words (of a dictionary) this speller would "correct": they must be known.
    Those _correct would change, computed a group of the same first letter and length at a
    time (a dictionary of half a million words in seconds)."""
    groups: dict[tuple[str, int], list[str]] = {}
    for word in candidates:
        if len(word) >= MIN_LENGTH and word.isalpha() and word not in speller._known:
            groups.setdefault((word[0], len(word)), []).append(word)
    changed: list[str] = []
    for (first, length), words in groups.items():
        limit = _allowed_distance(words[0])
        nearby = speller._candidates(first, length, limit)
        if nearby:
            distances = process.cdist(words, nearby, scorer=OSA.distance, score_cutoff=limit)
            changed += [
                word for word, row in zip(words, distances, strict=True) if row.min() <= limit
            ]
    return sorted(changed)
