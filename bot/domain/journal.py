"""/log text → a dose taken or a symptom felt, with an optional time; or a ParseError."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from bot.domain.parsing import ParseError, parse_dose, parse_time
from bot.domain.wording import number_in

LOG_EXAMPLE = "/log took baclofen 5 mg at 8:15  ·  /log symptom dizziness moderate"
MAX_SYMPTOM_LENGTH = 200

_TOOK = re.compile(r"^(?:i\s+)?(?:took|taken|take|swallowed)\b\s*(?P<rest>.*)$", re.I | re.S)
_SYMPTOM = re.compile(
    r"^(?:symptoms?|feel(?:ing)?|felt|i\s+feel)\b\s*:?\s*(?P<rest>.*)$", re.I | re.S
)
_WHEN = re.compile(
    r"(?:\s+|^)(?:(?P<day>yesterday|today)\s*)?(?:(?:at|@)\s*)?(?P<time>\d{1,2}[:.h]\d{2})?\s*$",
    re.I,
)
_GENERIC = {
    "my",
    "the",
    "a",
    "an",
    "pill",
    "pills",
    "med",
    "meds",
    "medicine",
    "medicines",
    "medication",
    "medications",
    "dose",
    "doses",
    "tablet",
    "tablets",
    "it",
    "them",
}
_FILLERS = (
    "all at once",
    "at once",
    "in one go",
    "together",
    "by mistake",
    "by accident",
    "accidentally",
    "on purpose",
)
_UNIT_COUNTS = {
    word: unit
    for unit, words in {
        "tablet": ("tablet", "tablets", "tab", "tabs"),
        "pill": ("pill", "pills"),
        "capsule": ("capsule", "capsules", "cap", "caps"),
    }.items()
    for word in words
}
_MASS_UNITS = {"mg", "mcg", "g", "ml", "µg", "ug", "iu", "units", "unit", "drops", "puffs"}
_SEVERITY_WORDS = {
    "mild": "mild",
    "slight": "mild",
    "moderate": "moderate",
    "severe": "severe",
    "bad": "severe",
    "terrible": "severe",
}
_SEVERITY_SCALE = re.compile(r"\b(?P<score>10|[0-9])\s*/\s*10\b")


@dataclass(frozen=True, slots=True)
class LoggedWhen:
    days_ago: int = 0  # 0 today, 1 yesterday
    at: time | None = None  # None: now


@dataclass(frozen=True, slots=True)
class DoseLog:
    medication: str | None  # None: "my pills", whatever is due
    dose: str | None
    when: LoggedWhen


@dataclass(frozen=True, slots=True)
class SymptomLog:
    text: str
    severity: str | None


def parse_log(text: str) -> DoseLog | SymptomLog:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ParseError("there is nothing to record", f"e.g. {LOG_EXAMPLE}")
    took = _TOOK.match(cleaned)
    if took:
        return _dose_log(took["rest"])
    symptom = _SYMPTOM.match(cleaned)
    return _symptom_log(symptom["rest"] if symptom else cleaned)


def _dose_log(rest: str) -> DoseLog:
    when_match = _WHEN.search(rest)
    when = LoggedWhen()
    if when_match and (when_match["day"] or when_match["time"]):
        at = parse_time(when_match["time"]) if when_match["time"] else None
        days_ago = 1 if (when_match["day"] or "").lower() == "yesterday" else 0
        if days_ago and at is None:
            raise ParseError("which time yesterday?", "e.g. /log took baclofen yesterday 21:00")
        when = LoggedWhen(days_ago, at)
        rest = rest[: when_match.start()]
    words = _without_fillers(rest.split())
    dose = None
    for size in (2, 1):
        if len(words) >= size:
            try:
                dose = parse_dose(" ".join(words[-size:]))
            except ParseError:
                continue
            words = words[:-size]
            break
    if dose is None:
        dose, words = _count(words)
    named = [word for word in words if word.casefold() not in _GENERIC]
    return DoseLog(" ".join(named) or None, dose, when)


def _without_fillers(words: list[str]) -> list[str]:
    """ "took 10 tablets at once", "by mistake": how, not what; the words go."""
    text = f" {' '.join(words)} "
    for filler in _FILLERS:
        text = text.replace(f" {filler} ", " ")
    return text.split()


def _count(words: list[str]) -> tuple[str | None, list[str]]:
    """ "ten tablets", "3 of my baclofen", "10 baclofen": a number of tablets, never mg."""
    for at, word in enumerate(words):
        number = number_in(word.casefold())
        if number is None or word.casefold() in ("a", "an") or number > 1000:
            continue
        after = words[at + 1].casefold() if at + 1 < len(words) else ""
        unit = _UNIT_COUNTS.get(after)
        if after in _MASS_UNITS:
            return None, words
        rest = words[:at] + words[at + (2 if unit else 1) :]
        if rest[at : at + 1] == ["of"]:
            rest = rest[:at] + rest[at + 1 :]
        unit = unit or "tablet"
        return f"{number} {unit if number == 1 else unit + 's'}", rest
    return None, words


def _symptom_log(rest: str) -> SymptomLog:
    text = rest.strip(" :-")
    if not text:
        raise ParseError("the symptom is missing", f"e.g. {LOG_EXAMPLE}")
    if len(text) > MAX_SYMPTOM_LENGTH:
        raise ParseError(
            f"that is {len(text)} characters long",
            f"Describe the symptom in a few words, e.g. {LOG_EXAMPLE}",
        )
    return SymptomLog(text, _severity(text))


def _severity(text: str) -> str | None:
    scale = _SEVERITY_SCALE.search(text)
    if scale:
        return f"{scale['score']}/10"
    for word in re.findall(r"[a-z]+", text.casefold()):
        if word in _SEVERITY_WORDS:
            return _SEVERITY_WORDS[word]
    return None
