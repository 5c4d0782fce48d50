"""Every kind of schedule → UTC instants: every N days, weekdays, courses, as needed, amounts
per time, across the daylight-saving changes of Berlin and New York in 2026 and 2027."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.model import Schedule
from bot.domain.parsing import parse_add
from bot.domain.schedule import doses_between, due_on, local_day_bounds, occurrences, zone_named

BERLIN = zone_named("Europe/Berlin")
NEW_YORK = zone_named("America/New_York")

# (zone, spring-forward Sunday, fall-back Sunday), both years.
DST_DAYS = [
    (BERLIN, date(2026, 3, 29), date(2026, 10, 25)),
    (BERLIN, date(2027, 3, 28), date(2027, 10, 31)),
    (NEW_YORK, date(2026, 3, 8), date(2026, 11, 1)),
    (NEW_YORK, date(2027, 3, 14), date(2027, 11, 7)),
]
DST_IDS = ["berlin-2026", "berlin-2027", "new-york-2026", "new-york-2027"]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def local_days(zone, first: date, last: date) -> tuple[datetime, datetime]:
    """UTC bounds of the local dates first..last inclusive."""
    return local_day_bounds(_noon(first, zone), zone)[0], local_day_bounds(_noon(last, zone), zone)[
        1
    ]


def _noon(day: date, zone) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=zone)


def local_times(found, zone) -> list[datetime]:
    return [instant.astimezone(zone).replace(tzinfo=None) for instant, _ in found]


def wall(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


@pytest.mark.parametrize(("zone", "spring", "fall"), DST_DAYS, ids=DST_IDS)
def test_daily_dose_keeps_its_clock_time_across_both_changes(zone, spring, fall):
    schedule = Schedule(times=(time(8, 0),))
    for change in (spring, fall):
        start, end = local_days(zone, change - timedelta(days=1), change + timedelta(days=1))
        found = occurrences(schedule, zone, start, end)
        assert local_times(found, zone) == [wall(change + timedelta(days=d), 8) for d in (-1, 0, 1)]
        # The same clock time is a different UTC time on either side of the change.
        offsets = {instant.astimezone(zone).utcoffset() for instant, _ in found}
        assert len(offsets) == 2


@pytest.mark.parametrize(("zone", "spring", "fall"), DST_DAYS, ids=DST_IDS)
def test_every_two_days_counts_calendar_days_not_24_hours(zone, spring, fall):
    for change in (spring, fall):
        anchor = change - timedelta(days=4)
        schedule = Schedule(times=(time(21, 0),), every_days=2, starts_on=anchor)
        start, end = local_days(zone, anchor, change + timedelta(days=4))
        days = [at.date() for at in local_times(occurrences(schedule, zone, start, end), zone)]
        assert days == [anchor + timedelta(days=d) for d in (0, 2, 4, 6, 8)]
        assert change in days


@pytest.mark.parametrize(("zone", "spring", "fall"), DST_DAYS, ids=DST_IDS)
def test_weekdays_around_a_change_are_the_local_weekdays(zone, spring, fall):
    # Every change is on a Sunday: Mon-Fri skips it and the Saturday before.
    schedule = Schedule(times=(time(7, 30),), weekdays=frozenset(range(5)))
    for change in (spring, fall):
        assert change.weekday() == 6
        start, end = local_days(zone, change - timedelta(days=3), change + timedelta(days=2))
        days = [at.date() for at in local_times(occurrences(schedule, zone, start, end), zone)]
        assert days == [change - timedelta(days=d) for d in (3, 2)] + [
            change + timedelta(days=d) for d in (1, 2)
        ]


@pytest.mark.parametrize(("zone", "spring", "fall"), DST_DAYS, ids=DST_IDS)
def test_a_weekend_dose_on_the_change_sunday_fires_once(zone, spring, fall):
    schedule = Schedule(times=(time(9, 0),), weekdays=frozenset({6}))
    for change in (spring, fall):
        start, end = local_days(zone, change - timedelta(days=6), change + timedelta(days=6))
        assert local_times(occurrences(schedule, zone, start, end), zone) == [wall(change, 9)]


@pytest.mark.parametrize(("zone", "spring", "fall"), DST_DAYS, ids=DST_IDS)
def test_a_time_in_the_spring_gap_fires_at_the_first_valid_minute_after(zone, spring, fall):
    schedule = Schedule(times=(time(2, 30),), every_days=1, starts_on=spring - timedelta(days=1))
    start, end = local_days(zone, spring - timedelta(days=1), spring + timedelta(days=1))
    assert local_times(occurrences(schedule, zone, start, end), zone) == [
        wall(spring - timedelta(days=1), 2, 30),
        wall(spring, 3, 0),  # 02:30 does not exist that night
        wall(spring + timedelta(days=1), 2, 30),
    ]


def test_berlin_gap_dose_in_utc():
    schedule = Schedule(times=(time(2, 30),), weekdays=frozenset({6}))
    start, end = local_days(BERLIN, date(2026, 3, 29), date(2026, 3, 29))
    assert occurrences(schedule, BERLIN, start, end) == [(utc(2026, 3, 29, 1, 0), None)]


@pytest.mark.parametrize(
    ("day", "first_occurrence"),
    [(date(2026, 11, 1), utc(2026, 11, 1, 5, 30)), (date(2027, 11, 7), utc(2027, 11, 7, 5, 30))],
)
def test_a_time_in_the_new_york_fold_fires_once_at_its_first_occurrence(day, first_occurrence):
    # 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    for schedule in (
        Schedule(times=(time(1, 30),)),
        Schedule(times=(time(1, 30),), every_days=3, starts_on=day - timedelta(days=3)),
        Schedule(times=(time(1, 30),), weekdays=frozenset({6})),
        Schedule(times=(time(1, 30),), starts_on=day, ends_on=day),
    ):
        start, end = local_day_bounds(first_occurrence, NEW_YORK)
        assert end - start == timedelta(hours=25)
        assert occurrences(schedule, NEW_YORK, start, end) == [(first_occurrence, None)]


def test_a_course_runs_from_its_first_to_its_last_day_inclusive():
    # Ten days that cross Berlin's spring change: 25 March to 3 April 2026.
    schedule = Schedule(
        times=(time(8, 0), time(20, 0)), starts_on=date(2026, 3, 25), ends_on=date(2026, 4, 3)
    )
    start, end = local_days(BERLIN, date(2026, 3, 1), date(2026, 4, 30))
    found = local_times(occurrences(schedule, BERLIN, start, end), BERLIN)
    assert len(found) == 20
    assert found[0] == wall(date(2026, 3, 25), 8)
    assert found[-1] == wall(date(2026, 4, 3), 20)


def test_a_course_that_ended_gives_nothing_and_one_ending_today_ends_tonight():
    schedule = Schedule(times=(time(9, 0), time(21, 0)), ends_on=date(2026, 11, 1))
    later = local_days(NEW_YORK, date(2026, 11, 2), date(2026, 11, 9))
    assert occurrences(schedule, NEW_YORK, *later) == []
    last_day = local_days(NEW_YORK, date(2026, 11, 1), date(2026, 11, 1))
    assert local_times(occurrences(schedule, NEW_YORK, *last_day), NEW_YORK) == [
        wall(date(2026, 11, 1), 9),
        wall(date(2026, 11, 1), 21),
    ]


def test_nothing_is_due_before_the_start_even_on_a_matching_day():
    schedule = Schedule(times=(time(8, 0),), every_days=2, starts_on=date(2026, 6, 10))
    start, end = local_days(BERLIN, date(2026, 6, 1), date(2026, 6, 13))
    days = [at.date() for at in local_times(occurrences(schedule, BERLIN, start, end), BERLIN)]
    assert days == [date(2026, 6, 10), date(2026, 6, 12)]


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        # January has 31 days: the 30th, then 1 February.
        (date(2026, 1, 30), [date(2026, 1, 30), date(2026, 2, 1), date(2026, 2, 3)]),
        # February 2027 has 28: the 27th, then 1 March.
        (date(2027, 2, 27), [date(2027, 2, 27), date(2027, 3, 1), date(2027, 3, 3)]),
        # 2028 is a leap year: the 28th, then 1 March (29 February is skipped).
        (date(2028, 2, 28), [date(2028, 2, 28), date(2028, 3, 1), date(2028, 3, 3)]),
    ],
)
def test_every_two_days_across_a_month_end(anchor, expected):
    schedule = Schedule(times=(time(9, 0),), every_days=2, starts_on=anchor)
    start, end = local_days(NEW_YORK, anchor, anchor + timedelta(days=5))
    days = [at.date() for at in local_times(occurrences(schedule, NEW_YORK, start, end), NEW_YORK)]
    assert days == expected


def test_as_needed_is_never_scheduled():
    schedule = Schedule(as_needed=True, max_per_day=3, min_gap=timedelta(hours=6))
    assert occurrences(schedule, BERLIN, utc(2026, 1, 1), utc(2027, 1, 1)) == []
    assert not due_on(schedule, date(2026, 6, 1))


def test_each_dose_carries_its_time_amount():
    schedule = Schedule(times=(time(8, 0), time(20, 0)), amounts=("10 mg", "5 mg"))
    start, end = local_days(BERLIN, date(2026, 10, 24), date(2026, 10, 25))
    assert occurrences(schedule, BERLIN, start, end) == [
        (utc(2026, 10, 24, 6, 0), "10 mg"),
        (utc(2026, 10, 24, 18, 0), "5 mg"),
        (utc(2026, 10, 25, 7, 0), "10 mg"),  # CET from the change on
        (utc(2026, 10, 25, 19, 0), "5 mg"),
    ]


def test_two_times_the_spring_gap_joins_are_one_dose_with_the_earlier_amount():
    schedule = Schedule(times=(time(2, 0), time(3, 0)), amounts=("10 mg", "5 mg"))
    start, end = local_days(BERLIN, date(2026, 3, 29), date(2026, 3, 29))
    assert occurrences(schedule, BERLIN, start, end) == [(utc(2026, 3, 29, 1, 0), "10 mg")]


def test_the_window_is_half_open():
    schedule = Schedule(times=(time(8, 0),))
    at_eight = utc(2026, 6, 1, 6, 0)  # 08:00 in Berlin
    assert [
        i for i, _ in occurrences(schedule, BERLIN, at_eight, at_eight + timedelta(days=1))
    ] == [at_eight]
    assert occurrences(schedule, BERLIN, at_eight - timedelta(days=1), at_eight) == [
        (at_eight - timedelta(days=1), None)
    ]
    assert occurrences(schedule, BERLIN, at_eight, at_eight) == []


def test_doses_between_is_the_daily_schedule():
    times = [time(20, 0), time(8, 0)]
    start, end = utc(2026, 3, 27), utc(2026, 4, 2)
    assert doses_between(times, BERLIN, start, end) == [
        instant for instant, _ in occurrences(Schedule(times=tuple(times)), BERLIN, start, end)
    ]


# Hypothesis takes naive bounds and adds the zone itself.
FIRST_START = datetime(2026, 1, 1)  # noqa: DTZ001
LAST_START = datetime(2027, 12, 1)  # noqa: DTZ001

schedules = st.builds(
    Schedule,
    times=st.lists(st.times(), min_size=1, max_size=4, unique=True).map(
        lambda ts: tuple(sorted(t.replace(second=0, microsecond=0) for t in ts))
    ),
    every_days=st.integers(1, 5),
    weekdays=st.frozensets(st.integers(0, 6), max_size=3),
    starts_on=st.none() | st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    ends_on=st.none() | st.dates(date(2026, 1, 1), date(2027, 12, 31)),
)


@given(
    schedule=schedules,
    zone=st.sampled_from([BERLIN, NEW_YORK]),
    start=st.datetimes(FIRST_START, LAST_START, timezones=st.just(UTC)),
    hours=st.integers(0, 24 * 20),
    split=st.floats(0, 1),
)
def test_occurrences_split_cleanly_and_fall_on_due_days(schedule, zone, start, hours, split):
    end = start + timedelta(hours=hours)
    middle = start + (end - start) * split
    whole = occurrences(schedule, zone, start, end)
    assert whole == occurrences(schedule, zone, start, middle) + occurrences(
        schedule, zone, middle, end
    )
    instants = [instant for instant, _ in whole]
    assert instants == sorted(set(instants))
    for instant in instants:
        assert start <= instant < end
        # A gap moves a time forward by at most an hour here, never past midnight.
        assert due_on(schedule, instant.astimezone(zone).date())


# --- Schedules as patients type them, through the same DST changes


@pytest.mark.parametrize(("zone", "spring", "fall"), DST_DAYS, ids=DST_IDS)
def test_every_eight_hours_keeps_its_clock_times_across_both_changes(zone, spring, fall):
    schedule = parse_add("Amoxicillin 500 mg q8h", spring).schedule
    for change in (spring, fall):
        start, end = local_days(zone, change, change)
        assert local_times(occurrences(schedule, zone, start, end), zone) == [
            wall(change, 6),
            wall(change, 14),
            wall(change, 22),
        ]


@pytest.mark.parametrize(("zone", "spring", "fall"), DST_DAYS, ids=DST_IDS)
def test_once_a_week_on_sundays_fires_once_on_each_change_sunday(zone, spring, fall):
    schedule = parse_add("Alendronic acid 70 mg once a week on sundays", spring).schedule
    for change in (spring, fall):
        start, end = local_days(zone, change - timedelta(days=6), change + timedelta(days=6))
        assert local_times(occurrences(schedule, zone, start, end), zone) == [wall(change, 8)]


def test_once_a_week_alone_is_every_seventh_day_from_today_across_a_change():
    today = date(2026, 3, 25)  # a Wednesday before Berlin's spring change
    schedule = parse_add("Methotrexate 10 mg once a week", today).schedule
    start, end = local_days(BERLIN, today, today + timedelta(days=14))
    days = [at.date() for at in local_times(occurrences(schedule, BERLIN, start, end), BERLIN)]
    assert days == [today, today + timedelta(days=7), today + timedelta(days=14)]


def test_a_course_for_a_month_with_meals_ends_after_thirty_days():
    today = date(2026, 10, 10)  # across New York's fall change
    schedule = parse_add("Metformin 500 mg with breakfast and dinner for a month", today).schedule
    start, end = local_days(NEW_YORK, today, today + timedelta(days=40))
    found = local_times(occurrences(schedule, NEW_YORK, start, end), NEW_YORK)
    assert len(found) == 60
    assert found[-1] == wall(today + timedelta(days=29), 19)
