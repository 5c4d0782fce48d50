"""Taper plans: steps → the dose on each local date, across daylight saving too."""

from datetime import UTC, date, datetime, time

import pytest

from bot.domain.parsing import ParseError
from bot.domain.schedule import doses_between, zone_named
from bot.domain.taper import (
    TaperPlan,
    TaperStep,
    Unusual,
    parse_taper,
    parse_taper_steps,
    unusual_steps,
)

STEPS = (TaperStep("10 mg", 7), TaperStep("5 mg", 7), TaperStep("2.5 mg", 7))


def test_parse_a_prescribers_plan():
    request = parse_taper("Baclofen 10 mg x7d, 5 mg x7d, 2.5mg for 7 days")
    assert request.name == "Baclofen"
    assert request.steps == STEPS


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Baclofen", "I need the medication and its steps"),
        ("Baclofen 10 mg", "is not a step"),
        ("Baclofen 10 mg x0d", "0 days is not a step length"),
        ("Baclofen 10 zorkmids x7d", "is not a dose"),
    ],
)
def test_bad_plans_are_explained(text, problem):
    with pytest.raises(ParseError) as caught:
        parse_taper(text)
    assert problem in caught.value.problem


def test_dose_on_each_date_and_after_the_end():
    plan = TaperPlan(date(2026, 3, 1), STEPS)
    assert plan.dose_on(date(2026, 2, 28)) is None
    assert plan.dose_on(date(2026, 3, 1)) == "10 mg"
    assert plan.dose_on(date(2026, 3, 7)) == "10 mg"
    assert plan.dose_on(date(2026, 3, 8)) == "5 mg"
    assert plan.dose_on(date(2026, 3, 21)) == "2.5 mg"
    assert plan.end == date(2026, 3, 22)
    assert plan.dose_on(date(2026, 3, 22)) is None
    assert plan.step_starts() == [(1, date(2026, 3, 8)), (2, date(2026, 3, 15))]


def test_step_change_across_dst_follows_the_local_date():
    """Berlin springs forward on 29 March 2026; a step starts that day."""
    berlin = zone_named("Europe/Berlin")
    plan = TaperPlan(date(2026, 3, 22), (TaperStep("10 mg", 7), TaperStep("5 mg", 7)))
    start = datetime(2026, 3, 27, 23, 0, tzinfo=UTC)  # 00:00 local on the 28th
    end = datetime(2026, 3, 30, 22, 0, tzinfo=UTC)
    instants = doses_between([time(0, 30), time(2, 30), time(23, 30)], berlin, start, end)
    amounts = plan.amounts_at(instants, berlin)
    by_local = {
        i.astimezone(berlin).strftime("%d %H:%M"): a for i, a in zip(instants, amounts, strict=True)
    }
    assert by_local["28 23:30"] == "10 mg"
    assert by_local["29 00:30"] == "5 mg"  # still UTC+1: 23:30 UTC on the 28th
    assert by_local["29 03:00"] == "5 mg"  # 02:30 does not exist; fires at 03:00
    assert by_local["30 02:30"] == "5 mg"
    assert datetime(2026, 3, 28, 23, 30, tzinfo=UTC) in instants


def test_after_the_end_reminders_keep_the_last_step_until_confirmed():
    utc = zone_named("UTC")
    plan = TaperPlan(date(2026, 3, 1), (TaperStep("5 mg", 1),))
    instants = [datetime(2026, 3, 1, 8, tzinfo=UTC), datetime(2026, 3, 2, 8, tzinfo=UTC)]
    assert plan.amounts_at(instants, utc) == ["5 mg", "5 mg"]
    before = [datetime(2026, 2, 28, 8, tzinfo=UTC)]
    assert plan.amounts_at(before, utc) == [None]


@pytest.mark.parametrize(
    ("plan", "today", "expected"),
    [
        ("10 mg x7d, 5 mg x7d, 2.5 mg x7d", "10 mg", []),
        ("10 mg x7d, 20 mg x7d", "10 mg", [(Unusual.INCREASE, "10 mg", "20 mg")]),
        ("10 mg x1d, 5 mg x1d", "5 mg", [(Unusual.INCREASE, "5 mg", "10 mg")]),
        ("80 mg x1d, 5 mg x1d", "80 mg", [(Unusual.STEEP_DROP, "80 mg", "5 mg")]),
        ("2 tablets x3d, 1 tablet x3d", "2 tablets", []),
        ("10 ml x3d, 5 mg x3d", "10 mg", []),  # other units are not compared
    ],
)
def test_a_rise_or_a_drop_by_more_than_half_is_unusual(plan, today, expected):
    found = unusual_steps(parse_taper_steps(plan), today)
    assert [(step.kind, step.before, step.after) for step in found] == expected
