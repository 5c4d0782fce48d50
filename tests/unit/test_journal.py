"""/log text: doses with an optional time, symptoms with an optional severity."""

from datetime import time

import pytest

from bot.domain.journal import DoseLog, LoggedWhen, SymptomLog, parse_log
from bot.domain.parsing import ParseError


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
    ],
)
def test_dose_logs(text, expected):
    assert parse_log(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("symptom dizziness", SymptomLog("dizziness", None)),
        ("symptom: nausea moderate", SymptomLog("nausea moderate", "moderate")),
        ("feel sleepy 7/10", SymptomLog("sleepy 7/10", "7/10")),
        ("headache, mild", SymptomLog("headache, mild", "mild")),
        ("I had a seizure", SymptomLog("I had a seizure", None)),
    ],
)
def test_symptom_logs(text, expected):
    assert parse_log(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "nothing to record"),
        ("symptom", "the symptom is missing"),
        ("took baclofen at 25:00", "25:00 is not a time of day"),
        ("took baclofen yesterday", "which time yesterday?"),
        ("symptom " + "x" * 300, "characters long"),
    ],
)
def test_bad_logs_are_explained(text, problem):
    with pytest.raises(ParseError) as caught:
        parse_log(text)
    assert problem in caught.value.problem
