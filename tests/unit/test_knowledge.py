"""The shipped knowledge base loads and is complete; a bad file is refused naming file and field."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.domain.knowledge import CORE_TOPICS, KnowledgeBase, Topic
from bot.knowledge.loader import KNOWLEDGE_FOLDER, KnowledgeError, load_knowledge

SHIPPED_DRUGS = {
    "baclofen",
    "clonidine",
    "gabapentin",
    "gabapentin_enacarbil",
    "gralise",
    "clonazepam",
    "metoprolol",
    "sertraline",
    "prednisone",
}
# A fact must never tell the patient to change a dose on their own ("do not double" is fine).
DOSE_CHANGE = re.compile(
    r"\b(increase|decrease|reduce|lower|raise|change|adjust|halve|double|cut|skip)\s+"
    r"(up\s+)?(on\s+)?(your|the|a|the next)?\s*(next\s+)?(dose|dosage|tablet|pill)s?\b"
    r"|\btake\s+(an\s+)?extra\b|\btake\s+(more|less)\b|\bdouble\b(?!\s+vision)",
    re.IGNORECASE,
)
NEGATION = re.compile(r"\b(do not|don't|never|not)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge base, to break one file at a time."""
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_FOLDER, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy


def edit(path: Path, change: dict[str, object]) -> None:
    data = yaml.safe_load(path.read_text())
    data.update(change)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def every_fact(kb: KnowledgeBase) -> list[tuple[str, Topic, str, str]]:
    tables = [(drug.key, drug.topics) for drug in kb.drugs.values()] + [("general", kb.general)]
    return [
        (owner, topic, fact.text, fact.source)
        for owner, topics in tables
        for topic, facts in topics.items()
        for fact in facts
    ]


def test_the_shipped_knowledge_base_loads_every_drug(kb: KnowledgeBase) -> None:
    assert set(kb.drugs) == SHIPPED_DRUGS
    assert kb.drug_named("Baclofen 10 mg") is kb.drugs["baclofen"]
    assert kb.drug_named("Klonopin") is kb.drugs["clonazepam"]


def test_every_drug_covers_the_core_topics_and_the_general_advice_every_topic(
    kb: KnowledgeBase,
) -> None:
    for drug in kb.drugs.values():
        assert all(drug.topics.get(topic) for topic in CORE_TOPICS), drug.key
    assert all(kb.general.get(topic) for topic in Topic)
    assert all(kb.topic_phrases.get(topic) for topic in Topic)


def test_every_fact_has_text_and_a_source(kb: KnowledgeBase) -> None:
    for owner, topic, text, source in every_fact(kb):
        assert text.strip() and source.strip(), (owner, topic)


def test_a_source_shown_to_patients_is_not_a_file_path(folder: Path) -> None:
    path = folder / "baclofen.yaml"
    data = yaml.safe_load(path.read_text())
    data["topics"]["alcohol"][0]["source"] = "Seed article (shared/seeds/baclofen-article.txt)"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(KnowledgeError, match=r"alcohol\[0\]\.source: .*not a file path"):
        load_knowledge(folder)


def test_drugs_with_withdrawal_risk_name_the_symptoms_to_watch(kb: KnowledgeBase) -> None:
    for drug in kb.drugs.values():
        assert drug.withdrawal_risk and drug.withdrawal_symptoms, drug.key
        assert all(name == name.casefold() and name for name in drug.names)


def test_baclofen_warns_of_withdrawal_seizures_and_hallucinations(kb: KnowledgeBase) -> None:
    baclofen = kb.drugs["baclofen"]
    for topic in (Topic.STOPPING, Topic.WITHDRAWAL):
        text = " ".join(fact.text for fact in baclofen.topics[topic]).casefold()
        assert "seizure" in text and "hallucination" in text, topic
    assert "withdrawal" in " ".join(f.text for f in baclofen.topics[Topic.STOPPING]).casefold()
    assert {"seizures", "hallucinations"} <= set(baclofen.withdrawal_symptoms)


def test_no_fact_tells_the_patient_to_change_a_dose(kb: KnowledgeBase) -> None:
    for owner, topic, text, _source in every_fact(kb):
        for sentence in re.split(r"(?<=[.;:])\s+", text):
            for match in DOSE_CHANGE.finditer(sentence):
                before = sentence[: match.start()]
                assert NEGATION.search(before), f"{owner}/{topic}: {sentence}"


def test_the_dose_change_check_catches_an_instruction() -> None:
    assert DOSE_CHANGE.search("If it hurts, increase your dose.")
    assert DOSE_CHANGE.search("You can take an extra tablet.")
    assert not NEGATION.search("If it hurts, ")


def test_a_fact_without_a_source_is_refused_naming_file_and_field(folder: Path) -> None:
    path = folder / "baclofen.yaml"
    data = yaml.safe_load(path.read_text())
    del data["topics"]["alcohol"][0]["source"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(KnowledgeError, match=r"baclofen\.yaml: topics\.alcohol\[0\]\.source: "):
        load_knowledge(folder)


def test_malformed_yaml_is_refused_naming_the_file(folder: Path) -> None:
    (folder / "clonidine.yaml").write_text("name: Clonidine\nnames: [clonidine\n")
    with pytest.raises(KnowledgeError, match=r"clonidine\.yaml: not valid YAML"):
        load_knowledge(folder)


def test_an_unknown_topic_is_refused(folder: Path) -> None:
    path = folder / "gabapentin.yaml"
    topics = yaml.safe_load(path.read_text())["topics"]
    edit(path, {"topics": {**topics, "booze": [{"text": "t", "source": "s"}]}})
    with pytest.raises(KnowledgeError, match=r"gabapentin\.yaml: topics\.booze: "):
        load_knowledge(folder)


def test_a_drug_missing_a_topic_is_refused(folder: Path) -> None:
    path = folder / "sertraline.yaml"
    topics = yaml.safe_load(path.read_text())["topics"]
    del topics["dependence"]
    edit(path, {"topics": topics})
    with pytest.raises(KnowledgeError, match=r"sertraline\.yaml: .*missing: dependence"):
        load_knowledge(folder)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"colour": "white"}, "colour"),
        ({"names": ["Baclofen"]}, r"names\[0\]"),
        ({"names": []}, "names"),
        ({"sedating": "maybe"}, "sedating"),
    ],
)
def test_a_bad_drug_field_is_refused_naming_it(
    folder: Path, change: dict[str, object], field: str
) -> None:
    edit(folder / "baclofen.yaml", change)
    with pytest.raises(KnowledgeError, match=rf"baclofen\.yaml: {field}: "):
        load_knowledge(folder)


def test_a_name_shared_by_two_drugs_is_refused(folder: Path) -> None:
    path = folder / "prednisone.yaml"
    names = yaml.safe_load(path.read_text())["names"]
    edit(path, {"names": [*names, "lioresal"]})
    with pytest.raises(KnowledgeError, match=r"names: 'lioresal' also belongs to"):
        load_knowledge(folder)


def test_a_phrase_pointing_to_two_topics_is_refused(folder: Path) -> None:
    path = folder / "topics.yaml"
    topics = yaml.safe_load(path.read_text())["topics"]
    topics["driving"] = [*topics["driving"], "beer"]
    edit(path, {"topics": topics})
    with pytest.raises(KnowledgeError, match=r"topics\.yaml: .*'beer' is listed under both"):
        load_knowledge(folder)


def test_a_missing_general_file_is_refused(folder: Path) -> None:
    (folder / "general.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"general\.yaml: file not found"):
        load_knowledge(folder)
