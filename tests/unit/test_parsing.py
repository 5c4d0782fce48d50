"""Parsing what a patient types: /add arguments, doses, times; bad input gets a useful hint."""

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.parsing import (
    MAX_TIMES_PER_DAY,
    ParseError,
    parse_add,
    parse_dose,
    parse_name,
    parse_time,
)

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
        ("Baclofen 5 mg at noon", "“noon” is not a time"),
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
        assert 1 <= len(request.times) <= MAX_TIMES_PER_DAY
