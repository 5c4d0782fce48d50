"""When the weekly summary is owed: Sunday 19:00 in the recipient's zone, across daylight-saving
changes, written ahead by the tick before it, and at most a day late."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.weekly import owed_week, passed_week

BERLIN = ZoneInfo("Europe/Berlin")
HOUR = timedelta(hours=1)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("sunday", "send_at_utc"),
    [
        (date(2026, 3, 22), utc(2026, 3, 22, 18, 0)),  # CET
        (date(2026, 3, 29), utc(2026, 3, 29, 17, 0)),  # spring forward at 02:00 that day
        (date(2026, 10, 25), utc(2026, 10, 25, 18, 0)),  # fall back at 03:00 that day
    ],
)
def test_the_summary_is_due_at_19_local_on_sunday(sunday: date, send_at_utc: datetime):
    week = owed_week(send_at_utc, BERLIN, ahead=HOUR)
    assert week is not None
    assert week.end == send_at_utc
    assert week.monday == sunday - timedelta(days=6)
    # From the Sunday before at 19:00 local: the weeks meet, whatever the clock change.
    assert week.start == datetime.combine(
        sunday - timedelta(days=7), datetime.min.time().replace(hour=19), BERLIN
    ).astimezone(UTC)


def test_the_week_across_spring_forward_is_an_hour_short():
    week = owed_week(utc(2026, 3, 29, 17, 0), BERLIN, ahead=HOUR)
    assert week is not None
    assert week.end - week.start == timedelta(days=7) - HOUR


def test_the_tick_an_hour_before_writes_it_ahead_and_not_earlier():
    assert owed_week(utc(2026, 3, 29, 15, 59), BERLIN, ahead=HOUR) is None
    ahead = owed_week(utc(2026, 3, 29, 16, 0), BERLIN, ahead=HOUR)
    assert ahead is not None and ahead.end == utc(2026, 3, 29, 17, 0)


def test_a_summary_missed_while_down_comes_up_to_a_day_late():
    late = owed_week(utc(2026, 3, 30, 16, 59), BERLIN, ahead=HOUR)
    assert late is not None and late.monday == date(2026, 3, 23)
    assert owed_week(utc(2026, 3, 30, 17, 1), BERLIN, ahead=HOUR) is None
    assert owed_week(utc(2026, 4, 1, 12, 0), BERLIN, ahead=HOUR) is None  # a Wednesday


def test_each_zone_has_its_own_sunday_evening():
    tokyo = owed_week(utc(2026, 3, 29, 10, 0), ZoneInfo("Asia/Tokyo"), ahead=HOUR)
    assert tokyo is not None and tokyo.end == utc(2026, 3, 29, 10, 0)
    assert owed_week(utc(2026, 3, 29, 10, 0), ZoneInfo("America/New_York"), ahead=HOUR) is None


def test_opting_in_skips_the_weeks_whose_summary_time_has_passed():
    assert passed_week(utc(2026, 3, 30, 6, 0), BERLIN) == date(2026, 3, 23)  # Monday morning
    assert passed_week(utc(2026, 3, 29, 16, 59), BERLIN) == date(2026, 3, 16)  # 18:59 Sunday
    assert passed_week(utc(2026, 3, 29, 17, 0), BERLIN) == date(2026, 3, 23)  # 19:00 Sunday
