"""Reads and validates the knowledge base files; a bad file stops the bot naming file and field."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationError,
    model_validator,
)

from bot.domain.knowledge import DrugInfo, Fact, KnowledgeBase, Topic

KNOWLEDGE_FOLDER = Path(__file__).parent
GENERAL_FILE = "general.yaml"
TOPICS_FILE = "topics.yaml"


class KnowledgeError(Exception):
    """A knowledge base file is missing, is not valid YAML, or breaks the schema."""


def _lower_case(value: str) -> str:
    if value != value.casefold():
        raise ValueError("must be lower case")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LowerText = Annotated[Text, AfterValidator(_lower_case)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FactModel(_Strict):
    text: Text
    source: Text


def _missing_topics(topics: dict[Topic, Any]) -> str:
    missing = [topic.value for topic in Topic if not topics.get(topic)]
    return f"every topic needs at least one entry; missing: {', '.join(missing)}" if missing else ""


class _TopicFacts(_Strict):
    topics: dict[Topic, list[FactModel]]

    @model_validator(mode="after")
    def _covers_every_topic(self) -> _TopicFacts:
        if problem := _missing_topics(dict(self.topics)):
            raise ValueError(f"topics: {problem}")
        return self


class DrugModel(_TopicFacts):
    name: Text
    names: list[LowerText] = Field(min_length=1)
    look_alikes: list[LowerText] = Field(default_factory=list)
    withdrawal_risk: StrictBool
    sedating: StrictBool
    withdrawal_symptoms: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _symptoms_for_withdrawal_risk(self) -> DrugModel:
        if self.withdrawal_risk and not self.withdrawal_symptoms:
            raise ValueError("withdrawal_symptoms: a drug with withdrawal_risk needs symptoms")
        return self


class GeneralModel(_TopicFacts):
    pass


class TopicsModel(_Strict):
    topics: dict[Topic, list[LowerText]]
    hints: dict[Topic, list[LowerText]] = Field(default_factory=dict)
    not_covered: list[LowerText] = Field(default_factory=list)
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
                if phrase in seen and seen[phrase] != where:
                    raise ValueError(f"'{phrase}' is listed under both {seen[phrase]} and {where}")
                seen[phrase] = where
        return self


Model = TypeVar("Model", bound=BaseModel)


def _shown(path: Path) -> str:
    """The path as a person would look for it: relative to the working directory if inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _field(location: tuple[int | str, ...]) -> str:
    shown = ""
    for part in location:
        if isinstance(part, int):
            shown += f"[{part}]"
        elif part != "[key]":  # an unknown dict key: its name is already the previous part
            shown += f".{part}" if shown else part
    return shown


def _read(path: Path, model: type[Model]) -> Model:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeError(f"{_shown(path)}: file not found") from None
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{_shown(path)}: not valid YAML: {error}") from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = _field(first["loc"]) or "(whole file)"
        raise KnowledgeError(f"{_shown(path)}: {field}: {first['msg']}") from None


def _facts(topics: dict[Topic, list[FactModel]]) -> dict[Topic, tuple[Fact, ...]]:
    return {
        topic: tuple(Fact(text=" ".join(f.text.split()), source=f.source) for f in facts)
        for topic, facts in topics.items()
    }


def _drug(path: Path) -> DrugInfo:
    model = _read(path, DrugModel)
    key = path.stem
    if key not in model.names:
        raise KnowledgeError(f"{_shown(path)}: names: must include the generic name '{key}'")
    return DrugInfo(
        key=key,
        display_name=model.name,
        names=tuple(model.names),
        withdrawal_risk=model.withdrawal_risk,
        sedating=model.sedating,
        withdrawal_symptoms=tuple(model.withdrawal_symptoms),
        topics=_facts(model.topics),
        look_alikes=tuple(model.look_alikes),
    )


def _check_names_unique(drugs: dict[str, DrugInfo], folder: Path) -> None:
    owner: dict[str, str] = {}
    for drug in drugs.values():
        for name in (*drug.names, *drug.look_alikes):
            if name in owner and owner[name] != drug.key:
                path = _shown(folder / f"{drug.key}.yaml")
                raise KnowledgeError(f"{path}: names: '{name}' also belongs to {owner[name]}")
            owner[name] = drug.key


def load_knowledge(folder: Path | None = None) -> KnowledgeBase:
    """Every <drug>.yaml, general.yaml and topics.yaml of the folder (default: this package)."""
    folder = folder or KNOWLEDGE_FOLDER
    drug_files = sorted(
        p for p in folder.glob("*.yaml") if p.name not in {GENERAL_FILE, TOPICS_FILE}
    )
    if not drug_files:
        raise KnowledgeError(f"{_shown(folder)}: no drug files (<drug>.yaml) found")
    drugs = {path.stem: _drug(path) for path in drug_files}
    _check_names_unique(drugs, folder)
    general = _read(folder / GENERAL_FILE, GeneralModel)
    topics = _read(folder / TOPICS_FILE, TopicsModel)
    return KnowledgeBase(
        drugs=drugs,
        general=_facts(general.topics),
        topic_phrases={topic: tuple(phrases) for topic, phrases in topics.topics.items()},
        topic_hints={topic: tuple(phrases) for topic, phrases in topics.hints.items()},
        not_covered=tuple(topics.not_covered),
        not_typos=frozenset(topics.not_typos),
    )
