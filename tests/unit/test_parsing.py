"""Parsing what a patient types: /add arguments, doses, times; bad input gets a useful hint."""

import contextlib
import random
from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.model import Schedule
from bot.domain.parsing import (
    DEFAULT_TIMES,
    MAX_TIMES_PER_DAY,
    AddRequest,
    EditRequest,
    MissingDose,
    ParseError,
    ScheduleRequest,
    describe_schedule,
    parse_add,
    parse_dose,
    parse_edit,
    parse_name,
    parse_schedule,
    parse_time,
    parse_times,
)

TODAY = date(2026, 3, 3)  # a Tuesday

TWO_HUNDRED_TIMES = " ".join(f"{h % 24:02d}:{h // 24:02d}" for h in range(200))


@pytest.mark.parametrize(
    ("text", "name", "dose", "times"),
    [
        ("Baclofen 5 mg at 08:00 14:00 20:00", "Baclofen", "5 mg", ((8, 0), (14, 0), (20, 0))),
        ("baclofen 5mg at 8:00", "baclofen", "5 mg", ((8, 0),)),
        ("Vitamin D3 1000 IU at 09:00", "Vitamin D3", "1000 IU", ((9, 0),)),
        ("Baclofen 2,5 MG at 20.30 07:15", "Baclofen", "2.5 mg", ((7, 15), (20, 30))),
        ("Co-codamol 1 tablet at 22:00", "Co-codamol", "1 tablet", ((22, 0),)),
        ("באקלופן 5 mg at 08:00", "באקלופן", "5 mg", ((8, 0),)),
    ],
)
def test_add_arguments_give_name_dose_and_sorted_times(text, name, dose, times):
    request = parse_add(text)
    assert request.name == name
    assert request.dose == dose
    assert request.times == tuple(time(h, m) for h, m in times)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Baclofen 5 mg at 25:99", "25:99 is not a time of day"),
        ("Baclofen 5 mg at teatime", "“teatime” is not a time"),
        ("Baclofen 5 mg 8", "did not understand “8”"),
        ("Baclofen at 08:00", "could not find the dose"),
        ("Baclofen five mg at 08:00", "could not find the dose"),
        ("Baclofen 0 mg at 08:00", "more than zero"),
        ("Baclofen 5 mg at 08:00 08:00", "the same time is listed twice"),
        ("💊💊 5 mg at 08:00", "the name has no letters"),
        ("Bac\u202eofen 5 mg at 08:00", "invisible control character (U+202E)"),
        ("x'); DROP TABLE patient;-- 5 mg at 08:00", "the name contains “;”"),
        ("A" * 4000 + " 5 mg at 08:00", "the name is 4000 characters long"),
        (
            "Baclofen 5 mg at " + " ".join(f"{h % 24:02d}:{h // 24:02d}" for h in range(200)),
            "200 times a day",
        ),
    ],
)
def test_bad_add_arguments_say_what_is_wrong_with_an_example(text, problem):
    with pytest.raises(ParseError) as caught:
        parse_add(text)
    assert problem in caught.value.problem
    assert caught.value.hint


def test_too_many_times_is_refused_at_the_limit_plus_one():
    allowed = " ".join(f"{h:02d}:00" for h in range(MAX_TIMES_PER_DAY))
    assert len(parse_add(f"Baclofen 5 mg at {allowed}").times) == MAX_TIMES_PER_DAY
    with pytest.raises(ParseError):
        parse_add(f"Baclofen 5 mg at {allowed} 23:30")


@pytest.mark.parametrize(("text", "expected"), [("0:00", time(0, 0)), ("23:59", time(23, 59))])
def test_time_bounds(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "12:60", "-1:00", "1200", ""])
def test_times_out_of_range_are_refused(text):
    with pytest.raises(ParseError):
        parse_time(text)


@pytest.mark.parametrize("text", ["5", "mg", "5 zorkmids", "5 mg 3"])
def test_dose_needs_an_amount_and_a_known_unit(text):
    with pytest.raises(ParseError):
        parse_dose(text)


@given(st.text(max_size=300))
def test_any_text_either_parses_or_gives_a_hint(text):
    try:
        request = parse_add(text)
    except ParseError as error:
        assert error.problem  # noqa: PT017 - either outcome is checked, by design
        assert error.hint  # noqa: PT017
    else:
        assert parse_name(request.name) == request.name
        if request.schedule.as_needed:
            assert request.times == ()
        else:
            assert 1 <= len(request.times) <= MAX_TIMES_PER_DAY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8am", time(8, 0)),
        ("8 am", time(8, 0)),
        ("8AM", time(8, 0)),
        ("8:30pm", time(20, 30)),
        ("8:30 p.m.", time(20, 30)),
        ("8.15 a.m.", time(8, 15)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("12:30am", time(0, 30)),
        ("noon", time(12, 0)),
        ("Midday", time(12, 0)),
        ("midnight", time(0, 0)),
        ("7h15", time(7, 15)),
    ],
)
def test_twelve_hour_clock_and_named_times_are_times(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["13pm", "0am", "8:75pm", "00:30am"])
def test_twelve_hour_times_out_of_range_say_hours_go_one_to_twelve(text):
    with pytest.raises(ParseError) as caught:
        parse_time(text)
    assert "not a time of day" in caught.value.problem
    assert "1–12" in caught.value.hint


@pytest.mark.parametrize(
    "text",
    [
        "Baclofen 5 mg at 8am 2pm 8pm",
        "Baclofen 5 mg at 8am, 2pm and 8pm",
        "Baclofen 5 mg at 8 am 2 pm 8 pm",
        "Baclofen 5 mg at 8 a.m., 2 p.m. and 8 p.m.",
        "Baclofen 5 mg at 08:00, 14:00 and at 20:00",
    ],
)
def test_times_with_am_pm_commas_and_and_are_one_list(text):
    request = parse_add(text, TODAY)
    assert request.times == (time(8, 0), time(14, 0), time(20, 0))
    assert not request.from_words


def hm(*pairs: tuple[int, int]) -> tuple[time, ...]:
    return tuple(time(h, m) for h, m in pairs)


@pytest.mark.parametrize(
    ("words", "times"),
    [
        ("once a day", hm((8, 0))),
        ("daily", hm((8, 0))),
        ("every day", hm((8, 0))),
        ("once daily", hm((8, 0))),
        ("twice a day", hm((8, 0), (20, 0))),
        ("two times a day", hm((8, 0), (20, 0))),
        ("2x daily", hm((8, 0), (20, 0))),
        ("morning and evening", hm((8, 0), (20, 0))),
        ("bid", hm((8, 0), (20, 0))),
        ("b.i.d.", hm((8, 0), (20, 0))),
        ("three times a day", hm((8, 0), (14, 0), (20, 0))),
        ("3 times per day", hm((8, 0), (14, 0), (20, 0))),
        ("tid", hm((8, 0), (14, 0), (20, 0))),
        ("four times a day", hm((8, 0), (12, 0), (16, 0), (20, 0))),
        ("qid", hm((8, 0), (12, 0), (16, 0), (20, 0))),
        ("every morning", hm((8, 0))),
        ("in the morning", hm((8, 0))),
        ("every evening", hm((20, 0))),
        ("in the evening", hm((20, 0))),
        ("at night", hm((22, 0))),
        ("at bedtime", hm((22, 0))),
        ("morning, noon and night", hm((8, 0), (12, 0), (22, 0))),
        ("in the morning and at night", hm((8, 0), (22, 0))),
    ],
)
def test_schedule_words_give_the_default_times_to_confirm(words, times):
    request = parse_add(f"Baclofen 5 mg {words}", TODAY)
    assert (request.name, request.dose, request.times) == ("Baclofen", "5 mg", times)
    assert request.from_words


def test_noon_is_an_exact_time_not_a_default_to_confirm():
    request = parse_add("Baclofen 5 mg at noon", TODAY)
    assert request.times == (time(12, 0),)
    assert not request.from_words


def test_the_defaults_for_words_live_in_one_table():
    assert DEFAULT_TIMES["twice a day"] == (time(8, 0), time(20, 0))
    assert DEFAULT_TIMES["night"] == (time(22, 0),)


def test_times_given_with_a_count_win_over_the_defaults_when_they_agree():
    request = parse_add("Baclofen 5 mg twice a day at 9am and 9pm", TODAY)
    assert request.times == (time(9, 0), time(21, 0))
    assert not request.from_words
    with pytest.raises(ParseError, match="3 times a day, but 2 times are listed"):
        parse_add("Baclofen 5 mg three times a day at 9am and 9pm", TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Vitamin D 1000 IU at 09:00 every 2 days",
            Schedule(times=hm((9, 0)), every_days=2, starts_on=TODAY),
        ),
        (
            "Vitamin D 1000 IU every 2 days at 09:00",
            Schedule(times=hm((9, 0)), every_days=2, starts_on=TODAY),
        ),
        (
            "Vitamin D 1000 IU at 09:00 every other day",
            Schedule(times=hm((9, 0)), every_days=2, starts_on=TODAY),
        ),
        (
            "Vitamin D 1000 IU at 09:00 every 2 weeks",
            Schedule(times=hm((9, 0)), every_days=14, starts_on=TODAY),
        ),
        (
            "Vitamin D 1000 IU at 09:00 on mon wed fri",
            Schedule(times=hm((9, 0)), weekdays=frozenset({0, 2, 4})),
        ),
        (
            "Vitamin D 1000 IU at 09:00 on Monday, Wednesday and Friday",
            Schedule(times=hm((9, 0)), weekdays=frozenset({0, 2, 4})),
        ),
        (
            "Vitamin D 1000 IU at 09:00 on tues/thurs",
            Schedule(times=hm((9, 0)), weekdays=frozenset({1, 3})),
        ),
        (
            "Vitamin D 1000 IU at 09:00 on weekdays",
            Schedule(times=hm((9, 0)), weekdays=frozenset(range(5))),
        ),
        (
            "Vitamin D 1000 IU at 09:00 on weekends",
            Schedule(times=hm((9, 0)), weekdays=frozenset({5, 6})),
        ),
        (
            "Amoxicillin 500 mg at 08:00 for 10 days",
            Schedule(times=hm((8, 0)), starts_on=TODAY, ends_on=date(2026, 3, 12)),
        ),
        (
            "Amoxicillin 500 mg at 08:00 for 2 weeks",
            Schedule(times=hm((8, 0)), starts_on=TODAY, ends_on=date(2026, 3, 16)),
        ),
        (
            "Vitamin D 1000 IU at 08:00 until 2027-01-31",
            Schedule(times=hm((8, 0)), ends_on=date(2027, 1, 31)),
        ),
        (
            "Vitamin D 1000 IU at 08:00 until 31 jan 2027",
            Schedule(times=hm((8, 0)), ends_on=date(2027, 1, 31)),
        ),
        (
            "Vitamin D 1000 IU at 08:00 until January 31st, 2027",
            Schedule(times=hm((8, 0)), ends_on=date(2027, 1, 31)),
        ),
        # Without a year: the next such date from today on.
        (
            "Vitamin D 1000 IU at 08:00 until jan 31",
            Schedule(times=hm((8, 0)), ends_on=date(2027, 1, 31)),
        ),
        (
            "Vitamin D 1000 IU at 08:00 until 3 mar",
            Schedule(times=hm((8, 0)), ends_on=TODAY),
        ),
        (
            "Vitamin D 1000 IU at 08:00 on mon wed fri until 2027-01-31",
            Schedule(times=hm((8, 0)), weekdays=frozenset({0, 2, 4}), ends_on=date(2027, 1, 31)),
        ),
        (
            "Amoxicillin 500 mg three times a day every 2 days for 10 days",
            Schedule(
                times=hm((8, 0), (14, 0), (20, 0)),
                every_days=2,
                starts_on=TODAY,
                ends_on=date(2026, 3, 12),
            ),
        ),
    ],
)
def test_modifiers_narrow_the_days(text, expected):
    assert parse_add(text, TODAY).schedule == expected


def test_days_without_times_get_one_default_time_to_confirm():
    request = parse_add("Vitamin D 1000 IU every 2 days", TODAY)
    assert request.schedule == Schedule(times=hm((8, 0)), every_days=2, starts_on=TODAY)
    assert request.from_words
    assert parse_add("Methotrexate 10 mg weekly", TODAY).schedule.every_days == 7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ibuprofen 200 mg as needed max 3/day min 6h apart",
            Schedule(as_needed=True, max_per_day=3, min_gap=timedelta(hours=6)),
        ),
        ("Ibuprofen 200 mg as needed", Schedule(as_needed=True)),
        ("Ibuprofen 200 mg prn", Schedule(as_needed=True)),
        ("Ibuprofen 200 mg when needed max 3 a day", Schedule(as_needed=True, max_per_day=3)),
        (
            "Ibuprofen 200 mg as required up to 4 a day at least 4 hours apart",
            Schedule(as_needed=True, max_per_day=4, min_gap=timedelta(hours=4)),
        ),
        (
            "Ibuprofen 200 mg as needed at most 3 times a day every 6 hours at most",
            Schedule(as_needed=True, max_per_day=3, min_gap=timedelta(hours=6)),
        ),
        (
            "Ibuprofen 200 mg every 6 hours as needed",
            Schedule(as_needed=True, min_gap=timedelta(hours=6)),
        ),
        (
            "Ibuprofen 200 mg max 3/day as needed min 4.5 h apart",
            Schedule(as_needed=True, max_per_day=3, min_gap=timedelta(hours=4, minutes=30)),
        ),
    ],
)
def test_as_needed_has_no_times_and_optional_limits(text, expected):
    request = parse_add(text, TODAY)
    assert request.schedule == expected
    assert request.times == ()


@pytest.mark.parametrize(
    "text",
    [
        "Baclofen 10 mg at 08:00 and 5 mg at 20:00",
        "Baclofen 10 mg at 08:00, 5 mg at 20:00",
        "Baclofen 10 mg at 8am 5 mg at 8pm",
    ],
)
def test_different_amounts_at_different_times(text):
    request = parse_add(text, TODAY)
    assert request.dose == "10 mg"
    assert request.schedule.times == hm((8, 0), (20, 0))
    assert request.schedule.amounts == ("10 mg", "5 mg")


def test_amounts_follow_their_times_into_time_order():
    request = parse_add("Baclofen 10 mg at 20:00 and 5 mg at 08:00 12:00", TODAY)
    assert request.dose == "10 mg"
    assert request.schedule.times == hm((8, 0), (12, 0), (20, 0))
    assert request.schedule.amounts == ("5 mg", "5 mg", "10 mg")
    assert request.schedule.amount_at(time(20, 0)) == "10 mg"


def test_the_same_amount_everywhere_needs_no_amounts():
    request = parse_add("Baclofen 10 mg at 08:00 and 10 mg at 20:00", TODAY)
    assert request.schedule.amounts == ()


def test_a_dose_right_after_the_dose_belongs_to_the_name():
    request = parse_add("Tylenol 500 mg 2 tablets at 8am", TODAY)
    assert (request.name, request.dose, request.schedule.amounts) == (
        "Tylenol 500 mg",
        "2 tablets",
        (),
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Baclofen 5 mg", "could not find “at”"),
        ("Baclofen 5 mg at 13pm", "13pm is not a time of day"),
        ("Baclofen 5 mg at 08:00 blah", "did not understand “blah”"),
        ("Baclofen 5 mg at 08:00 every 6 hours", "every 6 hours: which clock times?"),
        ("Baclofen 5 mg twice a week", "twice a week needs the days"),
        ("Baclofen 5 mg twice", "how often?"),
        ("Baclofen 5 mg 5 times a day", "5 times a day: which clock times?"),
        ("Baclofen 5 mg 20 times a day", "is not a schedule I can remind"),
        ("Baclofen 5 mg at 08:00 every 0 days", "every 0 days"),
        ("Baclofen 5 mg at 08:00 every 999 days", "every 999 days"),
        ("Baclofen 5 mg at 08:00 every 2 days and every 3 days", "both given"),
        ("Baclofen 5 mg at 08:00 every 2 days on mon", "ambiguous"),
        ("Baclofen 5 mg at 08:00 every blah", "“every blah” is not a schedule"),
        ("Baclofen 5 mg at 08:00 on", "on which days?"),
        ("Baclofen 5 mg at 08:00 on blah", "on which days?"),
        ("Baclofen 5 mg at 08:00 for", "for how long?"),
        ("Baclofen 5 mg at 08:00 for 2 decades", "for how long?"),
        ("Baclofen 5 mg at 08:00 for 400 days", "400 days"),
        ("Baclofen 5 mg at 08:00 for 10 days until 2027-01-31", "the end is given twice"),
        ("Baclofen 5 mg for 10 days", "how often in that time?"),
        ("Baclofen 5 mg at 08:00 until 2020-01-01", "1 Jan 2020 is in the past"),
        ("Baclofen 5 mg at 08:00 until 2027-02-30", "is not a date"),
        ("Baclofen 5 mg at 08:00 until feb 30", "is not a date"),
        ("Baclofen 5 mg at 08:00 until someday", "until when?"),
        ("Baclofen 5 mg at 08:00 until", "until when?"),
        ("Ibuprofen 200 mg as needed at 08:00", "as needed has no set times"),
        ("Ibuprofen 200 mg as needed twice a day", "as needed has no set times"),
        ("Ibuprofen 200 mg as needed on mon", "as needed has no days"),
        ("Ibuprofen 200 mg at 08:00 max 3/day", "goes with “as needed”"),
        ("Ibuprofen 200 mg as needed max 3", "how many doses a day at most?"),
        ("Ibuprofen 200 mg as needed max 99/day", "99 a day is not a limit"),
        ("Ibuprofen 200 mg as needed min apart", "how long apart?"),
        ("Ibuprofen 200 mg as needed min 0h apart", "0 h apart is not a gap"),
        ("Ibuprofen 200 mg as needed min 100h apart", "100 h apart is not a gap"),
        ("Baclofen at 08:00 and 5 mg at 20:00", "the name contains “:”"),
    ],
)
def test_every_refusal_says_what_is_wrong_with_a_hint(text, problem):
    with pytest.raises(ParseError) as caught:
        parse_add(text, TODAY)
    assert problem in caught.value.problem
    assert caught.value.hint


def test_add_request_still_takes_plain_times():
    request = AddRequest("Baclofen", "5 mg", (time(20, 0), time(8, 0)))
    assert request.schedule == Schedule(times=hm((8, 0), (20, 0)))
    assert request.times == hm((8, 0), (20, 0))
    assert not request.from_words
    assert request == AddRequest("Baclofen", "5 mg", Schedule(times=hm((8, 0), (20, 0))))


def test_guided_times_accept_twelve_hour_clock_and_commas():
    assert parse_times(["8", "am,", "2pm", "and", "8pm"]) == hm((8, 0), (14, 0), (20, 0))
    with pytest.raises(ParseError, match="no time given"):
        parse_times([])


@pytest.mark.parametrize(
    ("text", "expected", "from_words"),
    [
        ("08:00 20:00", Schedule(times=hm((8, 0), (20, 0))), False),
        (
            "8am 8pm every 2 days",
            Schedule(hm((8, 0), (20, 0)), every_days=2, starts_on=TODAY),
            False,
        ),
        ("twice a day", Schedule(times=hm((8, 0), (20, 0))), True),
        ("as needed max 3/day", Schedule(as_needed=True, max_per_day=3), False),
    ],
)
def test_a_schedule_alone_for_the_guided_flow(text, expected, from_words):
    request = parse_schedule(text, dose="5 mg", today=TODAY)
    assert (request.schedule, request.from_words) == (expected, from_words)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Baclofen 10 mg at 08:00 12:00 16:00 20:00",
            EditRequest("Baclofen", "10 mg", Schedule(hm((8, 0), (12, 0), (16, 0), (20, 0)))),
        ),
        ("Baclofen at 9am 9pm", EditRequest("Baclofen", None, Schedule(hm((9, 0), (21, 0))))),
        ("Baclofen 5 mg", EditRequest("Baclofen", "5 mg", None)),
        (
            "Vitamin D every 2 days at 09:00",
            EditRequest("Vitamin D", None, Schedule(hm((9, 0)), every_days=2, starts_on=TODAY)),
        ),
        (
            "Baclofen twice a day",
            EditRequest("Baclofen", None, Schedule(hm((8, 0), (20, 0))), from_words=True),
        ),
        (
            "Baclofen 10 mg at 08:00 and 5 mg at 20:00",
            EditRequest(
                "Baclofen", "10 mg", Schedule(hm((8, 0), (20, 0)), amounts=("10 mg", "5 mg"))
            ),
        ),
        ("Baclofen", EditRequest("Baclofen", None, None)),
        # Schedule words inside a name do not make it a schedule.
        ("Day & Night Cold", EditRequest("Day & Night Cold", None, None)),
        ("Day & Night Cold at 9am", EditRequest("Day & Night Cold", None, Schedule(hm((9, 0))))),
    ],
)
def test_edit_takes_a_dose_a_schedule_or_both(text, expected):
    assert parse_edit(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "which medication?"),
        ("Baclofen every blah", "“every blah” is not a schedule"),
        ("Baclofen at 25:00", "25:00 is not a time of day"),
        ("Baclofen 0 mg", "more than zero"),
        ("Baclofen at 08:00 and 5 mg at 20:00", "the first dose is missing"),
    ],
)
def test_bad_edits_say_what_is_wrong_with_an_example(text, problem):
    with pytest.raises(ParseError) as caught:
        parse_edit(text, TODAY)
    assert problem in caught.value.problem
    assert caught.value.hint


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (Schedule(times=hm((8, 0), (20, 0)), every_days=2), "08:00 and 20:00, every 2 days"),
        (
            Schedule(times=hm((8, 0)), weekdays=frozenset({0, 2, 4}), ends_on=date(2027, 1, 31)),
            "08:00, Mon Wed Fri, until 31 Jan 2027",
        ),
        (
            Schedule(as_needed=True, max_per_day=3, min_gap=timedelta(hours=6)),
            "as needed, at most 3 a day, at least 6 h apart",
        ),
        (
            Schedule(times=hm((8, 0), (20, 0)), amounts=("10 mg", "5 mg")),
            "10 mg at 08:00, 5 mg at 20:00",
        ),
        (Schedule(times=hm((8, 0), (14, 0), (20, 0))), "08:00, 14:00 and 20:00"),
        (Schedule(times=hm((9, 0)), weekdays=frozenset(range(5))), "09:00, weekdays"),
        (
            Schedule(times=hm((8, 0)), starts_on=date(2026, 3, 3), ends_on=date(2026, 3, 12)),
            "08:00, from 3 Mar 2026 until 12 Mar 2026",
        ),
        (
            Schedule(as_needed=True, min_gap=timedelta(minutes=90)),
            "as needed, at least 1.5 h apart",
        ),
        (Schedule(), "no set times"),
    ],
)
def test_schedules_are_described_in_short_english(schedule, expected):
    assert describe_schedule(schedule) == expected


def test_what_add_parses_it_describes():
    request = parse_add("Vitamin D 1000 IU at 09:00 every 2 days until 2027-01-31", TODAY)
    assert describe_schedule(request.schedule) == (
        "09:00, every 2 days, from 3 Mar 2026 until 31 Jan 2027"
    )


def test_without_today_the_servers_date_is_the_fallback():
    request = parse_add("Vitamin D 1000 IU at 09:00 every 2 days")
    assert request.schedule.starts_on is not None
    assert abs((request.schedule.starts_on - date.today()).days) <= 1  # noqa: DTZ011


# Words of the grammar, so random sentences reach deep into the parser, not only its first
# refusal.
GRAMMAR_WORDS = (
    "at on for until every other day days week weeks as needed max min apart up to at most "
    "least a per daily twice three times x bid tid prn morning evening night noon midnight "
    "and , / mon wed fri weekdays weekends jan 31 2027 2027-01-31 h hours 0 1 2 3 6 10 12 25 "
    "999 8am 8:30pm p.m. 08:00 20:00 24:00 5 mg 10 mg 2 tablets 0 mg 2,5 ml ; . - x"
)
VOCABULARY = GRAMMAR_WORDS.split()


@given(st.lists(st.sampled_from(VOCABULARY), max_size=25))
def test_any_sentence_of_schedule_words_parses_or_gives_a_hint(words):
    for parse in (parse_add, parse_edit):
        try:
            request = parse("Baclofen " + " ".join(words), TODAY)
        except ParseError as error:
            assert error.problem  # noqa: PT017 - either outcome is checked, by design
            assert error.hint  # noqa: PT017
        else:
            assert request.name
            schedule = request.schedule
            if schedule is not None and not schedule.as_needed:
                assert 1 <= len(schedule.times) <= MAX_TIMES_PER_DAY
                assert list(schedule.times) == sorted(set(schedule.times))
                assert len(schedule.amounts) in (0, len(schedule.times))


@given(st.text(max_size=200))
def test_any_text_either_is_a_time_or_gives_a_hint(text):
    for parse in (parse_time, lambda t: parse_edit(t, TODAY), lambda t: parse_schedule(t)):
        try:
            parse(text)
        except ParseError as error:
            assert error.hint  # noqa: PT017 - either outcome is checked, by design


def test_seeded_random_sentences_never_raise_anything_but_parse_error():
    rng = random.Random(20260303)
    alphabet = [*VOCABULARY, "💊", "\u202e", "é", "١٢:٣٠", "9" * 40, "until 9999-12-31"]
    for _ in range(2000):
        text = " ".join(rng.choice(alphabet) for _ in range(rng.randint(0, 15)))
        for parse in (parse_add, parse_edit):
            with contextlib.suppress(ParseError):
                parse("Baclofen 5 mg " + text, TODAY)


# --- Schedules as patients type them --------------------------------------------------------


def added(text: str) -> tuple[str, str, tuple[time, ...], bool]:
    request = parse_add(text, TODAY)
    return request.name, request.dose, request.times, request.from_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sertraline 50 mg 09:00", ("sertraline", "50 mg", hm((9, 0)))),
        (
            "Gabapentin 300mg 8am, 2pm and 10pm",
            ("Gabapentin", "300 mg", hm((8, 0), (14, 0), (22, 0))),
        ),
        ("Omeprazole 20 mg 7.30am", ("Omeprazole", "20 mg", hm((7, 30)))),
        ("Atorvastatin 20mg, 10pm", ("Atorvastatin", "20 mg", hm((22, 0)))),
        ("Levothyroxine 75mcg 6:00am every morning", ("Levothyroxine", "75 mcg", hm((6, 0)))),
        ("Vitamin D3 1000 IU 21:30", ("Vitamin D3", "1000 IU", hm((21, 30)))),
    ],
)
def test_clock_times_need_no_at_after_the_dose(text, expected):
    assert added(text) == (*expected, False)


@pytest.mark.parametrize(
    ("words", "times"),
    [
        ("9 o'clock at night", hm((21, 0))),
        ("at 9 o’clock at night", hm((21, 0))),
        ("8 in the morning", hm((8, 0))),
        ("at 7 in the evening", hm((19, 0))),
        ("at 7.30 in the evening", hm((19, 30))),
        ("at 8 in the morning and 6 in the evening", hm((8, 0), (18, 0))),
        ("at 2 in the afternoon", hm((14, 0))),
        ("at 12 at night", hm((0, 0))),
        ("21 o'clock", hm((21, 0))),
        ("every morning at 7", hm((7, 0))),
        ("at night at 10", hm((22, 0))),
        ("10pm before bed", hm((22, 0))),
    ],
)
def test_an_hour_with_its_part_of_the_day_is_an_exact_time(words, times):
    assert added(f"Amitriptyline 10 mg {words}") == ("Amitriptyline", "10 mg", times, False)


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("9 o'clock", "in the morning or in the evening?"),
        ("at 8pm in the morning", "20:00 is not in the morning"),
        ("at 08:00 at night", "08:00 is not in the night"),
        ("at 8am evening", "08:00 is not in the evening"),
        ("at 12 in the morning", "not sure which time"),
        ("3pm with breakfast", "do not agree"),
        ("25 o'clock", "is not a time of day"),
    ],
)
def test_a_time_and_words_that_disagree_are_refused(words, problem):
    with pytest.raises(ParseError) as caught:
        parse_add(f"Amitriptyline 10 mg {words}", TODAY)
    assert problem in caught.value.problem
    assert caught.value.hint


@pytest.mark.parametrize(
    ("words", "times"),
    [
        ("with breakfast and dinner", hm((8, 0), (19, 0))),
        ("before breakfast", hm((7, 30))),
        ("after lunch", hm((13, 30))),
        ("at breakfast", hm((8, 0))),
        ("at lunch time", hm((13, 0))),
        ("with supper", hm((19, 0))),
        ("with meals", hm((8, 0), (13, 0), (19, 0))),
        ("with each meal", hm((8, 0), (13, 0), (19, 0))),
        ("before meals", hm((7, 30), (12, 30), (18, 30))),
        ("before breakfast and dinner", hm((7, 30), (18, 30))),
        ("with breakfast and at bedtime", hm((8, 0), (22, 0))),
        ("qhs", hm((22, 0))),
    ],
)
def test_meal_words_give_default_times_to_confirm(words, times):
    assert added(f"Metformin 500 mg {words}") == ("Metformin", "500 mg", times, True)


def test_a_clock_time_with_its_meal_is_that_time_exactly():
    assert added("Levothyroxine 50 mcg 7:30am before breakfast")[2:] == (hm((7, 30)), False)
    assert added("Metformin 500 mg with breakfast at 7:15")[2:] == (hm((7, 15)), False)


def test_the_meal_defaults_live_in_one_table():
    from bot.domain.schedule_clock import MEAL_TIMES

    assert MEAL_TIMES["breakfast"] == time(8, 0)
    assert MEAL_TIMES["lunch"] == time(13, 0)
    assert MEAL_TIMES["dinner"] == MEAL_TIMES["supper"] == time(19, 0)


@pytest.mark.parametrize(
    ("words", "times"),
    [
        ("twise a day", hm((8, 0), (20, 0))),
        ("tiwce daily", hm((8, 0), (20, 0))),
        ("tree times a day", hm((8, 0), (14, 0), (20, 0))),
        ("mornign", hm((8, 0))),
        ("in the evning", hm((20, 0))),
        ("at 9am evry other day", hm((9, 0))),
        ("twice daly", hm((8, 0), (20, 0))),
        ("with breakfst", hm((8, 0))),
    ],
)
def test_misspelt_schedule_words_are_read_and_confirmed(words, times):
    # Even exact times are confirmed once a word was corrected: the bot guessed.
    assert added(f"Sertraline 50 mg {words}") == ("Sertraline", "50 mg", times, True)


def test_typos_are_corrected_in_schedule_words_only():
    from bot.domain.schedule_typos import corrected

    assert corrected(["evry", "other", "day"]) == (["every", "other", "day"], True)
    assert corrected(["sore", "throat", "8am", "12", "mg"])[1] is False
    assert corrected(["tims"]) == (["times"], True)  # a dropped letter, not "time"
    # The name is never corrected: "Twise" is left as the patient wrote it.
    assert parse_add("Twise 5 mg twice a day", TODAY).name == "Twise"


@pytest.mark.parametrize(
    ("words", "times"),
    [
        ("every 8 hours", hm((6, 0), (14, 0), (22, 0))),
        ("q8h", hm((6, 0), (14, 0), (22, 0))),
        ("every 12 hours", hm((8, 0), (20, 0))),
        ("q12h", hm((8, 0), (20, 0))),
        ("every 6 hours", hm((0, 0), (6, 0), (12, 0), (18, 0))),
        ("every 24 hours", hm((8, 0))),
        ("three times a day every 8 hours", hm((6, 0), (14, 0), (22, 0))),
    ],
)
def test_every_few_hours_proposes_evenly_spaced_times_to_confirm(words, times):
    assert added(f"Amoxicillin 500 mg {words}") == ("Amoxicillin", "500 mg", times, True)


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("every 5 hours", "every 5 hours: which clock times?"),
        ("every 6-8 hours", "every 6-8 hours: which clock times?"),
        ("twice a day every 8 hours", "every 8 hours: which clock times?"),
        ("at 08:00 every 12 hours", "every 12 hours: which clock times?"),
    ],
)
def test_hours_that_give_no_clear_times_are_refused(words, problem):
    with pytest.raises(ParseError) as caught:
        parse_add(f"Amoxicillin 500 mg {words}", TODAY)
    assert problem in caught.value.problem
    assert "e.g. at" in caught.value.hint


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("once a week on mondays", Schedule(hm((8, 0)), weekdays=frozenset({0}))),
        ("once a week on sunday at 9am", Schedule(hm((9, 0)), weekdays=frozenset({6}))),
        ("weekly on fridays", Schedule(hm((8, 0)), weekdays=frozenset({4}))),
        ("every week on mon and thu", Schedule(hm((8, 0)), weekdays=frozenset({0, 3}))),
        ("twice a week on tue and fri", Schedule(hm((8, 0)), weekdays=frozenset({1, 4}))),
        ("once a week", Schedule(hm((8, 0)), every_days=7, starts_on=TODAY)),
        ("once every 2 days", Schedule(hm((8, 0)), every_days=2, starts_on=TODAY)),
    ],
)
def test_once_a_week_and_its_day(words, expected):
    request = parse_add(f"Alendronic acid 70 mg {words}", TODAY)
    assert request.schedule == expected
    assert request.from_words == (expected.times == hm((8, 0)))


def test_once_a_week_on_two_days_is_refused():
    with pytest.raises(ParseError, match="once a week, but 2 days are named"):
        parse_add("Alendronic acid 70 mg once a week on mon and thu", TODAY)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("as required for nausea", Schedule(as_needed=True)),
        ("when needed for pain, max 3 a day", Schedule(as_needed=True, max_per_day=3)),
        ("prn anxiety, no more than 2 a day", Schedule(as_needed=True, max_per_day=2)),
        (
            "as needed for migraine, max 2 per day, 2 hours apart",
            Schedule(as_needed=True, max_per_day=2, min_gap=timedelta(hours=2)),
        ),
        ("as needed not more than 3 times in 24 hours", Schedule(as_needed=True, max_per_day=3)),
        (
            "as needed at least 8 hrs between doses",
            Schedule(as_needed=True, min_gap=timedelta(hours=8)),
        ),
        (
            "if needed for headache, max 4 times a day, 4 hrs apart",
            Schedule(as_needed=True, max_per_day=4, min_gap=timedelta(hours=4)),
        ),
        ("every 6-8 hours as needed", Schedule(as_needed=True, min_gap=timedelta(hours=6))),
        ("every 4 to 6 hours as needed", Schedule(as_needed=True, min_gap=timedelta(hours=4))),
        ("as needed for sore throat", Schedule(as_needed=True)),
        ("as needed for my back pain max 3/day", Schedule(as_needed=True, max_per_day=3)),
        ("for pain as needed", Schedule(as_needed=True)),
        ("as needed max of 3 a day", Schedule(as_needed=True, max_per_day=3)),
        ("as needed at most twice a day", Schedule(as_needed=True, max_per_day=2)),
        ("as needed max 4 in a day", Schedule(as_needed=True, max_per_day=4)),
        (
            "as needed no more than once every 4 hours",
            Schedule(as_needed=True, min_gap=timedelta(hours=4)),
        ),
        (
            "as needed wait 4 hours between doses",
            Schedule(as_needed=True, min_gap=timedelta(hours=4)),
        ),
        (
            "as needed for nausea for 5 days",
            Schedule(as_needed=True, starts_on=TODAY, ends_on=date(2026, 3, 7)),
        ),
    ],
)
def test_as_needed_with_a_reason_and_limits_in_many_wordings(words, expected):
    request = parse_add(f"Ibuprofen 200 mg {words}", TODAY)
    assert request.schedule == expected
    assert not request.from_words


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("as needed, three per day tops", "did not understand “three”"),
        ("as needed max 3 tablets a day", "how many doses a day at most?"),
        ("as needed for 2 weeks max 3", "how many doses a day at most?"),
        ("at 8am blah", "did not understand “blah”"),
    ],
)
def test_a_limit_not_understood_is_never_read_as_a_reason(words, problem):
    with pytest.raises(ParseError) as caught:
        parse_add(f"Ibuprofen 200 mg {words}", TODAY)
    assert problem in caught.value.problem


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("my sertraline 50 mg at 8am", "sertraline"),
        ("My mum's atorvastatin 20mg at 10pm", "atorvastatin"),
        ("my mum’s Atorvastatin 20mg at 10pm", "Atorvastatin"),
        ("her Warfarin 5mg at 6pm", "Warfarin"),
        ("the Baclofen 5 mg at 8am", "Baclofen"),
        ("Dad's Baclofen 5 mg at 8am", "Baclofen"),
        ("St John's Wort 300 mg at 8am", "St John's Wort"),
        ("Doan's pills 2 tabs at 8am", "Doan's pills"),
    ],
)
def test_whose_medication_it_is_is_not_its_name(text, name):
    assert parse_add(text, TODAY).name == name


def test_whose_medication_is_dropped_in_an_edit_too():
    assert parse_edit("my Baclofen 10 mg", TODAY) == EditRequest("Baclofen", "10 mg", None)
    assert parse_edit("my Baclofen", TODAY) == EditRequest("Baclofen", None, None)


def test_a_colon_after_the_name_and_half_tablets():
    request = parse_add("Sertraline: 1 tab at breakfast and 1/2 tab at dinner", TODAY)
    assert (request.name, request.dose, request.from_words) == ("Sertraline", "1 tablet", True)
    assert request.schedule.times == hm((8, 0), (19, 0))
    assert request.schedule.amounts == ("1 tablet", "0.5 tablet")
    assert parse_add("Prednisolone - ½ tab at 8am", TODAY).name == "Prednisolone"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/2 tab", "0.5 tablet"),
        ("½ tab", "0.5 tablet"),
        ("1½ tablets", "1.5 tablets"),
        ("1 1/2 tabs", "1.5 tablets"),
        ("1/4 tablet", "0.25 tablet"),
        ("3/4 tab", "0.75 tablet"),
    ],
)
def test_fractions_of_a_tablet_are_doses(text, expected):
    assert parse_dose(text) == expected
    assert parse_add(f"Prednisolone {text} at 8am", TODAY).dose == expected


@pytest.mark.parametrize(
    ("words", "ends_on", "from_words"),
    [
        ("x 14 days", date(2026, 3, 16), False),
        ("x14 days", date(2026, 3, 16), False),
        ("for a month", date(2026, 4, 1), False),
        ("for 3 months", date(2026, 5, 31), False),
        ("for a fortnight", date(2026, 3, 16), False),
        ("until end of january", date(2027, 1, 31), False),
        ("until the end of the month", date(2026, 3, 31), False),
        ("until end of next month", date(2026, 4, 30), False),
        ("until end of february 2028", date(2028, 2, 29), False),
        ("until 31/12/2026", date(2026, 12, 31), False),
        ("until 31.12.26", date(2026, 12, 31), False),
        ("until 31/12", date(2026, 12, 31), False),
        ("until 2026-12-31", date(2026, 12, 31), False),
        # Day or month first? The day first, as most of the world writes it: confirmed.
        ("until 05/06/2026", date(2026, 6, 5), True),
    ],
)
def test_courses_and_end_dates_as_people_write_them(words, ends_on, from_words):
    request = parse_add(f"Amoxicillin 500 mg at 8am {words}", TODAY)
    assert request.schedule.ends_on == ends_on
    assert request.from_words == from_words


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("until 12/31/2026", "is not a date"),
        ("until 32/12/2026", "is not a date"),
        ("until end of blah", "until the end of what?"),
        ("for 13 months", "a course of 390 days"),
    ],
)
def test_end_dates_that_cannot_be_read_are_refused(words, problem):
    with pytest.raises(ParseError) as caught:
        parse_add(f"Amoxicillin 500 mg at 8am {words}", TODAY)
    assert problem in caught.value.problem


@pytest.mark.parametrize(
    ("text", "name", "schedule", "from_words"),
    [
        ("Baclofen twice a day", "Baclofen", Schedule(hm((8, 0), (20, 0))), True),
        ("Metformin at 8am and 6pm", "Metformin", Schedule(hm((8, 0), (18, 0))), False),
        (
            "Ibuprofen as needed for pain, max 3 a day",
            "Ibuprofen",
            Schedule(as_needed=True, max_per_day=3),
            False,
        ),
        (
            "Vitamin D every 2 days",
            "Vitamin D",
            Schedule(hm((8, 0)), every_days=2, starts_on=TODAY),
            True,
        ),
        ("my Sertraline with breakfast", "Sertraline", Schedule(hm((8, 0))), True),
    ],
)
def test_a_missing_dose_keeps_the_name_and_the_schedule(text, name, schedule, from_words):
    with pytest.raises(MissingDose) as caught:
        parse_add(text, TODAY)
    assert caught.value.problem == "I could not find the dose"
    assert caught.value.name == name
    assert caught.value.schedule == ScheduleRequest(schedule, from_words)


@pytest.mark.parametrize("text", ["Baclofen", "Baclofen five mg at 08:00", "Baclofen at 25:00"])
def test_no_dose_and_no_schedule_is_a_plain_refusal(text):
    with pytest.raises(ParseError) as caught:
        parse_add(text, TODAY)
    assert not isinstance(caught.value, MissingDose)


@pytest.mark.parametrize(
    ("text", "dose"),
    [
        ("Vitamin D 20,000 IU once a week", "20000 IU"),  # a thousands comma, as labels print
        ("Colecalciferol 1,000 IU at 09:00", "1000 IU"),
        ("Baclofen 2,5 mg at 08:00", "2.5 mg"),  # a decimal comma, as most of Europe writes
        ("Lactulose 7,5 ml at 08:00", "7.5 ml"),
    ],
)
def test_a_comma_in_a_dose_is_read_as_the_label_means_it(text: str, dose: str) -> None:
    assert parse_add(text, today=date(2026, 12, 2)).dose == dose
