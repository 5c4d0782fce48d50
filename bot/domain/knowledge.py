"""Safety knowledge as values: drugs, topics and sourced facts (loaded from data by an adapter)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Topic(StrEnum):
    ALCOHOL = "alcohol"
    DRIVING = "driving"
    MISSED_DOSE = "missed_dose"
    STOPPING = "stopping"
    WITHDRAWAL = "withdrawal"
    OVERDOSE = "overdose"
    SIDE_EFFECTS = "side_effects"
    PREGNANCY = "pregnancy"
    BREASTFEEDING = "breastfeeding"
    INTERACTIONS = "interactions"
    DEPENDENCE = "dependence"


@dataclass(frozen=True, slots=True)
class Fact:
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class DrugInfo:
    """What the bot knows of one drug; `key` is its generic name, lower case."""

    key: str
    display_name: str
    names: tuple[str, ...]  # generic, brand names and common misspellings, lower case
    withdrawal_risk: bool
    sedating: bool
    withdrawal_symptoms: tuple[str, ...]
    topics: dict[Topic, tuple[Fact, ...]] = field(default_factory=dict)
    # Other drugs spelled much like this one (prednisolone for prednisone): never a typo of it.
    look_alikes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    drugs: dict[str, DrugInfo]
    general: dict[Topic, tuple[Fact, ...]]
    # Words and phrases that point to a topic ("beer" → alcohol), for /ask.
    topic_phrases: dict[Topic, tuple[str, ...]]
    # Words that point to a topic only as context (a symptom, a connector like "mix", a past
    # event like "stopped"): they count half, so "is this withdrawal? I stopped" is withdrawal.
    topic_hints: dict[Topic, tuple[str, ...]] = field(default_factory=dict)
    # Words of questions the knowledge base does not answer ("grapefruit", "cost"): /ask
    # says it does not know rather than answer a nearby topic.
    not_covered: tuple[str, ...] = ()
    # Real words close to a topic word ("shopping" ~ "stopping"), never read as its typo.
    not_typos: frozenset[str] = frozenset()

    def drug_named(self, name: str) -> DrugInfo | None:
        """The drug a medication name refers to: generic or brand, any case, extra words ok."""
        words = name.casefold().split()
        for drug in self.drugs.values():
            if any(known in words or known == name.casefold().strip() for known in drug.names):
                return drug
        return None
