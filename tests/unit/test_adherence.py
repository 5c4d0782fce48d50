"""Adherence counts: settled doses only, per medication and per day."""

from datetime import date

from bot.domain.adherence import adherence_by_medication, taken_share_by_day
from bot.domain.model import DoseStatus

T, S, M, P = DoseStatus.TAKEN, DoseStatus.SKIPPED, DoseStatus.MISSED, DoseStatus.PENDING


def test_counts_per_medication_ignore_open_doses():
    (baclofen, vitamin) = adherence_by_medication(
        [("Baclofen", T), ("Baclofen", M), ("Baclofen", S), ("Baclofen", P), ("Vitamin D", T)]
    )
    assert (baclofen.taken, baclofen.skipped, baclofen.missed, baclofen.due) == (1, 1, 1, 3)
    assert baclofen.percent == 33
    assert vitamin.percent == 100


def test_nothing_due_has_no_percentage():
    assert adherence_by_medication([("Baclofen", P)]) == []


def test_share_taken_per_day():
    first, second = date(2026, 3, 1), date(2026, 3, 2)
    shares = taken_share_by_day([(second, T), (first, T), (first, M), (second, P)])
    assert shares == {first: 0.5, second: 1.0}
    assert list(shares) == [first, second]
