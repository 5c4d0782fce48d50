"""Patient text → values: /add arguments, times of day, doses; or a ParseError with a hint."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import time

MAX_NAME_LENGTH = 60
MAX_TIMES_PER_DAY = 12
ADD_EXAMPLE = "/add Baclofen 5 mg at 08:00 14:00 20:00"

_UNITS = {
    "mg": "mg",
    "mcg": "mcg",
    "µg": "mcg",
    "ug": "mcg",
    "g": "g",
    "ml": "ml",
    "iu": "IU",
    "units": "units",
    "unit": "units",
    "drops": "drops",
    "drop": "drops",
    "puffs": "puffs",
    "puff": "puffs",
    "tablet": "tablet",
    "tablets": "tablets",
    "tab": "tablet",
    "tabs": "tablets",
    "pill": "pill",
    "pills": "pills",
    "capsule": "capsule",
    "capsules": "capsules",
    "caps": "capsules",
}
_DOSE = re.compile(r"^(?P<amount>\d{1,5}(?:[.,]\d{1,3})?)\s*(?P<unit>[^\d\s]+)$", re.IGNORECASE)
_ZERO_DOSE = "the dose must be more than zero"
_TIME = re.compile(r"^(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})$")
# Bidirectional controls can make a name display as something else; punctuation beyond
# these few has no place in a medication name.
_NAME_PUNCTUATION = set(" -.,()/+'&®™%")


class ParseError(ValueError):
    """A patient's input that cannot be used, with a hint that says what to send instead."""

    def __init__(self, problem: str, hint: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint


@dataclass(frozen=True, slots=True)
class AddRequest:
    name: str
    dose: str
    times: tuple[time, ...]


def parse_time(text: str) -> time:
    """`8:00`, `08:00`, `20.30` or `7h15` → a time of day."""
    match = _TIME.match(text.strip())
    if not match:
        raise ParseError(f"“{_preview(text)}” is not a time", "Write times as HH:MM, e.g. 08:00")
    hour, minute = int(match["hour"]), int(match["minute"])
    if hour > 23 or minute > 59:
        raise ParseError(
            f"{_preview(text)} is not a time of day", "Hours go 00–23 and minutes 00–59, e.g. 20:30"
        )
    return time(hour, minute)


def parse_times(words: list[str]) -> tuple[time, ...]:
    if not words:
        raise ParseError("no time given", f"Add at least one time, e.g. {ADD_EXAMPLE}")
    if len(words) > MAX_TIMES_PER_DAY:
        raise ParseError(
            f"{len(words)} times a day is more than the {MAX_TIMES_PER_DAY} I can remind",
            "Check the prescription; list each time once, e.g. 08:00 14:00 20:00",
        )
    times = [parse_time(word) for word in words]
    if len(set(times)) != len(times):
        raise ParseError("the same time is listed twice", "List each time once, e.g. 08:00 20:00")
    return tuple(sorted(times))


def parse_dose(text: str) -> str:
    """`5 mg`, `5mg`, `2.5 MG`, `1 tablet` → normalised `5 mg`."""
    match = _DOSE.match(text.strip())
    unit = _UNITS.get(match["unit"].lower()) if match else None
    if not match or unit is None:
        raise ParseError(
            f"“{_preview(text)}” is not a dose",
            "Write the dose as a number and a unit, e.g. 5 mg, 2.5 ml or 1 tablet",
        )
    amount = match["amount"].replace(",", ".")
    if float(amount) <= 0:
        raise ParseError(_ZERO_DOSE, "e.g. 5 mg")
    return f"{amount} {unit}"


def dose_amount(dose: str) -> tuple[float, str]:
    """A normalised dose ("2.5 mg", "2 tablets") as (2.5, "mg"), (2.0, "tablet"); the unit is
    singular so "1 tablet" and "2 tablets" compare."""
    number, _, unit = dose.partition(" ")
    try:
        return float(number), unit.removesuffix("s")
    except ValueError:
        return 0.0, ""


def parse_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise ParseError("the medication has no name", f"e.g. {ADD_EXAMPLE}")
    if len(name) > MAX_NAME_LENGTH:
        raise ParseError(
            f"the name is {len(name)} characters long",
            f"Use the name on the box, at most {MAX_NAME_LENGTH} characters, e.g. Baclofen",
        )
    if not any(unicodedata.category(char).startswith("L") for char in name):
        raise ParseError("the name has no letters", "Use the name on the box, e.g. Baclofen")
    odd = [char for char in name if not _is_name_char(char)]
    if odd:
        raise ParseError(
            f"the name contains {_describe(odd[0])}",
            "Use letters, digits, spaces and - . ( ) / + only, e.g. Baclofen",
        )
    return name


def _is_name_char(char: str) -> bool:
    return char in _NAME_PUNCTUATION or unicodedata.category(char)[0] in "LNM"


def parse_add(text: str) -> AddRequest:
    """`Baclofen 5 mg at 08:00 14:00` → name, dose and times of day."""
    before, separator, after = text.strip().rpartition(" at ")
    if not separator:
        raise ParseError("I could not find “at” before the times", f"e.g. {ADD_EXAMPLE}")
    times = parse_times(after.split())
    words = before.split()
    problem = ParseError("I could not find the dose", f"Put it after the name, e.g. {ADD_EXAMPLE}")
    # The dose is the last one or two words: "5 mg" or "5mg".
    for size in (2, 1):
        if len(words) > size:
            try:
                dose = parse_dose(" ".join(words[-size:]))
            except ParseError as error:
                if error.problem == _ZERO_DOSE:
                    problem = error
                continue
            return AddRequest(parse_name(" ".join(words[:-size])), dose, times)
    raise problem


def _describe(char: str) -> str:
    if unicodedata.category(char)[0] in "CZ":
        return f"an invisible control character (U+{ord(char):04X})"
    return f"“{char}”"


def _preview(text: str, limit: int = 20) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
