"""Use cases for the language the bot speaks to each person."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.patients import register_patient
from bot.services.ports import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class ChatProfile:
    """What the handlers of one update need about its chat, read once for them all."""

    language: str
    medication_names: tuple[str, ...] = ()


async def chat_profile(uow_factory: UnitOfWorkFactory, *, chat_id: int, client: str) -> ChatProfile:
    """The language of this update: the person's /language choice, else their Telegram
    client's (`client`), which is kept on their row so owed messages go out in it too; with
    the names of their medications."""
    async with uow_factory() as uow:
        found = await uow.patients.with_medication_names(chat_id)
        if found is None:
            return ChatProfile(client)
        patient, names = found
        if patient.language_chosen:
            return ChatProfile(patient.language, tuple(names))
        if patient.language != client:
            await uow.patients.set_language(patient.id, client, chosen=False)
            await uow.commit()
    return ChatProfile(client, tuple(names))


async def choose_language(uow_factory: UnitOfWorkFactory, *, chat_id: int, language: str) -> None:
    """/language: this language from now on, whatever the Telegram client says."""
    patient = await register_patient(uow_factory, chat_id=chat_id, language=language)
    async with uow_factory() as uow:
        await uow.patients.set_language(patient.id, language, chosen=True)
        await uow.commit()


async def recipient_language(uow_factory: UnitOfWorkFactory, *, chat_id: int) -> str | None:
    """The language an owed message to this chat is written in (None: nobody known)."""
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
    return patient.language if patient else None
