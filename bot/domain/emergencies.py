"""Emergencies in a patient's own words (SPEC "Emergencies in any message"), as pure rules.

Missing an emergency is worse than over-warning, so every phrase counts unless it is clearly
denied: a negation just before its last word, in the same clause ("no seizures today",
"throat is fine, no swelling"), or a word saying it is over just after it ("chest pain gone").
A phrase that is itself negative ("not breathing", "won't wake up") is never a denial, and a
negation inside another emergency phrase ("chest tight, can't breathe") denies nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.wording import Correct, Match, PatternIndex, Wording

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
    _phrases: PatternIndex = field(init=False, repr=False, compare=False)
    _harmless: PatternIndex = field(init=False, repr=False, compare=False)
    _doubts: PatternIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        entries = [(kind.value, text) for kind, texts in self.phrases.items() for text in texts]
        object.__setattr__(self, "_phrases", PatternIndex.of(entries))
        object.__setattr__(
            self, "_harmless", PatternIndex.of(("", t) for t in self.not_emergencies)
        )
        object.__setattr__(self, "_doubts", PatternIndex.of(("", t) for t in self.doubts))

    @property
    def index(self) -> PatternIndex:
        return self._phrases + self._harmless + self._doubts


@dataclass(frozen=True, slots=True)
class Detection:
    """What a message says of emergencies: happening (answer, record, alert) or only denied."""

    emergencies: tuple[Emergency, ...] = ()
    denied: tuple[Emergency, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.emergencies)


def detect_in(text: str, lexicons: Sequence[EmergencyLexicon], correct: Correct) -> Detection:
    """Read with each lexicon (the patient's language, and English): any one may find it."""
    found = [detect(text, lexicon, correct) for lexicon in lexicons]
    happening = {kind for detection in found for kind in detection.emergencies}
    denied = {kind for detection in found for kind in detection.denied} - happening
    return Detection(_ordered(happening), _ordered(denied))


def _ordered(kinds: set[Emergency]) -> tuple[Emergency, ...]:
    return tuple(kind for kind in Emergency if kind in kinds)


def detect(text: str, lexicon: EmergencyLexicon, correct: Correct) -> Detection:
    wording = Wording.read(text, correct)
    harmless = {i for match in lexicon._harmless.find(wording) for i in match.span}
    doubted = {m.start for m in lexicon._doubts.find(wording)}
    matches = [m for m in lexicon._phrases.find(wording) if not harmless.intersection(m.span)]
    # A negation that is part of an emergency phrase ("can't breathe") denies no other one.
    spoken = {i for match in matches for i in match.span} | doubted
    happening: set[Emergency] = set()
    denied: set[Emergency] = set()
    for match in matches:
        kind = Emergency(match.pattern.label)
        if _denied(wording, match, lexicon, spoken):
            denied.add(kind)
        else:
            happening.add(kind)
    return Detection(_ordered(happening), _ordered(denied - happening))


def _denied(wording: Wording, match: Match, lexicon: EmergencyLexicon, spoken: set[int]) -> bool:
    """A negation shortly before the phrase's last word, or a word saying it is over shortly
    after it, in the same clause; a negative phrase is never denied."""
    if match.pattern.starts_with in lexicon.negations:
        return False  # the phrase is itself negative: "not breathing", "cant wake him"
    # The last word is the symptom ("throat ... swelling"): "without a pump refill? it ran
    # dry" denies nothing, "throat is fine, no swelling" does.
    end = match.span[-1]
    before = range(max(0, end - NEGATION_REACH), end)
    return _said(wording, before, end, lexicon.negations, spoken) or _over(wording, end, lexicon)


def _over(wording: Wording, end: int, lexicon: EmergencyLexicon) -> bool:
    """A word saying it is over, ending the clause or before "now", "away"...: "pain gone,
    none since" is over, "his body has gone numb" is not."""
    clause = wording.clauses[end]
    for at in range(end + 1, min(len(wording), end + 1 + OVER_REACH)):
        if wording.clauses[at] != clause:
            return False
        if wording.words[at] in lexicon.over:
            ends = at + 1 == len(wording) or wording.clauses[at + 1] != clause
            return ends or wording.words[at + 1] in _STILL_OVER
    return False


_STILL_OVER = frozenset(
    ("now", "away", "out", "completely", "totally", "since", "already", "thankfully")
)


def _said(
    wording: Wording, positions: range, near: int, words: frozenset[str], spoken: set[int]
) -> bool:
    clause = wording.clauses[near]
    return any(
        wording.words[p] in words and wording.clauses[p] == clause and p not in spoken
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
