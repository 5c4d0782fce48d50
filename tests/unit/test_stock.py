"""The run-out forecast: doses ahead × units per dose, tapers, as-needed use, refill timing."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.domain.model import Schedule
from bot.domain.schedule import zone_named
from bot.domain.stock import (
    REFILL_LEAD_DAYS,
    WITHDRAWAL_RISK_LEAD_DAYS,
    average_daily_use,
    needs_refill,
    refill_lead_days,
    run_out_on,
    units_per_dose,
)
from bot.domain.taper import TaperPlan, TaperStep

BERLIN = zone_named("Europe/Berlin")
NEW_YORK = zone_named("America/New_York")
TODAY = date(2026, 6, 1)
TID = Schedule(times=(time(8, 0), time(14, 0), time(20, 0)))


def local(day: date, hour: int, minute: int = 0, zone=BERLIN) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def days_after(day: date, days: int) -> date:
    return day + timedelta(days=days)


@pytest.mark.parametrize(
    ("amount", "base", "units"),
    [
        ("2 tablets", "10 mg", 2.0),
        ("1 tablet", "1 tablet", 1.0),
        ("2 capsules", "2 capsules", 2.0),
        ("5 ml", "5 ml", 5.0),
        ("2 puffs", "100 mcg", 2.0),
        ("3 drops", "3 drops", 3.0),
        ("5 mg", "10 mg", 0.5),  # half a 10 mg tablet
        ("20 mg", "10 mg", 2.0),
        ("10 mg", "10 mg", 1.0),
        ("1000 IU", "1000 IU", 1.0),
        ("500 mcg", "1 mg", 0.5),  # mass units convert
        ("0.5 g", "500 mg", 1.0),
        ("5 mg", "1 tablet", 1.0),  # not comparable: one unit
        ("10 units", "5 mg", 1.0),
        ("something", "10 mg", 1.0),
    ],
)
def test_units_per_dose_counts_units_or_shares_of_the_base_dose(amount, base, units):
    assert units_per_dose(amount, base) == pytest.approx(units)


@pytest.mark.parametrize(
    ("stock", "now", "expected"),
    [
        (30, local(TODAY, 7), days_after(TODAY, 10)),  # ten whole days, today's 08:00 first
        (31, local(TODAY, 7), days_after(TODAY, 10)),  # day 10's 08:00 covered, not its 14:00
        (33, local(TODAY, 7), days_after(TODAY, 11)),
        (30, local(TODAY, 21), days_after(TODAY, 11)),  # today's doses are past
        (1, local(TODAY, 7), TODAY),
    ],
)
def test_three_a_day_from_thirty_tablets_runs_out_on_day_ten(stock, now, expected):
    assert run_out_on(stock, TID, "1 tablet", BERLIN, now) == expected


def test_amounts_per_time_take_their_share_of_the_base_dose():
    schedule = Schedule(times=(time(8, 0), time(20, 0)), amounts=("10 mg", "5 mg"))
    # 1.5 tablets of 10 mg a day: 15 tablets last ten days.
    assert run_out_on(15, schedule, "10 mg", BERLIN, local(TODAY, 7)) == days_after(TODAY, 10)
    assert run_out_on(15.5, schedule, "10 mg", BERLIN, local(TODAY, 7)) == days_after(TODAY, 10)


def test_a_dose_of_several_tablets_takes_each_of_them():
    daily = Schedule(times=(time(8, 0),))
    assert run_out_on(10, daily, "2 tablets", BERLIN, local(TODAY, 7)) == days_after(TODAY, 5)


def test_taper_steps_set_each_dose_and_the_last_step_goes_on_after_the_end():
    bid = Schedule(times=(time(8, 0), time(20, 0)))
    plan = TaperPlan(TODAY, (TaperStep("10 mg", 2), TaperStep("5 mg", 2)))
    # Tablets of 10 mg: 2 a day for two days, then 1 a day (two halves).
    assert run_out_on(5, bid, "10 mg", BERLIN, local(TODAY, 7), taper=plan) == days_after(TODAY, 3)
    # After the plan's four days the reminders go on at 5 mg until the patient decides:
    # 10 tablets = 4 + 2 in the plan, then 4 more days at 1 a day.
    assert run_out_on(10, bid, "10 mg", BERLIN, local(TODAY, 7), taper=plan) == days_after(TODAY, 8)


def test_before_a_taper_starts_the_usual_dose_counts():
    daily = Schedule(times=(time(8, 0),))
    plan = TaperPlan(days_after(TODAY, 3), (TaperStep("5 mg", 10),))
    # Days 0-2 at 10 mg (3 tablets), then half a tablet a day.
    assert run_out_on(4, daily, "10 mg", BERLIN, local(TODAY, 7), taper=plan) == days_after(
        TODAY, 5
    )


def test_as_needed_runs_out_by_the_average_use():
    now = local(TODAY, 12)
    taken = [(now - timedelta(hours=12 * k), 1.0) for k in range(28)]  # 2 a day for 14 days
    use = average_daily_use(taken, now, days=14)
    assert use == pytest.approx(2.0)
    prn = Schedule(as_needed=True, max_per_day=3)
    assert run_out_on(9, prn, "200 mg", BERLIN, now, as_needed_daily_use=use) == days_after(
        TODAY, 4
    )
    assert run_out_on(9, prn, "200 mg", BERLIN, now, as_needed_daily_use=0) is None
    assert run_out_on(9, prn, "200 mg", BERLIN, now) is None
    assert run_out_on(9000, prn, "200 mg", BERLIN, now, as_needed_daily_use=use) is None


def test_average_use_counts_only_the_window_and_a_short_history_by_its_length():
    now = local(TODAY, 12)
    intakes = [
        (now - timedelta(days=20), 5.0),  # before the window
        (now - timedelta(days=3), 2.0),
        (now - timedelta(hours=1), 1.0),
        (now + timedelta(hours=1), 9.0),  # not yet
    ]
    assert average_daily_use(intakes, now, days=14) == pytest.approx(3 / 14)
    assert average_daily_use(intakes, now, days=14, since=now - timedelta(days=4)) == (
        pytest.approx(3 / 4)
    )
    # A medication added an hour ago is averaged over one day, not over an hour.
    assert average_daily_use(intakes, now, since=now - timedelta(hours=2)) == pytest.approx(1.0)
    assert average_daily_use([], now) == 0
    with pytest.raises(ValueError, match="at least 1"):
        average_daily_use(intakes, now, days=0)


def test_no_stock_runs_out_at_the_next_dose():
    assert run_out_on(0, TID, "1 tablet", BERLIN, local(TODAY, 7)) == TODAY
    assert run_out_on(0, TID, "1 tablet", BERLIN, local(TODAY, 21)) == days_after(TODAY, 1)
    prn = Schedule(as_needed=True)
    assert run_out_on(0, prn, "200 mg", BERLIN, local(TODAY, 7), as_needed_daily_use=1) == TODAY


def test_nothing_scheduled_or_enough_for_the_horizon_has_no_run_out():
    ended = Schedule(times=(time(8, 0),), ends_on=days_after(TODAY, -1))
    assert run_out_on(0, ended, "1 tablet", BERLIN, local(TODAY, 7)) is None
    assert run_out_on(0, Schedule(), "1 tablet", BERLIN, local(TODAY, 7)) is None
    assert run_out_on(1200, TID, "1 tablet", BERLIN, local(TODAY, 7)) is None  # > 366 days
    short_course = Schedule(times=(time(8, 0),), ends_on=days_after(TODAY, 4))
    assert run_out_on(5, short_course, "1 tablet", BERLIN, local(TODAY, 7)) is None
    assert run_out_on(4, short_course, "1 tablet", BERLIN, local(TODAY, 7)) == days_after(TODAY, 4)


def test_every_few_days_and_weekdays_count_only_their_days():
    every_3 = Schedule(times=(time(9, 0),), every_days=3, starts_on=TODAY)
    assert run_out_on(3, every_3, "1 tablet", BERLIN, local(TODAY, 7)) == days_after(TODAY, 9)
    mon_wed_fri = Schedule(times=(time(9, 0),), weekdays=frozenset({0, 2, 4}))
    # 1 June 2026 is a Monday: Mon, Wed, Fri, then the next Monday is uncovered.
    assert run_out_on(3, mon_wed_fri, "1 tablet", BERLIN, local(TODAY, 7)) == date(2026, 6, 8)


def test_a_daylight_saving_change_on_the_way_counts_each_days_doses_once():
    nightly = Schedule(times=(time(2, 30),))
    spring = date(2026, 3, 29)  # Berlin: 02:30 does not exist, the dose comes at 03:00
    start = local(date(2026, 3, 27), 0)
    assert run_out_on(5, nightly, "1 tablet", BERLIN, start) == date(2026, 4, 1)
    assert run_out_on(2, nightly, "1 tablet", BERLIN, start) == spring
    # New York's 25-hour day has 01:30 twice; it is one dose.
    fold = Schedule(times=(time(1, 30),))
    start = local(date(2026, 10, 31), 0, zone=NEW_YORK)
    assert run_out_on(3, fold, "1 tablet", NEW_YORK, start) == date(2026, 11, 3)


def test_two_times_joined_by_the_spring_gap_take_one_dose_that_day():
    schedule = Schedule(times=(time(2, 0), time(3, 0)))
    start = local(date(2026, 3, 28), 0)
    # 28 March: 2, 29 March (the change): 1, 30 March: 2.
    assert run_out_on(5, schedule, "1 tablet", BERLIN, start) == date(2026, 3, 31)


def test_refill_lead_is_longer_for_a_drug_that_must_not_stop():
    assert (REFILL_LEAD_DAYS, WITHDRAWAL_RISK_LEAD_DAYS) == (7, 10)
    assert refill_lead_days(withdrawal_risk=False) == 7
    assert refill_lead_days(withdrawal_risk=True) == 10


@pytest.mark.parametrize(
    ("run_out", "expected"),
    [
        (days_after(TODAY, 8), False),
        (days_after(TODAY, 7), True),
        (TODAY, True),
        (days_after(TODAY, -2), True),
        (None, False),
    ],
)
def test_a_refill_is_due_within_the_lead_days(run_out, expected):
    assert needs_refill(run_out, TODAY, 7) is expected
