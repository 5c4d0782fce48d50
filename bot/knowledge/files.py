"""Reading one knowledge file: YAML, validated by a pydantic model, errors naming file and field."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, ValidationError

from bot.domain.wording import Pattern


class KnowledgeError(Exception):
    """A knowledge base file is missing, is not valid YAML, or breaks the schema."""


def _lower_case(value: str) -> str:
    if value != value.casefold():
        raise ValueError("must be lower case")
    return value


def _pattern(value: str) -> str:
    Pattern.parse("", value)  # raises ValueError, which pydantic reports with the field
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LowerText = Annotated[Text, AfterValidator(_lower_case)]
# A phrase in the word-list grammar of bot/domain/wording.py.
Phrase = Annotated[LowerText, AfterValidator(_pattern)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Model = TypeVar("Model", bound=BaseModel)


def shown(path: Path) -> str:
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


def read_model(path: Path, model: type[Model]) -> Model:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeError(f"{shown(path)}: file not found") from None
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{shown(path)}: not valid YAML: {error}") from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = _field(first["loc"]) or "(whole file)"
        raise KnowledgeError(f"{shown(path)}: {field}: {first['msg']}") from None
