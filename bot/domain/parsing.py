"""Patient text → values: /add and /edit arguments, schedules, times of day, doses; or a
ParseError with a hint."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from bot.domain.model import Schedule

MAX_NAME_LENGTH = 60
MAX_TIMES_PER_DAY = 12
MAX_EVERY_DAYS = 365
MAX_COURSE_DAYS = 365
MAX_AS_NEEDED_PER_DAY = 24
MAX_MIN_GAP_HOURS = 72
ADD_EXAMPLE = "/add Baclofen 5 mg at 08:00 14:00 20:00"
EDIT_EXAMPLE = "/edit Baclofen 10 mg at 08:00 20:00"
AS_NEEDED_EXAMPLE = "/add Ibuprofen 200 mg as needed max 3/day min 6h apart"
UNTIL_HINT = "Write the last day as until 2027-01-31 or until 31 jan 2027"

# The bot's default clock times for schedules said in words ("twice a day", "at night").
# They are a starting point the patient confirms before anything is saved (from_words), not
# medical advice: the prescriber's or pharmacist's times always win.
DEFAULT_TIMES: dict[str, tuple[time, ...]] = {
    "once a day": (time(8, 0),),
    "twice a day": (time(8, 0), time(20, 0)),
    "three times a day": (time(8, 0), time(14, 0), time(20, 0)),
    "four times a day": (time(8, 0), time(12, 0), time(16, 0), time(20, 0)),
    "morning": (time(8, 0),),
    "afternoon": (time(14, 0),),
    "evening": (time(20, 0),),
    "night": (time(22, 0),),
}
_DEFAULTS_PER_DAY = {
    1: "once a day",
    2: "twice a day",
    3: "three times a day",
    4: "four times a day",
}

_UNITS = {
    "mg": "mg",
    "mcg": "mcg",
    "µg": "mcg",
    "ug": "mcg",
    "g": "g",
    "ml": "ml",
    "iu": "IU",
    "units": "units",
    "unit": "units",
    "drops": "drops",
    "drop": "drops",
    "puffs": "puffs",
    "puff": "puffs",
    "tablet": "tablet",
    "tablets": "tablets",
    "tab": "tablet",
    "tabs": "tablets",
    "pill": "pill",
    "pills": "pills",
    "capsule": "capsule",
    "capsules": "capsules",
    "caps": "capsules",
}
_DOSE = re.compile(
    r"^(?P<amount>\d{1,5}(?:[.,]\d{1,3})?|(?:\d{1,3}\s+)?[1-3]/[234])\s*(?P<unit>[^\d\s/]+)$",
    re.IGNORECASE,
)
# "½ tab", "1½ tablets": the few fractions on pill boxes, as "1/2" for _DOSE.
_VULGAR_FRACTIONS = {"½": "1/2", "¼": "1/4", "¾": "3/4", "⅓": "1/3", "⅔": "2/3"}
_ZERO_DOSE = "the dose must be more than zero"
_TIME = re.compile(r"^(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})$")
_TIME_12H = re.compile(r"^(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2}))?\s*(?P<half>[ap])\.?\s?m\.?$")
_NAMED_TIMES = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}
# Bidirectional controls can make a name display as something else; punctuation beyond
# these few has no place in a medication name.
_NAME_PUNCTUATION = set(" -.,()/+'&®™%")


class ParseError(ValueError):
    """A patient's input that cannot be used, with a hint that says what to send instead."""

    def __init__(self, problem: str, hint: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint


class MissingDose(ParseError):
    """A name and a schedule but no dose ("Baclofen twice a day"): the bot asks for the dose
    and goes on with `schedule` as the one-line /add would."""

    def __init__(self, name: str, schedule: ScheduleRequest) -> None:
        super().__init__("I could not find the dose", f"Put it after the name, e.g. {ADD_EXAMPLE}")
        self.name = name
        self.schedule = schedule


class _NotASchedule(ParseError):
    """The words after a dose do not even begin a schedule: the dose may be part of the name."""


@dataclass(frozen=True, slots=True)
class ScheduleRequest:
    schedule: Schedule
    from_words: bool = False  # some times are the bot's defaults: confirm them with the patient


@dataclass(frozen=True, slots=True, init=False)
class AddRequest:
    """A new medication. `from_words`: its times came from words ("twice a day"), so the bot
    shows the times it chose and asks the patient to confirm them."""

    name: str
    dose: str
    schedule: Schedule
    from_words: bool

    def __init__(
        self,
        name: str,
        dose: str,
        schedule: Schedule | Sequence[time],
        from_words: bool = False,
    ) -> None:
        # Plain times are still accepted: callers from before schedules had kinds pass them.
        if not isinstance(schedule, Schedule):
            schedule = Schedule(times=tuple(sorted(schedule)))
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "dose", dose)
        object.__setattr__(self, "schedule", schedule)
        object.__setattr__(self, "from_words", from_words)

    @property
    def times(self) -> tuple[time, ...]:
        return self.schedule.times


@dataclass(frozen=True, slots=True)
class EditRequest:
    """A change to a medication: a new dose, a new schedule, or neither (a guided edit)."""

    name: str
    dose: str | None
    schedule: Schedule | None
    from_words: bool = False


def parse_time(text: str) -> time:
    """`8:00`, `08:00`, `20.30`, `7h15`, `8am`, `8:30 p.m.`, `noon`, `midnight` → a time."""
    cleaned = " ".join(text.split()).lower()
    if cleaned in _NAMED_TIMES:
        return _NAMED_TIMES[cleaned]
    match = _TIME.match(cleaned)
    if match:
        hour, minute = int(match["hour"]), int(match["minute"])
        if hour > 23 or minute > 59:
            raise ParseError(
                f"{_preview(text)} is not a time of day",
                "Hours go 00–23 and minutes 00–59, e.g. 20:30",
            )
        return time(hour, minute)
    match = _TIME_12H.match(cleaned)
    if match:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise ParseError(
                f"{_preview(text)} is not a time of day",
                "With am or pm, hours go 1–12, e.g. 8:30pm, or write 20:30",
            )
        return time(hour % 12 + (12 if match["half"] == "p" else 0), minute)
    raise ParseError(
        f"“{_preview(text)}” is not a time", "Write times as HH:MM or with am/pm, e.g. 08:00 or 8pm"
    )


def parse_times(words: list[str]) -> tuple[time, ...]:
    """Times of day alone (the guided /add): `08:00 20:00`, `8am, 2pm and 8pm`."""
    times = [parse_time(token) for token in _tokens(words) if token not in _SEPARATORS]
    if not times:
        raise ParseError("no time given", f"Add at least one time, e.g. {ADD_EXAMPLE}")
    return _checked_times(times)


def _checked_times(times: Sequence[time]) -> tuple[time, ...]:
    if len(times) > MAX_TIMES_PER_DAY:
        raise ParseError(
            f"{len(times)} times a day is more than the {MAX_TIMES_PER_DAY} I can remind",
            "Check the prescription; list each time once, e.g. 08:00 14:00 20:00",
        )
    if len(set(times)) != len(times):
        raise ParseError("the same time is listed twice", "List each time once, e.g. 08:00 20:00")
    return tuple(sorted(times))


def parse_dose(text: str) -> str:
    """`5 mg`, `5mg`, `2.5 MG`, `1 tablet`, `1/2 tab`, `1½ tablets` → normalised `5 mg`,
    `0.5 tablet`, `1.5 tablets`."""
    match = _DOSE.match(_with_slash_fractions(text).strip())
    unit = _UNITS.get(match["unit"].lower()) if match else None
    if not match or unit is None:
        raise ParseError(
            f"“{_preview(text)}” is not a dose",
            "Write the dose as a number and a unit, e.g. 5 mg, 2.5 ml or 1 tablet",
        )
    amount = _decimal(_comma_read(match["amount"]))
    if float(amount) <= 0:
        raise ParseError(_ZERO_DOSE, "e.g. 5 mg")
    return f"{amount} {unit}"


def _comma_read(amount: str) -> str:
    """`20,000` (a comma before three digits) is twenty thousand, as labels print it; `2,5`
    is 2.5, as most of Europe writes it. Reading `20,000 IU` as 20 would be a 1000× error."""
    if re.fullmatch(r"\d{1,3}(,\d{3})+", amount):
        return amount.replace(",", "")
    return amount.replace(",", ".")


def _with_slash_fractions(text: str) -> str:
    for glyph, fraction in _VULGAR_FRACTIONS.items():
        text = re.sub(rf"(\d?){glyph}", rf"\1 {fraction}", text)
    return text


def _decimal(amount: str) -> str:
    """`1 1/2` → `1.5`, `1/3` → `0.33`; a decimal stays as written."""
    if "/" not in amount:
        return amount
    *whole, fraction = amount.split()
    numerator, denominator = fraction.split("/")
    value = int(whole[0] if whole else 0) + int(numerator) / int(denominator)
    return f"{round(value, 2):g}"


def dose_amount(dose: str) -> tuple[float, str]:
    """A normalised dose ("2.5 mg", "2 tablets") as (2.5, "mg"), (2.0, "tablet"); the unit is
    singular so "1 tablet" and "2 tablets" compare."""
    number, _, unit = dose.partition(" ")
    try:
        return float(number), unit.removesuffix("s")
    except ValueError:
        return 0.0, ""


def parse_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise ParseError("the medication has no name", f"e.g. {ADD_EXAMPLE}")
    if len(name) > MAX_NAME_LENGTH:
        raise ParseError(
            f"the name is {len(name)} characters long",
            f"Use the name on the box, at most {MAX_NAME_LENGTH} characters, e.g. Baclofen",
        )
    if not any(unicodedata.category(char).startswith("L") for char in name):
        raise ParseError("the name has no letters", "Use the name on the box, e.g. Baclofen")
    odd = [char for char in name if not _is_name_char(char)]
    if odd:
        raise ParseError(
            f"the name contains {_describe(odd[0])}",
            "Use letters, digits, spaces and - . ( ) / + only, e.g. Baclofen",
        )
    return name


def _is_name_char(char: str) -> bool:
    return char in _NAME_PUNCTUATION or unicodedata.category(char)[0] in "LNM"


def parse_add(text: str, today: date | None = None) -> AddRequest:
    """`Baclofen 5 mg at 08:00 14:00`, `... twice a day`, `... at 09:00 every 2 days`,
    `... as needed max 3/day` → name, dose and schedule.

    `today` is the patient's local date, which anchors `every N days`, courses and dates
    without a year; see `_today` for what happens without it.
    """
    words = _without_fillers(text.split())
    failures: list[ParseError] = []
    for index in _name_ends(words):
        dose = _dose_in(words, index)
        if isinstance(dose, ParseError):
            failures.append(dose)
            continue
        if dose is None:
            continue
        amount, size = dose
        rest = words[index + size :]
        if not rest:
            failures.append(_NotASchedule("I could not find “at” before the times", _WHEN_HINT))
            continue
        try:
            parsed = _read_schedule(rest, amount, today, ADD_EXAMPLE)
        except ParseError as error:
            failures.append(error)
            continue
        name = _name_before(words[:index], failures)
        return AddRequest(name, amount, parsed.schedule, parsed.from_words)
    raise _first_failure(failures) or _missing_dose(words, today)


def _missing_dose(words: list[str], today: date | None) -> ParseError:
    """The name and the schedule of "Baclofen twice a day", for the bot to ask the dose. A name
    that ends in a unit ("Baclofen five mg at 08:00") has a dose the bot cannot read."""
    for index in _name_ends(words):
        try:
            parsed = _read_schedule(words[index:], None, today, ADD_EXAMPLE)
            name = parse_name(_name_text(words[:index]))
        except ParseError:
            continue
        if name.split()[-1].lower() in _UNITS:
            break
        return MissingDose(name, parsed)
    return ParseError("I could not find the dose", f"Put it after the name, e.g. {ADD_EXAMPLE}")


def parse_edit(text: str, today: date | None = None) -> EditRequest:
    """`Baclofen 10 mg at 08:00 20:00`, `Baclofen at 9am 9pm`, `Baclofen 5 mg`,
    `Vitamin D every 2 days at 09:00`, or a name alone (the bot then asks, step by step)."""
    words = _without_fillers(text.split())
    failures: list[ParseError] = []
    for index in _name_ends(words):
        dose = _dose_in(words, index)
        if isinstance(dose, ParseError):
            failures.append(dose)
            continue
        amount, size = dose if dose else (None, 0)
        rest = words[index + size :]
        try:
            parsed = _read_schedule(rest, amount, today, EDIT_EXAMPLE) if rest else None
        except ParseError as error:
            # A schedule word inside a name ("Day & Night Cold") is no schedule.
            if amount is not None or words[index].lower() in _STRONG_OPENERS:
                failures.append(error)
            continue
        name = _name_before(words[:index], failures)
        if parsed is None:
            return EditRequest(name, amount, None)
        return EditRequest(name, amount, parsed.schedule, parsed.from_words)
    failure = _first_failure(failures)
    if failure is not None:
        raise failure
    if not words:
        raise ParseError("which medication?", f"Name it and what changes, e.g. {EDIT_EXAMPLE}")
    return EditRequest(parse_name(_name_text(words)), None, None)


def parse_schedule(
    text: str, *, dose: str | None = None, today: date | None = None
) -> ScheduleRequest:
    """A schedule alone (the guided flows): `08:00 20:00`, `twice a day`, `at 9am every 2 days`.
    Bare times are accepted here, since nothing but a schedule is asked for."""
    tokens = _tokens(text.split())
    if tokens and _looks_like_time(tokens[0]):
        tokens.insert(0, "at")
    if not tokens:
        raise ParseError("no time given", f"Add at least one time, e.g. {ADD_EXAMPLE}")
    return _read_tokens(tokens, dose, today, ADD_EXAMPLE)


_WHEN_HINT = f"Add the times after the dose, e.g. {ADD_EXAMPLE}, or say twice a day"
# Words that begin a schedule and hardly ever a medication's name.
_STRONG_OPENERS = frozenset({"at", "every", "each", "on", "for", "until", "till", "prn"})


def _name_ends(words: list[str]) -> range:
    """Where the name may end: past one word over the longest name, only the name's own
    refusal is left to find (and a 4,000-character message stays quick to read)."""
    length, index = 0, 1
    while index < len(words) and length <= MAX_NAME_LENGTH:
        length += len(words[index - 1]) + 1
        index += 1
    return range(1, index)


def _dose_in(words: list[str], index: int) -> tuple[str, int] | ParseError | None:
    """The dose starting at words[index] ("5 mg" or "5mg") and its length in words; a zero
    dose is a ParseError to report if nothing else fits."""
    for size in (3, 2, 1):  # "1 1/2 tabs", "5 mg", "5mg"
        if index + size > len(words):
            continue
        try:
            return parse_dose(" ".join(words[index : index + size]).rstrip(",")), size
        except ParseError as error:
            if error.problem == _ZERO_DOSE:
                return error
    return None


def _name_before(words: list[str], failures: list[ParseError]) -> str:
    """The name before a schedule that parsed; when it is no name ("Baclofen at 08:00 and"
    before "5 mg at 20:00"), an earlier failure explains the text better."""
    try:
        return parse_name(_name_text(words))
    except ParseError as error:
        earlier = _first_failure(failures)
        raise (earlier if earlier and not isinstance(earlier, _NotASchedule) else error) from None


# Whose medication it is, said before its name: "my sertraline", "my mum's atorvastatin".
_FILLERS = frozenset({"my", "his", "her", "their", "our", "your", "the", "mine"})
_WHOSE = frozenset(
    {
        *("mum", "mom", "mother", "dad", "father", "wife", "husband", "partner", "son"),
        *("daughter", "child", "kid", "baby", "brother", "sister", "aunt", "uncle", "gran"),
        *("granny", "grandma", "grandmother", "nan", "nana", "grandpa", "grandad", "granddad"),
        "grandfather",
    }
)


def _without_fillers(words: list[str]) -> list[str]:
    """The words from the name on: "my mum's atorvastatin 20mg" → "atorvastatin 20mg"."""
    start = 0
    while start < len(words) - 1 and _is_filler(words[start]):
        start += 1
    return words[start:]


def _is_filler(word: str) -> bool:
    word = word.lower().replace("’", "'")
    return word in _FILLERS or word.removesuffix("'s").removesuffix("s'") in _WHOSE


def _name_text(words: list[str]) -> str:
    """The name's words without a colon or dash after them ("Sertraline: 1 tab")."""
    return " ".join(words).rstrip(" :-–—")


def _first_failure(failures: list[ParseError]) -> ParseError | None:
    """The failure to report: one inside a schedule says more than words that were none."""
    inside = [failure for failure in failures if not isinstance(failure, _NotASchedule)]
    chosen = inside or failures
    return chosen[0] if chosen else None


def _today(today: date | None) -> date:
    """The patient's local date as given; only as a fallback for callers that do not know it,
    the server's date (which may be a day off the patient's)."""
    return today if today is not None else date.today()  # noqa: DTZ011 - documented fallback


# --- Words → tokens -------------------------------------------------------------------------

_SEPARATORS = frozenset({",", ";", "and", "&", "then", "plus"})
_DECIMAL_COMMA = re.compile(r"(\d),(\d{1,3})(?=\s*[^\W\d_])")  # "2,5 mg", not "08:00,20:00"
_NUMBER_AND_WORD = re.compile(r"(\d{1,5}(?:\.\d{1,3})?)([^\W\d_]+)")  # "5mg", "6h", "3x"
_AM_PM = re.compile(r"[ap]\.?m\.?")
_CLOCK = re.compile(r"\d{1,2}(?:[:.h]\d{2})?")
_ABBREVIATION = re.compile(r"(?:[a-z]\.){2,}[a-z]?\.?")  # b.i.d., p.r.n.
_HOUR_WORDS = frozenset({"h", "hr", "hrs", "hour", "hours"})
_MINUTE_WORDS = frozenset({"min", "mins", "minute", "minutes"})


_FRACTION = re.compile(r"([1-3]/[234])([^\W\d_]*)")  # "1/2", "1/2tab"; not "3/day", "3/24h"
_EVERY_HOURS = re.compile(r"q(\d{1,2})h")  # q8h: every 8 hours
_TIMES_COUNT = re.compile(r"x(\d{1,3})")  # "x14 days"


def _tokens(words: Sequence[str]) -> list[str]:
    """Lower-case words with "," and "/" apart (not in "1/2"), "8 am" as one token, "6h" as
    "6 h", "q8h" as "every 8 h"."""
    text = _with_slash_fractions(" ".join(words).lower().replace("’", "'"))
    text = _DECIMAL_COMMA.sub(r"\1.\2", text)
    tokens: list[str] = []
    for piece in (p for word in text.split() for p in _pieces(word)):
        split = _NUMBER_AND_WORD.fullmatch(piece) or _FRACTION.fullmatch(piece)
        if hours := _EVERY_HOURS.fullmatch(piece):
            tokens += ["every", hours[1], "h"]
            continue
        if count := _TIMES_COUNT.fullmatch(piece):
            tokens += ["x", count[1]]
            continue
        for part in (split[1], split[2]) if split else (piece,):
            if _AM_PM.fullmatch(part) and tokens and _CLOCK.fullmatch(tokens[-1]):
                tokens[-1] += part
            elif _ABBREVIATION.fullmatch(part):
                tokens.append(part.replace(".", ""))
            else:
                tokens.append("h" if part in _HOUR_WORDS else part)
    if tokens and tokens[-1].endswith(".") and not tokens[-1].endswith("m."):
        tokens[-1] = tokens[-1].rstrip(".")  # the end of a sentence, not of "8 p.m."
    return [token for token in tokens if token]


def _pieces(word: str) -> list[str]:
    pieces = [piece for piece in re.split(r"([,;])", word) if piece]
    return [
        part
        for piece in pieces
        for part in ([piece] if _FRACTION.fullmatch(piece) else re.split(r"(/)", piece))
        if part
    ]


def _looks_like_time(token: str) -> bool:
    return token in _NAMED_TIMES or bool(_TIME.match(token) or _TIME_12H.match(token))


# --- Schedules: read and described in schedule_words ----------------------------------------
# schedule_words is built on this module's times, doses and errors, so it is imported where it
# is used: importing it at the top would be circular.


def _read_schedule(
    words: Sequence[str], dose: str | None, today: date | None, example: str
) -> ScheduleRequest:
    return _read_tokens(_tokens(words), dose, today, example)


def _read_tokens(
    tokens: list[str], dose: str | None, today: date | None, example: str
) -> ScheduleRequest:
    from bot.domain.schedule_words import read_schedule

    return read_schedule(tokens, dose, today, example)


def describe_schedule(schedule: Schedule) -> str:
    """A short English description for replies: `08:00 and 20:00, every 2 days`,
    `as needed, at most 3 a day, at least 6 h apart`, `10 mg at 08:00, 5 mg at 20:00`."""
    from bot.domain.schedule_words import describe_schedule as describe

    return describe(schedule)


def _describe(char: str) -> str:
    if unicodedata.category(char)[0] in "CZ":
        return f"an invisible control character (U+{ord(char):04X})"
    return f"“{char}”"


def _preview(text: str, limit: int = 20) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
