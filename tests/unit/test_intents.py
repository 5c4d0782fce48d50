"""Plain messages: a dose taken or skipped, a symptom, thanks, a greeting, a safety question,
or unclear with the commands likeliest wanted; negations, typos and garbage; the phrase file
is validated at load naming file and field."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import time, timedelta
from pathlib import Path
from typing import Any, Protocol

import pytest
import yaml
from english_words import get_english_words_set
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.intents import (
    Command,
    IntentLexicon,
    Plain,
    PlainKind,
    SkipReason,
    read_plain,
)
from bot.domain.journal import DayPart, LoggedWhen
from bot.domain.knowledge import KnowledgeBase
from bot.knowledge.files import KnowledgeError
from bot.knowledge.intent_files import INTENT_FOLDER, REAL_WORDS, load_intents, real_words_at_risk
from bot.knowledge.loader import load_knowledge

MEDS = ("Baclofen",)


@pytest.fixture(scope="module")
def lexicon() -> IntentLexicon:
    return load_intents()["en"]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


class Read(Protocol):
    def __call__(self, text: str, meds: tuple[str, ...] = MEDS) -> Plain: ...


@pytest.fixture
def read(lexicon: IntentLexicon, kb: KnowledgeBase) -> Read:
    def reading(text: str, meds: tuple[str, ...] = MEDS) -> Plain:
        return read_plain(text, meds, lexicon, kb.correct)

    return reading


# ---- a dose taken -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I took my baclofen",
        "took it",
        "just had my pills",
        "done, took the 8 o'clock one",
        "took baclofen 10 mg an hour ago",
        "Took my meds",
        "i've taken my pills",
        "ive taken it",
        "pills taken",
        "meds done",
        "already took them",
        "took em",
        "had my morning dose",
        "yes, took it at 8",
        "I did take it",
        "popped my pills",
        "done",
        "Done ✅",
        "✅",
        "tookk my meds",
        "i tooke my pils",
        "takn my medication",
        "I didn't skip it",
        "didnt forget my pills",
        "i had my pills with lunch",
    ],
)
def test_a_dose_taken(read: Read, text: str) -> None:
    plain = read(text)
    assert plain.kind is PlainKind.TOOK, plain
    assert plain.dose is not None


@pytest.mark.parametrize(
    ("text", "medication", "dose", "when"),
    [
        ("I took my baclofen", "Baclofen", None, LoggedWhen()),
        ("took it", None, None, LoggedWhen()),
        (
            "took baclofen 10 mg an hour ago",
            "Baclofen",
            "10 mg",
            LoggedWhen(ago=timedelta(hours=1)),
        ),
        (
            "done, took the 8 o'clock one",
            None,
            None,
            LoggedWhen(at=time(8), twelve_hour=True, or_yesterday=True),
        ),
        ("i took my baclofin at 7pm", "Baclofen", None, LoggedWhen(at=time(19))),
        ("Took 1 tablet at 9 this morning", None, "1 tablet", LoggedWhen(at=time(9))),
        ("took it at 9.30pm", None, None, LoggedWhen(at=time(21, 30))),
        ("took my pills yesterday at 9pm", None, None, LoggedWhen(1, time(21))),
        (
            "took my evening pills at 7:30",
            None,
            None,
            LoggedWhen(at=time(19, 30), or_yesterday=True),
        ),
        ("took my evening dose", None, None, LoggedWhen(part=DayPart.EVENING, or_yesterday=True)),
        ("i took it last night", None, None, LoggedWhen(1, part=DayPart.NIGHT)),
        ("took it. about 20 min ago", None, None, LoggedWhen(ago=timedelta(minutes=20))),
        ("took ibuprofen", "ibuprofen", None, LoggedWhen()),
        ("took the ibuprofen tablets", "ibuprofen", None, LoggedWhen()),
        ("took 10mg of baclofen", "Baclofen", "10 mg", LoggedWhen()),
        ("took half a tablet", None, "0.5 tablet", LoggedWhen()),
        ("i just took two baclofen", "Baclofen", "2 tablets", LoggedWhen()),
    ],
)
def test_a_dose_taken_says_what_how_much_and_when(
    read: Read, text: str, medication: str | None, dose: str | None, when: LoggedWhen
) -> None:
    plain = read(text)
    assert plain.kind is PlainKind.TOOK
    assert plain.dose is not None
    assert (plain.dose.medication, plain.dose.dose, plain.dose.when) == (medication, dose, when)


def test_a_medication_is_named_as_the_patient_has_it(read: Read) -> None:
    meds = ("Baclofen", "Vitamin D3", "Metformin")

    def medication(text: str) -> str | None:
        dose = read(text, meds).dose
        assert dose is not None
        return dose.medication

    assert medication("took my bacolfen") == "Baclofen"
    assert medication("took my vitamin d3") == "Vitamin D3"
    assert medication("had my vitamin") == "Vitamin D3"
    assert medication("took baclofen and metformin") is None  # both: whatever is due


def test_a_time_that_is_none_is_a_problem_not_a_dose(read: Read) -> None:
    plain = read("took it at 25:00")
    assert plain.kind is PlainKind.TOOK and plain.dose is None
    assert plain.problem is not None and "25:00" in plain.problem.problem


# ---- a dose skipped ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("skipped my evening dose", SkipReason.SKIPPED),
        ("I didn't take my baclofen this morning", SkipReason.SKIPPED),
        ("forgot my pills", SkipReason.FORGOT),
        ("I didn't take it", SkipReason.SKIPPED),
        ("didnt take it", SkipReason.SKIPPED),
        ("did not take my pills today", SkipReason.SKIPPED),
        ("I haven't had my pills", SkipReason.SKIPPED),
        ("i hvnt taken my meds", SkipReason.SKIPPED),
        ("didnt get a chance to take my pills", SkipReason.SKIPPED),
        ("I never took my evening dose", SkipReason.SKIPPED),
        ("no pills today", SkipReason.SKIPPED),
        ("I'm going to skip tonight", SkipReason.SKIPPED),
        ("I skiped my pills", SkipReason.SKIPPED),
        ("i missd my dose", SkipReason.SKIPPED),
        ("missed this mornings dose", SkipReason.SKIPPED),
        ("I wont take it tonight", SkipReason.SKIPPED),
        ("forgot to take my pills last night", SkipReason.FORGOT),
        ("forgt my pills", SkipReason.FORGOT),
        ("totally slipped my mind", SkipReason.FORGOT),
        ("oops forgot again", SkipReason.FORGOT),
        ("I ran out of pills", SkipReason.RAN_OUT),
        ("left my pills at home", SkipReason.RAN_OUT),
    ],
)
def test_a_dose_skipped(read: Read, text: str, reason: SkipReason) -> None:
    plain = read(text)
    assert plain.kind is PlainKind.SKIPPED, plain
    assert plain.skip is not None and plain.skip.reason is reason
    assert plain.dose is None


@pytest.mark.parametrize(
    ("text", "medication", "when"),
    [
        ("skipped my evening dose", None, LoggedWhen(part=DayPart.EVENING, or_yesterday=True)),
        ("I didn't take my baclofen this morning", "Baclofen", LoggedWhen(part=DayPart.MORNING)),
        ("forgot my pills", None, LoggedWhen()),
        ("i forgot my baclofen yesterday morning", "Baclofen", LoggedWhen(1, part=DayPart.MORNING)),
        ("I missed my 2pm dose", None, LoggedWhen(at=time(14))),
        ("I missed yesterday's dose", None, LoggedWhen(1, part=DayPart.DAY)),
        ("didnt take my metformin", "metformin", LoggedWhen()),
        # A plan is for today's dose, not yesterday's.
        ("i'll skip my evening dose", None, LoggedWhen(part=DayPart.EVENING)),
        ("skipping tonight's dose", None, LoggedWhen(part=DayPart.NIGHT)),
    ],
)
def test_a_skip_says_which_and_when(
    read: Read, text: str, medication: str | None, when: LoggedWhen
) -> None:
    skip = read(text).skip
    assert skip is not None and (skip.medication, skip.when) == (medication, when)


# ---- symptoms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "recorded"),
    [
        ("feeling dizzy", "dizzy"),
        ("I feel sick", "sick"),
        ("headache since lunch", "headache since lunch"),
        ("I'm so dizzy", "I'm so dizzy"),
        ("feel terrible 8/10", "terrible 8/10"),
        ("im dizy", "im dizy"),
        ("feelin dizzy", "feelin dizzy"),
        ("my head hurts", "my head hurts"),
        ("i can't sleep", "i can't sleep"),
        ("cant stop shaking", "cant stop shaking"),
        ("muscle spasms again", "muscle spasms again"),
        ("I'm not feeling well", "I'm not feeling well"),
        ("dont feel good", "dont feel good"),
        ("not feeling any better", "not feeling any better"),
        ("feeling better but still tired", "still tired"),
        ("🤢", "sick"),
    ],
)
def test_a_symptom(read: Read, text: str, recorded: str) -> None:
    plain = read(text)
    assert plain.kind is PlainKind.SYMPTOM, plain
    assert plain.symptom is not None and not plain.symptom.better
    assert plain.symptom.text == recorded


def test_a_symptom_keeps_its_severity(read: Read) -> None:
    for text, severity in (("severe headache", "severe"), ("feel terrible 8/10", "8/10")):
        symptom = read(text).symptom
        assert symptom is not None and symptom.severity == severity


@pytest.mark.parametrize(
    "text",
    [
        "not feeling dizzy anymore",
        "no longer dizzy",
        "dizziness is gone",
        "headache went away",
        "my headache is better",
        "i'm less dizzy today",
        "no dizziness today",
        "haven't been dizzy since",
        "feeling much better now",
        "I feel fine",
        "no side effects",
    ],
)
def test_a_symptom_eased_is_a_note_not_a_new_complaint(read: Read, text: str) -> None:
    plain = read(text)
    assert plain.kind is PlainKind.SYMPTOM, plain
    assert plain.symptom is not None and plain.symptom.better


def test_a_dose_and_a_symptom_in_one_message(read: Read) -> None:
    plain = read("took my pills but feeling dizzy")
    assert plain.kind is PlainKind.TOOK
    assert plain.symptom is not None and plain.symptom.text == "dizzy"


# ---- thanks, greetings ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "thanks!",
        "thank you",
        "thx",
        "ty",
        "cheers",
        "👍",
        "thank you so much",
        "many thanks",
        "thnx",
        "thank u",
        "appreciate it",
        "you're a star",
        "ok",
        "ok thanks",
        "got it",
        "🙏",
    ],
)
def test_thanks(read: Read, text: str) -> None:
    assert read(text).kind is PlainKind.THANKS


@pytest.mark.parametrize(
    "text",
    [
        "hi",
        "hello",
        "hey",
        "hello there",
        "good morning",
        "Morning!",
        "evening all",
        "hiya",
        "how are you?",
        "bye",
        "good night",
        "👋",
    ],
)
def test_greetings(read: Read, text: str) -> None:
    assert read(text).kind is PlainKind.GREETING


# ---- questions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "can I drink wine with baclofen?",
        "is it safe to drive",
        "can i drink alcohol",
        "is it ok to have a beer",
        "wine with baclofen ok?",
        "alcohol and baclofen",
        "I had a glass of wine",
        "can i take ibuprofen with it",
        "is baclofen safe in pregnancy",
        "what happens if i miss a dose",
        "does baclofen make you tired",
        "is dizziness a side effect",
        "should i take it with food",
        "what is baclofen?",
        "I want to stop taking baclofen",
        "i stopped taking it",
        "im sick of taking these pills",
        "thinking of coming off baclofen",
    ],
)
def test_a_safety_question_is_for_ask(read: Read, text: str) -> None:
    plain = read(text)
    assert plain.kind is PlainKind.QUESTION, plain
    assert plain.text == text


def test_a_question_keeps_what_happened(read: Read) -> None:
    plain = read("I forgot my pills, what should I do?")
    assert plain.kind is PlainKind.QUESTION
    assert plain.skip is not None and plain.skip.reason is SkipReason.FORGOT


# ---- unclear, and the commands it points to ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("my schedule", Command.MEDS),
        ("what's my schedule", Command.MEDS),
        ("when is my next dose?", Command.MEDS),
        ("what meds am i on", Command.MEDS),
        ("new medicine", Command.ADD),
        ("how do I add a new medicine?", Command.ADD),
        ("my doctor prescribed a new drug", Command.ADD),
        ("doctor started me on gabapentin", Command.ADD),
        ("my daughter", Command.CAREGIVER),
        ("can my wife see when i take my meds", Command.CAREGIVER),
        ("let my daughter know if i miss", Command.CAREGIVER),
        ("how am i doing", Command.REPORT),
        ("i need a report for my doctor", Command.REPORT),
        ("how many doses did i miss this month", Command.REPORT),
        ("change my reminder time", Command.SETTINGS),
        ("too many reminders", Command.SETTINGS),
        ("stop reminding me", Command.SETTINGS),
        ("i'm going abroad next week", Command.SETTINGS),
        ("help", Command.HELP),
        ("what can you do", Command.HELP),
        ("asdfgh", Command.HELP),
        # Not sure, or still to come: what /meds shows, what /log records.
        ("did i take my pills?", Command.MEDS),
        ("im not sure if i took it", Command.MEDS),
        ("can't remember if i took my pills", Command.MEDS),
        ("i havent taken it yet", Command.LOG),
        ("not yet", Command.LOG),
        ("will take it later", Command.LOG),
    ],
)
def test_unclear_suggests_the_likeliest_commands_first(
    read: Read, text: str, first: Command
) -> None:
    plain = read(text)
    assert plain.kind is PlainKind.UNCLEAR, plain
    assert plain.suggestions[0] is first
    assert len(plain.suggestions) == 3 and len(set(plain.suggestions)) == 3


@pytest.mark.parametrize(
    "text",
    [
        "took a nap",
        "it took ages",
        "I took the bus",
        "took my daughter to school",
        "took my blood pressure",
        "I missed the bus",
        "forgot my keys",
        "skipped breakfast",
        "had a shower",
        "had lunch",
    ],
)
def test_everyday_words_are_not_a_dose(read: Read, text: str) -> None:
    plain = read(text)
    assert plain.kind is PlainKind.UNCLEAR, plain
    assert plain.dose is None and plain.skip is None


@pytest.mark.parametrize(
    ("taken", "not_taken"),
    [
        ("I took it", "I didn't take it"),
        ("took my pills", "never took my pills"),
        ("had my meds", "haven't had my meds"),
        ("I skipped it", "I didn't skip it"),
    ],
)
def test_a_negation_turns_a_dose_taken_into_one_skipped_and_back(
    read: Read, taken: str, not_taken: str
) -> None:
    kinds = {read(taken).kind, read(not_taken).kind}
    assert kinds == {PlainKind.TOOK, PlainKind.SKIPPED}


def test_a_dose_not_yet_taken_is_no_skip(read: Read) -> None:
    assert read("haven't taken it yet").kind is PlainKind.UNCLEAR
    assert read("haven't taken it").kind is PlainKind.SKIPPED


# ---- garbage never raises ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n\n",
        "?",
        "...",
        "🙂🙂",
        "😀",
        "\u200b",
        "ﬁ ½ ǅ Ⅻ",
        "x" * 4000,
        "👍" * 2000,
        "took " * 800,
        "didn't" * 500,
        "?" * 4000,
        "9.30pm " * 500,
        "took it at 99:99",
    ],
)
def test_garbage_is_read_without_raising(read: Read, text: str) -> None:
    plain = read(text)
    assert isinstance(plain, Plain)
    if plain.kind is PlainKind.UNCLEAR:
        assert len(plain.suggestions) == 3


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_any_text_is_read_without_raising(text: str) -> None:
    lexicon = load_intents()["en"]
    plain = read_plain(text, ("Baclofen", "Vitamin D3"), lexicon)
    assert plain.kind in PlainKind
    assert all(command in Command for command in plain.suggestions)


_WORDS = [
    *("took", "taken", "didnt", "not", "no", "pills", "meds", "at", "7pm", "yesterday", "ago"),
    *("an", "hour", "half", "forgot", "skipped", "dizzy", "feeling", "better", "thanks", "hi"),
    *("can", "i", "drink", "?", ",", ".", "but", "my", "baclofen", "10", "mg", "o'clock"),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=20))
def test_any_mix_of_the_files_words_is_read_without_raising(words: list[str]) -> None:
    read_plain(" ".join(words), ("Baclofen",), load_intents()["en"])


# ---- typo repair --------------------------------------------------------------------------


def test_typos_are_repaired_but_real_words_never(lexicon: IntentLexicon) -> None:
    assert lexicon.correct("forgott") == "forgot"
    assert lexicon.correct("medecation") == "medication"
    assert lexicon.correct("caregiever") == "caregiver"
    assert lexicon.correct("thnaks") == "thnaks"  # a typo the file lists itself: left as it is
    for word in ("think", "alone", "among", "shower", "forge", "taken"):
        assert lexicon.correct(word) == word


def test_the_real_words_list_is_up_to_date_with_the_phrases(lexicon: IntentLexicon) -> None:
    """Fails after the phrases change: run `python -m bot.knowledge.intent_files`."""
    path = INTENT_FOLDER / REAL_WORDS.format(language="en")
    listed = [w for w in path.read_text().splitlines() if w and not w.startswith("#")]
    english = get_english_words_set(["web2", "gcide"], lower=True, alpha=True)
    assert listed == real_words_at_risk(lexicon, english)


# ---- the phrase file is validated at load ------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "intents"
    shutil.copytree(INTENT_FOLDER, copy)
    return copy


def _edit(folder: Path, change: Callable[[dict[str, Any]], object]) -> None:
    path = folder / "en.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def test_the_shipped_files_load(folder: Path) -> None:
    assert set(load_intents(folder)) == {"en"}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            lambda d: d["signs"]["took"].append("took ... MEDS"),
            r"en\.yaml: signs\.took\[\d+\]: unknown alias MEDS",
        ),
        (
            lambda d: d["signs"]["skipped"].append("skipped ..."),
            r"en\.yaml: signs\.skipped\[\d+\]: .*must start and end with a word",
        ),
        (
            lambda d: d["cues"]["meds"].append("My Schedule"),
            r"en\.yaml: cues\.meds\[\d+\]: must be lower case",
        ),
        (lambda d: d["negations"].append(False), r"en\.yaml: negations\[\d+\]: .*valid string"),
        (lambda d: d["signs"].update(took=[]), r"en\.yaml: .*signs: .*took"),
        (lambda d: d["cues"].pop("report"), r"en\.yaml: .*cues: .*report"),
        (lambda d: d["cues"].update(stop=["stop"]), r"en\.yaml: cues\.stop"),
        (lambda d: d.update(language="de"), r"en\.yaml: language: must be 'en'"),
        (lambda d: d.update(medicine_word="potion"), r"en\.yaml: medicine_word: no phrase"),
        (lambda d: d.update(colour="blue"), r"en\.yaml: colour: Extra inputs"),
        (
            lambda d: d["alone"]["thanks"].append("done"),
            r"en\.yaml: alone\.thanks\[\d+\]: “done” is also took",
        ),
    ],
)
def test_a_bad_phrase_file_is_refused_naming_file_and_field(
    folder: Path, change: Callable[[dict[str, Any]], object], error: str
) -> None:
    _edit(folder, change)
    with pytest.raises(KnowledgeError, match=error):
        load_intents(folder)


def test_malformed_yaml_is_refused_naming_the_file(folder: Path) -> None:
    (folder / "en.yaml").write_text("language: en\nsigns: [took\n")
    with pytest.raises(KnowledgeError, match=r"en\.yaml: not valid YAML"):
        load_intents(folder)


def test_another_language_is_a_file_of_its_own(folder: Path) -> None:
    cues = {command.value: [command.value] for command in Command}
    german = {
        "language": "de",
        "medicine_word": "tablette",
        "negations": ["nicht", "kein", "keine"],
        "signs": {
            "took": ["genommen", "tablette|tabletten ... genommen"],
            "skipped": ["vergessen"],
            "symptom": ["schwindelig"],
            "thanks": ["danke"],
            "greeting": ["hallo"],
        },
        "cues": cues,
    }
    (folder / "de.yaml").write_text(yaml.safe_dump(german, allow_unicode=True))
    lexicons = load_intents(folder)
    de = lexicons["de"]
    assert read_plain("Ich habe meine Tabletten genommen", (), de).kind is PlainKind.TOOK
    assert read_plain("Baclofen genommen", ("Baclofen",), de).kind is PlainKind.TOOK
    assert read_plain("Danke!", (), de).kind is PlainKind.THANKS
    assert read_plain("Ich habe die Tablette nicht genommen", (), de).kind is PlainKind.SKIPPED
