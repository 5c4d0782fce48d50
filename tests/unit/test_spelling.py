"""Spelling correction: typos become the knowledge base's words; real words never do."""

from __future__ import annotations

from bot.knowledge.loader import KNOWLEDGE_FOLDER, REAL_WORDS_FILE, load_knowledge
from bot.knowledge.refresh_real_words import real_words_at_risk
from bot.knowledge.spelling import Speller


def test_a_close_misspelling_is_corrected_to_a_known_word() -> None:
    speller = Speller(["seizure", "alcohol", "withdrawal"])
    assert speller.correct("sezure") == "seizure"
    assert speller.correct("siezure") == "seizure"  # a transposition is one edit
    assert speller.correct("alchohol") == "alcohol"
    assert speller.correct("withdrawel") == "withdrawal"


def test_short_far_or_first_letter_changes_are_left_alone() -> None:
    speller = Speller(["seizure", "bar"])
    assert speller.correct("car") == "car"  # too short to be a typo
    assert speller.correct("leisure") == "leisure"  # another first letter
    assert speller.correct("sausage") == "sausage"


def test_a_real_word_is_never_corrected() -> None:
    assert Speller(["bfing"], known=["being"]).correct("being") == "being"
    kb = load_knowledge()
    for word in ("being", "stroked", "faint", "leisure"):
        assert kb.correct(word) == word


def test_the_list_of_real_words_is_up_to_date_with_the_knowledge_base() -> None:
    """Fails after the word lists change: run `make real-words` and commit the file."""
    path = KNOWLEDGE_FOLDER / REAL_WORDS_FILE
    listed = [w for w in path.read_text().splitlines() if w and not w.startswith("#")]
    assert listed == real_words_at_risk()
