"""Times of day in a patient's zone → UTC instants; the daylight-saving rules live here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.domain.model import Schedule

# Longest clock jump on record (Antarctica/Troll, 2 h); a gap is never wider.
_MAX_GAP_MINUTES = 180


class UnknownZone(ValueError):
    """The name is not an IANA time zone."""


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone with this name, case-insensitively (`asia/kolkata` works too)."""
    cleaned = name.strip()
    canonical = _zone_names_by_lower().get(cleaned.lower())
    if canonical is None:
        raise UnknownZone(cleaned)
    try:
        return ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError) as error:  # pragma: no cover - listed but unreadable
        raise UnknownZone(cleaned) from error


_ZONES_BY_LOWER: dict[str, str] = {}


def _zone_names_by_lower() -> dict[str, str]:
    if not _ZONES_BY_LOWER:
        _ZONES_BY_LOWER.update({name.lower(): name for name in available_timezones()})
    return _ZONES_BY_LOWER


def _exists(local: datetime) -> bool:
    """A wall time exists when it survives a round trip through UTC."""
    back = local.astimezone(UTC).astimezone(local.tzinfo)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a time of day on a local date.

    A time skipped by a spring-forward change fires at the first valid minute after it;
    a time that occurs twice on a fall-back day fires once, at its first occurrence (fold=0).
    """
    local = datetime.combine(day, at.replace(second=0, microsecond=0, fold=0), tzinfo=zone)
    for _ in range(_MAX_GAP_MINUTES):
        if _exists(local):
            return local.astimezone(UTC)
        local = (local.replace(tzinfo=None) + timedelta(minutes=1)).replace(tzinfo=zone)
    raise ValueError(f"no valid time after {day} {at} in {zone.key}")  # pragma: no cover


def due_on(schedule: Schedule, day: date) -> bool:
    """Whether a local date is one of the schedule's days, whatever its times.

    Every `every_days` days counted from `starts_on` (a schedule without one counts from
    `_EVERY_DAYS_EPOCH`, so the answer never depends on when it is asked), only on its
    `weekdays`, only from `starts_on` to `ends_on` inclusive; never for an as-needed one.
    """
    if schedule.as_needed:
        return False
    if schedule.starts_on is not None and day < schedule.starts_on:
        return False
    if schedule.ends_on is not None and day > schedule.ends_on:
        return False
    if schedule.weekdays and day.weekday() not in schedule.weekdays:
        return False
    if schedule.every_days > 1:
        anchor = schedule.starts_on or _EVERY_DAYS_EPOCH
        return (day - anchor).days % schedule.every_days == 0
    return True


_EVERY_DAYS_EPOCH = date(1970, 1, 1)


def occurrences(
    schedule: Schedule, zone: ZoneInfo, start: datetime, end: datetime
) -> list[tuple[datetime, str | None]]:
    """Sorted UTC instants of the schedule's doses in [start, end), each with the amount the
    schedule sets for its time (None: the medication's dose).

    Two times that land on one instant (02:00 and 03:00 on a spring-forward day) are one
    dose, with the earlier time's amount: a dose row is unique per instant.
    """
    if schedule.as_needed or not schedule.times or end <= start:
        return []
    first_day = start.astimezone(zone).date() - timedelta(days=1)
    last_day = end.astimezone(zone).date() + timedelta(days=1)
    if schedule.starts_on is not None:
        first_day = max(first_day, schedule.starts_on)
    if schedule.ends_on is not None:
        last_day = min(last_day, schedule.ends_on)
    times = sorted(set(schedule.times))
    found: dict[datetime, str | None] = {}
    day = first_day
    while day <= last_day:
        if due_on(schedule, day):
            for at in times:
                instant = local_to_utc(day, at, zone)
                if start <= instant < end and instant not in found:
                    found[instant] = schedule.amount_at(at)
        day += timedelta(days=1)
    return sorted(found.items(), key=lambda item: item[0])


def doses_between(
    times: Iterable[time], zone: ZoneInfo, start: datetime, end: datetime
) -> list[datetime]:
    """Sorted UTC instants of the daily times that fall in [start, end)."""
    daily = Schedule(times=tuple(times))
    return [instant for instant, _ in occurrences(daily, zone, start, end)]


def to_local(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone)


def local_day_bounds(instant: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC start and end of the patient's local day that contains `instant`."""
    day = instant.astimezone(zone).date()
    start = local_to_utc(day, time(0, 0), zone)
    end = local_to_utc(day + timedelta(days=1), time(0, 0), zone)
    return start, end
