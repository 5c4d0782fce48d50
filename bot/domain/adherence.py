"""Adherence over a period: each scheduled dose on time, late, skipped or missed, runs of doses
taken, the symptoms logged; and what `/report` was asked for."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.model import DoseStatus, SafetyEventKind

REPORT_DAYS = (7, 30, 90)
# A dose taken more than this after its scheduled time counts as late (snoozing included):
# a common threshold in adherence apps and the window many labels give for "take it now".
LATE_AFTER = timedelta(minutes=30)


class Outcome(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    SKIPPED = "skipped"
    MISSED = "missed"


@dataclass(frozen=True, slots=True)
class DoseRecord:
    """A scheduled dose as a report sees it."""

    medication: str
    scheduled_at: datetime
    status: DoseStatus
    taken_at: datetime | None = None  # when a taken dose was taken

    @property
    def outcome(self) -> Outcome | None:
        """None while the dose is still open (upcoming, reminded, snoozed): not counted."""
        if self.status is DoseStatus.TAKEN:
            late = self.taken_at is not None and self.taken_at - self.scheduled_at > LATE_AFTER
            return Outcome.LATE if late else Outcome.ON_TIME
        if self.status is DoseStatus.SKIPPED:
            return Outcome.SKIPPED
        if self.status is DoseStatus.MISSED:
            return Outcome.MISSED
        return None


@dataclass(frozen=True, slots=True)
class Adherence:
    medication: str
    on_time: int = 0
    late: int = 0
    skipped: int = 0
    missed: int = 0
    longest_run: int = 0  # most doses taken in a row (late ones too)

    @property
    def taken(self) -> int:
        return self.on_time + self.late

    @property
    def due(self) -> int:
        return self.taken + self.skipped + self.missed

    @property
    def percent(self) -> int | None:
        """Taken out of the doses that fell due; None when none did."""
        return round(100 * self.taken / self.due) if self.due else None


def adherence_by_medication(doses: Iterable[DoseRecord]) -> list[Adherence]:
    """Counts and the longest run of doses taken, per medication, by name."""
    outcomes: dict[str, list[Outcome]] = {}
    for dose in sorted(doses, key=lambda d: d.scheduled_at):
        if (outcome := dose.outcome) is not None:
            outcomes.setdefault(dose.medication, []).append(outcome)
    return [_adherence(name, outcomes[name]) for name in sorted(outcomes, key=str.casefold)]


def total(items: Iterable[Adherence]) -> Adherence:
    """All medications together (the longest run is the best of any one medication)."""
    items = list(items)
    return Adherence(
        "",
        on_time=sum(a.on_time for a in items),
        late=sum(a.late for a in items),
        skipped=sum(a.skipped for a in items),
        missed=sum(a.missed for a in items),
        longest_run=max((a.longest_run for a in items), default=0),
    )


def _adherence(name: str, outcomes: list[Outcome]) -> Adherence:
    run = longest = 0
    for outcome in outcomes:
        run = run + 1 if outcome in (Outcome.ON_TIME, Outcome.LATE) else 0
        longest = max(longest, run)
    return Adherence(
        name,
        on_time=outcomes.count(Outcome.ON_TIME),
        late=outcomes.count(Outcome.LATE),
        skipped=outcomes.count(Outcome.SKIPPED),
        missed=outcomes.count(Outcome.MISSED),
        longest_run=longest,
    )


DayGrid = dict[str, dict[date, tuple[Outcome, ...]]]


def outcomes_by_day(doses: Iterable[DoseRecord], zone: ZoneInfo) -> DayGrid:
    """For the chart: per medication, per local day, the outcomes of its doses in time order."""
    grid: dict[str, dict[date, list[Outcome]]] = {}
    for dose in sorted(doses, key=lambda d: d.scheduled_at):
        if (outcome := dose.outcome) is not None:
            day = dose.scheduled_at.astimezone(zone).date()
            grid.setdefault(dose.medication, {}).setdefault(day, []).append(outcome)
    return {
        name: {day: tuple(found) for day, found in days.items()}
        for name, days in sorted(grid.items(), key=lambda item: item[0].casefold())
    }


@dataclass(frozen=True, slots=True)
class SymptomEntry:
    noted_at: datetime
    text: str
    severity: str | None = None  # "mild", "moderate", "severe" or "6/10"
    red_flag: bool = False


@dataclass(frozen=True, slots=True)
class SymptomSummary:
    symptom: str  # as the patient first wrote it in the period, without the severity
    count: int
    worst: str | None  # the most severe severity recorded, if any
    red_flag: bool


# Severity words /log recognises, on the 0-10 scale, to find the worst of "mild" and "6/10".
_SEVERITY_SCORES = {"mild": 3, "moderate": 5, "severe": 8}
_SEVERITY_IN_TEXT = re.compile(
    r"\b(?:10|[0-9])\s*/\s*10\b|\b(?:mild|slight|moderate|severe|bad|terrible)(?:ly)?\b",
    re.IGNORECASE,
)


def severity_score(severity: str | None) -> int:
    """0 for none, else 1 to 10: "mild" 3, "moderate" 5, "severe" 8, "6/10" 6."""
    if severity is None:
        return 0
    if severity in _SEVERITY_SCORES:
        return _SEVERITY_SCORES[severity]
    score = severity.partition("/")[0]
    return int(score) if score.isdigit() else 0


def symptom_name(text: str) -> str:
    """ "severe headache 7/10" → "headache": one symptom, however bad it was each time."""
    name = " ".join(_SEVERITY_IN_TEXT.sub(" ", text).split()).strip(" ,.;:-")
    return name or text


def symptom_summary(entries: Iterable[SymptomEntry]) -> list[SymptomSummary]:
    """Counts per symptom (case-insensitive), most often first, each with its worst severity."""
    groups: dict[str, list[SymptomEntry]] = {}
    for entry in sorted(entries, key=lambda e: e.noted_at):
        groups.setdefault(symptom_name(entry.text).casefold(), []).append(entry)
    summaries = [
        SymptomSummary(
            symptom=symptom_name(found[0].text),
            count=len(found),
            worst=max(found, key=lambda e: severity_score(e.severity)).severity,
            red_flag=any(e.red_flag for e in found),
        )
        for found in groups.values()
    ]
    return sorted(summaries, key=lambda s: (-s.count, s.symptom.casefold()))


@dataclass(frozen=True, slots=True)
class EventRecord:
    """A safety event with its medication's name, for the report."""

    kind: SafetyEventKind
    occurred_at: datetime
    medication: str | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ReportRequest:
    days: int = REPORT_DAYS[0]
    pdf: bool = False
    patient: str = ""  # a followed patient's name or number; empty: the asker's own


_NUMBER = re.compile(r"[-+]?[0-9]+")


class BadPeriod(ValueError):
    """A period /report does not make (`/report 14`)."""


def parse_report_request(text: str) -> ReportRequest:
    """`/report [pdf] [7|30|90] [patient]`: `pdf 30 Alice`, `30 pdf`, `90`, `Alice`.

    A number first is always the period (a followed patient by number: `/report 7 2`).
    Raises BadPeriod for a number that is not a period.
    """
    words = text.split()
    pdf = bool(words) and words[0].casefold() == "pdf"
    words = words[1:] if pdf else words
    days = REPORT_DAYS[0]
    if words and _NUMBER.fullmatch(words[0]):
        if int(words[0]) not in REPORT_DAYS:
            raise BadPeriod(words[0])
        days, words = int(words[0]), words[1:]
    if not pdf and words and words[0].casefold() == "pdf":
        pdf, words = True, words[1:]
    return ReportRequest(days=days, pdf=pdf, patient=" ".join(words))
