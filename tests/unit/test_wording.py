"""The phrase grammar /ask and the emergency detector share: words, gaps, stems, numbers."""

from __future__ import annotations

import pytest

from bot.domain.wording import Pattern, PatternIndex, Wording, longest_first, number_in


def spans(pattern: str, text: str) -> list[tuple[int, ...]]:
    index = PatternIndex.of([("x", pattern)])
    return [match.span for match in index.find(Wording.read(text))]


def test_words_are_casefolded_without_accents_or_apostrophes() -> None:
    wording = Wording.read("He's NOT breathing — Café, can't!")
    assert wording.words == ("hes", "not", "breathing", "cafe", "cant")
    assert wording.clauses == (0, 0, 0, 1, 2)  # a dash, a comma: new clauses


def test_alternatives_and_stems() -> None:
    assert spans("cant|cannot breath*", "I cannot breathe") == [(1, 2)]
    assert spans("cant|cannot breath*", "I can not breathe") == []


def test_a_gap_takes_up_to_three_words_and_a_wide_gap_eight() -> None:
    assert spans("chest ... pain", "chest is in pain") == [(0, 3)]
    assert spans("chest ... pain", "chest is really in so much pain") == []
    assert spans("chest ~ pain", "chest is really in so much pain") == [(0, 6)]


def test_numbers_in_digits_or_words_with_a_minimum() -> None:
    assert spans("took #4+ tablets", "took ten tablets") == [(0, 1, 2)]
    assert spans("took #4+ tablets", "took 2 tablets") == []
    assert number_in("20") == 20
    assert number_in("dozen") == 12
    assert number_in("8am") is None


def test_a_misspelt_word_matches_through_its_correction() -> None:
    wording = Wording.read("had a sezure", correct=lambda w: "seizure" if w == "sezure" else w)
    index = PatternIndex.of([("seizure", "seizure")])
    assert [m.span for m in index.find(wording)] == [(2,)]


def test_longer_phrases_win_over_the_words_inside_them() -> None:
    index = PatternIndex.of([("a", "stopping"), ("b", "symptoms ... stopping")])
    chosen = longest_first(index.find(Wording.read("symptoms when stopping")))
    assert [m.pattern.label for m in chosen] == ["b"]


@pytest.mark.parametrize("bad", ["... pain", "pain ~", ""])
def test_a_phrase_must_start_and_end_with_a_word(bad: str) -> None:
    with pytest.raises(ValueError, match="start and end with a word"):
        Pattern.parse("x", bad)
