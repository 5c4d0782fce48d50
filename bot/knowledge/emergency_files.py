"""Reads emergencies/<language>.yaml (phrases per emergency) and emergencies/contacts.yaml
(whom to call, per country), each entry with its source."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from bot.domain.emergencies import Contact, Emergency, EmergencyContacts, EmergencyLexicon
from bot.knowledge.files import KnowledgeError, LowerText, Phrase, Strict, Text, read_model, shown

EMERGENCY_FOLDER = "emergencies"
CONTACTS_FILE = "contacts.yaml"


class LexiconModel(Strict):
    language: LowerText
    negations: list[LowerText] = Field(min_length=1)
    doubts: list[Phrase] = Field(default_factory=list)
    over: list[LowerText] = Field(default_factory=list)
    not_emergencies: list[Phrase] = Field(default_factory=list)
    real_words: list[LowerText] = Field(default_factory=list)
    sources: dict[Emergency, Text]
    phrases: dict[Emergency, list[Phrase]]

    @model_validator(mode="after")
    def _every_emergency_with_phrases_and_a_source(self) -> LexiconModel:
        for where, table in (("phrases", self.phrases), ("sources", self.sources)):
            missing = [kind.value for kind in Emergency if not table.get(kind)]
            if missing:
                raise ValueError(f"{where}: every emergency needs an entry; missing: {missing}")
        return self


class ContactModel(Strict):
    name: Text = ""
    number: Text = ""
    web: Text = ""
    source: Text

    @model_validator(mode="after")
    def _reachable(self) -> ContactModel:
        if not (self.number or self.web):
            raise ValueError("a contact needs a number or a web address")
        return self

    def contact(self) -> Contact:
        return Contact(self.name, self.number, self.source, self.web)


class CountryModel(Strict):
    emergency: ContactModel | None = None
    poison: ContactModel | None = None
    crisis: ContactModel | None = None


class ContactsModel(Strict):
    countries: dict[str, CountryModel]
    fallback: CountryModel


def load_lexicons(folder: Path) -> dict[str, EmergencyLexicon]:
    """emergencies/<language>.yaml, one per language; English must be there."""
    lexicons: dict[str, EmergencyLexicon] = {}
    for path in sorted((folder / EMERGENCY_FOLDER).glob("*.yaml")):
        if path.name == CONTACTS_FILE:
            continue
        model = read_model(path, LexiconModel)
        if model.language != path.stem:
            raise KnowledgeError(f"{shown(path)}: language: must be '{path.stem}', the file name")
        lexicons[model.language] = EmergencyLexicon(
            language=model.language,
            phrases={kind: tuple(texts) for kind, texts in model.phrases.items()},
            negations=frozenset(model.negations),
            doubts=tuple(model.doubts),
            over=frozenset(model.over),
            not_emergencies=tuple(model.not_emergencies),
            real_words=frozenset(model.real_words),
            sources=dict(model.sources),
        )
    if "en" not in lexicons:
        raise KnowledgeError(f"{shown(folder / EMERGENCY_FOLDER / 'en.yaml')}: file not found")
    return lexicons


def load_contacts(folder: Path) -> tuple[dict[str, EmergencyContacts], EmergencyContacts]:
    """Emergency, poison and crisis numbers by country code, and the fallback for others."""
    model = read_model(folder / EMERGENCY_FOLDER / CONTACTS_FILE, ContactsModel)
    return {code: _contacts(c) for code, c in model.countries.items()}, _contacts(model.fallback)


def _contacts(model: CountryModel) -> EmergencyContacts:
    return EmergencyContacts(
        emergency=model.emergency.contact() if model.emergency else None,
        poison=model.poison.contact() if model.poison else None,
        crisis=model.crisis.contact() if model.crisis else None,
    )
