"""The language the bot speaks to the person it is writing to, and gettext through it.

Every user-facing string is written in English inside `_()` (or `ngettext()` for counts) and
looked up, when the text is made, in the catalog of the current language: `speaking(code)`
sets it for an update or an owed message. A string kept in a table for later is marked with
`N_()`, so `pybabel extract` finds it, and translated with `_()` where it is used.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "medbot"
SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "de", "es", "ru")

_current: ContextVar[str] = ContextVar("language", default=SOURCE_LANGUAGE)


def supported(code: str | None) -> str:
    """The bot's language for a Telegram language code: `de-AT` → `de`; others → English."""
    base = (code or "").replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else SOURCE_LANGUAGE


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALES, languages=[language], fallback=True)


def current_language() -> str:
    return _current.get()


@contextmanager
def speaking(code: str | None) -> Iterator[str]:
    """Make texts in this language (or English) until the block ends."""
    token = _current.set(supported(code))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def _(message: str) -> str:
    return _catalog(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _catalog(_current.get()).ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "translate later"
    return message
