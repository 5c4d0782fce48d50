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
    ParseError,
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
        ("Baclofen 5 mg at lunchtime", "“lunchtime” is not a time"),
        ("Baclofen 5 mg 08:00", "could not find “at”"),
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
        ("Baclofen 5 mg at 08:00 for 2 months", "for how long?"),
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
