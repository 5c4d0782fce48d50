"""Safety rules as pure functions: streaks and overuse (emergencies: test_emergencies.py)."""

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.domain.model import DoseStatus
from bot.domain.rules import (
    OveruseRule,
    as_needed_overuse,
    minimum_gap,
    missed_streak,
    overuse,
    withdrawal_risk,
)

T, S, M, P = DoseStatus.TAKEN, DoseStatus.SKIPPED, DoseStatus.MISSED, DoseStatus.PENDING
TID = (time(8), time(14), time(20))


def at(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("statuses", "streak"),
    [
        ([], 0),
        ([T], 0),
        ([S], 1),
        ([T, S, M], 2),
        ([S, S, T], 0),  # a late "took" after skips ends the streak
        ([M, S, T, S], 1),
        ([M, M, M], 3),
        ([S, P, S], 2),  # an open dose counts neither way
    ],
)
def test_missed_streak_counts_the_latest_run(statuses, streak):
    assert missed_streak(statuses) == streak


def test_two_in_a_row_is_a_withdrawal_risk_only_for_a_risky_drug():
    assert withdrawal_risk([T, S, M], drug_has_risk=True)
    assert not withdrawal_risk([T, S, M], drug_has_risk=False)
    assert not withdrawal_risk([T, S], drug_has_risk=True)


def test_a_skip_then_a_late_took_is_no_streak():
    assert not withdrawal_risk([S, T], drug_has_risk=True)
    assert not withdrawal_risk([M, S, T], drug_has_risk=True)


def test_minimum_gap_is_half_the_shortest_interval():
    assert minimum_gap(TID) == timedelta(hours=3)
    assert minimum_gap([time(8)]) == timedelta(hours=12)
    # Across midnight: 22:00 and 02:00 are 4 h apart.
    assert minimum_gap([time(2), time(22)]) == timedelta(hours=2)


def scheduled(taken_at, intakes, previous, planned=3):
    return overuse(taken_at, intakes, previous, planned_today=planned, times=TID)


def test_more_doses_than_the_schedule_has_today_is_overuse_and_says_so():
    intakes = [at(8), at(14), at(20), at(23)]
    found = scheduled(at(23), intakes, at(20))
    assert found is not None
    assert found.rule is OveruseRule.MORE_THAN_PLANNED
    assert (found.taken_today, found.allowed_per_day) == (4, 3)


def test_all_the_doses_of_the_day_are_not_overuse():
    # The "three of three daily doses was called overuse".
    assert scheduled(at(20), [at(8), at(14), at(20)], at(14)) is None


def test_a_dose_on_a_day_the_schedule_has_none_is_overuse():
    found = scheduled(at(9), [at(9)], None, planned=0)
    assert found is not None and found.rule is OveruseRule.MORE_THAN_PLANNED


def test_a_dose_much_earlier_than_scheduled_is_overuse():
    found = scheduled(at(9), [at(8), at(9)], at(8))
    assert found is not None
    assert found.rule is OveruseRule.TOO_SOON
    assert found.since_last == timedelta(hours=1)
    assert found.spacing == timedelta(hours=6)


def test_doses_as_prescribed_are_not_overuse():
    assert scheduled(at(8), [at(8)], at(20, day=1)) is None
    assert scheduled(at(14, 30), [at(8), at(14, 30)], at(8)) is None


def test_overuse_counts_a_late_evening_dose_against_its_own_day():
    # Yesterday's 20:00 and 23:30 doses do not count towards today.
    assert scheduled(at(8), [at(8)], at(23, 30, day=1)) is None


def test_as_needed_doses_are_held_to_the_prescribers_maximum_and_gap():
    limits = {"max_per_day": 3, "min_gap": timedelta(hours=6)}
    assert as_needed_overuse(at(14), [at(8), at(14)], at(8), **limits) is None
    over = as_needed_overuse(at(23), [at(8), at(14), at(20), at(23)], at(20), **limits)
    assert over is not None and over.rule is OveruseRule.OVER_DAILY_MAX
    assert (over.taken_today, over.allowed_per_day) == (4, 3)
    soon = as_needed_overuse(at(10), [at(8), at(10)], at(8), **limits)
    assert soon is not None and soon.rule is OveruseRule.UNDER_MIN_GAP
    assert (soon.since_last, soon.spacing) == (timedelta(hours=2), timedelta(hours=6))
    assert as_needed_overuse(at(23), [at(8)] * 9, at(8), max_per_day=None, min_gap=None) is None
