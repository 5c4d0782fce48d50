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
    _MINUTE_WORDS,
    _NAMED_TIMES,
    _SEPARATORS,
    _WHEN_HINT,
    AS_NEEDED_EXAMPLE,
    DEFAULT_TIMES,
    MAX_AS_NEEDED_PER_DAY,
    MAX_MIN_GAP_HOURS,
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
from bot.domain.schedule_dates import (
    DAY_ABBREVIATIONS,
    WEEKEND,
    WORKING_DAYS,
    DayReader,
    format_date,
    weekday,
)

_COUNT_WORDS = {"once": 1, "twice": 2, "thrice": 3}
_ABBREVIATIONS = {"qd": 1, "od": 1, "bid": 2, "tid": 3, "qid": 4}
_PER_DAY = (
    ("a", "day"),
    ("per", "day"),
    ("each", "day"),
    ("every", "day"),
    ("daily",),
    ("/", "day"),
    ("/", "d"),
    ("a-day",),
    ("in", "24", "h"),
    ("per", "24", "h"),
    ("every", "24", "h"),
    ("/", "24", "h"),
)
_PER_WEEK = (("a", "week"), ("per", "week"), ("every", "week"), ("weekly",))
_DAILY = (("daily",), ("every", "day"), ("each", "day"), ("everyday",))
_WEEKLY = (("weekly",), ("once", "a", "week"), ("once", "weekly"), ("once", "per", "week"))
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
}
_PART_PREFIXES = (("in", "the"), ("in",), ("every",), ("each",), ("before",), ("at",))
_AS_NEEDED = (
    ("as", "needed"),
    ("as", "required"),
    ("as", "necessary"),
    ("when", "needed"),
    ("when", "required"),
    ("when", "necessary"),
    ("if", "needed"),
    ("if", "required"),
    ("as-needed",),
    ("prn",),
)
_MAX_PREFIXES = (
    ("max",),
    ("max.",),
    ("maximum",),
    ("up", "to"),
    ("at", "most"),
    ("no", "more", "than"),
    ("not", "more", "than"),
)
_GAP_PREFIXES = (("min",), ("min.",), ("minimum",), ("at", "least"))
_GAP_TRAILERS = (("apart",), ("between", "doses"), ("between", "each", "dose"), ("between",))
_HOURS = re.compile(r"\d{1,3}(?:\.\d)?")


@dataclass
class _Group:
    """Times that share one amount; the first group's amount is the medication's dose."""

    amount: str | None
    times: list[tuple[time, bool]] = field(default_factory=list)  # (time, from words)


class ScheduleReader(DayReader):
    """Reads a schedule's clauses, in any order: times, times-a-day words, every N days,
    weekdays, a course, an end date, as needed and its limits."""

    def __init__(
        self, tokens: list[str], dose: str | None, today: date | None, example: str
    ) -> None:
        super().__init__(tokens, today)
        self.example = example
        self.groups = [_Group(dose)]
        self.per_day: int | None = None
        self.daily = False
        self.every_hours: float | None = None
        self.as_needed = False
        self.max_per_day: int | None = None
        self.min_gap: timedelta | None = None

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
        for size in (2, 1):
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
            or self._max_limit()
            or self._gap_limit()
            or self._times_a_day()
            or self._daily()
            or self._times()
            or self._every()
            or self._on_days()
            or self._course()
            or self._until_date()
        )

    # -- Times of day

    def _item_starts(self, at: int, continuing: bool) -> bool:
        word = self.tokens[at] if at < len(self.tokens) else ""
        following = self.tokens[at + 1] if at + 1 < len(self.tokens) else ""
        if word == "at":
            return following not in {"most", "least", "the", "weekend", "weekends"}
        if word in _PARTS_OF_DAY or word in _NAMED_TIMES:
            return True
        prefix = self._phrase(_PART_PREFIXES, at)
        if prefix and self._token(at + prefix - self.pos) in _PARTS_OF_DAY:
            return True
        # Later in a list, a number is a time unless it starts "2 times a day" or a dose.
        return (
            continuing
            and word[:1].isdigit()
            and following not in {"times", "time", "x"}
            and self._dose_at(at) is None
        )

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
        prefix = self._phrase(_PART_PREFIXES)
        if prefix and self._token(prefix) in _PARTS_OF_DAY:
            self.pos += prefix
        elif self._token() == "at":
            self.pos += 1
        token = self._token()
        if not token:
            raise ParseError("no time given", f"Add at least one time, e.g. {self.example}")
        self.pos += 1
        if token in _PARTS_OF_DAY:
            group.times.extend((at, True) for at in DEFAULT_TIMES[_PARTS_OF_DAY[token]])
        else:
            group.times.append((parse_time(token), False))

    def _times_a_day(self) -> bool:
        """`twice a day`, `3 times daily`, `2x a day`, `bid`, `once a week`."""
        if self._token() in _ABBREVIATIONS:
            self._set_per_day(_ABBREVIATIONS[self._token()])
            self.pos += 1
            return True
        if self._phrase(_WEEKLY):
            self.pos += self._phrase(_WEEKLY)
            self._set_every_days(7)
            return True
        if self._token() in _COUNT_WORDS:
            count, size = _COUNT_WORDS[self._token()], 1
        elif self._number(self.pos) is not None and self._token(1) in {"times", "time", "x"}:
            count, size = self._number(self.pos) or 0, 2
        else:
            return False
        after = self.pos + size
        if per_day := self._phrase(_PER_DAY, after):
            self.pos = after + per_day
            self._set_per_day(count)
            return True
        said = " ".join(self.tokens[self.pos : after])
        if self._phrase(_PER_WEEK, after):
            raise ParseError(
                f"{said} a week needs the days",
                "Name the days, e.g. at 09:00 on mon thu",
            )
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
        return False

    # -- Which days

    def _every(self) -> bool:
        """`every 2 days`, `every other day`, `every 2 weeks`, `every monday`, `every 6 hours`."""
        if self._token() not in {"every", "each"}:
            return False
        word, count = self._token(1), self._number(self.pos + 1)
        if word in {"other", "second", "2nd"} and self._token(2) == "day":
            self.pos += 3
            self._set_every_days(2)
        elif word == "week":
            self.pos += 2
            self._set_every_days(7)
        elif count is not None and self._token(2) in {"day", "days"}:
            self.pos += 3
            self._set_every_days(count)
        elif count is not None and self._token(2) in {"week", "weeks", "wk", "wks"}:
            self.pos += 3
            self._set_every_days(7 * count)
        elif _HOURS.fullmatch(word) and self._token(2) == "h":
            self.pos += 3
            self.every_hours = float(word)
            if self._phrase((("at", "most"),)):  # "every 6 hours at most": a gap
                self.pos += 2
                self._set_gap(self.every_hours, word)
        elif weekday(word) is not None or word in {"weekday", "weekend"}:
            self.pos += 1
            self._day_list()
        else:
            raise ParseError(
                f"“every {_preview(word)}” is not a schedule I know",
                "e.g. every 2 days, every other day or every monday",
            )
        return True

    # -- As needed

    def _as_needed(self) -> bool:
        if size := self._phrase(_AS_NEEDED):
            self.pos += size
            self.as_needed = True
            return True
        return False

    def _max_limit(self) -> bool:
        """`max 3/day`, `max 3 a day`, `up to 3 times a day`, `at most 3 a day`."""
        prefix = self._phrase(_MAX_PREFIXES)
        if not prefix:
            return False
        if self._token(prefix) == "every":  # "no more than every 6 hours": a gap
            self.pos += prefix
            return self._every()
        count = self._number(self.pos + prefix)
        size = prefix + 1
        if self._token(size) in {"times", "time", "x", "doses", "dose"}:
            size += 1
        per_day = self._phrase(_PER_DAY, self.pos + size)
        if count is None or not per_day:
            raise ParseError(
                "how many doses a day at most?", "Write the limit as max 3/day or up to 3 a day"
            )
        if not 1 <= count <= MAX_AS_NEEDED_PER_DAY:
            raise ParseError(
                f"{count} a day is not a limit I can keep",
                f"Use 1 to {MAX_AS_NEEDED_PER_DAY}, e.g. max 3/day",
            )
        self.max_per_day = count
        self.pos += size + per_day
        return True

    def _gap_limit(self) -> bool:
        """`min 6h apart`, `at least 6 hours apart`, `4 hours between doses`."""
        prefix = self._phrase(_GAP_PREFIXES)
        value, unit = self._token(prefix), self._token(prefix + 1)
        if not _HOURS.fullmatch(value) or unit not in _MINUTE_WORDS | {"h"}:
            if prefix:
                raise ParseError("how long apart?", "Write the gap as min 6h apart")
            return False
        trailer = self._phrase(_GAP_TRAILERS, self.pos + prefix + 2)
        if not prefix and not trailer:
            return False
        self.pos += prefix + 2 + trailer
        hours = float(value) / (60 if unit in _MINUTE_WORDS else 1)
        self._set_gap(hours, f"{value} {unit}")
        return True

    def _set_gap(self, hours: float, said: str) -> None:
        if not 0 < hours <= MAX_MIN_GAP_HOURS:
            raise ParseError(
                f"{said} apart is not a gap I can keep",
                f"Use up to {MAX_MIN_GAP_HOURS} hours, e.g. min 6h apart",
            )
        self.min_gap = timedelta(minutes=round(hours * 60))

    # -- The whole

    def _finish(self) -> ScheduleRequest:
        if self.every_hours is not None and not self.as_needed:
            raise ParseError(
                f"every {self.every_hours:g} hours: which clock times?",
                f"Give the clock times instead, e.g. at {_spread(self.every_hours)}",
            )
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
        return ScheduleRequest(schedule, from_words=any(words for _, words, _ in timed))

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


def _spread(hours: float) -> str:
    """Clock times `hours` apart from 06:00, for a hint: 8 → `06:00 14:00 22:00`."""
    if hours < 2 or 24 % hours:
        return "08:00 20:00"
    return " ".join(f"{(6 + int(hours) * step) % 24:02d}:00" for step in range(int(24 // hours)))


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
