"""The weekly summary: when it is owed (Sunday 19:00 in the recipient's zone) and what it says
(the week's adherence per medication, symptoms and safety events)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.adherence import Adherence
from bot.domain.schedule import local_to_utc

SUMMARY_WEEKDAY = 6  # Sunday
SUMMARY_TIME = time(19, 0)
# A summary the bot could not write on time (it was down) still comes up to a day late;
# after that the next one is more useful than a stale one.
LATE_LIMIT = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SummaryWeek:
    """The week a summary covers: from one Sunday 19:00 to the next, in the recipient's zone
    (no dose falls between two summaries), sent at `end`."""

    monday: date  # names the week: at most one summary per recipient and Monday
    start: datetime  # UTC
    end: datetime  # UTC


def owed_week(now: datetime, zone: ZoneInfo, *, ahead: timedelta) -> SummaryWeek | None:
    """The week whose summary is due within `ahead` (the time to the next look) or came due
    at most LATE_LIMIT ago; None at other times. Daylight-saving changes move the UTC instant,
    never the local 19:00."""
    sunday = _last_summary_day(now + ahead, zone)
    end = local_to_utc(sunday, SUMMARY_TIME, zone)
    if now - end > LATE_LIMIT:
        return None
    start = local_to_utc(sunday - timedelta(days=7), SUMMARY_TIME, zone)
    return SummaryWeek(sunday - timedelta(days=6), start, end)


def passed_week(now: datetime, zone: ZoneInfo) -> date:
    """The Monday of the last week whose summary time has passed: someone opting in now gets
    the next one, not one about a week before they asked."""
    return _last_summary_day(now, zone) - timedelta(days=6)


def _last_summary_day(at: datetime, zone: ZoneInfo) -> date:
    """The latest Sunday whose 19:00 (local) is not after `at`."""
    day = at.astimezone(zone).date()
    sunday = day - timedelta(days=(day.weekday() - SUMMARY_WEEKDAY) % 7)
    if local_to_utc(sunday, SUMMARY_TIME, zone) > at:
        sunday -= timedelta(days=7)
    return sunday


@dataclass(frozen=True, slots=True)
class SummaryRecipient:
    """Someone who asked for the weekly summary: the patient, or a caregiver for one link."""

    chat_id: int
    patient_id: int
    link_id: int | None  # None: the patient themself
    zone: str | None  # the recipient's (a caregiver's own if known, else the patient's)


@dataclass(frozen=True, slots=True)
class WeeklySummary:
    patient_name: str
    for_caregiver: bool
    first_day: date  # local days shown, in the recipient's zone
    last_day: date
    medications: tuple[Adherence, ...]
    symptoms: int
    safety_events: int  # besides missed doses, which the adherence counts
