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
        self.correct = lru_cache(maxsize=CACHE_SIZE)(self._correct)

    def _correct(self, word: str) -> str:
        if len(word) < MIN_LENGTH or word in self._known or not word.isalpha():
            return word
        limit = _allowed_distance(word)
        candidates = [
            w for w in self._by_first.get(word[0], ()) if abs(len(w) - len(word)) <= limit
        ]
        found = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=limit)
        return found[0] if found else word


def words_it_would_change(speller: Speller, candidates: Iterable[str]) -> list[str]:
    """The real words (of a dictionary) this speller would "correct": they must be known."""
    return sorted(word for word in candidates if speller.correct(word) != word)
