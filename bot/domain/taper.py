"""A prescriber's taper plan: steps of dose and days → the dose on any local date."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.parsing import ParseError, dose_amount, parse_dose, parse_name

TAPER_EXAMPLE = "/taper Baclofen 10 mg x7d, 5 mg x7d, 2.5 mg x7d"
MAX_STEPS = 20
MAX_STEP_DAYS = 365
# A step to less than this share of the one before is a steep drop for a taper: "reduce the
# dosage slowly" (baclofen US label, Warnings: Abrupt Drug Withdrawal); the bot asks whether
# the prescriber wrote it rather than judge the plan itself.
STEEP_DROP_SHARE = 0.5

_STEP = re.compile(
    r"^(?P<dose>\d[\d.,]*\s*[^\d\s,]+)\s*(?:x|×|for)\s*(?P<days>\d{1,3})\s*(?:d|days?)$", re.I
)


@dataclass(frozen=True, slots=True)
class TaperStep:
    dose: str
    days: int


@dataclass(frozen=True, slots=True)
class TaperRequest:
    name: str
    steps: tuple[TaperStep, ...]


@dataclass(frozen=True, slots=True)
class TaperPlan:
    start: date  # the patient's local date the first step begins
    steps: tuple[TaperStep, ...]

    @property
    def end(self) -> date:
        """The first local date after the last step."""
        return self.start + timedelta(days=sum(step.days for step in self.steps))

    def step_on(self, day: date) -> int | None:
        """Index of the step in force on a local date; None before the start or after the end."""
        if day < self.start:
            return None
        offset = (day - self.start).days
        for index, step in enumerate(self.steps):
            if offset < step.days:
                return index
            offset -= step.days
        return None

    def dose_on(self, day: date) -> str | None:
        index = self.step_on(day)
        return self.steps[index].dose if index is not None else None

    def amounts_at(self, instants: Sequence[datetime], zone: ZoneInfo) -> list[str | None]:
        """The dose of each instant by the patient's local date: before the plan, the usual
        dose (None); after its end, the last step's until the patient confirms the stop."""
        amounts: list[str | None] = []
        for instant in instants:
            day = instant.astimezone(zone).date()
            after_end = day >= self.end
            amounts.append(self.steps[-1].dose if after_end else self.dose_on(day))
        return amounts

    def step_starts(self) -> list[tuple[int, date]]:
        """(index, first local date) of every step after the first: the dose changes."""
        starts, day = [], self.start
        for index, step in enumerate(self.steps):
            if index:
                starts.append((index, day))
            day += timedelta(days=step.days)
        return starts


def parse_taper_steps(text: str) -> tuple[TaperStep, ...]:
    """`10 mg x7d, 5 mg x7d` → steps."""
    chunks = [chunk.strip() for chunk in text.split(",") if chunk.strip()]
    if not chunks:
        raise ParseError("no steps given", f"e.g. {TAPER_EXAMPLE}")
    if len(chunks) > MAX_STEPS:
        raise ParseError(f"{len(chunks)} steps is more than {MAX_STEPS}", f"e.g. {TAPER_EXAMPLE}")
    return tuple(_step(chunk) for chunk in chunks)


def _step(chunk: str) -> TaperStep:
    match = _STEP.match(chunk)
    if not match:
        raise ParseError(
            f"“{chunk[:30]}” is not a step", "Write each step as dose x days, e.g. 5 mg x7d"
        )
    days = int(match["days"])
    if not 1 <= days <= MAX_STEP_DAYS:
        raise ParseError(f"{days} days is not a step length", "Use 1 to 365 days, e.g. 5 mg x7d")
    return TaperStep(parse_dose(match["dose"]), days)


def parse_taper(text: str) -> TaperRequest:
    """`Baclofen 10 mg x7d, 5 mg x7d` → the medication name and the steps."""
    first_dose = re.search(r"\s\d", " " + text.strip())
    if first_dose is None or first_dose.start() == 0:
        raise ParseError("I need the medication and its steps", f"e.g. {TAPER_EXAMPLE}")
    cut = first_dose.start() - 1
    return TaperRequest(parse_name(text.strip()[:cut]), parse_taper_steps(text.strip()[cut:]))


class Unusual(StrEnum):
    INCREASE = "increase"  # a taper that goes up
    STEEP_DROP = "steep_drop"  # a step to less than half of the one before


@dataclass(frozen=True, slots=True)
class UnusualStep:
    kind: Unusual
    before: str  # the dose before the step ("now" for the first)
    after: str


def unusual_steps(steps: tuple[TaperStep, ...], current_dose: str) -> list[UnusualStep]:
    """What a patient should confirm came from the prescriber: any increase, from today's dose
    or between steps, and any drop by more than half. Doses in other units are not compared."""
    found = []
    doses = [current_dose, *(step.dose for step in steps)]
    for before, after in itertools.pairwise(doses):
        (old, old_unit), (new, new_unit) = dose_amount(before), dose_amount(after)
        if old_unit != new_unit or not old:
            continue
        if new > old:
            found.append(UnusualStep(Unusual.INCREASE, before, after))
        elif new < old * STEEP_DROP_SHARE:
            found.append(UnusualStep(Unusual.STEEP_DROP, before, after))
    return found
