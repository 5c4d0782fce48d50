"""/ask matcher: measured on labelled sets of patient questions, plus its rules one by one.

Each batch was written by a helper who never saw the matcher or its word lists, and was
scored once, on first sight, before anything was tuned on it (right / wrong / unknown; a
referral-only question is right when the bot says it does not know):

| batch | baseline (before issue 8) | new matcher, first sight | always refer |
| batch_a (110) | 56.4 / 17.3 / 26.4 % | 82.7 / 2.7 / 14.5 % | 14.5 % |
| batch_b (98)  | 67.3 / 12.2 / 20.4 % | 93.9 / 3.1 / 3.1 %  | 18.4 % |
| batch_c (112) | 57.1 / 24.1 / 18.8 % | 89.3 / 5.4 / 5.4 %  | 13.4 % |
| batch_d (108) | 58.3 / 13.0 / 28.7 % | 89.8 / 2.8 / 7.4 %  | 16.7 % |
| batch_e (156) | 58.3 / 15.4 / 26.3 % | 87.8 / 5.1 / 7.1 %  | 14.1 % |
| batch_f (100) | phrases alone: 92.0 / 4.0 / 4.0 % | both readers: 95.0 / 0.0 / 5.0 % | 16.0 % |
| batch_g (100) | phrases alone: 93.0 / 4.0 / 3.0 % | both readers: 95.0 / 0.0 / 5.0 % | 19.0 % |
Each was then tuned on and added to bot/knowledge/questions/ (E only lightly); issue4 is the
issue-4 set (235). F was scored once with the second reader below, never tuned on (the
output: docs/measurements/ask_batch_f_first_score.txt). So was G (2026-12-04; it stays in
docs/measurements/, out of the reader's training: added there, it moved three batches below
by one question each). Since E, /ask has a second reader, a
classifier trained on those questions (bot/knowledge/topic_reader.py), and the two must agree.
Each batch below is scored with the reader trained on the other files only (leave one batch
out), so the reader has never seen the batch; the phrase lists have (they were tuned on it), so
expect fresh questions a little lower.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.domain.ask import CLEAR_LEAD, answer_question
from bot.domain.knowledge import (
    REFERRED,
    DrugInfo,
    Fact,
    KnowledgeBase,
    Topic,
    TopicGuess,
    no_second_reader,
)
from bot.domain.wording import words_of
from bot.knowledge.judging import verdict
from bot.knowledge.loader import load_knowledge
from bot.knowledge.topic_reader import QUESTIONS_FOLDER, TopicReader

DATA = QUESTIONS_FOLDER
# (file, at least this share right, at most this share wrong), the reader trained on the others:
# the figures of 2026-12-02, kept from sliding.
BATCHES = [
    ("issue4.yaml", 0.89, 0.0),
    ("batch_a.yaml", 0.95, 0.0),
    ("batch_b.yaml", 0.97, 0.0),
    ("batch_c.yaml", 0.98, 0.0),
    ("batch_d.yaml", 0.98, 0.0),
    ("batch_e.yaml", 0.92, 0.01),
    ("batch_f.yaml", 0.95, 0.0),
]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def labelled_questions(name: str) -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = yaml.safe_load((DATA / name).read_text())["questions"]
    return questions


def pairs(path: Path) -> list[tuple[str, str]]:
    return [(i["question"], i["topic"] or REFERRED) for i in labelled_questions(path.name)]


@pytest.mark.parametrize(("batch", "min_right", "max_wrong"), BATCHES)
def test_labelled_questions_are_answered_accurately_and_rarely_wrong(
    kb: KnowledgeBase, batch: str, min_right: float, max_wrong: float
) -> None:
    items = labelled_questions(batch)
    others = [pair for path in DATA.glob("*.yaml") if path.name != batch for pair in pairs(path)]
    unseen = replace(kb, read_topic=TopicReader(others).read)
    verdicts = [
        verdict(i, answer_question(unseen, i["question"], i["patient_drugs"])) for i in items
    ]
    total, right, wrong = len(items), verdicts.count("right"), verdicts.count("wrong")
    refer = sum(item["topic"] is None for item in items)
    print(  # noqa: T201 - the measurement is the point of this test (-s shows it)
        f"\n{batch}: right {right}/{total} = {right / total:.1%}, "
        f"wrong {wrong}/{total} = {wrong / total:.1%}, unknown {verdicts.count('unknown')}; "
        f"a bot that always refers: {refer / total:.1%}"
    )
    misses = [f"{v}: {i['question']}" for i, v in zip(items, verdicts, strict=True) if v != "right"]
    assert right / total >= min_right, misses
    assert wrong / total <= max_wrong, misses


@pytest.mark.parametrize("batch", [name for name, *_ in BATCHES[1:]])
def test_each_fresh_batch_is_large_and_varied(batch: str) -> None:
    items = labelled_questions(batch)
    assert len(items) >= 60
    assert sum(item["topic"] is None for item in items) >= 10
    expected = [
        d for i in items for d in (i["drug"] if isinstance(i["drug"], list) else [i["drug"]])
    ]
    assert set(expected) >= {"baclofen", "clonazepam", "clonidine", "gabapentin", "metoprolol"}
    assert set(expected) >= {"prednisone", "sertraline", "general"}


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("alchohol ok?", Topic.ALCOHOL),
        ("is driveing safe", Topic.DRIVING),
        ("can I take it while pregnent", Topic.PREGNANCY),
        ("withdrawel symptoms?", Topic.WITHDRAWAL),
        ("breastfeading ok?", Topic.BREASTFEEDING),
        ("is it addictve", Topic.DEPENDENCE),
    ],
)
def test_typos_in_longer_topic_words_are_forgiven(
    kb: KnowledgeBase, question: str, topic: Topic
) -> None:
    result = answer_question(kb, question, ["Baclofen"])
    assert (result.understood, result.topic) == (True, topic)


def test_short_words_and_real_words_are_never_read_as_typos(kb: KnowledgeBase) -> None:
    assert kb.correct("cat") == "cat"
    assert kb.correct("being") == "being"  # a real word, never the slang "bfing"
    assert not answer_question(kb, "can I go shopping today", ["Baclofen"]).understood
    assert not answer_question(kb, "is my cat ok", ["Baclofen"]).understood


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("lioresal", "baclofen"),
        ("Ozobax", "baclofen"),
        ("baclofin", "baclofen"),
        ("Klonopin", "clonazepam"),
        ("klonopine", "clonazepam"),
        ("neurontin", "gabapentin"),
        ("gabapentn", "gabapentin"),
        ("Catapres", "clonidine"),
        ("Toprol XL", "metoprolol"),
        ("metropolol", "metoprolol"),
        ("zoloft", "sertraline"),
        ("zolft", "sertraline"),
        ("deltasone", "prednisone"),
        ("horizant", "gabapentin_enacarbil"),
        ("gabapentin enacarbil", "gabapentin_enacarbil"),
    ],
)
def test_brand_names_and_misspellings_name_the_drug(kb: KnowledgeBase, name: str, key: str) -> None:
    result = answer_question(kb, f"can I drink on {name}?", [])
    assert result.drug_keys == (key,)
    assert result.topic is Topic.ALCOHOL


def test_a_look_alike_drug_is_not_taken_for_a_known_one(kb: KnowledgeBase) -> None:
    result = answer_question(kb, "can I drink on prednisolone?", ["Baclofen"])
    assert (result.topic, result.drug_keys) == (Topic.ALCOHOL, ("general",))
    assert result.answers[0].facts == kb.general[Topic.ALCOHOL]


def test_a_question_about_another_medicine_gets_the_general_advice(kb: KnowledgeBase) -> None:
    result = answer_question(kb, "can I drink on amoxicillin?", ["Sertraline"])
    assert (result.topic, result.drug_keys) == (Topic.ALCOHOL, ("general",))


def test_another_medicine_taken_with_the_patients_own_is_an_interaction(kb: KnowledgeBase) -> None:
    result = answer_question(kb, "can I take ibuprofen with my meds?", ["Baclofen"])
    assert (result.topic, result.drug_keys) == (Topic.INTERACTIONS, ("baclofen",))


def test_a_drug_named_in_the_question_wins_over_the_patients_own(kb: KnowledgeBase) -> None:
    result = answer_question(kb, "is it ok to drive on clonazepam", ["Baclofen"])
    assert result.topic is Topic.DRIVING
    assert result.drug_keys == ("clonazepam",)
    assert result.answers[0].facts == kb.drugs["clonazepam"].topics[Topic.DRIVING]


def test_without_a_named_drug_each_of_the_patients_covered_drugs_answers(
    kb: KnowledgeBase,
) -> None:
    result = answer_question(kb, "can I have a beer", ["Aspirin", "Lioresal 10 mg", "Zoloft"])
    assert result.topic is Topic.ALCOHOL
    assert result.drug_keys == ("baclofen", "sertraline")
    assert [a.facts for a in result.answers] == [
        kb.drugs["baclofen"].topics[Topic.ALCOHOL],
        kb.drugs["sertraline"].topics[Topic.ALCOHOL],
    ]


def test_a_kind_of_medicine_means_the_patients_drugs_of_that_kind(kb: KnowledgeBase) -> None:
    patient = ["Clonidine", "Metoprolol", "Zoloft"]
    result = answer_question(kb, "can I drink with my bp meds", patient)
    assert result.drug_keys == ("clonidine", "metoprolol")
    result = answer_question(kb, "is it ok with my antidepressant", ["Baclofen"])
    assert (result.topic, result.drug_keys) == (Topic.INTERACTIONS, ("baclofen",))


def test_a_drug_without_facts_on_a_topic_gets_the_general_advice_for_it(
    kb: KnowledgeBase,
) -> None:
    lacking = next(d for d in kb.drugs.values() if Topic.PUMP not in d.topics)
    result = answer_question(kb, f"I have a drug pump, does {lacking.key} matter", [])
    assert (result.topic, result.drug_keys) == (Topic.PUMP, (lacking.key,))
    assert result.answers[0].general
    assert result.answers[0].facts == kb.general[Topic.PUMP]


def test_without_any_known_drug_general_advice_answers(kb: KnowledgeBase) -> None:
    result = answer_question(kb, "can I stop my meds", ["Aspirin"])
    assert (result.understood, result.topic, result.drug_keys) == (
        True,
        Topic.STOPPING,
        ("general",),
    )
    assert result.answers[0].facts == kb.general[Topic.STOPPING]


@pytest.mark.parametrize("question", ["", "   ", "?!", "hello", "what's the weather"])
def test_an_empty_or_off_topic_question_is_unknown(kb: KnowledgeBase, question: str) -> None:
    result = answer_question(kb, question, ["Baclofen"])
    assert (result.understood, result.candidates) == (False, ())


def test_two_topics_tied_is_unknown(kb: KnowledgeBase) -> None:
    assert not answer_question(kb, "is it ok to drink and drive on baclofen", []).understood


def test_a_subject_the_kb_does_not_cover_outweighs_a_stray_topic_word(kb: KnowledgeBase) -> None:
    assert not answer_question(kb, "can I drink grapefruit juice", ["Baclofen"]).understood


def test_context_words_count_less_than_the_main_subject(kb: KnowledgeBase) -> None:
    result = answer_question(kb, "can I stop prednisone now my rash is gone", [])
    assert result.topic is Topic.STOPPING
    result = answer_question(kb, "does alcohol interact with it", [])
    assert result.topic is Topic.ALCOHOL
    # However many symptoms a message lists, they do not outweigh what it asks in the phrases;
    # the second reader sees withdrawal in it, so the patient is asked which of the two.
    many = "dizzy tired sleepy nauseous headache shaky sweaty confused, can I stop taking it"
    phrases_only = replace(kb, read_topic=no_second_reader)
    assert answer_question(phrases_only, many, ["Baclofen"]).topic is Topic.STOPPING
    asked = answer_question(kb, many, ["Baclofen"])
    assert not asked.understood
    assert asked.candidates == (Topic.STOPPING, Topic.WITHDRAWAL)
    assert asked.about == ("baclofen",)


def test_the_readers_must_agree_and_the_classifier_alone_must_be_clear(
    kb: KnowledgeBase,
) -> None:
    # The phrases find no topic here; the classifier, trained on patients' questions, does.
    question = "is it ok to cut my baclofen down from 3 a day to 2 by myself"
    assert not answer_question(replace(kb, read_topic=no_second_reader), question, []).understood
    assert answer_question(kb, question, []).topic is Topic.STOPPING
    # A reader that leads by less than CLEAR_LEAD, or reads a referral, does not answer alone.
    faint = replace(kb, read_topic=lambda q: TopicGuess("stopping", CLEAR_LEAD - 0.1))
    assert not answer_question(faint, question, []).understood
    referred = replace(kb, read_topic=lambda q: TopicGuess(REFERRED, 9.0))
    assert not answer_question(referred, "can I drink on baclofen", []).understood
    agreeing = replace(kb, read_topic=lambda q: TopicGuess("alcohol", 0.0))
    assert answer_question(agreeing, "can I drink on baclofen", []).topic is Topic.ALCOHOL


def test_one_of_several_named_drugs_singled_out_is_the_one_answered(kb: KnowledgeBase) -> None:
    question = "I take zoloft and metoprolol but my question is only about the metoprolol, driving?"
    assert answer_question(kb, question, []).drug_keys == ("metoprolol",)
    both = "I take zoloft and metoprolol, is driving ok with them?"
    assert sorted(answer_question(kb, both, []).drug_keys) == ["metoprolol", "sertraline"]


def test_a_situation_outweighs_what_is_asked_about_it(kb: KnowledgeBase) -> None:
    result = answer_question(kb, "I have kidney disease, can I drink on baclofen", [])
    assert result.topic is Topic.KIDNEY


def test_longer_phrases_win_over_the_words_inside_them(kb: KnowledgeBase) -> None:
    assert answer_question(kb, "any symptoms if I stop suddenly?", []).topic is Topic.WITHDRAWAL
    assert answer_question(kb, "I took 3 at once", []).topic is Topic.OVERDOSE


def test_the_pump_question_reaches_the_pump_facts_not_breastfeeding(kb: KnowledgeBase) -> None:
    result = answer_question(kb, "my baclofen pump alarm keeps going off, what do I do", [])
    assert (result.topic, result.drug_keys) == (Topic.PUMP, ("baclofen",))
    assert answer_question(kb, "can I use a breast pump on sertraline", []).topic is (
        Topic.BREASTFEEDING
    )


def test_unicode_and_punctuation_are_normalised(kb: KnowledgeBase) -> None:
    assert words_of("Didn’t take my DOSE — ALCOHÓL?") == ("didnt", "take", "my", "dose", "alcohol")
    assert answer_question(kb, "I didn’t take it this morning", []).topic is Topic.MISSED_DOSE


def test_a_tie_is_unknown_with_any_knowledge_base() -> None:
    fact = Fact("text", "source")
    drug = DrugInfo(
        "testdrug", "Testdrug", ("testdrug",), False, False, (), {Topic.ALCOHOL: (fact,)}
    )
    kb = KnowledgeBase(
        drugs={"testdrug": drug},
        general=dict.fromkeys(Topic, (fact,)),
        topic_phrases={Topic.ALCOHOL: ("beer",), Topic.DRIVING: ("drive",)},
    )
    assert answer_question(kb, "beer?", ["testdrug"]).topic is Topic.ALCOHOL
    assert not answer_question(kb, "beer and drive?", ["testdrug"]).understood
    # The drug has no driving facts of its own: the general advice answers, and says so.
    answer = answer_question(kb, "can I drive", ["testdrug"]).answers[0]
    assert answer.general and answer.facts == (fact,)
