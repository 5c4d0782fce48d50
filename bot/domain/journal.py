"""/log text → a dose taken or a symptom felt, with when it was taken; or a ParseError.

When, in the patient's own words: now; a clock time today or yesterday ("at 7pm", "19:30",
"yesterday at 9pm", "at noon"); a time ago ("an hour ago", "20 min ago"); or a part of the day
("this morning", "last night", "my evening dose"). `taken_at` turns that into a UTC instant,
with the local window of a part of the day, so a service can match the dose scheduled in it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.parsing import ParseError, parse_dose, parse_time
from bot.domain.schedule import local_to_utc, to_local
from bot.domain.wording import NUMBER_WORDS, number_in

LOG_EXAMPLE = "/log took baclofen 5 mg at 8:15  ·  /log symptom dizziness moderate"
MAX_SYMPTOM_LENGTH = 200
# A time ago further back than this is a day, not a time ago: "which time yesterday?".
MAX_AGO = timedelta(hours=48)
# A logged time up to this far ahead is a clock a little fast, not a mistake.
FUTURE_SLACK = timedelta(minutes=1)

# "had" only before what names a dose: "had it", "had my pills", never "had a headache".
_TOOK = re.compile(
    r"^(?:i\s+)?(?:took|taken|take|swallowed|had(?=\s+(?:it|my|the|them|one|both)\b))\b"
    r"\s*(?P<rest>.*)$",
    re.I | re.S,
)
_SYMPTOM = re.compile(
    r"^(?:symptoms?|(?:i\s*['’]?\s*(?:a?m|ve\s+been|have\s+been)\s+|been\s+)?(?:feel(?:ing)?|felt)"
    r"|i\s+(?:feel|felt))\b\s*:?\s*(?P<rest>.*)$",
    re.I | re.S,
)
_GENERIC = {  # words of a dose that say nothing of which medication it is
    *("my", "the", "a", "an", "pill", "pills", "med", "meds", "medicine", "medicines"),
    *("medication", "medications", "dose", "doses", "tablet", "tablets", "it", "them", "one"),
    *("ones", "of", "at", "and", "about", "around", "approximately", "roughly", "just"),
    *("already", "all", "both", "some", "another", "again", "now"),
}
_FILLERS = (
    *("all at once", "at once", "in one go", "together", "by mistake", "by accident"),
    *("accidentally", "on purpose", "just now", "right now", "a while ago", "a bit ago"),
    *("a moment ago", "as prescribed", "as usual", "on time", "with food", "with water"),
    *("with a drink", "with some water", "with a meal", "with my meal"),
)
_UNIT_COUNTS = {
    word: unit
    for unit, words in {
        "tablet": ("tablet", "tablets", "tab", "tabs"),
        "pill": ("pill", "pills"),
        "capsule": ("capsule", "capsules", "cap", "caps"),
    }.items()
    for word in words
}
_POINTING = {"the", "this", "that", "my", "which", "other", "last", "first", "next"}
_MASS_UNITS = {"mg", "mcg", "g", "ml", "µg", "ug", "iu", "units", "unit", "drops", "puffs"}
_SEVERITY_WORDS = {
    "mild": "mild",
    "slight": "mild",
    "moderate": "moderate",
    "severe": "severe",
    "bad": "severe",
    "terrible": "severe",
}
_SEVERITY_SCALE = re.compile(r"\b(?P<score>10|[0-9])\s*/\s*10\b")


class DayPart(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    NIGHT = "night"  # "tonight", "last night", "at bedtime": the night that starts that day
    DAY = "day"  # "yesterday" with no time: the whole day


@dataclass(frozen=True, slots=True)
class PartWindow:
    """A part of the day on the local clock: from `start` to `end` (the next day when `end`
    is not after `start`), and the time an intake in it is recorded at when nothing matches."""

    start: time
    end: time
    usual: time


# Wide and overlapping on purpose: "last night" is the 18:00 dose as often as the 22:00 one.
PART_WINDOWS = {
    DayPart.MORNING: PartWindow(time(5), time(12), time(8)),
    DayPart.AFTERNOON: PartWindow(time(12), time(17), time(14)),
    DayPart.EVENING: PartWindow(time(17), time(23), time(19)),
    DayPart.NIGHT: PartWindow(time(18), time(5), time(22)),
    DayPart.DAY: PartWindow(time(0), time(0), time(12)),
}


@dataclass(frozen=True, slots=True)
class LoggedWhen:
    """When a dose was taken, as the patient said it (all in the patient's local clock).

    Nothing said: now. `ago`: that long before now. Otherwise the day `days_ago` (0 today,
    1 yesterday, -1 tomorrow) at the clock time `at`, or in the part of the day `part`.
    """

    days_ago: int = 0
    at: time | None = None  # None: no clock time said (now, or the part of the day)
    ago: timedelta | None = None  # "2 hours ago"
    part: DayPart | None = None  # "this morning"; None when a clock time was said
    # "at 8", "the 8 o'clock one": 08:00 or 20:00, whichever passed last.
    twelve_hour: bool = False
    # No day said ("my evening dose", "at 8"): if that is still to come today, yesterday's.
    or_yesterday: bool = False


@dataclass(frozen=True, slots=True)
class TakenAt:
    """A LoggedWhen on the patient's clock, resolved against now."""

    at: datetime  # UTC: the instant to record
    # UTC [start, end) of the part of the day said, to match the dose scheduled in it;
    # None when a clock time, a time ago or nothing was said.
    window: tuple[datetime, datetime] | None
    # More than FUTURE_SLACK after now: refuse a dose taken (LogResult.IN_THE_FUTURE).
    in_future: bool


@dataclass(frozen=True, slots=True)
class DoseLog:
    medication: str | None  # None: "my pills", whatever is due
    dose: str | None
    when: LoggedWhen


@dataclass(frozen=True, slots=True)
class SymptomLog:
    text: str
    severity: str | None
    # A note, not a new complaint: the symptom eased or is gone ("not dizzy anymore").
    better: bool = False


def parse_log(text: str, medication_names: Sequence[str] = ()) -> DoseLog | SymptomLog:
    """/log's text: "took ..." is a dose, "symptom ..."/"feeling ..." a symptom. Without
    either word, a text that starts with one of the patient's medications ("sertraline 50mg
    19:30"), or says only when ("half an hour ago", "with breakfast"), is a dose too;
    anything else is a symptom in the patient's words."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ParseError("there is nothing to record", f"e.g. {LOG_EXAMPLE}")
    took = _TOOK.match(cleaned)
    if took:
        return _dose_log(took["rest"])
    symptom = _SYMPTOM.match(cleaned)
    if symptom:
        return _symptom_log(symptom["rest"])
    if _names_a_medication(cleaned, medication_names) or _only_when(cleaned):
        return _dose_log(cleaned)
    return _symptom_log(cleaned)


def _names_a_medication(text: str, medication_names: Sequence[str]) -> bool:
    folded = text.casefold()
    return any(
        folded == name.casefold() or folded.startswith(name.casefold() + " ")
        for name in medication_names
    )


def _only_when(text: str) -> bool:
    """Nothing but a time ("an hour ago", "at noon", "just now"), with a filler or two."""
    if text.casefold().strip(" .!") in ("now", "just now", "right now"):
        return True
    when, rest = read_when(text)
    if when == LoggedWhen():
        return False
    medication, _ = medication_and_dose(rest)
    return medication is None


def _dose_log(rest: str) -> DoseLog:
    log = dose_log_in(rest)
    if log.when.part is DayPart.DAY and log.when.days_ago:
        raise ParseError("which time yesterday?", "e.g. /log took baclofen yesterday 21:00")
    return log


def dose_log_in(text: str) -> DoseLog:
    """The medication, amount and time a phrase names ("baclofen 10 mg an hour ago"); a day
    without a time ("yesterday") is its whole day. Raises ParseError for a time that is none."""
    when, rest = read_when(text)
    medication, dose = medication_and_dose(rest)
    return DoseLog(medication, dose, when)


def medication_and_dose(text: str) -> tuple[str | None, str | None]:
    """ "baclofen 10 mg", "10 mg of baclofen", "two tablets", "my pills" (no name)."""
    words = _without_fillers(text.replace(",", " ").split())
    dose, words = _mass_dose(words)
    if dose is None:
        dose, words = _count(words)
    named = [word for word in words if word.casefold().strip(".!") not in _GENERIC]
    return " ".join(named) or None, dose


def _mass_dose(words: list[str]) -> tuple[str | None, list[str]]:
    """The last amount with a unit ("10 mg", "10mg"), wherever it stands."""
    for end in range(len(words), 0, -1):
        for size in (2, 1):
            if end - size < 0:
                continue
            try:
                dose = parse_dose(" ".join(words[end - size : end]))
            except ParseError:
                continue
            rest = words[: end - size] + words[end:]
            if rest[end - size : end - size + 1] == ["of"]:
                rest = rest[: end - size] + rest[end - size + 1 :]
            return dose, rest
    return None, words


def _without_fillers(words: list[str]) -> list[str]:
    """ "took 10 tablets at once", "by mistake": how, not what; the words go."""
    text = f" {' '.join(words)} "
    for filler in _FILLERS:
        text = re.sub(rf"\s{re.escape(filler)}\s", " ", text, flags=re.I)
    return text.split()


def _count(words: list[str]) -> tuple[str | None, list[str]]:
    """ "ten tablets", "3 of my baclofen", "10 baclofen": a number of tablets, never mg;
    "half a tablet" is 0.5 of one."""
    lowered = [word.casefold() for word in words]
    for at, word in enumerate(lowered):
        if word == "half" and lowered[at + 1 : at + 2] in (["a"], ["an"]):
            named = lowered[at + 2] if at + 2 < len(words) else ""
            size = 3 if named in _UNIT_COUNTS else 2
            return f"0.5 {_UNIT_COUNTS.get(named, 'tablet')}", words[:at] + words[at + size :]
    for at, word in enumerate(words):
        number = number_in(word.casefold())
        if number is None or word.casefold() in ("a", "an") or number > 1000:
            continue
        if word.casefold() == "one" and at and words[at - 1].casefold() in _POINTING:
            continue  # "the 8 o'clock one", "that one": which dose, not how many
        after = words[at + 1].casefold() if at + 1 < len(words) else ""
        unit = _UNIT_COUNTS.get(after)
        if after in _MASS_UNITS:
            return None, words
        rest = words[:at] + words[at + (2 if unit else 1) :]
        if rest[at : at + 1] == ["of"]:
            rest = rest[:at] + rest[at + 1 :]
        unit = unit or "tablet"
        return f"{number} {unit if number == 1 else unit + 's'}", rest
    return None, words


# ---- when: the patient's words for a time ------------------------------------------------

_HOUR_WORDS = {w: n for w, n in NUMBER_WORDS.items() if 1 <= n <= 12 and w.isalpha() and len(w) > 2}
_HOUR_WORD = "|".join(sorted((w for w in _HOUR_WORDS if w not in ("few", "couple")), key=len))
_AMOUNT_WORDS = {**NUMBER_WORDS, "forty five": 45, "forty-five": 45, "sixty": 60, "ninety": 90}
_AMOUNT_WORD = "|".join(
    re.escape(w).replace(r"\ ", r"\s+")
    for w in sorted(_AMOUNT_WORDS, key=len, reverse=True)
    if w not in ("dozen", "handful", "bunch", "hundred")
)
_UNIT_AFTER = (
    r"(?:mg|mcg|µg|ug|g|ml|iu|units?|drops?|puffs?|tabs?|tablets?|pills?|caps?|capsules?|x|of"
    r"|hours?|hrs?|mins?|minutes?|days?)\b|%"
)
_AGO = re.compile(
    rf"""\b(?:
        (?P<half>half\s+an?\s+hour)
      | (?P<quarter>(?:a\s+)?quarter\s+(?:of\s+)?an?\s+hour)
      | (?:(?:an?|one)\s+)?(?P<hour_half>hour\s+and\s+a\s+half)
      | (?:a\s+)?(?P<num>\d{{1,3}}(?:[.,]\d)?|{_AMOUNT_WORD})(?:\s+of)?\s*
        (?P<unit>hours?|hrs?|h|minutes?|mins?|m)(?P<and_half>\s+and\s+a\s+half)?
    )\s+ago\b""",
    re.I | re.X,
)
_AMPM = re.compile(
    r"(?:\b(?:at|around|about|by)\s*|@\s*)?\b(?P<h>\d{1,2})(?:[:.h]?(?P<m>[0-5]\d))?\s*"
    r"(?P<ap>[ap])\.?\s?m\b\.?",
    re.I,
)
_HHMM = re.compile(
    rf"(?:\b(?:at|around|about|by)\s*|@\s*)?(?<![\d.,])(?P<t>\d{{1,2}}[:h]\d{{2}}"
    rf"|\d{{1,2}}\.\d{{2}}(?!\s*(?:{_UNIT_AFTER})))(?![\d])",
    re.I,
)
_NOON = re.compile(r"(?:\b(?:at|around|about|by)\s*|@\s*)?\b(?P<w>noon|mid-?day|midnight)\b", re.I)
_OCLOCK = re.compile(
    rf"(?:\b(?:at|around|about|by)\s*|@\s*)?\b(?P<h>\d{{1,2}}|{_HOUR_WORD})\s*o\s*['’`]?\s*clock\b",
    re.I,
)
_AT_HOUR = re.compile(
    rf"(?:\b(?:at|around)\s*|@\s*)\b(?P<h>\d{{1,2}}|{_HOUR_WORD})\b(?![:.,]\d)(?!\s*(?:{_UNIT_AFTER}))",
    re.I,
)
_HALF = re.compile(  # "in the morning" after an hour says which half of the day it is
    r"\b(?:in\s+the\s+(?P<part>morning|afternoon|evening)|at\s+(?P<night>night))\b", re.I
)
_PART = re.compile(
    r"""\b(?:
        (?P<tonight>tonight|tonite|2nite|2night)
      | (?P<last_night>last\s+night|last\s+nite|overnight)
      | (?P<bed>(?:before|at)\s+(?:bed|bedtime|sleep)|bed\s*time)
      | (?:(?P<qual>this|yesterday|yesterdays|last|tomorrow|tomorrows|today|todays|in\s+the
          |at|early|late|during\s+the|this\s+past)(?:['’]s)?\s+)?
        (?P<part>mornings?|mornin|afternoons?|evenings?|evenin|nights?|nite|lunch\s*time|lunch
          |breakfast|dinner\s*time|dinner|supper|tea\s*time)(?:['’]?s)?
    )\b""",
    re.I | re.X,
)
_DAY = re.compile(r"\b(?P<day>yesterday|yday|today|tomorrow)\b(?:['’]s)?", re.I)
_PART_WORDS = {
    "morning": DayPart.MORNING,
    "mornin": DayPart.MORNING,
    "breakfast": DayPart.MORNING,
    "afternoon": DayPart.AFTERNOON,
    "lunch": DayPart.AFTERNOON,
    "lunchtime": DayPart.AFTERNOON,
    "evening": DayPart.EVENING,
    "evenin": DayPart.EVENING,
    "dinner": DayPart.EVENING,
    "dinnertime": DayPart.EVENING,
    "supper": DayPart.EVENING,
    "tea": DayPart.EVENING,
    "teatime": DayPart.EVENING,
    "night": DayPart.NIGHT,
    "nite": DayPart.NIGHT,
}
_QUALIFIER_DAYS = {"yesterday": 1, "yesterdays": 1, "last": 1, "tomorrow": -1, "tomorrows": -1}
_DAY_WORDS = {"yesterday": 1, "yday": 1, "today": 0, "tomorrow": -1}
# Left behind once the time is cut out: "at", "with" (breakfast), "before" (bed).
_DANGLING = re.compile(r"\b(?:at|@|with|after|before|around|about|by|on|during|in\s+the)\s*$", re.I)


@dataclass(frozen=True, slots=True)
class _Clock:
    at: time
    twelve_hour: bool = False  # no am/pm and under 13: it or 12 hours later


def read_when(text: str) -> tuple[LoggedWhen, str]:
    """The time a phrase says a dose was taken, and the phrase without it."""
    ago, text = _cut(_AGO, text)
    clock, text = _clock(text)
    half, text = _cut(_HALF, text) if clock else (None, text)
    parts, text = _cut_all(_PART, text)
    day_match, text = _cut(_DAY, text)
    if ago is not None:
        return LoggedWhen(ago=_ago(ago)), text
    days_ago = _DAY_WORDS[day_match["day"].casefold()] if day_match else None
    # "at bedtime last night": the first says the part, any may say the day.
    said = [_part(match) for match in parts]
    part = said[0][0] if said else None
    if days_ago is None:
        days_ago = next((days for _, days in said if days is not None), None)
    said_day = days_ago is not None
    days_ago = days_ago or 0
    if clock is not None:
        if half is not None:
            part = DayPart.NIGHT if half["night"] else DayPart(half["part"].casefold())
        return _at(clock, part, days_ago, said_day), text
    if part is not None:
        return LoggedWhen(days_ago, part=part, or_yesterday=not said_day), text
    if days_ago:
        return LoggedWhen(days_ago, part=DayPart.DAY), text
    return LoggedWhen(), text


def _cut(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str] | None, str]:
    """The first match, and the text without it (and without an "at" it leaves dangling)."""
    match = pattern.search(text)
    if match is None:
        return None, text
    before = _DANGLING.sub("", text[: match.start()])
    return match, " ".join(f"{before} {text[match.end() :]}".split())


def _cut_all(pattern: re.Pattern[str], text: str) -> tuple[list[re.Match[str]], str]:
    """Every match, in turn, and the text without them."""
    found = []
    match, rest = _cut(pattern, text)
    while match is not None:
        found.append(match)
        text = rest
        match, rest = _cut(pattern, text)
    return found, text


def _ago(match: re.Match[str]) -> timedelta:
    if match["half"]:
        return timedelta(minutes=30)
    if match["quarter"]:
        return timedelta(minutes=15)
    if match["hour_half"]:
        return timedelta(minutes=90)
    spoken = " ".join(match["num"].casefold().split())
    amount = float(spoken.replace(",", ".")) if spoken[0].isdigit() else _AMOUNT_WORDS[spoken]
    amount += 0.5 if match["and_half"] else 0
    hours = match["unit"].casefold().startswith("h")
    ago = timedelta(hours=amount) if hours else timedelta(minutes=amount)
    if ago > MAX_AGO:
        raise ParseError(
            f"{match[0].strip()} is more than two days ago",
            "Say the day and time, e.g. /log took baclofen yesterday 21:00",
        )
    return ago


def _clock(text: str) -> tuple[_Clock | None, str]:
    """A clock time anywhere in the text: 7pm, 7:30 pm, 19:30, noon, 8 o'clock, at 8."""
    match, rest = _cut(_AMPM, text)
    if match:
        hour, minute = int(match["h"]), int(match["m"] or 0)
        if not 1 <= hour <= 12:
            raise ParseError(
                f"{match[0].strip()} is not a time of day", "e.g. 7pm, 7:30 pm or 19:30"
            )
        pm = match["ap"].casefold() == "p"
        return _Clock(time(hour % 12 + (12 if pm else 0), minute)), rest
    match, rest = _cut(_HHMM, text)
    if match:
        return _Clock(parse_time(match["t"].replace("h", ":").replace("H", ":"))), rest
    match, rest = _cut(_NOON, text)
    if match:
        return _Clock(time(0) if match["w"].casefold() == "midnight" else time(12)), rest
    for pattern in (_OCLOCK, _AT_HOUR):
        match, rest = _cut(pattern, text)
        if match:
            spoken = match["h"].casefold()
            hour = int(spoken) if spoken.isdigit() else _HOUR_WORDS[spoken]
            if hour > 23:
                raise ParseError(f"{match[0].strip()} is not a time of day", "e.g. at 19:30")
            return _Clock(time(hour), twelve_hour=1 <= hour <= 12), rest
    return None, text


def _part(match: re.Match[str]) -> tuple[DayPart, int | None]:
    """The part of the day and, if said, its day ("yesterday evening": 1; "evening": None)."""
    if match["tonight"]:
        return DayPart.NIGHT, 0
    if match["last_night"]:
        return DayPart.NIGHT, 1
    if match["bed"]:
        return DayPart.NIGHT, None
    word = re.sub(r"\s+|['’]?s$", "", match["part"].casefold())
    part = _PART_WORDS.get(word) or _PART_WORDS.get(word.removesuffix("s"), DayPart.DAY)
    qualifier = " ".join((match["qual"] or "").casefold().split())
    if not qualifier or qualifier == "at":
        return part, None
    return part, _QUALIFIER_DAYS.get(qualifier, 0)


def _at(clock: _Clock, part: DayPart | None, days_ago: int, said_day: bool) -> LoggedWhen:
    """A clock time, its half of the day settled by the part of the day said with it:
    "this evening at 8" is 20:00, "last night at 2" is 02:00 the morning after. Said without
    am/pm or a day ("at 8", "my evening pills at 7:30"), it is the latest that has passed."""
    at, vague = clock.at, clock.twelve_hour
    if part is None:
        return LoggedWhen(days_ago, at, twelve_hour=vague, or_yesterday=vague and not said_day)
    if part in (DayPart.AFTERNOON, DayPart.EVENING, DayPart.NIGHT) and at.hour < 12:
        vague = True
        if part is DayPart.NIGHT and at.hour < PART_WINDOWS[DayPart.NIGHT].end.hour:
            days_ago -= 1 if said_day else 0  # the small hours: the night's second day
        else:
            at = at.replace(hour=at.hour + 12)
    elif part is DayPart.MORNING:
        at = at.replace(hour=at.hour % 12)
    return LoggedWhen(days_ago, at, or_yesterday=vague and not said_day)


def taken_at(when: LoggedWhen, zone: ZoneInfo, now: datetime) -> TakenAt:
    """When, on the patient's clock in `zone`, a logged dose was taken (`now` aware UTC).

    A part of the day is recorded at its usual time, or now if that is still to come; a
    twelve-hour time at the latest of its two times that has passed.
    """
    if when.ago is not None:
        return TakenAt(now - when.ago, None, False)
    today = to_local(now, zone).date()
    day = today - timedelta(days=when.days_ago)
    if when.part is not None:
        return _in_part(when, zone, now, day)
    if when.at is None:
        return TakenAt(now, None, False)
    hours = (0, 12) if when.twelve_hour else (0,)
    days = (day, day - timedelta(days=1)) if when.or_yesterday else (day,)
    candidates = sorted(
        local_to_utc(d, when.at.replace(hour=(when.at.hour + h) % 24), zone)
        for d in days
        for h in hours
    )
    passed = [at for at in candidates if at <= now + FUTURE_SLACK]
    at = passed[-1] if passed else candidates[0]
    return TakenAt(at, None, at > now + FUTURE_SLACK)


def _in_part(when: LoggedWhen, zone: ZoneInfo, now: datetime, day: date) -> TakenAt:
    assert when.part is not None
    window = PART_WINDOWS[when.part]
    start, end, usual = _window(window, day, zone)
    if start > now and not when.days_ago:
        # "my evening dose" at breakfast: yesterday's; "tonight" at 1 am: the night under way.
        small_hours = window.end <= window.start and to_local(now, zone).time() < window.end
        if when.or_yesterday or small_hours:
            start, end, usual = _window(window, day - timedelta(days=1), zone)
    at = usual if usual <= now or start > now else now
    return TakenAt(at, (start, end), start > now + FUTURE_SLACK)


def _window(window: PartWindow, day: date, zone: ZoneInfo) -> tuple[datetime, datetime, datetime]:
    """UTC start, end and usual time of a part of the day on a local date."""
    start = local_to_utc(day, window.start, zone)
    ends_next_day = window.end <= window.start
    end_day = day + timedelta(days=1) if ends_next_day else day
    end = local_to_utc(end_day, window.end, zone)
    usual_day = end_day if ends_next_day and window.usual < window.start else day
    return start, end, local_to_utc(usual_day, window.usual, zone)


def with_day_known(when: LoggedWhen) -> LoggedWhen:
    """The same time, meant as said: today's even if still to come ("I'll skip tonight's")."""
    return replace(when, or_yesterday=False)


# ---- symptoms --------------------------------------------------------------------------


def _symptom_log(rest: str) -> SymptomLog:
    text = rest.strip(" :-")
    if not text:
        raise ParseError("the symptom is missing", f"e.g. {LOG_EXAMPLE}")
    if len(text) > MAX_SYMPTOM_LENGTH:
        raise ParseError(
            f"that is {len(text)} characters long",
            f"Describe the symptom in a few words, e.g. {LOG_EXAMPLE}",
        )
    return SymptomLog(text, _severity(text))


def symptom_in(text: str, *, better: bool = False) -> SymptomLog:
    """A symptom described in a message, never refused: "feeling dizzy" is "dizzy"; a long
    one is cut at a word."""
    cleaned = " ".join(text.split()).strip(" :-.,;!")
    if not better:
        match = _SYMPTOM.match(cleaned)
        cleaned = match["rest"].strip(" :-") if match and match["rest"].strip() else cleaned
    if len(cleaned) > MAX_SYMPTOM_LENGTH:
        cleaned = cleaned[: MAX_SYMPTOM_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return SymptomLog(cleaned, _severity(cleaned), better)


def _severity(text: str) -> str | None:
    scale = _SEVERITY_SCALE.search(text)
    if scale:
        return f"{scale['score']}/10"
    for word in re.findall(r"[a-z]+", text.casefold()):
        if word in _SEVERITY_WORDS:
            return _SEVERITY_WORDS[word]
    return None
