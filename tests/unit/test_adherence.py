"""Adherence figures: on time, late, skipped and missed per medication, the longest run of doses
taken, the day grid in the patient's zone, symptoms, and what /report was asked for."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.adherence import (
    LATE_AFTER,
    BadPeriod,
    DoseRecord,
    Outcome,
    ReportRequest,
    SymptomEntry,
    adherence_by_medication,
    outcomes_by_day,
    parse_report_request,
    severity_score,
    symptom_summary,
    total,
)
from bot.domain.model import DoseStatus
from bot.tg.report_texts import bad_period

T, S, M, P = DoseStatus.TAKEN, DoseStatus.SKIPPED, DoseStatus.MISSED, DoseStatus.PENDING
START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def dose(hours: float, status: DoseStatus, late_minutes: float = 0, name: str = "Baclofen"):
    at = START + timedelta(hours=hours)
    taken = at + timedelta(minutes=late_minutes) if status is T else None
    return DoseRecord(name, at, status, taken)


def test_a_dose_taken_more_than_30_minutes_after_its_time_is_late():
    assert timedelta(minutes=30) == LATE_AFTER
    assert dose(0, T, late_minutes=30).outcome is Outcome.ON_TIME  # exactly 30: still on time
    assert dose(0, T, late_minutes=31).outcome is Outcome.LATE
    assert dose(0, T, late_minutes=-20).outcome is Outcome.ON_TIME  # early is on time
    assert dose(0, S).outcome is Outcome.SKIPPED
    assert dose(0, M).outcome is Outcome.MISSED
    assert dose(0, P).outcome is None  # still open: not counted
    assert DoseRecord("Baclofen", START, DoseStatus.SENT).outcome is None


def test_counts_per_medication_by_name_ignore_open_doses():
    baclofen, vitamin = adherence_by_medication(
        [
            dose(0, T),
            dose(12, T, late_minutes=45),
            dose(24, S),
            dose(36, M),
            dose(48, P),
            dose(0, T, name="vitamin D"),
        ]
    )
    assert (baclofen.medication, vitamin.medication) == ("Baclofen", "vitamin D")
    assert (baclofen.on_time, baclofen.late, baclofen.skipped, baclofen.missed) == (1, 1, 1, 1)
    assert (baclofen.taken, baclofen.due, baclofen.percent) == (2, 4, 50)
    assert (vitamin.due, vitamin.percent) == (1, 100)


def test_longest_run_counts_doses_taken_in_a_row_late_or_not_in_time_order():
    # Given out of order: the run is counted by scheduled time.
    doses = [dose(h, T) for h in (60, 0, 12, 24)] + [dose(36, M), dose(48, T, late_minutes=90)]
    (item,) = adherence_by_medication(doses)
    assert item.longest_run == 3  # 0, 12, 24; then missed at 36; then 48 and 60: two
    (skipping,) = adherence_by_medication([dose(0, S), dose(12, M)])
    assert skipping.longest_run == 0


def test_an_empty_period_has_no_figures_and_no_percentage():
    assert adherence_by_medication([]) == []
    assert adherence_by_medication([dose(0, P)]) == []
    everything = total([])
    assert (everything.due, everything.percent, everything.longest_run) == (0, None, 0)


def test_total_adds_medications_and_keeps_the_best_run():
    items = adherence_by_medication(
        [dose(0, T), dose(12, T), dose(0, M, name="Sertraline"), dose(12, T, 40, "Sertraline")]
    )
    everything = total(items)
    assert (everything.on_time, everything.late, everything.missed, everything.due) == (2, 1, 1, 4)
    assert everything.longest_run == 2


def test_the_grid_puts_each_dose_on_the_patients_local_day_in_time_order():
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+5:30
    evening = datetime(2026, 3, 1, 19, 0, tzinfo=UTC)  # 00:30 on 2 March there
    grid = outcomes_by_day(
        [
            DoseRecord("Baclofen", evening, M),
            DoseRecord("Baclofen", evening - timedelta(hours=10), T, evening),
            DoseRecord("Baclofen", evening - timedelta(hours=12), T, evening - timedelta(hours=12)),
            DoseRecord("Baclofen", evening + timedelta(hours=1), P),
        ],
        kolkata,
    )
    assert grid == {
        "Baclofen": {
            date(2026, 3, 1): (Outcome.ON_TIME, Outcome.LATE),
            date(2026, 3, 2): (Outcome.MISSED,),
        }
    }


def test_symptoms_are_counted_per_symptom_with_the_worst_severity():
    at = START
    summaries = symptom_summary(
        [
            SymptomEntry(at, "dizzy", "mild"),
            SymptomEntry(at + timedelta(days=1), "Severe dizzy", "severe"),
            SymptomEntry(at + timedelta(days=2), "dizzy 4/10", "4/10"),
            SymptomEntry(at + timedelta(days=3), "headache", None, red_flag=True),
        ]
    )
    dizzy, headache = summaries
    assert (dizzy.symptom, dizzy.count, dizzy.worst) == ("dizzy", 3, "severe")
    assert not dizzy.red_flag
    assert (headache.count, headache.worst, headache.red_flag) == (1, None, True)
    assert severity_score("7/10") > severity_score("moderate") > severity_score("4/10")
    assert symptom_summary([]) == []


@pytest.mark.parametrize(
    ("text", "request_"),
    [
        ("", ReportRequest(7, pdf=False)),
        ("30", ReportRequest(30)),
        ("90", ReportRequest(90)),
        ("pdf", ReportRequest(7, pdf=True)),
        ("PDF 30", ReportRequest(30, pdf=True)),
        ("30 pdf", ReportRequest(30, pdf=True)),
        ("7 Alice", ReportRequest(7, patient="Alice")),
        ("pdf 90 Anna Maria", ReportRequest(90, pdf=True, patient="Anna Maria")),
        ("Alice", ReportRequest(7, patient="Alice")),
        ("7 2", ReportRequest(7, patient="2")),  # a followed patient by number
    ],
)
def test_report_requests(text, request_):
    assert parse_report_request(text) == request_


@pytest.mark.parametrize(
    ("text", "given"),
    [("14", "14"), ("0", "0"), ("365", "365"), ("-7", "-7"), ("pdf 14", "14"), ("14 Al", "14")],
)
def test_a_number_that_is_not_7_30_or_90_is_a_bad_period(text, given):
    with pytest.raises(BadPeriod) as raised:
        parse_report_request(text)
    assert str(raised.value) == given


def test_the_bad_period_reply_says_what_is_valid():
    reply = bad_period("14")
    assert reply.startswith("A report covers 7, 30 or 90 days, not 14.")
    assert "/report 30" in reply
    assert "/report pdf 30" in reply
