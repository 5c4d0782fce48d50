"""Schedule words, both ways: a patient's schedule tokens read into a `Schedule` (times,
times a day, as needed and its limits, on top of `DayReader`'s days and dates), and a
`Schedule` described back in short English."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from bot.domain.model import Schedule
from bot.domain.parsing import (
    _DEFAULTS_PER_DAY,
    _NAMED_TIMES,
    _SEPARATORS,
    _WHEN_HINT,
    AS_NEEDED_EXAMPLE,
    DEFAULT_TIMES,
    MAX_TIMES_PER_DAY,
    ParseError,
    ScheduleRequest,
    _checked_times,
    _looks_like_time,
    _NotASchedule,
    _preview,
    _today,
    parse_dose,
    parse_time,
)
from bot.domain.schedule_clock import (
    O_CLOCK,
    fits,
    hour_in_part,
    near_meal,
    o_clock,
    read_meal,
    spread_times,
)
from bot.domain.schedule_dates import (
    DAY_ABBREVIATIONS,
    WEEKEND,
    WORKING_DAYS,
    format_date,
)
from bot.domain.schedule_limits import PER_DAY, LimitReader
from bot.domain.schedule_typos import corrected

_COUNT_WORDS = {"once": 1, "twice": 2, "thrice": 3}
_ABBREVIATIONS = {"qd": 1, "od": 1, "bid": 2, "tid": 3, "qid": 4}
_PER_WEEK = (("a", "week"), ("per", "week"), ("every", "week"), ("weekly",), ("/", "week"))
_DAILY = (("daily",), ("every", "day"), ("each", "day"), ("everyday",))
_WEEK_COUNTS = {1: "once", 2: "twice", 3: "three times"}
_ONCE_A_WEEK = (("once", "a", "week"), ("once", "weekly"), ("once", "per", "week"))
_PARTS_OF_DAY = {
    "morning": "morning",
    "mornings": "morning",
    "afternoon": "afternoon",
    "afternoons": "afternoon",
    "evening": "evening",
    "evenings": "evening",
    "night": "night",
    "nights": "night",
    "nightly": "night",
    "bedtime": "night",
    "bed": "night",
    "nite": "night",
    "qam": "morning",  # the prescription shorthands: every morning, evening, at bedtime
    "qpm": "evening",
    "qhs": "night",
}
_PART_PREFIXES = (("in", "the"), ("in",), ("every",), ("each",), ("before",), ("at",))
# Said after a time, they confirm it ("6am every morning"); said before one, they set its
# half of the day ("9 o'clock at night").
_QUALIFIER_PREFIXES = (*_PART_PREFIXES, ("during", "the"))
_BARE_CLOCK = re.compile(r"([1-9]|1[0-2])(?:[:.]([0-5]\d))?")  # "8", "7.30": am or pm?
# How to take it, not when: read past.
_INSTRUCTIONS = (
    ("with", "food"),
    ("with", "water"),
    ("with", "or", "without", "food"),
    ("with", "a", "glass", "of", "water"),
    ("on", "an", "empty", "stomach"),
)
_ONE_TIME_HINT = "Give each time once, e.g. 8am, or at breakfast, or 9 o'clock at night"
_OPENERS = frozenset({"every", "each", "on", "for", "until", "till", "daily", "as", "max"})


@dataclass
class _Group:
    """Times that share one amount; the first group's amount is the medication's dose."""

    amount: str | None
    times: list[tuple[time, bool]] = field(default_factory=list)  # (time, from words)


class ScheduleReader(LimitReader):
    """Reads a schedule's clauses, in any order: times, times-a-day words, every N days,
    weekdays, a course, an end date, as needed and its limits. Misspelt schedule words are
    corrected first, and the schedule is then confirmed with the patient (from words)."""

    def __init__(
        self, tokens: list[str], dose: str | None, today: date | None, example: str
    ) -> None:
        tokens, self.typos = corrected(tokens)
        super().__init__(tokens, today)
        self.example = example
        self.groups = [_Group(dose)]
        self.per_day: int | None = None
        self.per_week: int | None = None
        self.daily = False
        self.meal_offset = 0  # "before breakfast and dinner": dinner is before, too

    def read(self) -> ScheduleRequest:
        first = True
        while self.pos < len(self.tokens):
            if self._token() in _SEPARATORS:
                self.pos += 1
                continue
            if not self._clause():
                self._refuse_unknown(first)
            first = False
        return self._finish()

    # -- Looking at tokens

    def _dose_at(self, at: int) -> tuple[str, int] | None:
        for size in (3, 2, 1):
            if at + size <= len(self.tokens):
                try:
                    return parse_dose(" ".join(self.tokens[at : at + size])), size
                except ParseError:
                    continue
        return None

    def _refuse_unknown(self, first: bool) -> None:
        token = self._token()
        if _looks_like_time(token):
            problem, hint = "I could not find “at” before the times", f"e.g. {self.example}"
        else:
            problem = f"I did not understand “{_preview(token)}”"
            hint = f"e.g. {self.example}, or twice a day, or at 09:00 every 2 days"
        raise (_NotASchedule if first else ParseError)(problem, hint)

    def _clause(self) -> bool:
        return (
            self._as_needed()
            or self._instruction()
            or self._max_limit()
            or self._gap_limit()
            or self._times_a_day()
            or self._daily()
            or self._times()
            or self._every()
            or self._on_days()
            or self._reason()
            or self._course()
            or self._until_date()
        )

    def _instruction(self) -> bool:
        size = self._phrase(_INSTRUCTIONS)
        self.pos += size
        return size > 0

    # -- Times of day

    def _item_starts(self, at: int, continuing: bool) -> bool:
        word = self.tokens[at] if at < len(self.tokens) else ""
        following = self.tokens[at + 1] if at + 1 < len(self.tokens) else ""
        if word == "at":
            return following not in {"most", "least", "the", "weekend", "weekends"}
        if word in _PARTS_OF_DAY or word in _NAMED_TIMES or read_meal(self.tokens, at, 0)[0]:
            return True
        prefix = self._phrase(_PART_PREFIXES, at)
        if prefix and self._token(at + prefix - self.pos) in _PARTS_OF_DAY:
            return True
        if self._dose_at(at) is not None:
            return False
        # A clock time needs no "at" ("50 mg 09:00"), nor does an hour with its half of the
        # day ("9 o'clock at night"); later in a list, a number is a time unless it starts
        # "2 times a day".
        if _looks_like_time(word) or (word.isdigit() and self._said_half(at + 1)):
            return True
        return continuing and word[:1].isdigit() and following not in {"times", "time", "x"}

    def _said_half(self, at: int) -> bool:
        return self._token(at - self.pos) in O_CLOCK or self._part_at(at)[0] > 0

    def _part_at(self, at: int) -> tuple[int, str]:
        """A part of the day at tokens[at] ("in the evening", "every morning", "at night",
        "before bed"): its length in tokens, 0 if none, and the part."""
        prefix = self._phrase(_QUALIFIER_PREFIXES, at)
        word = self._token(at + prefix - self.pos)
        return (prefix + 1, _PARTS_OF_DAY[word]) if word in _PARTS_OF_DAY else (0, "")

    def _times(self) -> bool:
        """`at 08:00 14:00`, `8am, 2pm and 8pm`, `morning and evening`, `at night`, and
        amounts per time: `at 08:00 and 5 mg at 20:00`."""
        if self._item_starts(self.pos, continuing=False):
            group = self.groups[-1]
        elif (dose := self._dose_at(self.pos)) and self._starts_dose_group(dose[1]):
            group = self._new_group(dose)
        else:
            return False
        while True:
            self._item(group)
            look = self.pos
            while look < len(self.tokens) and self.tokens[look] in {",", "and", "&"}:
                look += 1
            if self._item_starts(look, continuing=True):
                self.pos = look
                continue
            dose = self._dose_at(look)
            if dose and self._item_starts(look + dose[1], continuing=False):
                self.pos = look
                group = self._new_group(dose)
                continue
            return True

    def _starts_dose_group(self, size: int) -> bool:
        # Only after a first time, so "Tylenol 500 mg 2 tablets at 8am" names "Tylenol 500 mg".
        had_times = any(group.times for group in self.groups)
        return had_times and self._item_starts(self.pos + size, continuing=False)

    def _new_group(self, dose: tuple[str, int]) -> _Group:
        self.pos += dose[1]
        self.groups.append(_Group(dose[0]))
        return self.groups[-1]

    def _item(self, group: _Group) -> None:
        meal, meal_times, self.meal_offset = read_meal(self.tokens, self.pos, self.meal_offset)
        if meal:
            self.pos += meal
            return self._said_times(group, meal_times, "")
        self.meal_offset = 0
        prefix = self._phrase(_PART_PREFIXES)
        if prefix and self._token(prefix) in _PARTS_OF_DAY:
            self.pos += prefix
        elif self._token() == "at":
            self.pos += 1
        token = self._token()
        if not token:
            raise ParseError("no time given", f"Add at least one time, e.g. {self.example}")
        if token in _PARTS_OF_DAY:
            self.pos += 1
            part = _PARTS_OF_DAY[token]
            return self._said_times(group, DEFAULT_TIMES[part], part)
        group.times.append((self._clock(""), False))
        return None

    def _said_times(self, group: _Group, defaults: tuple[time, ...], part: str) -> None:
        """The default times of a part of the day or a meal, unless a clock time follows at
        once ("every morning at 7", "with breakfast at 7:30am"): then that time, if it fits."""
        look = self.pos + (self._token() == "at")
        word, following = self._token(look - self.pos), self._token(look + 1 - self.pos)
        bare_hour = bool(_BARE_CLOCK.fullmatch(word)) and (
            following in O_CLOCK | _SEPARATORS | _OPENERS or not following
        )
        if len(defaults) != 1 or self._dose_at(look) or not (_looks_like_time(word) or bare_hour):
            group.times.extend((at, True) for at in defaults)
            return
        self.pos = look
        at = self._clock(part)
        if not (fits(at, part) if part else near_meal(at, defaults[0])):
            raise ParseError(f"{at:%H:%M} and “{_preview(word)}” do not agree", _ONE_TIME_HINT)
        group.times.append((at, False))

    def _clock(self, part: str) -> time:
        """A clock time and what is said with it: `08:00`, `8pm at night`, `9 o'clock at
        night`, `8 in the morning`, `7:30am before breakfast`; `part`, the part of the day
        said before it ("at night at 10")."""
        token = self._token()
        self.pos += 1
        said_o_clock = self._token() in O_CLOCK
        self.pos += said_o_clock
        size, after = self._part_at(self.pos)
        self.pos += size
        bare = _BARE_CLOCK.fullmatch(token)
        half = after or part
        if bare and half:
            at = hour_in_part(int(bare[1]), int(bare[2] or 0), half, token)
        elif said_o_clock and token.isdigit():
            at = o_clock(int(token), f"{token} o'clock")
        else:
            at = parse_time(token)
        if half and not fits(at, half):
            raise ParseError(f"{at:%H:%M} is not in the {half}", _ONE_TIME_HINT)
        meal, meal_times, _ = read_meal(self.tokens, self.pos, 0)
        if meal and (len(meal_times) != 1 or not near_meal(at, meal_times[0])):
            said = " ".join(self.tokens[self.pos : self.pos + meal])
            raise ParseError(f"{at:%H:%M} and “{said}” do not agree", _ONE_TIME_HINT)
        self.pos += meal
        return at

    def _times_a_day(self) -> bool:
        """`twice a day`, `3 times daily`, `2x a day`, `bid`, `once a week`, `twice a week`
        (with its days), `once every 2 days`."""
        if self._token() in _ABBREVIATIONS:
            self._set_per_day(_ABBREVIATIONS[self._token()])
            self.pos += 1
            return True
        if size := self._phrase(_ONCE_A_WEEK):
            self.pos += size
            self.per_week = 1
            return True
        if self._token() in _COUNT_WORDS:
            count, size = _COUNT_WORDS[self._token()], 1
        elif self._number(self.pos) is not None and self._token(1) in {"times", "time", "x"}:
            count, size = self._number(self.pos) or 0, 2
        else:
            return False
        after = self.pos + size
        if per_day := self._phrase(PER_DAY, after):
            self.pos = after + per_day
            self._set_per_day(count)
            return True
        if per_week := self._phrase(_PER_WEEK, after):
            self.pos = after + per_week
            self.per_week = count
            return True
        if count == 1 and self._token(size) == "every":  # "once every 2 days"
            self.pos = after
            return True
        said = " ".join(self.tokens[self.pos : after])
        raise ParseError(f"{said} how often?", "e.g. twice a day or 3 times a day")

    def _set_per_day(self, count: int) -> None:
        if not 1 <= count <= MAX_TIMES_PER_DAY:
            raise ParseError(
                f"{count} times a day is not a schedule I can remind",
                f"Use 1 to {MAX_TIMES_PER_DAY} times a day, e.g. twice a day",
            )
        if self.per_day not in (None, count):
            raise ParseError(
                f"{self.per_day} and {count} times a day were both given", "Say it once"
            )
        self.per_day = count

    def _daily(self) -> bool:
        if size := self._phrase(_DAILY):
            self.pos += size
            self.daily = True
            return True
        if self._token() == "weekly":
            self.pos += 1
            self.weekly = True
            return True
        return False

    # -- The whole

    def _finish(self) -> ScheduleRequest:
        self._weekly_days()
        if self.every_hours is not None and not self.as_needed:
            self._spread_hours(self.every_hours)
        if self.every_hours is not None and self.min_gap is None:
            self._set_gap(self.every_hours, f"{self.every_hours:g} h")
        if self.as_needed:
            return ScheduleRequest(self._as_needed_schedule())
        if self.max_per_day is not None or self.min_gap is not None:
            raise ParseError(
                "a daily maximum or a gap goes with “as needed”", f"e.g. {AS_NEEDED_EXAMPLE}"
            )
        timed = self._timed()
        times = _checked_times([at for at, _, _ in timed])
        if self.every_days not in (None, 1) and self.weekdays:
            raise ParseError(
                "every few days and on weekdays at once is ambiguous",
                "Use one, e.g. at 09:00 every 2 days, or at 09:00 on mon wed fri",
            )
        every_days = self.every_days or 1
        course = self.course_days is not None
        starts_on = _today(self.today) if every_days > 1 or course else None
        ends_on = self.until
        if self.course_days is not None and starts_on is not None:
            ends_on = starts_on + timedelta(days=self.course_days - 1)
        schedule = Schedule(
            times=times,
            amounts=self._amounts(timed),
            every_days=every_days,
            weekdays=frozenset(self.weekdays),
            starts_on=starts_on,
            ends_on=ends_on,
        )
        from_words = self.typos or self.guessed or any(words for _, words, _ in timed)
        return ScheduleRequest(schedule, from_words=from_words)

    def _weekly_days(self) -> None:
        """`once a week on mondays` is every Monday, `once a week` alone every 7 days from
        today; `twice a week` needs its two days."""
        count = self.per_week
        if count is not None and self.weekdays and len(self.weekdays) != count:
            raise ParseError(
                f"{_WEEK_COUNTS.get(count, f'{count} times')} a week, "
                f"but {len(self.weekdays)} days are named",
                "Name one day for each time, e.g. twice a week on mon thu",
            )
        if count is not None and count > 1 and not self.weekdays:
            raise ParseError(
                f"{_WEEK_COUNTS.get(count, f'{count} times')} a week needs the days",
                "Name the days, e.g. at 09:00 on mon thu",
            )
        if (count == 1 or self.weekly) and not self.weekdays:
            self._set_every_days(7)

    def _spread_hours(self, hours: float) -> None:
        """`every 8 hours` as clock times 8 hours apart, for the patient to confirm; refused
        when times are listed too, or the hours are a range or do not divide the day."""
        spread = spread_times(hours)
        listed = any(group.times for group in self.groups)
        if spread is None or listed or self.hours_range or self.per_day not in (None, len(spread)):
            example = " ".join(f"{at:%H:%M}" for at in spread or (time(8, 0), time(20, 0)))
            raise ParseError(
                f"every {self.hours_said} hours: which clock times?",
                f"Give the clock times instead, e.g. at {example}",
            )
        self.groups[0].times.extend((at, True) for at in spread)
        self.every_hours = None

    def _as_needed_schedule(self) -> Schedule:
        if any(group.times for group in self.groups) or self.per_day or self.daily:
            raise ParseError(
                "a medication as needed has no set times",
                f"Use one or the other, e.g. {AS_NEEDED_EXAMPLE}",
            )
        if self.every_days is not None or self.weekdays:
            raise ParseError(
                "as needed has no days of its own", f"e.g. {AS_NEEDED_EXAMPLE} for 10 days"
            )
        course = self.course_days
        starts_on = _today(self.today) if course is not None else None
        ends_on = starts_on + timedelta(days=course - 1) if starts_on and course else self.until
        return Schedule(
            as_needed=True,
            max_per_day=self.max_per_day,
            min_gap=self.min_gap,
            starts_on=starts_on,
            ends_on=ends_on,
        )

    def _timed(self) -> list[tuple[time, bool, str | None]]:
        """(time, from words, amount) of every time given, or the defaults for the words."""
        timed = [(at, words, group.amount) for group in self.groups for at, words in group.times]
        if timed:
            if self.per_day is not None and self.per_day != len(timed):
                raise ParseError(
                    f"{self.per_day} times a day, but {len(timed)} times are listed",
                    "List as many times as doses a day, e.g. twice a day at 9am and 9pm",
                )
            return timed
        per_day = self.per_day or (1 if self.daily or self.every_days or self.weekdays else None)
        if per_day is None and (self.course_days or self.until):
            raise ParseError(
                "how often in that time?",
                "Add the times, e.g. /add Amoxicillin 500 mg three times a day for 7 days",
            )
        if per_day is None:
            raise ParseError("I could not find “at” before the times", _WHEN_HINT)
        if per_day not in _DEFAULTS_PER_DAY:
            raise ParseError(
                f"{per_day} times a day: which clock times?",
                "Give the times, e.g. at 06:00 10:00 14:00 18:00 22:00",
            )
        dose = self.groups[0].amount
        return [(at, True, dose) for at in DEFAULT_TIMES[_DEFAULTS_PER_DAY[per_day]]]

    def _amounts(self, timed: list[tuple[time, bool, str | None]]) -> tuple[str, ...]:
        """The amount at each time, in time order, when they differ from the dose."""
        base = self.groups[0].amount
        if all(amount == base for _, _, amount in timed):
            return ()
        if base is None:
            raise ParseError(
                "the first dose is missing",
                "Give the dose before the first time, e.g. "
                "/edit Baclofen 10 mg at 08:00 and 5 mg at 20:00",
            )
        return tuple(str(amount) for _, _, amount in sorted(timed, key=lambda item: item[0]))


def read_schedule(
    tokens: list[str], dose: str | None, today: date | None, example: str
) -> ScheduleRequest:
    return ScheduleReader(tokens, dose, today, example).read()


# --- Schedule → words -----------------------------------------------------------------------


def describe_schedule(schedule: Schedule) -> str:
    """A short English description for replies: `08:00 and 20:00, every 2 days`,
    `as needed, at most 3 a day, at least 6 h apart`, `10 mg at 08:00, 5 mg at 20:00`."""
    parts: list[str] = []
    if schedule.as_needed:
        parts.append("as needed")
        if schedule.max_per_day is not None:
            parts.append(f"at most {schedule.max_per_day} a day")
        if schedule.min_gap is not None:
            parts.append(f"at least {_describe_gap(schedule.min_gap)} apart")
    elif schedule.amounts and len(schedule.amounts) == len(schedule.times):
        parts.append(
            ", ".join(
                f"{amount} at {at:%H:%M}"
                for at, amount in zip(schedule.times, schedule.amounts, strict=True)
            )
        )
    elif schedule.times:
        parts.append(_join_and([f"{at:%H:%M}" for at in schedule.times]))
    else:
        parts.append("no set times")
    if schedule.every_days > 1:
        parts.append(f"every {schedule.every_days} days")
    if schedule.weekdays:
        parts.append(_describe_weekdays(schedule.weekdays))
    if schedule.starts_on is not None:
        parts.append(f"from {format_date(schedule.starts_on)}")
    if schedule.ends_on is not None:
        joiner = " " if schedule.starts_on is not None else ""
        until = f"until {format_date(schedule.ends_on)}"
        parts[-1:] = [parts[-1] + joiner + until] if joiner else [parts[-1], until]
    return ", ".join(parts)


def _join_and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _describe_weekdays(days: frozenset[int]) -> str:
    if days == WORKING_DAYS:
        return "weekdays"
    if days == WEEKEND:
        return "weekends"
    return " ".join(DAY_ABBREVIATIONS[day] for day in sorted(days) if 0 <= day <= 6)


def _describe_gap(gap: timedelta) -> str:
    minutes = round(gap.total_seconds() / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes / 60:g} h"
