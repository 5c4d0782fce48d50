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


@dataclass(frozen=True, slots=True)
class Overuse:
    taken_today: int
    prescribed_per_day: int
    too_soon_after: timedelta | None  # the gap to the previous dose, when it was too short


def minimum_gap(times: Sequence[time]) -> timedelta:
    """Half the shortest gap between scheduled times (once daily: 12 h)."""
    minutes = sorted(t.hour * 60 + t.minute for t in times)
    if len(minutes) < 2:
        return timedelta(hours=12)
    gaps = [b - a for a, b in itertools.pairwise(minutes)]
    gaps.append(24 * 60 - minutes[-1] + minutes[0])
    return timedelta(minutes=min(gaps) / 2)


def overuse(
    taken_at: datetime,
    intakes_today: Sequence[datetime],
    previous_intake: datetime | None,
    schedule: Sequence[time],
) -> Overuse | None:
    """More doses today than prescribed, or one much earlier than the schedule allows.

    `intakes_today` includes the new intake.
    """
    prescribed = len(schedule)
    gap = taken_at - previous_intake if previous_intake is not None else None
    too_soon = gap if gap is not None and timedelta(0) <= gap < minimum_gap(schedule) else None
    if len(intakes_today) > prescribed or too_soon is not None:
        return Overuse(len(intakes_today), prescribed, too_soon)
    return None


def possible_overdose(taken: str, planned: str) -> bool:
    """ "100 mg" against a planned "5 mg": far above the plan, in the same unit."""
    taken_amount, taken_unit = dose_amount(taken)
    planned_amount, planned_unit = dose_amount(planned)
    if taken_unit != planned_unit or not planned_amount:
        return False
    return taken_amount >= OVERDOSE_RATIO * planned_amount
