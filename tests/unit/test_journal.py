"""/log text: doses with when they were taken, symptoms with an optional severity; and when,
on the patient's clock, a dose said "at 7pm", "an hour ago" or "last night" was taken."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.journal import (
    DayPart,
    DoseLog,
    LoggedWhen,
    SymptomLog,
    TakenAt,
    dose_log_in,
    parse_log,
    read_when,
    symptom_in,
    taken_at,
    with_day_known,
)
from bot.domain.parsing import ParseError

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant given as Berlin wall time (the first occurrence if it happens twice)."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def _either_half(hour: int) -> LoggedWhen:
    return LoggedWhen(at=time(hour), twelve_hour=True, or_yesterday=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("took baclofen 5 mg", DoseLog("baclofen", "5 mg", LoggedWhen())),
        ("took my pills", DoseLog(None, None, LoggedWhen())),
        ("Took it", DoseLog(None, None, LoggedWhen())),
        ("took baclofen at 8:15", DoseLog("baclofen", None, LoggedWhen(0, time(8, 15)))),
        (
            "took Lioresal 10mg yesterday 21:00",
            DoseLog("Lioresal", "10 mg", LoggedWhen(1, time(21))),
        ),
        ("I took my meds today at 07:45", DoseLog(None, None, LoggedWhen(0, time(7, 45)))),
        ("took baclofen 10 mg at 7pm", DoseLog("baclofen", "10 mg", LoggedWhen(0, time(19)))),
        ("took 10 mg of baclofen", DoseLog("baclofen", "10 mg", LoggedWhen())),
        (
            "took baclofen 10 mg an hour ago",
            DoseLog("baclofen", "10 mg", LoggedWhen(ago=timedelta(hours=1))),
        ),
        (
            "took baclofen this morning",
            DoseLog("baclofen", None, LoggedWhen(part=DayPart.MORNING)),
        ),
        ("took half a tablet", DoseLog(None, "0.5 tablet", LoggedWhen())),
        ("took baclofen with water", DoseLog("baclofen", None, LoggedWhen())),
        ("took the 8 o'clock one", DoseLog(None, None, _either_half(8))),
    ],
)
def test_dose_logs(text: str, expected: DoseLog) -> None:
    assert parse_log(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("symptom dizziness", SymptomLog("dizziness", None)),
        ("symptom: nausea moderate", SymptomLog("nausea moderate", "moderate")),
        ("feel sleepy 7/10", SymptomLog("sleepy 7/10", "7/10")),
        ("headache, mild", SymptomLog("headache, mild", "mild")),
        ("I had a seizure", SymptomLog("I had a seizure", None)),
        ("I'm feeling dizzy", SymptomLog("dizzy", None)),
    ],
)
def test_symptom_logs(text: str, expected: SymptomLog) -> None:
    assert parse_log(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "nothing to record"),
        ("symptom", "the symptom is missing"),
        ("took baclofen at 25:00", "25:00 is not a time of day"),
        ("took baclofen yesterday", "which time yesterday?"),
        ("symptom " + "x" * 300, "characters long"),
        ("took it at 13pm", "13pm is not a time of day"),
        ("took it 300 hours ago", "more than two days ago"),
    ],
)
def test_bad_logs_are_explained(text: str, problem: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_log(text)
    assert problem in caught.value.problem


# ---- the words for a time --------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("", LoggedWhen()),
        ("just now", LoggedWhen()),
        ("at 7pm", LoggedWhen(0, time(19))),
        ("at 7 pm", LoggedWhen(0, time(19))),
        ("at 7:30 pm", LoggedWhen(0, time(19, 30))),
        ("at 7.30pm", LoggedWhen(0, time(19, 30))),
        ("at 7 p.m.", LoggedWhen(0, time(19))),
        ("at 12am", LoggedWhen(0, time(0))),
        ("at 12pm", LoggedWhen(0, time(12))),
        ("at 19:30", LoggedWhen(0, time(19, 30))),
        ("@ 19:30", LoggedWhen(0, time(19, 30))),
        ("at noon", LoggedWhen(0, time(12))),
        ("at midnight", LoggedWhen(0, time(0))),
        ("yesterday at 9pm", LoggedWhen(1, time(21))),
        ("at 9pm yesterday", LoggedWhen(1, time(21))),
        ("yesterday 21:00", LoggedWhen(1, time(21))),
        ("at 8", _either_half(8)),
        ("around 10", _either_half(10)),
        ("at eight", _either_half(8)),
        ("8 o'clock", _either_half(8)),
        ("yesterday at 8", LoggedWhen(1, time(8), twelve_hour=True)),
        ("at 8 in the morning", LoggedWhen(0, time(8), or_yesterday=True)),
        ("at 9 in the evening", LoggedWhen(0, time(21), or_yesterday=True)),
        ("this evening at 8", LoggedWhen(0, time(20))),
        ("last night at 11", LoggedWhen(1, time(23))),
        ("last night at 2", LoggedWhen(0, time(2))),  # the small hours of today
        ("an hour ago", LoggedWhen(ago=timedelta(hours=1))),
        ("1 hour ago", LoggedWhen(ago=timedelta(hours=1))),
        ("2 hours ago", LoggedWhen(ago=timedelta(hours=2))),
        ("2hrs ago", LoggedWhen(ago=timedelta(hours=2))),
        ("30 minutes ago", LoggedWhen(ago=timedelta(minutes=30))),
        ("20 min ago", LoggedWhen(ago=timedelta(minutes=20))),
        ("ten minutes ago", LoggedWhen(ago=timedelta(minutes=10))),
        ("half an hour ago", LoggedWhen(ago=timedelta(minutes=30))),
        ("an hour and a half ago", LoggedWhen(ago=timedelta(minutes=90))),
        ("a couple of hours ago", LoggedWhen(ago=timedelta(hours=2))),
        ("this morning", LoggedWhen(0, part=DayPart.MORNING)),
        ("this afternoon", LoggedWhen(0, part=DayPart.AFTERNOON)),
        ("this evening", LoggedWhen(0, part=DayPart.EVENING)),
        ("tonight", LoggedWhen(0, part=DayPart.NIGHT)),
        ("last night", LoggedWhen(1, part=DayPart.NIGHT)),
        ("yesterday morning", LoggedWhen(1, part=DayPart.MORNING)),
        ("yesterday evening", LoggedWhen(1, part=DayPart.EVENING)),
        ("this morning's dose", LoggedWhen(0, part=DayPart.MORNING)),
        ("at bedtime last night", LoggedWhen(1, part=DayPart.NIGHT)),
        ("my evening dose", LoggedWhen(part=DayPart.EVENING, or_yesterday=True)),
        ("with breakfast", LoggedWhen(part=DayPart.MORNING, or_yesterday=True)),
        ("before bed", LoggedWhen(part=DayPart.NIGHT, or_yesterday=True)),
        ("yesterday", LoggedWhen(1, part=DayPart.DAY)),
    ],
)
def test_the_words_for_when_a_dose_was_taken(said: str, expected: LoggedWhen) -> None:
    assert read_when(said)[0] == expected


def test_the_time_is_cut_from_the_phrase_and_an_amount_is_not_read_as_a_time() -> None:
    assert read_when("baclofen at 7:30 pm with food") == (
        LoggedWhen(0, time(19, 30)),
        "baclofen with food",
    )
    assert dose_log_in("2.50 mg at 8") == DoseLog(None, "2.50 mg", _either_half(8))
    assert dose_log_in("about 10 tablets") == DoseLog(None, "10 tablets", LoggedWhen())


# ---- when, on the patient's clock -------------------------------------------------------

EVENING = berlin(2025, 6, 10, 20, 30)  # a summer evening in Berlin (UTC+2)


def at(said: str, now: datetime, zone: ZoneInfo = BERLIN) -> TakenAt:
    return taken_at(read_when(said)[0], zone, now)


def test_nothing_said_is_now() -> None:
    assert at("", EVENING) == TakenAt(EVENING, None, in_future=False)


@pytest.mark.parametrize(
    ("said", "local"),
    [
        ("at 7pm", (2025, 6, 10, 19, 0)),
        ("at 7:30 pm", (2025, 6, 10, 19, 30)),
        ("at 19:30", (2025, 6, 10, 19, 30)),
        ("at noon", (2025, 6, 10, 12, 0)),
        ("yesterday at 9pm", (2025, 6, 9, 21, 0)),
        ("yesterday 21:00", (2025, 6, 9, 21, 0)),
        ("an hour ago", (2025, 6, 10, 19, 30)),
        ("20 min ago", (2025, 6, 10, 20, 10)),
        ("at 8", (2025, 6, 10, 20, 0)),  # 20:00 has passed, so not 08:00
        ("at 9", (2025, 6, 10, 9, 0)),  # 21:00 is still to come
    ],
)
def test_a_time_is_one_instant_on_the_patients_clock(
    said: str, local: tuple[int, int, int, int, int]
) -> None:
    taken = at(said, EVENING)
    assert (taken.at, taken.window, taken.in_future) == (berlin(*local), None, False)


@pytest.mark.parametrize(
    ("said", "start", "end", "usual"),
    [
        ("this morning", (2025, 6, 10, 5), (2025, 6, 10, 12), (2025, 6, 10, 8)),
        ("this afternoon", (2025, 6, 10, 12), (2025, 6, 10, 17), (2025, 6, 10, 14)),
        ("this evening", (2025, 6, 10, 17), (2025, 6, 10, 23), (2025, 6, 10, 19)),
        ("last night", (2025, 6, 9, 18), (2025, 6, 10, 5), (2025, 6, 9, 22)),
        ("yesterday morning", (2025, 6, 9, 5), (2025, 6, 9, 12), (2025, 6, 9, 8)),
        ("yesterday evening", (2025, 6, 9, 17), (2025, 6, 9, 23), (2025, 6, 9, 19)),
        ("yesterday", (2025, 6, 9, 0), (2025, 6, 10, 0), (2025, 6, 9, 12)),
    ],
)
def test_a_part_of_the_day_is_a_window_with_its_usual_time(
    said: str,
    start: tuple[int, int, int, int],
    end: tuple[int, int, int, int],
    usual: tuple[int, int, int, int],
) -> None:
    taken = at(said, EVENING)
    assert taken == TakenAt(berlin(*usual), (berlin(*start), berlin(*end)), in_future=False)


def test_a_part_of_the_day_under_way_is_recorded_now_if_its_usual_time_is_to_come() -> None:
    taken = at("tonight", EVENING)  # 20:30, the night's usual time is 22:00
    assert taken.at == EVENING and not taken.in_future
    assert taken.window == (berlin(2025, 6, 10, 18), berlin(2025, 6, 11, 5))


def test_a_time_still_to_come_is_in_the_future_and_refused() -> None:
    assert at("at 9pm", EVENING).in_future
    assert at("in 5 minutes at 20:45", EVENING).in_future
    assert not at("at 20:31", EVENING).in_future  # a clock a minute fast is no mistake
    assert at("tonight", berlin(2025, 6, 10, 10, 0)).in_future


def test_a_part_of_the_day_said_without_a_day_is_the_latest_begun() -> None:
    breakfast = berlin(2025, 6, 11, 8, 0)
    taken = at("my evening dose", breakfast)
    assert taken.window == (berlin(2025, 6, 10, 17), berlin(2025, 6, 10, 23))
    assert not taken.in_future
    # The same words as a plan ("I'll skip my evening dose") are today's.
    planned = taken_at(with_day_known(read_when("my evening dose")[0]), BERLIN, breakfast)
    assert planned.window == (berlin(2025, 6, 11, 17), berlin(2025, 6, 11, 23))
    assert planned.in_future


def test_a_clock_time_said_with_a_part_of_the_day_but_no_day_is_the_latest_passed() -> None:
    breakfast = berlin(2025, 6, 11, 8, 0)
    assert at("my evening pills at 7:30", breakfast).at == berlin(2025, 6, 10, 19, 30)
    assert at("this evening at 7:30", breakfast).in_future  # today's, said so


def test_across_midnight() -> None:
    after_midnight = berlin(2025, 6, 11, 0, 30)
    assert at("an hour ago", after_midnight).at == berlin(2025, 6, 10, 23, 30)
    assert at("yesterday at 11pm", after_midnight).at == berlin(2025, 6, 10, 23, 0)
    assert at("at 11pm", after_midnight).in_future  # said without "yesterday": refused
    assert at("at 10", after_midnight).at == berlin(2025, 6, 10, 22, 0)
    tonight = at("tonight", after_midnight)  # the night under way began yesterday
    assert tonight.window == (berlin(2025, 6, 10, 18), berlin(2025, 6, 11, 5))
    assert not tonight.in_future
    assert at("last night", after_midnight).window == tonight.window


def test_spring_forward_in_berlin() -> None:
    morning = berlin(2025, 3, 30, 9, 0)  # clocks went from 02:00 to 03:00 today
    # 02:30 did not exist: the first valid minute after it, as for reminders.
    assert at("at 2:30", morning).at == datetime(2025, 3, 30, 1, 0, tzinfo=UTC)
    assert at("3 hours ago", morning).at == morning - timedelta(hours=3)
    night = at("last night", morning).window
    assert night is not None and night[1] - night[0] == timedelta(hours=10)  # an hour short
    assert at("yesterday at 9pm", morning).at == datetime(2025, 3, 29, 20, 0, tzinfo=UTC)


def test_fall_back_in_berlin() -> None:
    after = datetime(2025, 10, 26, 2, 30, tzinfo=UTC)  # 03:30 CET, an hour after 02:30 CEST
    # 02:30 happened twice: the first, as for reminders, which is 2 real hours ago.
    assert at("at 2:30", after).at == at("2 hours ago", after).at
    day = at("yesterday", datetime(2025, 10, 27, 9, tzinfo=UTC)).window
    assert day is not None and day[1] - day[0] == timedelta(hours=25)


def test_another_zone_reads_the_same_words_on_its_own_clock() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    now = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)  # 21:00 in Tokyo
    assert at("at 7pm", now, tokyo).at == datetime(2025, 6, 10, 10, 0, tzinfo=UTC)
    assert at("at 7pm", now, ZoneInfo("UTC")).in_future


# ---- symptoms in a message --------------------------------------------------------------


def test_a_symptom_in_a_message_is_never_refused() -> None:
    assert symptom_in("feeling dizzy") == SymptomLog("dizzy", None)
    assert symptom_in("not dizzy anymore", better=True) == SymptomLog(
        "not dizzy anymore", None, better=True
    )
    long = symptom_in("so tired " * 100)
    assert len(long.text) <= 200 and long.text.endswith("…")


def _read(text: str) -> DoseLog | SymptomLog | ParseError:
    try:
        return parse_log(text)
    except ParseError as error:
        return error


@given(st.text(max_size=300))
def test_any_log_text_is_read_or_explained(text: str) -> None:
    outcome = _read(text)
    assert not isinstance(outcome, ParseError) or (outcome.problem and outcome.hint)
