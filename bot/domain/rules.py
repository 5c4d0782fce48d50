"""Safety rules: what skips, misses, extra doses and alarming words mean, as pure functions.

Clinical basis: abrupt withdrawal of baclofen can cause hallucinations and seizures (US label,
Warnings: Abrupt Drug Withdrawal); taking more or more often than prescribed is a sign of misuse
(seed article, "Identifying Baclofen Abuse").
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from bot.domain.model import DoseStatus
from bot.domain.parsing import dose_amount

# Two missed or skipped doses in a row of a withdrawal-risk drug warrant a warning (SPEC).
WITHDRAWAL_RISK_STREAK = 2
# An amount logged this many times the planned dose may be an overdose: that is a call to the
# poison centre now, not an overuse warning (US HRSA, Poison Help: call for a possible overdose).
OVERDOSE_RATIO = 3


def missed_streak(statuses_oldest_first: Sequence[DoseStatus]) -> int:
    """How many of the latest settled doses in a row were missed or skipped.

    A late "took" after a skip ends the streak, whatever came before it; doses still open
    (pending, sent, snoozed) do not count either way.
    """
    streak = 0
    for status in statuses_oldest_first:
        if status in (DoseStatus.MISSED, DoseStatus.SKIPPED):
            streak += 1
        elif status is DoseStatus.TAKEN:
            streak = 0
    return streak


def withdrawal_risk(statuses_oldest_first: Sequence[DoseStatus], *, drug_has_risk: bool) -> bool:
    return drug_has_risk and missed_streak(statuses_oldest_first) >= WITHDRAWAL_RISK_STREAK


class OveruseRule(StrEnum):
    """Which rule an extra dose broke: the reply names it in plain words."""

    MORE_THAN_PLANNED = "more_than_planned"  # more doses today than the schedule has
    TOO_SOON = "too_soon"  # much sooner after the last dose than the schedule spaces them
    OVER_DAILY_MAX = "over_daily_max"  # as needed: more than the prescriber's daily maximum
    UNDER_MIN_GAP = "under_min_gap"  # as needed: sooner than the prescriber's minimum gap


@dataclass(frozen=True, slots=True)
class Overuse:
    rule: OveruseRule
    taken_today: int  # including this dose
    allowed_per_day: int  # the schedule's doses today, or the as-needed maximum
    since_last: timedelta | None = None  # the gap to the previous dose, when too short
    spacing: timedelta | None = None  # the schedule's shortest spacing, or the minimum gap


def shortest_spacing(times: Sequence[time]) -> timedelta:
    """The shortest interval between scheduled times, across midnight (once daily: 24 h)."""
    minutes = sorted(t.hour * 60 + t.minute for t in times)
    if len(minutes) < 2:
        return timedelta(hours=24)
    gaps = [b - a for a, b in itertools.pairwise(minutes)]
    gaps.append(24 * 60 - minutes[-1] + minutes[0])
    return timedelta(minutes=min(gaps))


def minimum_gap(times: Sequence[time]) -> timedelta:
    """Half the shortest gap between scheduled times (once daily: 12 h): sooner than this
    after the previous dose is "much earlier than scheduled" (SPEC, Reminders)."""
    return shortest_spacing(times) / 2


def overuse(
    taken_at: datetime,
    intakes_today: Sequence[datetime],
    previous_intake: datetime | None,
    *,
    planned_today: int,
    times: Sequence[time],
) -> Overuse | None:
    """A scheduled medication: more doses today than the schedule has today, or one much
    sooner after the last than the schedule spaces them. `intakes_today` includes this one."""
    taken = len(intakes_today)
    if taken > planned_today:
        return Overuse(OveruseRule.MORE_THAN_PLANNED, taken, planned_today)
    gap = taken_at - previous_intake if previous_intake is not None else None
    if gap is not None and timedelta(0) <= gap < minimum_gap(times):
        return Overuse(OveruseRule.TOO_SOON, taken, planned_today, gap, shortest_spacing(times))
    return None


def as_needed_overuse(
    taken_at: datetime,
    intakes_today: Sequence[datetime],
    previous_intake: datetime | None,
    *,
    max_per_day: int | None,
    min_gap: timedelta | None,
) -> Overuse | None:
    """An as-needed medication: over the prescriber's daily maximum or under their gap."""
    taken = len(intakes_today)
    if max_per_day is not None and taken > max_per_day:
        return Overuse(OveruseRule.OVER_DAILY_MAX, taken, max_per_day)
    gap = taken_at - previous_intake if previous_intake is not None else None
    if min_gap is not None and gap is not None and timedelta(0) <= gap < min_gap:
        return Overuse(OveruseRule.UNDER_MIN_GAP, taken, max_per_day or 0, gap, min_gap)
    return None


def possible_overdose(taken: str, planned: str) -> bool:
    """ "100 mg" against a planned "5 mg": far above the plan, in the same unit."""
    taken_amount, taken_unit = dose_amount(taken)
    planned_amount, planned_unit = dose_amount(planned)
    if taken_unit != planned_unit or not planned_amount:
        return False
    return taken_amount >= OVERDOSE_RATIO * planned_amount
