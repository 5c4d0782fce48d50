"""Reads and validates the knowledge base files; a bad file stops the bot naming file and field."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StrictBool, model_validator

from bot.domain.intents import IntentLexicon
from bot.domain.knowledge import CORE_TOPICS, DrugInfo, Fact, KnowledgeBase, Topic
from bot.domain.wording import vocabulary
from bot.knowledge.emergency_files import load_contacts, load_lexicons
from bot.knowledge.files import (
    KnowledgeError,
    LowerText,
    Phrase,
    Strict,
    Text,
    read_model,
    shown,
)
from bot.knowledge.intent_files import load_intents
from bot.knowledge.spelling import Speller
from bot.knowledge.topic_reader import QUESTIONS_FOLDER, TopicReader, labelled_questions

__all__ = ["KNOWLEDGE_FOLDER", "KnowledgeError", "load_knowledge"]

KNOWLEDGE_FOLDER = Path(__file__).parent
GENERAL_FILE = "general.yaml"
TOPICS_FILE = "topics.yaml"
REAL_WORDS_FILE = "real_words.txt"


# A source is shown to patients: a reference they can look up, never a path in this repository.
# (A web address is a reference; a folder of this repository or a file name is not.)
_FILE_PATH = re.compile(r"\b(?:shared|seeds|bot|tests|docs)/|\.(?:txt|ya?ml|md|py)\b")


def _readable_source(value: str) -> str:
    if _FILE_PATH.search(value):
        raise ValueError("name the document (title, label and section), not a file path")
    return value


class FactModel(Strict):
    text: Text
    source: Annotated[Text, AfterValidator(_readable_source)]


def _missing_topics(topics: dict[Topic, Any], required: tuple[Topic, ...] = tuple(Topic)) -> str:
    missing = [topic.value for topic in required if not topics.get(topic)]
    return f"every topic needs at least one entry; missing: {', '.join(missing)}" if missing else ""


class _TopicFacts(Strict):
    topics: dict[Topic, list[FactModel]]

    @model_validator(mode="after")
    def _covers_every_topic(self) -> _TopicFacts:
        if problem := _missing_topics(dict(self.topics), self._required()):
            raise ValueError(f"topics: {problem}")
        return self

    @staticmethod
    def _required() -> tuple[Topic, ...]:
        return tuple(Topic)


class DrugModel(_TopicFacts):
    name: Text
    names: list[Phrase] = Field(min_length=1)
    look_alikes: list[Phrase] = Field(default_factory=list)
    withdrawal_risk: StrictBool
    sedating: StrictBool
    withdrawal_symptoms: list[Text] = Field(default_factory=list)
    danger_signs: list[Text] = Field(default_factory=list)
    classes: list[Phrase] = Field(default_factory=list)

    @staticmethod
    def _required() -> tuple[Topic, ...]:
        return CORE_TOPICS

    @model_validator(mode="after")
    def _symptoms_for_withdrawal_risk(self) -> DrugModel:
        if self.withdrawal_risk and not self.withdrawal_symptoms:
            raise ValueError("withdrawal_symptoms: a drug with withdrawal_risk needs symptoms")
        return self


class GeneralModel(_TopicFacts):
    pass


class TopicsModel(Strict):
    topics: dict[Topic, list[Phrase]]
    hints: dict[Topic, list[Phrase]] = Field(default_factory=dict)
    not_covered: list[Phrase] = Field(default_factory=list)
    other_medicines: list[Phrase] = Field(default_factory=list)
    situations: list[Topic] = Field(default_factory=list)
    not_typos: list[LowerText] = Field(default_factory=list)

    @model_validator(mode="after")
    def _each_phrase_points_one_way(self) -> TopicsModel:
        if problem := _missing_topics(dict(self.topics)):
            raise ValueError(f"topics: {problem}")
        seen: dict[str, str] = {}
        lists = [(f"topics.{topic.value}", phrases) for topic, phrases in self.topics.items()]
        lists += [(f"hints.{topic.value}", phrases) for topic, phrases in self.hints.items()]
        for where, phrases in [*lists, ("not_covered", self.not_covered)]:
            for phrase in phrases:
                # A one-word phrase "beer|beers" claims each of its words.
                for key in phrase.split("|") if " " not in phrase else [phrase]:
                    if key in seen and seen[key] != where:
                        raise ValueError(f"'{key}' is listed under both {seen[key]} and {where}")
                    seen[key] = where
        return self


def _facts(topics: dict[Topic, list[FactModel]]) -> dict[Topic, tuple[Fact, ...]]:
    return {
        topic: tuple(Fact(text=" ".join(f.text.split()), source=f.source) for f in facts)
        for topic, facts in topics.items()
    }


def _drug(path: Path) -> DrugInfo:
    model = read_model(path, DrugModel)
    key = path.stem
    if key.replace("_", " ") not in model.names:
        generic = key.replace("_", " ")
        raise KnowledgeError(f"{shown(path)}: names: must include the generic name '{generic}'")
    return DrugInfo(
        key=key,
        display_name=model.name,
        names=tuple(model.names),
        withdrawal_risk=model.withdrawal_risk,
        sedating=model.sedating,
        withdrawal_symptoms=tuple(model.withdrawal_symptoms),
        topics=_facts(model.topics),
        danger_signs=tuple(model.danger_signs),
        look_alikes=tuple(model.look_alikes),
        classes=tuple(model.classes),
    )


def _check_names_unique(drugs: dict[str, DrugInfo], folder: Path) -> None:
    owner: dict[str, str] = {}
    for drug in drugs.values():
        for name in (*drug.names, *drug.look_alikes):
            if name in owner and owner[name] != drug.key:
                path = shown(folder / f"{drug.key}.yaml")
                raise KnowledgeError(f"{path}: names: '{name}' also belongs to {owner[name]}")
            owner[name] = drug.key


def load_knowledge(folder: Path | None = None) -> KnowledgeBase:
    """Every <drug>.yaml, general.yaml, topics.yaml and emergencies/ file of the folder; the
    package's own folder is read once per process (it does not change while the bot runs)."""
    return _shipped(KNOWLEDGE_FOLDER) if folder is None else _load(folder)


@cache
def _shipped(folder: Path) -> KnowledgeBase:
    return _load(folder)


def _load(folder: Path) -> KnowledgeBase:
    drug_files = sorted(
        p for p in folder.glob("*.yaml") if p.name not in {GENERAL_FILE, TOPICS_FILE}
    )  # (emergency phrases and contacts live in the emergencies/ folder)
    if not drug_files:
        raise KnowledgeError(f"{shown(folder)}: no drug files (<drug>.yaml) found")
    drugs = {path.stem: _drug(path) for path in drug_files}
    _check_names_unique(drugs, folder)
    general = read_model(folder / GENERAL_FILE, GeneralModel)
    topics = read_model(folder / TOPICS_FILE, TopicsModel)
    lexicons = load_lexicons(folder)
    contacts, fallback = load_contacts(folder)
    kb = KnowledgeBase(
        drugs=drugs,
        general=_facts(general.topics),
        topic_phrases={topic: tuple(phrases) for topic, phrases in topics.topics.items()},
        topic_hints={topic: tuple(phrases) for topic, phrases in topics.hints.items()},
        not_covered=tuple(topics.not_covered),
        other_medicines=tuple(topics.other_medicines),
        situations=frozenset(topics.situations),
        not_typos=frozenset(topics.not_typos),
        emergencies=lexicons,
        contacts=contacts,
        fallback_contacts=fallback,
        intents=_intents(folder),
    )
    return replace(kb, correct=_speller(kb, folder).correct, read_topic=_topic_reader(folder).read)


def _topic_reader(folder: Path) -> TopicReader:
    """Trained on the folder's questions/ (a test's own), else on the package's."""
    own = folder / "questions"
    return TopicReader(labelled_questions(own if own.is_dir() else QUESTIONS_FOLDER))


def _intents(folder: Path) -> dict[str, IntentLexicon]:
    """The folder's intents/ files; a folder without (a test's few drugs) has the package's."""
    own = folder / "intents"
    return load_intents(own) if own.is_dir() and folder != KNOWLEDGE_FOLDER else load_intents()


def _speller(kb: KnowledgeBase, folder: Path) -> Speller:
    """Misspelt words are corrected to the words of the knowledge base's phrases: topics,
    drug names and emergencies; never a real word (real_words.txt and the lists' own)."""
    return Speller(knowledge_words(kb), known=[*listed_real_words(kb), *_real_words(folder)])


def knowledge_words(kb: KnowledgeBase) -> list[str]:
    indexes = [kb.topic_index, kb.hint_index, kb.name_index]
    # English emergency words too, as before each language had its own typo repair: /ask and
    # plain words are English, and a typo of theirs is never repaired into another language.
    indexes += [kb.emergencies["en"].index]
    return [word for index in indexes for word in vocabulary(index.patterns)]


def listed_real_words(kb: KnowledgeBase) -> list[str]:
    """Real words the data files list themselves (topics.yaml, emergencies/<language>.yaml)."""
    return [*kb.not_typos, *(word for lex in kb.emergencies.values() for word in lex.real_words)]


def _real_words(folder: Path) -> list[str]:
    path = folder / REAL_WORDS_FILE
    if not path.is_file():
        raise KnowledgeError(f"{shown(path)}: file not found (make real-words writes it)")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]
