"""Days and dates in schedules: weekday and month words, every N days, courses and end dates,
read from a patient's tokens by `DayReader`, the base of the schedule reader."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from bot.domain.parsing import (
    MAX_COURSE_DAYS,
    MAX_EVERY_DAYS,
    UNTIL_HINT,
    ParseError,
    _preview,
    _today,
)
from bot.domain.wording import COUNTING_WORDS

_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tuesday.": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
WORKING_DAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ORDINALS = frozenset({"st", "nd", "rd", "th"})
_NUMERIC_DATE = re.compile(r"(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?")
_COURSE_UNITS = {
    **dict.fromkeys(("day", "days", "d"), 1),
    **dict.fromkeys(("week", "weeks", "wk", "wks", "w"), 7),
    **dict.fromkeys(("fortnight", "fortnights"), 14),
    **dict.fromkeys(("month", "months"), 30),  # a course "for a month" is 30 days
}


class DayReader:
    """A cursor over a schedule's tokens that reads its day clauses: weekdays, every N days,
    a course and an end date. `ScheduleReader` adds the times and limits."""

    def __init__(self, tokens: list[str], today: date | None) -> None:
        self.tokens = tokens
        self.pos = 0
        self.today = today
        self.every_days: int | None = None
        self.weekdays: set[int] = set()
        self.course_days: int | None = None
        self.until: date | None = None
        self.guessed = False  # a date read one way of two ("05/06"): confirm it

    # -- Looking at tokens

    def _token(self, offset: int = 0) -> str:
        at = self.pos + offset
        return self.tokens[at] if 0 <= at < len(self.tokens) else ""

    def _phrase(self, phrases: Sequence[tuple[str, ...]], at: int | None = None) -> int:
        """The length of the longest phrase starting at `at` (default: here), or 0."""
        start = self.pos if at is None else at
        lengths = [
            len(phrase)
            for phrase in phrases
            if tuple(self.tokens[start : start + len(phrase)]) == phrase
        ]
        return max(lengths, default=0)

    def _number(self, at: int) -> int | None:
        token = self.tokens[at] if at < len(self.tokens) else ""
        if re.fullmatch(r"\d{1,3}", token):
            return int(token)
        return COUNTING_WORDS.get(token)

    # -- Which days

    def _set_every_days(self, days: int) -> None:
        if not 1 <= days <= MAX_EVERY_DAYS:
            raise ParseError(
                f"every {days} days is not a schedule I can remind",
                f"Use 1 to {MAX_EVERY_DAYS} days, e.g. every 2 days",
            )
        if self.every_days not in (None, days):
            raise ParseError(
                f"every {self.every_days} and every {days} days were both given", "Say it once"
            )
        self.every_days = days

    def _on_days(self) -> bool:
        """`on mon wed fri`, `on monday, wednesday and friday`, `on weekdays`, `at weekends`."""
        word = self._token()
        if word == "on" or (word == "at" and self._token(1) in {"the", "weekend", "weekends"}):
            self.pos += 1
            self._day_list()
            return True
        if weekday(word) is not None or word in {"weekdays", "weekends"}:
            self._day_list()
            return True
        return False

    def _day_list(self) -> None:
        found = False
        while True:
            if self._token() == "the":
                self.pos += 1
            token = self._token()
            if (day := weekday(token)) is not None:
                self.weekdays.add(day)
            elif token in {"weekday", "weekdays"}:
                self.weekdays |= WORKING_DAYS
            elif token in {"weekend", "weekends"}:
                self.weekdays |= WEEKEND
            else:
                break
            found = True
            self.pos += 1
            look = self.pos
            while self._token(look - self.pos) in {",", "and", "&", "/"}:
                look += 1
            following = self._token(look - self.pos)
            if weekday(following) is None and following not in {"weekdays", "weekends"}:
                break
            self.pos = look
        if not found:
            raise ParseError("on which days?", "Name them, e.g. on mon wed fri or on weekdays")

    def _course(self) -> bool:
        """`for 10 days`, `for 2 weeks`, `for a month`, `for 3 months`, `x 14 days`."""
        if self._token() not in {"for", "x"}:
            return False
        count = 1 if self._token(1) in {"a", "an", "one"} else self._number(self.pos + 1)
        days_in = _COURSE_UNITS.get(self._token(2))
        if count is None or days_in is None:
            raise ParseError(
                "for how long?", "Give days, weeks or months, e.g. for 10 days or for 2 weeks"
            )
        days = count * days_in
        if not 1 <= days <= MAX_COURSE_DAYS:
            raise ParseError(
                f"a course of {days} days is not one I can remind",
                f"Use 1 to {MAX_COURSE_DAYS} days, e.g. for 10 days",
            )
        if self.course_days not in (None, days) or self.until is not None:
            raise ParseError("the end is given twice", "Give one, e.g. for 10 days")
        self.course_days = days
        self.pos += 3
        return True

    def _until_date(self) -> bool:
        """`until 2027-01-31`, `until 31 jan 2027`, `till jan 31`."""
        if self._token() not in {"until", "till", "til", "through", "thru"}:
            return False
        self.pos += 1
        self._skip({"the"})
        day = self._end_of() if self._token() == "end" else self._date()
        if self.until is not None or self.course_days is not None:
            raise ParseError("the end is given twice", "Give one, e.g. until 2027-01-31")
        if day < _today(self.today):
            raise ParseError(f"{format_date(day)} is in the past", UNTIL_HINT)
        self.until = day
        return True

    def _end_of(self) -> date:
        """`end of january` (the next one), `the end of the month`, `end of next month`."""
        self.pos += 1
        self._skip({"of"})
        self._skip({"the", "this"})
        today = _today(self.today)
        if self._token() == "month":
            self.pos += 1
            return _last_day(today.year, today.month)
        if self._token() == "next" and self._token(1) == "month":
            self.pos += 2
            year, before = divmod(today.year * 12 + today.month, 12)
            return _last_day(year, before + 1)
        month = _MONTHS.get(self._token())
        if month is None:
            raise ParseError("until the end of what?", "e.g. until end of january")
        self.pos += 1
        if re.fullmatch(r"\d{4}", self._token()):
            self.pos += 1
            return _last_day(int(self._token(-1)), month)
        return _last_day(today.year + (month < today.month), month)

    def _numeric_date(self) -> date | None:
        """`31/12/2026`, `31.12.26`, `31/12`: day first, as most of the world writes it. When
        the day could be the month too ("05/06"), the patient confirms the date."""
        joined = _NUMERIC_DATE.fullmatch(self._token())
        if joined:
            parts, size = [joined[1], joined[2], joined[3]], 1
        elif re.fullmatch(r"\d{1,2}", self._token()) and self._token(1) == "/":
            parts, size = [self._token(), self._token(2), None], 3
            if self._token(3) == "/":
                parts[2], size = self._token(4), 5
        else:
            return None
        said = "".join(self.tokens[self.pos : self.pos + size])
        if not all(re.fullmatch(r"\d{1,2}", part) for part in parts[:2]) or (
            parts[2] is not None and not re.fullmatch(r"\d{2}|\d{4}", parts[2])
        ):
            raise ParseError(f"“{_preview(said)}” is not a date", UNTIL_HINT)
        day, month = int(parts[0]), int(parts[1])
        if month > 12:
            raise ParseError(
                f"“{_preview(said)}” is not a date",
                "Write the day first, e.g. 31/12/2026, or 31 dec 2026",
            )
        self.pos += size
        self.guessed |= day <= 12 and day != month
        if parts[2] is None:
            return self._with_year(month, day)
        year = int(parts[2])
        return date(year + 2000 if year < 100 else year, month, day)

    def _date(self) -> date:
        start = self.pos
        iso = _ISO_DATE.fullmatch(self._token())
        try:
            if iso:
                self.pos += 1
                return date(int(iso[1]), int(iso[2]), int(iso[3]))
            if (numeric := self._numeric_date()) is not None:
                return numeric
            day_first = self._number(self.pos) is not None
            if day_first:
                day = self._number(self.pos) or 0
                self.pos += 1
                self._skip(_ORDINALS | {"of"})
                month = _MONTHS.get(self._token())
            else:
                month = _MONTHS.get(self._token())
                self.pos += 1
                day = self._number(self.pos) or 0
            if month is None or not day:
                raise ParseError("until when?", UNTIL_HINT)
            self.pos += 1
            if not day_first:
                self._skip(_ORDINALS)
            return self._with_year(month, day)
        except ValueError as error:
            if isinstance(error, ParseError):
                raise
            said = " ".join(self.tokens[start : self.pos])
            raise ParseError(f"“{_preview(said)}” is not a date", UNTIL_HINT) from error

    def _skip(self, words: frozenset[str] | set[str]) -> None:
        if self._token() in words:
            self.pos += 1

    def _with_year(self, month: int, day: int) -> date:
        """The year given after the date, else the next such date from today on."""
        comma = 1 if self._token() == "," else 0
        if re.fullmatch(r"\d{4}", self._token(comma)):
            year = int(self._token(comma))
            self.pos += comma + 1
            return date(year, month, day)
        today = _today(self.today)
        for year in range(today.year, today.year + 9):  # 29 February comes within eight years
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            if candidate >= today:
                return candidate
        raise ValueError(f"no {month}/{day}")


def _last_day(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def weekday(token: str) -> int | None:
    """`mon`, `monday`, `mondays`, `tues`, `thurs` → 0–6."""
    if token in _WEEKDAYS:
        return _WEEKDAYS[token]
    return _WEEKDAYS.get(token.removesuffix("s")) if token.endswith("s") else None


def format_date(day: date) -> str:
    return f"{day.day} {_MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"


_MONTH_ABBREVIATIONS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
