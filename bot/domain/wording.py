"""Patient text → words, and phrase patterns over them: the grammar /ask and the emergency
detector share. Pure: spelling correction is a function passed in by the caller.

A pattern is written as words separated by spaces, matched in order:
- ``a|b`` either word; ``breath*`` any word starting with "breath";
- ``...`` up to MAX_GAP other words, ``~`` up to WIDE_GAP (a word and its far-off partner:
  "pump ~ beeping" in "the pump in my stomach started beeping");
- ``#`` any number (digits or words), ``#4+`` a number of 4 or more.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

MAX_GAP = 3
WIDE_GAP = 8
GAP = "..."
WIDE = "~"
_APOSTROPHES = str.maketrans("", "", "'’ʼ`´")
# Clause breaks end the reach of a negation: "no, he's not breathing" is not a denial.
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\n]+|\s[-–—]+\s|\bbut\b|\bthough\b")
# One to twelve: the only number words a schedule reads ("every two days", "for ten days");
# NUMBER_WORDS adds the looser ones ("a", "couple", "few") for the rest of a patient's text.
COUNTING_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    **COUNTING_WORDS,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
    "couple": 2,
    "few": 3,
    "several": 4,
    "handful": 10,
    "bunch": 10,
}

Correct = Callable[[str], str]


def unchanged(word: str) -> str:
    """No spelling correction."""
    return word


def plain(text: str) -> str:
    """Casefolded, accents removed, apostrophes joined ("can't" → "cant", "he's" → "hes"), in
    any script: "Müdigkeit" → "mudigkeit", "Straße" → "strasse", "niño" → "nino", "ещё" → "еще"."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_APOSTROPHES)


def words_of(text: str) -> tuple[str, ...]:
    return tuple("".join(ch if ch.isalnum() else " " for ch in plain(text)).split())


def transliterated(word: str, letters: Mapping[str, str]) -> str:
    """A word typed in Latin letters in another script ("prosypaetsya" → "просыпается"):
    the longest spelling first; one ending in "y" ("oy" → "ой") only before a consonant or
    at the word's end, so "aya" reads "ая", not "айа"."""
    longest = max(map(len, letters), default=0)
    out, at = [], 0
    while at < len(word):
        for size in range(min(longest, len(word) - at), 0, -1):
            spelling = word[at : at + size]
            after = word[at + size : at + size + 1]
            if spelling in letters and not (size > 1 and spelling[-1] == "y" and after in _VOWELS):
                out.append(letters[spelling])
                at += size
                break
        else:
            out.append(word[at])
            at += 1
    return "".join(out)


_VOWELS = frozenset("aeiouy")


def number_in(word: str) -> int | None:
    """The number a word stands for: digits ("10", "10x") or a number word ("ten")."""
    digits = word.removesuffix("x")
    if digits.isdigit() and len(digits) <= 6:
        return int(digits)
    return NUMBER_WORDS.get(word)


@dataclass(frozen=True, slots=True)
class Wording:
    """A message as words (spelling corrected beside the originals) and their clause numbers."""

    words: tuple[str, ...]
    corrected: tuple[str, ...]
    clauses: tuple[int, ...]

    @classmethod
    def read(cls, text: str, correct: Correct = unchanged) -> Wording:
        words: list[str] = []
        clauses: list[int] = []
        for number, clause in enumerate(_CLAUSE_BREAK.split(plain(text))):
            found = words_of(clause)
            words += found
            clauses += [number] * len(found)
        return cls(tuple(words), tuple(correct(word) for word in words), tuple(clauses))

    def __len__(self) -> int:
        return len(self.words)


@dataclass(frozen=True, slots=True)
class _Slot:
    words: frozenset[str] = frozenset()
    stems: tuple[str, ...] = ()
    at_least: int | None = None  # a number slot: any number of at least this
    gap: int = 0  # a gap slot: up to this many other words

    def fits(self, word: str, corrected: str) -> bool:
        if self.at_least is not None:
            # The correction may be a number: a language's own number words ("zehn" → "10").
            number = number_in(word) or number_in(corrected)
            return number is not None and number >= self.at_least
        return any(
            w in self.words or any(w.startswith(stem) for stem in self.stems)
            for w in (word, corrected)
        )

    @property
    def keys(self) -> tuple[str, ...]:
        """The three-letter heads a word must start with to fit, for the index."""
        return tuple({w[:3] for w in (*self.words, *self.stems)})


def _slot(token: str) -> _Slot:
    if token in (GAP, WIDE):
        return _Slot(gap=MAX_GAP if token == GAP else WIDE_GAP)
    if token.startswith("#"):
        return _Slot(at_least=int(token[1:].rstrip("+") or 0))
    alternatives = token.split("|")
    words = frozenset(a for a in alternatives if not a.endswith("*"))
    stems = tuple(a[:-1] for a in alternatives if a.endswith("*"))
    return _Slot(words, stems)


@dataclass(frozen=True, slots=True)
class Pattern:
    """One phrase of a word list, with what it points to (a topic, a category, a drug)."""

    label: str
    text: str
    slots: tuple[_Slot, ...]
    weight: float = 1.0

    @classmethod
    def parse(cls, label: str, text: str, weight: float = 1.0) -> Pattern:
        # A hyphen separates words in a message ("self-harm" is "self harm"), so here too.
        tokens = [_normal_token(token) for token in text.replace("-", " ").split()]
        if not tokens or tokens[0] in (GAP, WIDE) or tokens[-1] in (GAP, WIDE):
            raise ValueError(f"“{text}” must start and end with a word")
        return cls(label, text, tuple(_slot(token) for token in tokens), weight)

    @property
    def size(self) -> int:
        """The words it needs: a longer phrase is stronger evidence than a shorter one."""
        return sum(not slot.gap for slot in self.slots)

    @property
    def starts_with(self) -> str:
        """Its first word as written ("not" in "not breathing")."""
        return self.text.split()[0].split("|")[0]


def _normal_token(token: str) -> str:
    if token in (GAP, WIDE) or token.startswith("#"):
        return token
    return "|".join(plain(part) for part in token.split("|"))


@dataclass(frozen=True, slots=True)
class Match:
    pattern: Pattern
    span: tuple[int, ...]  # positions of the words it matched (gaps excluded)

    @property
    def start(self) -> int:
        return self.span[0]


@dataclass(frozen=True)
class PatternIndex:
    """Patterns indexed by the head of their first word, so a message is read in one pass."""

    patterns: tuple[Pattern, ...]
    _by_head: dict[str, list[Pattern]] = field(init=False, repr=False)
    _numbered: list[Pattern] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_head: dict[str, list[Pattern]] = {}
        numbered: list[Pattern] = []
        for pattern in self.patterns:
            first = pattern.slots[0]
            if first.at_least is not None:
                numbered.append(pattern)
            for key in first.keys:
                by_head.setdefault(key, []).append(pattern)
        object.__setattr__(self, "_by_head", by_head)
        object.__setattr__(self, "_numbered", numbered)

    @classmethod
    def of(cls, entries: Iterable[tuple[str, str]], weight: float = 1.0) -> PatternIndex:
        return cls(tuple(Pattern.parse(label, text, weight) for label, text in entries))

    def __add__(self, other: PatternIndex) -> PatternIndex:
        return PatternIndex(self.patterns + other.patterns)

    def find(self, wording: Wording) -> list[Match]:
        """Every match of every pattern, at every start."""
        found: list[Match] = []
        for start, (word, corrected) in enumerate(
            zip(wording.words, wording.corrected, strict=True)
        ):
            candidates = {id(p): p for w in {word, corrected} for p in self._by_head.get(w[:3], ())}
            if number_in(word) is not None or number_in(corrected) is not None:
                candidates.update((id(p), p) for p in self._numbered)
            for pattern in candidates.values():
                span = _fit(wording, start, pattern.slots)
                if span is not None:
                    found.append(Match(pattern, span))
        return found


def _fit(wording: Wording, start: int, slots: Sequence[_Slot]) -> tuple[int, ...] | None:
    """Positions of the slots in the wording from `start`, or None if they do not fit there."""
    if not slots:
        return ()
    head, rest = slots[0], slots[1:]
    if head.gap:
        for skip in range(head.gap + 1):
            if (found := _fit(wording, start + skip, rest)) is not None:
                return found
        return None
    if start < len(wording) and head.fits(wording.words[start], wording.corrected[start]):
        found = _fit(wording, start + 1, rest)
        return None if found is None else (start, *found)
    return None


def longest_first(matches: Iterable[Match], taken: Iterable[int] = ()) -> list[Match]:
    """Non-overlapping matches, longer phrases first: "symptoms when stopping" beats "stopping"."""
    chosen, used = [], set(taken)
    for match in sorted(matches, key=lambda m: (-m.pattern.size, m.span)):
        if not used.intersection(match.span):
            chosen.append(match)
            used.update(match.span)
    return chosen


ENGLISH_ENDINGS = ("", "e", "s", "es", "ed", "ing", "y", "er", "less", "ation", "ations")


def vocabulary(patterns: Iterable[Pattern], endings: Sequence[str] = ENGLISH_ENDINGS) -> set[str]:
    """Every literal word the patterns use, and each stem with its language's usual endings:
    what a misspelt word may be corrected to."""
    found: set[str] = set()
    for pattern in patterns:
        for slot in pattern.slots:
            found.update(slot.words)
            found.update(stem + ending for stem in slot.stems for ending in endings)
    return found
