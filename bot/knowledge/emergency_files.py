"""Reads emergencies/<language>.yaml (phrases per emergency) and emergencies/contacts.yaml
(whom to call, per country), each entry with its source; each language gets its own typo
repair, which leaves alone the real words of every language listed in
emergencies/real_words_<language>.txt (`make real-words` writes them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from pydantic import Field, model_validator

from bot.domain.emergencies import Contact, Emergency, EmergencyContacts, EmergencyLexicon
from bot.domain.wording import ENGLISH_ENDINGS, GAP, WIDE, plain, vocabulary
from bot.knowledge.files import KnowledgeError, LowerText, Phrase, Strict, Text, read_model, shown
from bot.knowledge.spelling import Speller

EMERGENCY_FOLDER = "emergencies"
CONTACTS_FILE = "contacts.yaml"
REAL_WORDS = "real_words_{language}.txt"


class LexiconModel(Strict):
    language: LowerText
    negations: list[LowerText] = Field(min_length=1)
    doubts: list[Phrase] = Field(default_factory=list)
    over: list[LowerText] = Field(default_factory=list)
    denials_after: list[Phrase] = Field(default_factory=list)
    breaks: list[LowerText] = Field(default_factory=list)
    not_now: list[Phrase] = Field(default_factory=list)
    all_clear: list[Phrase] = Field(default_factory=list)
    now: list[Phrase] = Field(default_factory=list)
    numbers: dict[LowerText, int] = Field(default_factory=dict)
    # Endings a stem ("krampf*") takes, for the typo repair's list of words.
    endings: list[str] = Field(default_factory=lambda: list(ENGLISH_ENDINGS))
    # Letters also written another way ("ä": "ae"): each phrase word matches both spellings.
    also_written: dict[str, LowerText] = Field(default_factory=dict)
    not_emergencies: list[Phrase] = Field(default_factory=list)
    real_words: list[LowerText] = Field(default_factory=list)
    # How the language is typed in Latin letters ("zh": "ж"), where people do.
    latin_letters: dict[LowerText, LowerText] = Field(default_factory=dict)
    # Words that say a message in Latin letters is this language ("chto", "ne"); only such a
    # message is read in its script.
    latin_markers: list[LowerText] = Field(default_factory=list)
    sources: dict[Emergency, Text]
    phrases: dict[Emergency, list[Phrase]]

    @model_validator(mode="after")
    def _every_emergency_with_phrases_and_a_source(self) -> LexiconModel:
        for where, table in (("phrases", self.phrases), ("sources", self.sources)):
            missing = [kind.value for kind in Emergency if not table.get(kind)]
            if missing:
                raise ValueError(f"{where}: every emergency needs an entry; missing: {missing}")
        if any(len(letter) != 1 for letter in self.also_written):
            raise ValueError("also_written: each key is one letter")
        return self


def load_lexicons(folder: Path) -> dict[str, EmergencyLexicon]:
    """emergencies/<language>.yaml, one per language; English must be there."""
    lexicons: dict[str, EmergencyLexicon] = {}
    for path in lexicon_files(folder):
        lexicon, endings = read_lexicon(path)
        known = [*lexicon.real_words, *_real_words(path.parent, lexicon.language)]
        speller = Speller(vocabulary(lexicon.index.patterns, endings), known=known)
        lexicons[lexicon.language] = replace(lexicon, correct=speller.correct)
    if "en" not in lexicons:
        raise KnowledgeError(f"{shown(folder / EMERGENCY_FOLDER / 'en.yaml')}: file not found")
    return lexicons


def lexicon_files(folder: Path) -> list[Path]:
    files = sorted((folder / EMERGENCY_FOLDER).glob("*.yaml"))
    return [path for path in files if path.name != CONTACTS_FILE]


def read_lexicon(path: Path) -> tuple[EmergencyLexicon, tuple[str, ...]]:
    """The file's lexicon without its typo repair, and the endings its stems take."""
    model = read_model(path, LexiconModel)
    if model.language != path.stem:
        raise KnowledgeError(f"{shown(path)}: language: must be '{path.stem}', the file name")
    spelt = _Spellings(model.also_written)
    lexicon = EmergencyLexicon(
        language=model.language,
        phrases={kind: spelt.all(texts) for kind, texts in model.phrases.items()},
        negations=frozenset(spelt.words(model.negations)),
        doubts=spelt.all(model.doubts),
        over=frozenset(spelt.words(model.over)),
        not_emergencies=spelt.all(model.not_emergencies),
        real_words=frozenset(spelt.words(model.real_words)),
        sources=dict(model.sources),
        denials_after=spelt.all(model.denials_after),
        breaks=frozenset(spelt.words(model.breaks)),
        not_now=spelt.all(model.not_now),
        all_clear=spelt.all(model.all_clear),
        now=spelt.all(model.now),
        numbers={
            word: value for said, value in model.numbers.items() for word in spelt.words([said])
        },
        latin_letters=dict(model.latin_letters),
        latin_markers=frozenset(model.latin_markers),
    )
    return lexicon, tuple(plain(ending) for ending in model.endings)


class _Spellings:
    """Each word as a message is read (accents gone: "krämpf*" matches "Krämpfe" and
    "krampfe"), and also in its other spelling ("kraempf*" matches "Kraempfe")."""

    def __init__(self, also_written: Mapping[str, str]) -> None:
        self._table = str.maketrans(dict(also_written))

    def words(self, words: Iterable[str]) -> list[str]:
        both = (plain(spelling) for word in words for spelling in self._both(word))
        return list(dict.fromkeys(both))

    def all(self, phrases: Iterable[str]) -> tuple[str, ...]:
        return tuple(" ".join(map(self._token, phrase.split())) for phrase in phrases)

    def _token(self, token: str) -> str:
        if token in (GAP, WIDE) or token.startswith("#"):
            return token
        return "|".join(self.words(token.split("|")))

    def _both(self, word: str) -> tuple[str, str]:
        return word, word.translate(self._table)


def _real_words(folder: Path, language: str) -> list[str]:
    path = folder / REAL_WORDS.format(language=language)
    if not path.is_file():
        raise KnowledgeError(f"{shown(path)}: file not found (make real-words writes it)")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


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
