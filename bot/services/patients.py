"""Use cases for who the patient is: registration and time zone."""

from __future__ import annotations

from bot.domain.model import Patient
from bot.domain.schedule import zone_named
from bot.services.ports import Alarm, Clock, UnitOfWorkFactory
from bot.services.reminders import write_upcoming_doses


async def register_patient(
    uow_factory: UnitOfWorkFactory, *, chat_id: int, language: str, name: str | None = None
) -> Patient:
    """Find the patient for this chat, or create one (idempotent for repeated /start).

    `name` (the Telegram first name) is kept up to date: caregivers' alerts use it.
    """
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        if patient is not None:
            if name and name != patient.name:
                await uow.patients.set_name(patient.id, name)
                await uow.commit()
            return patient
        patient = await uow.patients.add(
            chat_id=chat_id, language=language, timezone=None, name=name or ""
        )
        await uow.commit()
        return patient


async def set_timezone(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    chat_id: int,
    language: str,
    zone_name: str,
    default_zone: str,
) -> str:
    """Set the patient's zone and move every future reminder to it; return the canonical name.

    Raises UnknownZone for a name that is not an IANA zone.
    """
    zone = zone_named(zone_name).key
    patient = await register_patient(uow_factory, chat_id=chat_id, language=language)
    async with uow_factory() as uow:
        await uow.patients.set_timezone(patient.id, zone)
        # Upcoming reminders move to the new zone's clock; sent and answered ones stay.
        await uow.doses.drop_unsent(after=clock.now(), patient_id=patient.id)
        await write_upcoming_doses(
            uow, now=clock.now(), alarm=alarm, default_zone=default_zone, patient_id=patient.id
        )
        await uow.commit()
    return zone
