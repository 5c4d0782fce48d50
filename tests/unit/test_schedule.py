"""Schedule maths: local times of day → UTC instants, across daylight-saving changes."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.schedule import (
    UnknownZone,
    doses_between,
    local_day_bounds,
    local_to_utc,
    zone_named,
)

BERLIN = zone_named("Europe/Berlin")
NEW_YORK = zone_named("America/New_York")
KOLKATA = zone_named("Asia/Kolkata")
ADELAIDE = zone_named("Australia/Adelaide")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # Berlin springs forward 2026-03-29 02:00 → 03:00: 02:30 does not exist.
        (BERLIN, date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1, 0)),
        (BERLIN, date(2026, 3, 29), time(2, 0), utc(2026, 3, 29, 1, 0)),
        (BERLIN, date(2026, 3, 29), time(1, 59), utc(2026, 3, 29, 0, 59)),
        (BERLIN, date(2026, 3, 29), time(3, 0), utc(2026, 3, 29, 1, 0)),
        (BERLIN, date(2026, 3, 29), time(8, 0), utc(2026, 3, 29, 6, 0)),
        # New York springs forward 2026-03-08 02:00 → 03:00.
        (NEW_YORK, date(2026, 3, 8), time(2, 15), utc(2026, 3, 8, 7, 0)),
        (NEW_YORK, date(2026, 3, 8), time(8, 0), utc(2026, 3, 8, 12, 0)),
        (NEW_YORK, date(2026, 3, 7), time(8, 0), utc(2026, 3, 7, 13, 0)),
    ],
)
def test_time_skipped_by_spring_forward_fires_at_first_valid_minute_after(zone, day, at, expected):
    assert local_to_utc(day, at, zone) == expected


@pytest.mark.parametrize(
    ("zone", "day", "at", "first_occurrence"),
    [
        # Berlin falls back 2026-10-25 03:00 → 02:00: 02:30 happens at 00:30 and 01:30 UTC.
        (BERLIN, date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30)),
        # New York falls back 2026-11-01 02:00 → 01:00: 01:30 happens at 05:30 and 06:30 UTC.
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),
    ],
)
def test_time_repeated_by_fall_back_fires_once_at_first_occurrence(zone, day, at, first_occurrence):
    assert local_to_utc(day, at, zone) == first_occurrence
    day_start, day_end = local_day_bounds(first_occurrence, zone)
    assert doses_between([at], zone, day_start, day_end) == [first_occurrence]


def test_fall_back_day_is_25_hours_and_every_daily_time_fires_once():
    start, end = local_day_bounds(utc(2026, 10, 25, 12, 0), BERLIN)
    assert end - start == timedelta(hours=25)
    times = [time(h, 0) for h in range(24)] + [time(2, 30)]
    instants = doses_between(times, BERLIN, start, end)
    assert len(instants) == 25
    assert len(set(instants)) == 25


def test_spring_forward_day_keeps_every_dose_even_the_skipped_hour():
    start, end = local_day_bounds(utc(2026, 3, 29, 12, 0), BERLIN)
    assert end - start == timedelta(hours=23)
    # 02:00 and 03:00 both land on 03:00 local: the patient still gets one reminder for each.
    instants = doses_between([time(2, 0), time(3, 0), time(8, 0)], BERLIN, start, end)
    assert instants == [utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 6, 0)]


def test_new_york_fall_back_day_reminds_8am_at_the_new_offset():
    instants = doses_between(
        [time(8, 0)], NEW_YORK, utc(2026, 10, 31, 0, 0), utc(2026, 11, 3, 0, 0)
    )
    assert instants == [
        utc(2026, 10, 31, 12, 0),  # EDT, UTC-4
        utc(2026, 11, 1, 13, 0),  # EST, UTC-5 from the change day on
        utc(2026, 11, 2, 13, 0),
    ]


def test_half_hour_offset_zone_kolkata():
    assert local_to_utc(date(2026, 6, 1), time(8, 0), KOLKATA) == utc(2026, 6, 1, 2, 30)
    assert local_to_utc(date(2026, 6, 1), time(2, 0), KOLKATA) == utc(2026, 5, 31, 20, 30)


def test_half_hour_offset_zone_with_daylight_saving_adelaide():
    # Adelaide: +10:30 in summer, +9:30 in winter; DST starts 2026-10-04 02:00 → 03:00.
    assert local_to_utc(date(2026, 7, 1), time(8, 0), ADELAIDE) == utc(2026, 6, 30, 22, 30)
    assert local_to_utc(date(2026, 1, 15), time(8, 0), ADELAIDE) == utc(2026, 1, 14, 21, 30)
    assert local_to_utc(date(2026, 10, 4), time(2, 30), ADELAIDE) == utc(2026, 10, 3, 16, 30)


def test_doses_between_is_half_open_and_sorted():
    start = utc(2026, 6, 1, 6, 0)  # 08:00 Berlin
    instants = doses_between([time(20, 0), time(8, 0)], BERLIN, start, start + timedelta(hours=48))
    assert instants == [
        utc(2026, 6, 1, 6, 0),
        utc(2026, 6, 1, 18, 0),
        utc(2026, 6, 2, 6, 0),
        utc(2026, 6, 2, 18, 0),
    ]


def test_zone_names_are_case_insensitive_and_unknown_ones_refused():
    assert zone_named("asia/kolkata").key == "Asia/Kolkata"
    for bad in ("Mars/Base", "", "../../etc/passwd", "Europe/Berlin; DROP TABLE patient"):
        with pytest.raises(UnknownZone):
            zone_named(bad)


@given(
    zone_name=st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"]),
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
)
def test_every_local_time_maps_to_one_instant_on_that_day_or_just_after(
    zone_name, day, hour, minute
):
    zone = zone_named(zone_name)
    instant = local_to_utc(day, time(hour, minute), zone)
    local = instant.astimezone(zone)
    wanted = datetime.combine(day, time(hour, minute))
    # Exact when the time exists; otherwise shifted forward by at most the gap (≤ 1 h here).
    assert timedelta(0) <= local.replace(tzinfo=None) - wanted <= timedelta(hours=1)
