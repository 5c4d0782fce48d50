"""How often, beyond clock times: every N days or hours, as needed, its limits ("max 3 a day",
"at least 4 hrs between doses", "not more than 3 times in 24 hours") and the reason a patient
gives for it ("as needed for migraine", "prn anxiety"), which is read past and not kept."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.domain.parsing import (
    _MINUTE_WORDS,
    MAX_AS_NEEDED_PER_DAY,
    MAX_MIN_GAP_HOURS,
    ParseError,
    _preview,
)
from bot.domain.schedule_dates import _MONTHS, DayReader, weekday
from bot.domain.schedule_typos import KNOWN_WORDS
from bot.domain.wording import COUNTING_WORDS

PER_DAY = (
    ("a", "day"),
    ("per", "day"),
    ("each", "day"),
    ("every", "day"),
    ("daily",),
    ("/", "day"),
    ("/", "d"),
    ("a-day",),
    ("in", "a", "day"),
    ("in", "one", "day"),
    ("in", "24", "h"),
    ("in", "any", "24", "h"),
    ("within", "24", "h"),
    ("per", "24", "h"),
    ("every", "24", "h"),
    ("/", "24", "h"),
)
_AS_NEEDED = (
    ("as", "needed"),
    ("as", "required"),
    ("as", "necessary"),
    ("when", "needed"),
    ("when", "required"),
    ("when", "necessary"),
    ("if", "needed"),
    ("if", "required"),
    ("if", "necessary"),
    ("as-needed",),
    ("prn",),
)
_MAX_PREFIXES = (
    ("max",),
    ("max.",),
    ("maximum",),
    ("max", "of"),
    ("maximum", "of"),
    ("a", "maximum", "of"),
    ("up", "to"),
    ("at", "most"),
    ("no", "more", "than"),
    ("not", "more", "than"),
    ("no", "more", "often", "than"),
    ("not", "more", "often", "than"),
)
_GAP_PREFIXES = (
    ("min",),
    ("min.",),
    ("minimum",),
    ("at", "least"),
    ("wait",),
    ("wait", "at", "least"),
    ("leave",),
    ("leave", "at", "least"),
)
_GAP_TRAILERS = (("apart",), ("between", "doses"), ("between", "each", "dose"), ("between",))
_LIMIT_COUNTS = {"once": 1, "twice": 2, "thrice": 3}
_HOURS = re.compile(r"\d{1,3}(?:\.\d)?")
_HOUR_RANGE = re.compile(r"(\d{1,2})-(\d{1,2})")  # "every 6-8 hours"
# Words that are part of a schedule's grammar, so never a reason ("for pain").
_GRAMMAR = frozenset(
    {"at", "on", "in", "for", "a", "an", "per", "as", "if", "up", "to", "of", "and", "or"}
    | {"am", "pm", "x", "h", "d", "w", "wk", "wks", "prn", "qd", "od", "bid", "tid", "qid"}
    | {"max", "min", "no", "not", "upto", "qam", "qpm", "qhs"}
)
_REASON_JOINERS = frozenset({"and", "or", "&", "/", "of", "the", "my", "your"})


class LimitReader(DayReader):
    """`DayReader` with every N days or hours, as needed, its limits and a reason."""

    def __init__(self, tokens: list[str], today: date | None) -> None:
        super().__init__(tokens, today)
        self.weekly = False  # "weekly", "every week": on the days named, else every 7 days
        self.every_hours: float | None = None
        self.hours_said = ""
        self.hours_range = False  # "every 6-8 hours": a gap as needed, no clock times
        self.as_needed = False
        self.as_needed_end = -1  # where "as needed" ended: a bare reason may follow
        self.max_per_day: int | None = None
        self.min_gap: timedelta | None = None

    def _every(self) -> bool:
        """`every 2 days`, `every other day`, `every 2 weeks`, `every monday`, `every 6 hours`,
        `every 6-8 hours`, `every 4 to 6 hours`."""
        if self._token() not in {"every", "each"}:
            return False
        word, count = self._token(1), self._number(self.pos + 1)
        if word in {"other", "second", "2nd"} and self._token(2) == "day":
            self.pos += 3
            self._set_every_days(2)
        elif word == "week":
            self.pos += 2
            self.weekly = True
        elif count is not None and self._token(2) in {"day", "days"}:
            self.pos += 3
            self._set_every_days(count)
        elif count is not None and self._token(2) in {"week", "weeks", "wk", "wks"}:
            self.pos += 3
            self._set_every_days(7 * count)
        elif _HOURS.fullmatch(word) and self._token(2) == "h":
            self.pos += 3
            self.every_hours, self.hours_said = float(word), word
            if self._phrase((("at", "most"),)):  # "every 6 hours at most": a gap
                self.pos += 2
                self._set_gap(self.every_hours, word)
        elif (hours := self._hour_range()) is not None:
            self.every_hours, self.hours_range = hours, True
        elif weekday(word) is not None or word in {"weekday", "weekend"}:
            self.pos += 1
            self._day_list()
        else:
            raise ParseError(
                f"“every {_preview(word)}” is not a schedule I know",
                "e.g. every 2 days, every other day or every monday",
            )
        return True

    def _hour_range(self) -> float | None:
        """`every 6-8 hours`, `every 4 to 6 hours` → the shorter gap, 6 or 4."""
        joined = _HOUR_RANGE.fullmatch(self._token(1))
        if joined and self._token(2) == "h":
            low, high, size = int(joined[1]), int(joined[2]), 3
        elif self._token(2) == "to" and self._token(4) == "h":
            low, high, size = self._number(self.pos + 1) or 0, self._number(self.pos + 3) or 0, 5
        else:
            return None
        if not 0 < low < high:
            raise ParseError("every how many hours?", "e.g. every 6 hours as needed")
        self.pos += size
        self.hours_said = f"{low}-{high}"
        return float(low)

    def _as_needed(self) -> bool:
        if size := self._phrase(_AS_NEEDED):
            self.pos += size
            self.as_needed = True
            self.as_needed_end = self.pos
            return True
        return False

    def _reason(self) -> bool:
        """`for pain`, `for my back pain`, or right after as needed a bare `anxiety`: what the
        medicine is for, read past. A number after "for" is a course ("for 10 days")."""
        start = self.pos
        if self._token() == "for":
            self.pos += 1
        elif start != self.as_needed_end:
            return False
        if self._token() in {"the", "my", "your"}:
            self.pos += 1
        if not _is_reason_word(self._token()):
            self.pos = start
            return False
        while True:
            self.pos += 1
            look = self.pos
            while self._token(look - self.pos) in _REASON_JOINERS:
                look += 1
            if not _is_reason_word(self._token(look - self.pos)):
                return True
            self.pos = look

    def _max_limit(self) -> bool:
        """`max 3/day`, `max 3 a day`, `up to 3 times a day`, `at most twice a day`,
        `not more than 3 times in 24 hours`, `no more than once every 4 hours`."""
        prefix = self._phrase(_MAX_PREFIXES)
        if not prefix:
            return False
        if self._token(prefix) == "once" and self._token(prefix + 1) == "every":
            prefix += 1
        if self._token(prefix) == "every":  # "no more than every 6 hours": a gap
            self.pos += prefix
            every = self._every()
            if self.every_hours is not None and self.min_gap is None:
                self._set_gap(self.every_hours, f"{self.every_hours:g} h")
            return every
        count = _LIMIT_COUNTS.get(self._token(prefix)) or self._number(self.pos + prefix)
        size = prefix + 1
        if self._token(size) in {"times", "time", "x", "doses", "dose"}:
            size += 1
        per_day = self._phrase(PER_DAY, self.pos + size)
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
        """`min 6h apart`, `at least 6 hours apart`, `4 hrs between doses`, `wait 4 hours`."""
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


def _is_reason_word(token: str) -> bool:
    """A word that is no part of a schedule: "nausea", "migraine", "back"."""
    return (
        len(token) >= 3
        and token.replace("-", "").replace("'", "").isalpha()
        and token not in KNOWN_WORDS
        and token not in _GRAMMAR
        and token not in COUNTING_WORDS
        and token not in _MONTHS
        and weekday(token) is None
    )
