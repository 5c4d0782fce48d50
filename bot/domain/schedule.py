"""Times of day in a patient's zone → UTC instants; the daylight-saving rules live here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

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


def doses_between(
    times: Iterable[time], zone: ZoneInfo, start: datetime, end: datetime
) -> list[datetime]:
    """Sorted UTC instants of the daily times that fall in [start, end)."""
    first_day = start.astimezone(zone).date() - timedelta(days=1)
    last_day = end.astimezone(zone).date() + timedelta(days=1)
    instants: set[datetime] = set()
    day = first_day
    while day <= last_day:
        for at in times:
            instant = local_to_utc(day, at, zone)
            if start <= instant < end:
                instants.add(instant)
        day += timedelta(days=1)
    return sorted(instants)


def to_local(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone)


def local_day_bounds(instant: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC start and end of the patient's local day that contains `instant`."""
    day = instant.astimezone(zone).date()
    start = local_to_utc(day, time(0, 0), zone)
    end = local_to_utc(day + timedelta(days=1), time(0, 0), zone)
    return start, end
