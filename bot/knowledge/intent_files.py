"""Reads intents/<language>.yaml, what plain messages mean (bot/domain/intents.py): phrases
per sign, cue phrases per command, with aliases expanded and every phrase checked; a bad file
stops the bot naming file and field. `python -m bot.knowledge.intent_files` refreshes the
real words each file's typo repair must leave alone (intents/real_words_<language>.txt).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from bot.domain.intents import Command, IntentLexicon, Sign
from bot.domain.wording import Pattern, vocabulary, words_of
from bot.knowledge.files import KnowledgeError, LowerText, Strict, Text, read_model, shown
from bot.knowledge.spelling import Speller

__all__ = ["INTENT_FOLDER", "load_intents"]

INTENT_FOLDER = Path(__file__).parent / "intents"
REAL_WORDS = "real_words_{language}.txt"
_ALIAS_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_ALIAS_WORD = re.compile(r"\b[A-Z][A-Z0-9_]*\b")
# Each of these must have phrases: the others may be empty in a new language's file.
REQUIRED_SIGNS = (Sign.TOOK, Sign.SKIPPED, Sign.SYMPTOM, Sign.THANKS, Sign.GREETING)


def _alias_name(value: str) -> str:
    if not _ALIAS_NAME.match(value):
        raise ValueError("an alias is named in upper case (MED), to stand out in a phrase")
    return value


AliasName = Annotated[str, AfterValidator(_alias_name)]


class IntentModel(Strict):
    language: LowerText
    medicine_word: LowerText
    aliases: dict[AliasName, list[LowerText]] = Field(default_factory=dict)
    negations: list[LowerText] = Field(min_length=1)
    no_words: list[LowerText] = Field(default_factory=list)
    over: list[LowerText] = Field(default_factory=list)
    not_yet: list[LowerText] = Field(default_factory=list)
    future: list[LowerText] = Field(default_factory=list)
    not_names: list[LowerText] = Field(default_factory=list)
    question_starts: list[Text] = Field(default_factory=list)
    question_openers: list[LowerText] = Field(default_factory=list)
    emoji: dict[Text, Text] = Field(default_factory=dict)
    alone: dict[Sign, list[LowerText]] = Field(default_factory=dict)
    signs: dict[Sign, list[Text]]
    not_meant: list[Text] = Field(default_factory=list)
    cues: dict[Command, list[Text]]

    @model_validator(mode="after")
    def _every_sign_and_command_has_phrases(self) -> IntentModel:
        missing = [sign.value for sign in REQUIRED_SIGNS if not self.signs.get(sign)]
        if missing:
            raise ValueError(f"signs: these need at least one phrase: {', '.join(missing)}")
        missing = [command.value for command in Command if not self.cues.get(command)]
        if missing:
            raise ValueError(f"cues: every command needs a phrase; missing: {', '.join(missing)}")
        return self


def load_intents(folder: Path | None = None) -> dict[str, IntentLexicon]:
    """Every intents/<language>.yaml, by language; English must be there. The package's own
    files are read once per process."""
    return _shipped(INTENT_FOLDER) if folder is None else _load(folder)


@cache
def _shipped(folder: Path) -> dict[str, IntentLexicon]:
    return _load(folder)


def _load(folder: Path) -> dict[str, IntentLexicon]:
    lexicons = {}
    for path in sorted(folder.glob("*.yaml")):
        lexicon = _without_speller(path)
        speller = Speller(vocabulary(lexicon.index.patterns), known=_real_words(folder, lexicon))
        lexicons[lexicon.language] = replace(lexicon, correct=speller.correct)
    if "en" not in lexicons:
        raise KnowledgeError(f"{shown(folder / 'en.yaml')}: file not found")
    return lexicons


def _without_speller(path: Path) -> IntentLexicon:
    """The file's lexicon, every phrase expanded and checked, naming the field at fault."""
    model = read_model(path, IntentModel)
    if model.language != path.stem:
        raise KnowledgeError(f"{shown(path)}: language: must be '{path.stem}', the file name")
    aliases = {name: "|".join(words) for name, words in model.aliases.items()}

    def phrases(where: str, texts: Iterable[str]) -> tuple[str, ...]:
        return tuple(_phrase(path, f"{where}[{i}]", text, aliases) for i, text in enumerate(texts))

    lexicon = IntentLexicon(
        language=model.language,
        signs={sign: phrases(f"signs.{sign.value}", texts) for sign, texts in model.signs.items()},
        cues={c: phrases(f"cues.{c.value}", texts) for c, texts in model.cues.items()},
        negations=frozenset(model.negations),
        no_words=frozenset(model.no_words),
        over=frozenset(model.over),
        not_yet=frozenset(model.not_yet),
        future=frozenset(model.future),
        not_names=frozenset(model.not_names),
        question_starts=phrases("question_starts", model.question_starts),
        question_openers=frozenset(model.question_openers),
        not_meant=phrases("not_meant", model.not_meant),
        alone=_alone(path, model.alone),
        emoji=dict(model.emoji),
        medicine_word=model.medicine_word,
    )
    if model.medicine_word not in vocabulary(lexicon.index.patterns):
        raise KnowledgeError(f"{shown(path)}: medicine_word: no phrase uses it")
    return lexicon


def _phrase(path: Path, where: str, text: str, aliases: Mapping[str, str]) -> str:
    """A phrase with its aliases expanded ("took ... MED"), lower case and parsed."""
    for name in _ALIAS_WORD.findall(text):
        if name not in aliases:
            raise KnowledgeError(f"{shown(path)}: {where}: unknown alias {name} in “{text}”")
    expanded = _ALIAS_WORD.sub(lambda found: aliases[found[0]], text)
    if expanded != expanded.casefold():
        raise KnowledgeError(f"{shown(path)}: {where}: must be lower case: “{text}”")
    try:
        Pattern.parse("", expanded)
    except ValueError as error:
        raise KnowledgeError(f"{shown(path)}: {where}: {error}") from None
    return expanded


def _alone(path: Path, table: Mapping[Sign, list[str]]) -> dict[str, Sign]:
    """Whole messages, as their words, and the sign each makes; one sign per message."""
    alone: dict[str, Sign] = {}
    for sign, messages in table.items():
        for i, message in enumerate(messages):
            key = " ".join(words_of(message))
            if alone.get(key, sign) is not sign:
                where = f"alone.{sign.value}[{i}]"
                raise KnowledgeError(f"{shown(path)}: {where}: “{key}” is also {alone[key]}")
            alone[key] = sign
    return alone


def _real_words(folder: Path, lexicon: IntentLexicon) -> list[str]:
    path = folder / REAL_WORDS.format(language=lexicon.language)
    if not path.is_file():
        return []  # a language without the list: typos are repaired to its words regardless
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def real_words_at_risk(lexicon: IntentLexicon, dictionary: Iterable[str]) -> list[str]:
    """The dictionary's words this lexicon's typo repair would change: they must be listed."""
    speller = Speller(vocabulary(lexicon.index.patterns))
    words = set(dictionary)
    return sorted(word for word in words if speller.correct(word) != word)


def main() -> None:  # pragma: no cover - a maintenance script, its output is tested
    from english_words import get_english_words_set  # a development dependency

    english = get_english_words_set(["web2", "gcide"], lower=True, alpha=True)
    lexicon = _without_speller(INTENT_FOLDER / "en.yaml")
    header = (
        "# Real English words (english-words: web2 and gcide) the typo repair of en.yaml would\n"
        "# otherwise change. Written by `python -m bot.knowledge.intent_files`; do not edit.\n"
    )
    path = INTENT_FOLDER / REAL_WORDS.format(language="en")
    path.write_text(header + "\n".join(real_words_at_risk(lexicon, english)) + "\n")


if __name__ == "__main__":
    main()
