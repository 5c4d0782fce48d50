"""The gettext catalogs: the template matches the code, every language has every message, and
no translation drops, adds or misspells a {placeholder}."""

from __future__ import annotations

import gettext
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.tg.i18n import DOMAIN, LANGUAGES, LOCALES, SOURCE_LANGUAGE

TRANSLATED = tuple(language for language in LANGUAGES if language != SOURCE_LANGUAGE)
# The languages whose catalog is translated in full. Add each one here when its translators
# are done: its completeness test then must pass (until then it is an expected failure, and a
# strict one: a finished catalog not listed here fails the suite, so nobody forgets).
COMPLETE: frozenset[str] = frozenset({"de", "es", "ru"})

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}  # as in the Makefile's `messages`
BOT = Path(__file__).resolve().parents[2] / "bot"


def _read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def _catalog(language: str) -> Catalog:
    return _read(LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po")


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalog if message.id}


def _placeholders(text: str) -> set[str]:
    """The {names} a text formats; a broken brace raises ValueError."""
    return {field for _literal, field, _spec, _conv in Formatter().parse(text) if field is not None}


def test_the_template_has_exactly_the_messages_in_the_code() -> None:
    in_code = {
        message if isinstance(message, str) else tuple(message)
        for _file, _line, message, _comments, _context in extract_from_dir(
            BOT, method_map=[("**.py", "python")], keywords=KEYWORDS
        )
    }
    template = _ids(_read(LOCALES / f"{DOMAIN}.pot"))
    assert in_code - template == set(), "new messages: run `make messages`"
    assert template - in_code == set(), "messages gone from the code: run `make messages`"


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalog_has_every_message_of_the_template(language: str) -> None:
    assert _ids(_read(LOCALES / f"{DOMAIN}.pot")) - _ids(_catalog(language)) == set()


def _untranslated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return message.fuzzy or not all(strings)


@pytest.mark.parametrize(
    "language",
    [
        pytest.param(
            language,
            marks=[]
            if language in COMPLETE
            else pytest.mark.xfail(strict=True, reason="not translated yet: see COMPLETE"),
        )
        for language in TRANSLATED
    ],
)
def test_every_message_is_translated(language: str) -> None:
    missing = [
        message.id for message in _catalog(language) if message.id and _untranslated(message)
    ]
    assert missing == []


def _only_for_one(catalog: Catalog, form: int) -> bool:
    """Whether this plural form is used for n = 1 alone (then it may say "a dose", no {count})."""
    choose = gettext.c2py(catalog.plural_expr)
    return [n for n in range(1, 1000) if choose(n) == form] == [1]


def _wrong_placeholders(catalog: Catalog) -> list[tuple[str, str]]:
    """(source, translation) of each translation whose {placeholders} differ from its source's.
    The form of a plural used for n = 1 alone may leave out {count} ("a dose")."""
    wrong = []
    for message in catalog:
        if not message.id or _untranslated(message):
            continue
        if isinstance(message.id, str):
            pairs = [(message.id, str(message.string), False)]
        else:
            singular, plural = message.id
            forms = message.string
            pairs = [
                (plural, form, _only_for_one(catalog, number) and singular != plural)
                for number, form in enumerate(forms)
            ]
        for source, translation, may_omit in pairs:
            try:
                found = _placeholders(translation)
            except ValueError:
                wrong.append((source, translation))
                continue
            expected = _placeholders(source)
            if found != expected and not (may_omit and found <= expected):
                wrong.append((source, translation))
    return wrong


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_have_the_placeholders_of_their_source(language: str) -> None:
    assert _wrong_placeholders(_catalog(language)) == []


def test_the_placeholder_check_finds_a_renamed_broken_or_missing_placeholder() -> None:
    catalog = Catalog(locale="ru")  # three plural forms; the first also for 21, 31...
    catalog.add("Hello {name}!", "Привет, {имя}!")
    catalog.add("Added {name}.", "Добавлено {name.")
    catalog.add("Time zone set to {zone}.", "Часовой пояс: {zone}.")
    catalog.add(
        ("⚠️ {patient} missed a dose:", "⚠️ {patient} missed {count} doses:"),
        ("⚠️ {patient} пропустил(а) дозу:", "⚠️ {patient}: {count} дозы", "⚠️ {patient}: {count}"),
    )
    assert _wrong_placeholders(catalog) == [
        ("Hello {name}!", "Привет, {имя}!"),
        ("Added {name}.", "Добавлено {name."),
        ("⚠️ {patient} missed {count} doses:", "⚠️ {patient} пропустил(а) дозу:"),
    ]
    german = Catalog(locale="de")  # its first form is for 1 alone: "eine Dosis" is right
    german.add(
        ("⚠️ {patient} missed a dose:", "⚠️ {patient} missed {count} doses:"),
        ("⚠️ {patient} hat eine Dosis verpasst:", "⚠️ {patient} hat {count} Dosen verpasst:"),
    )
    assert _wrong_placeholders(german) == []


def test_every_plural_message_has_as_many_forms_as_its_language() -> None:
    for language in TRANSLATED:
        catalog = _catalog(language)
        for message in catalog:
            if message.id and isinstance(message.id, tuple):
                assert len(message.string) == catalog.num_plurals, (language, message.id)
