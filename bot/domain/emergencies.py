"""Emergencies in a patient's own words (SPEC "Emergencies in any message"), as pure rules.

Missing an emergency is worse than over-warning, so every phrase counts unless it is clearly
denied: a negation just before its last word, in the same clause ("no seizures today",
"throat is fine, no swelling"), a denial just after it where the language puts one there
("приступов не было"), or a word saying it is over just after it ("chest pain gone").
An emergency told as over or asked about in general ("last year she had a seizure, nothing
since", "can baclofen cause seizures? just asking") is denied too, unless the message says
anything is happening now ("... and now he is shaking again"); a crisis never is.
A phrase that is itself negative ("not breathing", "er atmet nicht", "no respira") is never a
denial, and a negation inside another emergency phrase ("chest tight, can't breathe") denies
nothing. Every language's phrases are read in every message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache, partial

from bot.domain.wording import (
    Correct,
    Match,
    PatternIndex,
    Wording,
    transliterated,
    unchanged,
)

# How far back a negation reaches: "haven't had any fits" (3 words), "no sign of a seizure" (4);
# how far on a word saying it is over: "chest pain has now gone" (3).
NEGATION_REACH = 4
OVER_REACH = 3


class Emergency(StrEnum):
    """The emergencies of SPEC.md, most immediately life-threatening first: the replies go
    out in this order ("took all my pills to end it": overdose, then the crisis reply)."""

    UNRESPONSIVE = "unresponsive"
    BREATHING = "breathing"
    SEIZURE = "seizure"
    CHEST_PAIN = "chest_pain"
    STROKE = "stroke"
    ALLERGIC_REACTION = "allergic_reaction"
    OVERDOSE = "overdose"
    PUMP = "pump"
    HALLUCINATIONS = "hallucinations"
    CRISIS = "crisis"


@dataclass(frozen=True)
class EmergencyLexicon:
    """One language's phrases for each emergency, the words that deny, and what looks like an
    emergency but is not ("my legs seized up", "keeping fit")."""

    language: str
    phrases: Mapping[Emergency, Sequence[str]]
    negations: frozenset[str]
    # Negations that express doubt, not denial: "not sure if it was a seizure".
    doubts: Sequence[str] = ()
    # Words after a symptom that say it is over: "chest pain gone".
    over: frozenset[str] = frozenset()
    not_emergencies: Sequence[str] = ()
    # Real words spelt like an emergency word ("faint", "stroked"): never read as its typo.
    real_words: frozenset[str] = frozenset()
    sources: Mapping[Emergency, str] = field(default_factory=dict)
    # Phrases just after a symptom that deny it, where the language puts them: "приступов не
    # было", "Anfälle hatte ich keine".
    denials_after: Sequence[str] = ()
    # Words that end a negation's reach as "but" does: "aber", "pero", "но".
    breaks: frozenset[str] = frozenset()
    # Frames that put an emergency outside the present ("last year", "can ... cause"), what
    # says nothing is happening ("nothing since", "just asking"), and words that bring it back
    # to now ("now", "again"): an emergency in a frame, with an all-clear and no "now", is over.
    not_now: Sequence[str] = ()
    all_clear: Sequence[str] = ()
    now: Sequence[str] = ()
    # The language's number words ("zehn": 10), for the "#" of its phrases.
    numbers: Mapping[str, int] = field(default_factory=dict)
    # How the language is typed in Latin letters, when it is ("zh": "ж"): such words are
    # read in its own script too.
    latin_letters: Mapping[str, str] = field(default_factory=dict)
    latin_markers: frozenset[str] = frozenset()  # words that say a Latin message is this language
    # Typo repair into this language's own phrase words (built by the loader).
    correct: Correct = unchanged
    _phrases: PatternIndex = field(init=False, repr=False, compare=False)
    _harmless: PatternIndex = field(init=False, repr=False, compare=False)
    _doubts: PatternIndex = field(init=False, repr=False, compare=False)
    _after: PatternIndex = field(init=False, repr=False, compare=False)
    _not_now: PatternIndex = field(init=False, repr=False, compare=False)
    _all_clear: PatternIndex = field(init=False, repr=False, compare=False)
    _now: PatternIndex = field(init=False, repr=False, compare=False)
    _in_own_letters: Callable[[str], str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        entries = [(kind.value, text) for kind, texts in self.phrases.items() for text in texts]
        object.__setattr__(self, "_phrases", PatternIndex.of(entries))
        object.__setattr__(
            self, "_harmless", PatternIndex.of(("", t) for t in self.not_emergencies)
        )
        object.__setattr__(self, "_doubts", PatternIndex.of(("", t) for t in self.doubts))
        object.__setattr__(self, "_after", PatternIndex.of(("", t) for t in self.denials_after))
        for name in ("not_now", "all_clear", "now"):
            index = PatternIndex.of(("", t) for t in getattr(self, name))
            object.__setattr__(self, f"_{name}", index)
        # Most words of most messages are English: each is spelt out once, not each time.
        in_own_letters = lru_cache(maxsize=20_000)(
            partial(transliterated, letters=self.latin_letters)
        )
        object.__setattr__(self, "_in_own_letters", in_own_letters)

    @property
    def index(self) -> PatternIndex:
        return self._phrases + self._harmless + self._doubts + self._after

    def read(self, text: str) -> Wording:
        """The message as this language reads it: its number words as numbers, its typos
        repaired into its own words only (an English typo never becomes a German word)."""

        wording = Wording.read(text, self._repaired)
        # Spelt out in this language's letters only when a word of it says it is this
        # language ("muzh ne prosypaetsya"): else the Spanish "insulto" would read "инсулт".
        if self.latin_markers.isdisjoint(wording.words):
            return wording
        return Wording.read(text, self._spelt_out)

    def _repaired(self, word: str) -> str:
        number = self.numbers.get(word)
        return str(number) if number is not None else self.correct(word)

    def _spelt_out(self, word: str) -> str:
        if not word.isascii():
            return self._repaired(word)
        # Not repaired further: "perdon" (Spanish) would become a typo of "передоз".
        word = self._in_own_letters(word)
        return str(self.numbers.get(word, word))


@dataclass(frozen=True, slots=True)
class Detection:
    """What a message says of emergencies: happening (answer, record, alert) or only denied."""

    emergencies: tuple[Emergency, ...] = ()
    denied: tuple[Emergency, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.emergencies)


@dataclass(frozen=True, slots=True)
class _Reading:
    """A message read in every language at once: the words are the same in each reading
    (only the typo repair differs), so positions found in one hold in all."""

    wording: Wording
    negations: frozenset[str]
    over: frozenset[str]
    spoken: frozenset[int]  # words of an emergency phrase or a doubt: they deny nothing
    denied_from: frozenset[int]  # where a denial that follows its symptom starts


def detect_in(text: str, lexicons: Sequence[EmergencyLexicon]) -> Detection:
    """Read with every lexicon, whatever the patient's language (a German speaker may use an
    English client, or mix languages): any one may find an emergency, and a negation, doubt,
    break or harmless idiom of any language counts for every language's phrases ("keine
    Anaphylaxie" is a German denial of a word English knows too; "mi tía" is not the English
    "TIA")."""
    readings = [(lexicon, lexicon.read(text)) for lexicon in lexicons]
    if not readings:
        return Detection()

    def found(index: Callable[[EmergencyLexicon], PatternIndex]) -> list[Match]:
        return [match for lexicon, wording in readings for match in index(lexicon).find(wording)]

    phrases = found(lambda lexicon: lexicon._phrases)
    if not phrases:  # most messages: then nothing is denied or framed either
        return Detection()
    harmless = {i for match in found(lambda lexicon: lexicon._harmless) for i in match.span}
    matches = [m for m in phrases if not harmless & set(m.span)]
    doubted = {i for match in found(lambda lexicon: lexicon._doubts) for i in match.span}
    breaks = frozenset().union(*(lexicon.breaks for lexicon in lexicons))
    reading = _Reading(
        wording=_broken_at(readings[0][1], breaks),
        negations=frozenset().union(*(lexicon.negations for lexicon in lexicons)),
        over=frozenset().union(*(lexicon.over for lexicon in lexicons)),
        # A negation that is part of an emergency phrase ("can't breathe") denies no other one.
        spoken=frozenset({i for match in matches for i in match.span} | doubted),
        denied_from=frozenset(m.start for m in found(lambda lexicon: lexicon._after)),
    )
    over = _over_or_asked(reading.wording, matches, found)
    happening: set[Emergency] = set()
    denied: set[Emergency] = set()
    for match in matches:
        kind = Emergency(match.pattern.label)
        (denied if match in over or _denied(reading, match) else happening).add(kind)
    return Detection(_ordered(happening), _ordered(denied - happening))


def _over_or_asked(
    wording: Wording,
    matches: Sequence[Match],
    found: Callable[[Callable[[EmergencyLexicon], PatternIndex]], list[Match]],
) -> list[Match]:
    """The matches told as past or asked about in general: a frame ("last year", "can ...
    cause") in their clause, or alone in the clause just before ("Last year, she had a fit"),
    an all-clear elsewhere ("nothing since", "just asking"), and no word of now outside the
    all-clears ("fine now" is one; "and now he is shaking again" makes every match count).
    A crisis is never set aside so."""
    clear = {i for match in found(lambda lexicon: lexicon._all_clear) for i in match.span}
    if not clear or any(not clear.issuperset(m.span) for m in found(lambda lexicon: lexicon._now)):
        return []
    frames = found(lambda lexicon: lexicon._not_now)

    def framed(match: Match) -> bool:
        clause = wording.clauses[match.span[-1]]
        for frame in frames:
            at = wording.clauses[frame.start]
            if at == clause:
                return True
            alone = sum(c == at for c in wording.clauses) <= len(frame.span) + 1
            if at == clause - 1 and alone:
                return True
        return False

    return [
        match
        for match in matches
        if match.pattern.label != Emergency.CRISIS
        and not clear.intersection(match.span)
        and framed(match)
    ]


def _broken_at(wording: Wording, breaks: frozenset[str]) -> Wording:
    """The wording with a new clause at each break word ("aber", "pero"), as at "but"."""
    clauses, shift = [], 0
    for word, clause in zip(wording.words, wording.clauses, strict=True):
        shift += word in breaks
        clauses.append(clause + shift)
    return replace(wording, clauses=tuple(clauses))


def _ordered(kinds: set[Emergency]) -> tuple[Emergency, ...]:
    return tuple(kind for kind in Emergency if kind in kinds)


def _denied(reading: _Reading, match: Match) -> bool:
    """A negation shortly before the phrase's last word, or a denial or a word saying it is
    over shortly after it, in the same clause; a negative phrase is never denied."""
    if match.pattern.starts_with in reading.negations:
        return False  # the phrase is itself negative: "not breathing", "cant wake him"
    # The last word is the symptom ("throat ... swelling"): "without a pump refill? it ran
    # dry" denies nothing, "throat is fine, no swelling" does.
    wording, end = reading.wording, match.span[-1]
    before = range(max(0, end - NEGATION_REACH), end)
    after = range(end + 1, min(len(wording), end + 1 + NEGATION_REACH))
    return (
        _said(reading, before, end, lambda p: wording.words[p] in reading.negations)
        or _said(reading, after, end, lambda p: p in reading.denied_from)
        or _over(reading, end)
    )


def _over(reading: _Reading, end: int) -> bool:
    """A word saying it is over, ending the clause or before "now", "away"...: "pain gone,
    none since" is over, "his body has gone numb" is not."""
    wording = reading.wording
    clause = wording.clauses[end]
    for at in range(end + 1, min(len(wording), end + 1 + OVER_REACH)):
        if wording.clauses[at] != clause:
            return False
        if wording.words[at] in reading.over:
            ends = at + 1 == len(wording) or wording.clauses[at + 1] != clause
            return ends or wording.words[at + 1] in _STILL_OVER
    return False


_STILL_OVER = frozenset(
    ("now", "away", "out", "completely", "totally", "since", "already", "thankfully")
)


def _said(reading: _Reading, positions: range, near: int, says: Callable[[int], bool]) -> bool:
    clause = reading.wording.clauses[near]
    return any(
        says(p) and reading.wording.clauses[p] == clause and p not in reading.spoken
        for p in positions
    )


@dataclass(frozen=True, slots=True)
class Contact:
    """A number to call (or a web address), with the public page that states it."""

    name: str
    number: str
    source: str
    web: str = ""


@dataclass(frozen=True, slots=True)
class EmergencyContacts:
    """One country's emergency number, poison centre and crisis line, where known."""

    emergency: Contact | None = None
    poison: Contact | None = None
    crisis: Contact | None = None
