"""Safety knowledge as values: drugs, topics and sourced facts (loaded from data by an adapter)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from bot.domain.emergencies import Detection, EmergencyContacts, EmergencyLexicon, detect_in
from bot.domain.intents import IntentLexicon, Plain, read_plain
from bot.domain.wording import PatternIndex, Wording, longest_first, unchanged

# A hint (a word that points to a topic only as context) counts half a topic phrase; a phrase
# of the patient's situation (pregnant, kidney disease) twice as much.
HINT_WEIGHT = 0.5
SITUATION_WEIGHT = 2.0
# Hints are context: however many symptoms a message lists, they add up to at most this.
HINT_CAP = 1.0


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
    KIDNEY = "kidney"
    OLDER_AGE = "older_age"
    EPILEPSY = "epilepsy"
    SURGERY = "surgery"
    PUMP = "pump"


# Every drug file answers these; the later topics are answered per drug where its label says
# something, and otherwise by the general advice.
CORE_TOPICS = (
    Topic.ALCOHOL,
    Topic.DRIVING,
    Topic.MISSED_DOSE,
    Topic.STOPPING,
    Topic.WITHDRAWAL,
    Topic.OVERDOSE,
    Topic.SIDE_EFFECTS,
    Topic.PREGNANCY,
    Topic.BREASTFEEDING,
    Topic.INTERACTIONS,
    Topic.DEPENDENCE,
)


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
    # When missed doses or a sudden stop call for emergency services (may be none: sertraline's
    # discontinuation symptoms are distressing but not an emergency).
    danger_signs: tuple[str, ...] = ()
    # Other drugs spelled much like this one (prednisolone for prednisone): never a typo of it.
    look_alikes: tuple[str, ...] = ()
    # Kinds of medicine it is, as patients say them ("steroids", "my bp meds").
    classes: tuple[str, ...] = ()


# Labels of the phrases that are not a topic or a covered drug.
NOT_COVERED = "not covered"  # a subject the knowledge base has no facts on
OTHER_MEDICINE = "other medicine"  # a medicine it does not cover ("amoxicillin")
CLASS = "class:"  # prefix of a kind of medicine ("class:steroid")
REFERRED = "referred"  # a question none of the topics answers: only a referral does


@dataclass(frozen=True, slots=True)
class TopicGuess:
    """A second reader's view of a question (bot/knowledge/topic_reader.py): the topic it reads,
    or REFERRED, and by how much that leads the next one."""

    label: str
    margin: float


def no_second_reader(question: str) -> TopicGuess | None:
    return None


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything /ask and the safety rules know; the phrase lists compile once, on first use."""

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
    # Medicines it does not cover, named so that a question about one is not read as one
    # about the patient's own drug.
    other_medicines: tuple[str, ...] = ()
    # Topics about the patient's situation (pregnancy, surgery): they outweigh what is asked.
    situations: frozenset[Topic] = frozenset()
    # Real words close to a phrase's word ("shopping" ~ "stopping"), never read as its typo.
    not_typos: frozenset[str] = frozenset()
    # Emergency phrases per language, and whom to call, per country (ISO 3166 code).
    emergencies: Mapping[str, EmergencyLexicon] = field(default_factory=dict)
    contacts: Mapping[str, EmergencyContacts] = field(default_factory=dict)
    fallback_contacts: EmergencyContacts = field(default_factory=EmergencyContacts)
    # Corrects a misspelt word to the knowledge base's own vocabulary (built by the loader).
    correct: Callable[[str], str] = unchanged
    # Reads a question's topic as learnt from labelled patients' questions (built by the
    # loader; a knowledge base built by hand has none, and /ask then uses its phrases alone).
    read_topic: Callable[[str], TopicGuess | None] = no_second_reader
    # What messages without a command mean, per language (bot.domain.intents).
    intents: Mapping[str, IntentLexicon] = field(default_factory=dict)

    @cached_property
    def topic_index(self) -> PatternIndex:
        """Topic phrases (a situation's count twice) and the subjects not covered."""
        return PatternIndex.of((NOT_COVERED, p) for p in self.not_covered) + self._topics(
            self.topic_phrases, 1.0
        )

    @cached_property
    def hint_index(self) -> PatternIndex:
        """Hints: words that point to a topic only as context."""
        return self._topics(self.topic_hints, HINT_WEIGHT)

    def _topics(self, table: dict[Topic, tuple[str, ...]], weight: float) -> PatternIndex:
        index = PatternIndex(())
        for topic, phrases in table.items():
            boost = SITUATION_WEIGHT if topic in self.situations else 1.0
            index += PatternIndex.of(((topic.value, p) for p in phrases), weight * boost)
        return index

    @cached_property
    def name_index(self) -> PatternIndex:
        """Drug names (a look-alike drug labelled ""), kinds of medicine, other medicines."""
        entries = [
            (drug.key if name in drug.names else "", name)
            for drug in self.drugs.values()
            for name in (*drug.names, *drug.look_alikes)
        ]
        entries += {(CLASS + kind, kind) for drug in self.drugs.values() for kind in drug.classes}
        entries += [(OTHER_MEDICINE, name) for name in self.other_medicines]
        return PatternIndex.of(entries)

    def emergencies_in(self, text: str, language: str = "en") -> Detection:
        """Emergencies a message describes, read in every language whatever the patient's
        `language` (a German speaker may have an English client): none is ever missed for a
        language setting."""
        return detect_in(text, tuple(self.emergencies.values()))

    def read_plain(self, text: str, medication_names: Sequence[str], language: str = "en") -> Plain:
        """A message sent without a command, read in the patient's language (else English)."""
        lexicon = self.intents.get(language) or self.intents["en"]
        return read_plain(text, medication_names, lexicon, self.correct)

    def drug_named(self, name: str) -> DrugInfo | None:
        """The drug a medication name refers to: generic or brand, typos and extra words ok;
        the longest name wins ("gabapentin enacarbil" is Horizant, not gabapentin)."""
        wording = Wording.read(name, self.correct)
        for match in longest_first(self.name_index.find(wording)):
            return self.drugs.get(match.pattern.label)
        return None
