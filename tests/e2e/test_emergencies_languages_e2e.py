"""Emergencies in German, Spanish and Russian through the real bot: a plain message or a /log
gets the urgent reply first, once, with the numbers of the patient's country, whatever the
language of their Telegram client; the symptom is kept as a red flag and the event recorded.
The reply is in the client's language, word for word the catalog's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.tables import SafetyEventRow, SymptomRow
from bot.domain.emergencies import Emergency
from bot.tg import emergency_texts
from bot.tg.i18n import speaking
from tests.e2e.conftest import say

URGENT = ("🚨", "💙")
ZONE = {"de": "Europe/Berlin", "es": "Europe/Madrid", "ru": "Europe/Moscow"}
# A message per language, its category and a number its reply must give (contacts.yaml).
PLAIN = {
    "de": (
        "Mein Mann hat einen Krampfanfall und zuckt am ganzen Koerper",
        Emergency.SEIZURE,
        "112",
    ),
    "es": ("ya no quiero vivir, estoy pensando en suicidarme", Emergency.CRISIS, "024"),
    "ru": ("он не дышит, губы синие", Emergency.BREATHING, "103"),
}
LOGGED = {
    "de": ("/log Atemnot seit einer Stunde, Lippen werden blau", Emergency.BREATHING, "112"),
    "es": ("/log mi hijo se tragó unas pastillas", Emergency.OVERDOSE, "91 562 04 20"),
    "ru": ("/log у сына судороги", Emergency.SEIZURE, "103"),
}


async def rows(medbot, query):
    async with medbot.engine.connect() as connection:
        return list((await connection.execute(query)).all())


async def replies_after(user) -> list[str]:
    """Every reply to the last message (at least one), until none comes for a second."""
    return [(await user.wait_for_new_message()).text, *await quiet(user)]


async def quiet(user) -> list[str]:
    """The messages that still come, until none has for a second; a message the set-up
    brought late would show here too, so the set-up need not wait a second of its own."""
    texts = []
    while True:
        try:
            texts.append((await user.wait_for_new_message(timeout=1)).text)
        except TimeoutError:
            return texts


async def patient(emulator, language: str, zone: str):
    """Someone whose Telegram client is in `language`, living in `zone`."""
    person = emulator.user(4004, "Ana", language_code=language)
    await say(person, "/start")  # the welcome, one message
    await say(person, f"/timezone {zone}")  # its one confirmation
    return person


@pytest.mark.parametrize("language", sorted(PLAIN))
async def test_an_emergency_in_each_language_gets_the_urgent_reply_and_nothing_else(
    medbot, emulator, language
):
    person = await patient(emulator, language, ZONE[language])
    text, kind, number = PLAIN[language]
    await person.send(text)
    replies = await replies_after(person)
    assert len(replies) == 1, replies  # the urgent reply, once, and no "I did not understand"
    assert replies[0].startswith(URGENT), replies
    assert number in replies[0]
    contacts = emergency_texts.contacts_for(medbot.application.bot_data["deps"].kb, ZONE[language])
    with speaking(language):
        assert replies[0] == emergency_texts.emergency_reply(kind, contacts)  # in their language
    with speaking("en"):
        assert replies[0] != emergency_texts.emergency_reply(kind, contacts)
    ((detail,),) = await rows(medbot, select(SafetyEventRow.detail))
    assert kind.value in detail.split(", ")


@pytest.mark.parametrize("language", sorted(LOGGED))
async def test_an_emergency_logged_in_each_language_is_answered_first_and_kept_as_a_red_flag(
    medbot, emulator, language
):
    person = await patient(emulator, language, ZONE[language])
    text, kind, number = LOGGED[language]
    await person.send(text)
    replies = await replies_after(person)
    urgent = [reply for reply in replies if reply.startswith(URGENT)]
    assert len(urgent) == 1 and replies[0] == urgent[0], replies  # first, and only once
    assert number in urgent[0]
    assert len(replies) == 2, replies  # then only what /log recorded
    ((red_flag,),) = await rows(medbot, select(SymptomRow.red_flag))
    assert red_flag is True
    ((detail,),) = await rows(medbot, select(SafetyEventRow.detail))
    assert kind.value in detail.split(", ")


async def test_a_german_emergency_from_an_english_client_is_still_answered(medbot, emulator):
    person = await patient(emulator, "en", "Europe/Berlin")
    await person.send("Hilfe, er atmet nicht!")
    replies = await replies_after(person)
    assert len(replies) == 1 and replies[0].startswith("🚨"), replies
    assert "112" in replies[0]
