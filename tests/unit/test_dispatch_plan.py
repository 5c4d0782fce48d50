"""How early a burst of reminders starts, given the coming minutes' load and the rate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.dispatch_plan import EARLIEST, ON_TIME, REMINDER_SHARE, plan_dispatch

EIGHT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
RATE = 30 / REMINDER_SHARE  # so that the planned rate is exactly 30 a second
END_OF = timedelta(minutes=1) - timedelta(microseconds=1)


def seconds(n: float) -> timedelta:
    return timedelta(seconds=n)


def test_a_small_load_waits_for_its_minute():
    plan = plan_dispatch(EIGHT - seconds(30), [(EIGHT, 100)], per_second=RATE)

    assert plan.claim_until == EIGHT - seconds(30)  # nothing ahead of time
    # 100 at 30/s take 3.3 s: they could start as late as 08:00:56.7 and be on time.
    assert plan.next_start == EIGHT + ON_TIME - seconds(100 / 30)


def test_a_burst_bigger_than_a_minute_starts_so_that_its_last_reminder_is_on_time():
    # 2,400 at 30/s take 80 s: start 20 s before 08:00, the last goes out at 08:01.
    start = EIGHT - seconds(20)

    before = plan_dispatch(start - seconds(1), [(EIGHT, 2400)], per_second=RATE)
    at_start = plan_dispatch(start, [(EIGHT, 2400)], per_second=RATE)

    assert before.claim_until == start - seconds(1)
    assert before.next_start == start
    assert at_start.claim_until == EIGHT + END_OF
    assert at_start.next_start is None


def test_a_burst_pushes_the_minute_before_it_earlier():
    # 900 at 07:59, 1,800 at 08:00: 08:00's 60 s of sending must start at 08:00 sharp, so
    # 07:59's 30 s must be out by then: they start at 07:59:30.
    load = [(EIGHT - timedelta(minutes=1), 900), (EIGHT, 1800)]

    early = plan_dispatch(EIGHT - seconds(31), load, per_second=RATE)
    first = plan_dispatch(EIGHT - seconds(30), load, per_second=RATE)
    second = plan_dispatch(EIGHT, load, per_second=RATE)

    assert early.claim_until == EIGHT - seconds(31)
    assert early.next_start == EIGHT - seconds(30)
    assert first.claim_until == EIGHT - timedelta(minutes=1) + END_OF
    assert first.next_start == EIGHT
    assert second.claim_until == EIGHT + END_OF


def test_a_later_small_minute_does_not_start_before_its_turn():
    load = [(EIGHT, 2400), (EIGHT + timedelta(minutes=10), 10)]

    plan = plan_dispatch(EIGHT - seconds(20), load, per_second=RATE)

    assert plan.claim_until == EIGHT + END_OF
    assert plan.next_start is not None and plan.next_start > EIGHT + timedelta(minutes=10)


def test_no_reminder_goes_out_more_than_the_earliest_margin_before_its_time():
    # 100,000 at 30/s would need 55 minutes: it starts EARLIEST before, and runs late.
    huge = [(EIGHT, 100_000)]

    assert plan_dispatch(EIGHT - EARLIEST - seconds(1), huge, per_second=RATE).next_start == (
        EIGHT - EARLIEST
    )
    assert plan_dispatch(EIGHT - EARLIEST, huge, per_second=RATE).claim_until == EIGHT + END_OF


@pytest.mark.parametrize("per_second", [RATE, 1000.0])
def test_overdue_doses_are_claimed_at_once(per_second):
    now = EIGHT + seconds(5)

    plan = plan_dispatch(now, [(EIGHT - timedelta(hours=7), 1)], per_second=per_second)

    assert plan.claim_until == now
    assert plan.next_start is None


def test_nothing_waiting_plans_nothing():
    assert plan_dispatch(EIGHT, [], per_second=RATE) == plan_dispatch(EIGHT, [], per_second=1)
    assert plan_dispatch(EIGHT, [], per_second=RATE).next_start is None
