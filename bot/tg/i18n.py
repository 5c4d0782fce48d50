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
from datetime import date, datetime, time
from functools import cache
from pathlib import Path

from babel.dates import format_skeleton
from babel.numbers import format_decimal

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


def use(code: str | None) -> str:
    """Speak this language for the rest of the current task (one update: PTB runs its
    blocking handlers, in every group, in the task that set it)."""
    _current.set(supported(code))
    return _current.get()


def _(message: str) -> str:
    return _catalog(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _catalog(_current.get()).ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "translate later"
    return message


def in_every_language(message: str) -> list[str]:
    """A label as each language shows it: a menu button pressed in German is still that button."""
    return list(dict.fromkeys(_catalog(language).gettext(message) for language in LANGUAGES))


# Dates, times and numbers as the current language writes them. English keeps the bot's own
# compact forms ("Mon 05 Jan", "05 Jan 08:15"); the others follow CLDR through Babel.


def day(value: date) -> str:
    """A weekday and date: "Mon 05 Jan", "Mo., 5. Jan."."""
    if _current.get() == SOURCE_LANGUAGE:
        return value.strftime("%a %d %b")
    return format_skeleton("MMMEd", value, locale=_current.get())


def day_month(value: date) -> str:
    """A date in a period: "05 Jan", "5. Jan."."""
    if _current.get() == SOURCE_LANGUAGE:
        return value.strftime("%d %b")
    return format_skeleton("MMMd", value, locale=_current.get())


def hhmm(moment: datetime | time) -> str:
    """A clock time, 24-hour in every language the bot speaks."""
    return moment.strftime("%H:%M")


def number(value: float) -> str:
    """A count or an amount: "2.5" in English, "2,5" in German, Spanish and Russian."""
    if _current.get() == SOURCE_LANGUAGE:
        return str(int(value)) if value == int(value) else f"{value:g}"
    return format_decimal(value, locale=_current.get())


def facts_in_english() -> str:
    """One line after knowledge-base facts, which are in English for now ("" in English)."""
    if _current.get() == SOURCE_LANGUAGE:
        return ""
    return _("(These facts are in English for now.)")
