"""Clock times said in words: meals ("with breakfast", "before meals"), an hour with a part of
the day ("9 o'clock at night", "8 in the morning"), whether a time fits the part of the day or
the meal said with it, and clock times spread evenly for "every 8 hours"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from bot.domain.parsing import ParseError

# The bot's default clock times for meals. Like the times for "twice a day", only a starting
# point: the patient sees them and confirms (or sends their own) before anything is saved.
MEAL_TIMES = {
    "breakfast": time(8, 0),
    "lunch": time(13, 0),
    "lunchtime": time(13, 0),
    "dinner": time(19, 0),
    "dinnertime": time(19, 0),
    "supper": time(19, 0),
}
_MEALS = (time(8, 0), time(13, 0), time(19, 0))  # "with meals": three a day
_PLURAL_MEALS = frozenset({"meals", "meal", "mealtimes", "mealtime"})
# Before a meal is half an hour earlier than with it, after it half an hour later.
_MEAL_PREFIXES = {"with": 0, "at": 0, "during": 0, "before": -30, "after": 30}
_DETERMINERS = frozenset({"the", "my", "your", "each", "every", "all"})
MEAL_WORDS = frozenset({*MEAL_TIMES, *_PLURAL_MEALS})
_NEAR_A_MEAL = timedelta(hours=3)

O_CLOCK = frozenset({"o'clock", "oclock"})
# The hours each part of the day covers, for "6am every morning" (fits) and "8am in the
# evening" (refused); the night runs past midnight.
_PART_HOURS = {
    "morning": range(3, 12),
    "afternoon": range(12, 18),
    "evening": range(16, 24),
    "night": (*range(19, 24), *range(5)),
}


def read_meal(tokens: Sequence[str], at: int, offset: int) -> tuple[int, tuple[time, ...], int]:
    """A meal at tokens[at]: `with breakfast`, `before dinner`, `with meals`, `at lunch time`,
    or a bare `dinner` after `before breakfast and` (which keeps the `before`, `offset`).
    Returns its length in tokens (0: none), its times and the offset in minutes."""

    def token(index: int) -> str:
        return tokens[index] if index < len(tokens) else ""

    pos, prefixed = at, token(at) in _MEAL_PREFIXES
    if prefixed:
        offset = _MEAL_PREFIXES[token(pos)]
        pos += 1
        if token(pos) in _DETERMINERS:
            pos += 1
    word = token(pos)
    if word in MEAL_TIMES:
        times: tuple[time, ...] = (MEAL_TIMES[word],)
    elif word in _PLURAL_MEALS and prefixed:
        times = _MEALS
    else:
        return 0, (), offset
    pos += 1
    if token(pos) == "time" and word in MEAL_TIMES:  # "at lunch time"
        pos += 1
    return pos - at, tuple(_shifted(meal, offset) for meal in times), offset


def near_meal(at: time, meal: time) -> bool:
    """A clock time said with a meal ("7:30am before breakfast") is that meal's time."""
    gap = abs(_on_a_day(at) - _on_a_day(meal))
    return min(gap, timedelta(days=1) - gap) <= _NEAR_A_MEAL


def fits(at: time, part: str) -> bool:
    return at.hour in _PART_HOURS[part]


def hour_in_part(hour: int, minute: int, part: str, said: str) -> time:
    """`8` `in the morning` → 08:00, `9` `at night` → 21:00, `7.30` `in the evening` → 19:30;
    an hour the part of the day does not settle ("12 in the morning") is refused."""
    if part == "morning" and 1 <= hour <= 11:
        return time(hour, minute)
    if part == "afternoon" and (hour == 12 or 1 <= hour <= 6):
        return time(hour % 12 + 12, minute)
    if part == "evening" and 4 <= hour <= 11:
        return time(hour + 12, minute)
    if part == "night" and 6 <= hour <= 11:
        return time(hour + 12, minute)
    if part == "night" and (hour == 12 or 1 <= hour <= 4):
        return time(hour % 12, minute)  # 12 at night is midnight, 2 at night 02:00
    raise ParseError(
        f"I am not sure which time “{said}” is", "Write it as a clock time, e.g. 8am or 20:30"
    )


def o_clock(hour: int, said: str) -> time:
    """`21 o'clock` is a time; `9 o'clock` alone could be morning or evening."""
    if 13 <= hour <= 23:
        return time(hour, 0)
    if not 1 <= hour <= 12:
        raise ParseError(f"“{said}” is not a time of day", "e.g. 9 o'clock at night, or 21:00")
    raise ParseError(
        f"“{said}”: in the morning or in the evening?",
        f"Write {hour}am or {hour}pm, or {hour} o'clock at night",
    )


def spread_times(hours: float) -> tuple[time, ...] | None:
    """Clock times `hours` apart for "every 8 hours": 24 → 08:00, 12 → 08:00 20:00, others
    from 06:00 (8 → 06:00 14:00 22:00, 6 → 06:00 12:00 18:00 00:00); None when the hours do
    not divide the day. A starting point the patient confirms, like the word defaults."""
    if hours != int(hours) or not 2 <= hours <= 24 or 24 % int(hours):
        return None
    first = 8 if hours >= 12 else 6
    step = int(hours)
    return tuple(sorted(time((first + step * n) % 24, 0) for n in range(24 // step)))


def _shifted(at: time, minutes: int) -> time:
    return (_on_a_day(at) + timedelta(minutes=minutes)).time()


def _on_a_day(at: time) -> datetime:
    """A time of day on some day, for arithmetic; no zone is involved."""
    return datetime.combine(date(2000, 1, 2), at, tzinfo=UTC)
