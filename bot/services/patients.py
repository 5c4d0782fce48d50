"""Use cases for who the patient is: registration, time zone and travel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.model import Patient
from bot.domain.schedule import to_local, zone_named
from bot.services.ports import Alarm, Clock, UnitOfWork, UnitOfWorkFactory
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
        patient = await patient_in(uow, chat_id=chat_id, language=language, name=name)
        await uow.commit()
        return patient


async def patient_in(
    uow: UnitOfWork, *, chat_id: int, language: str, name: str | None = None
) -> Patient:
    """This chat's patient, added in the caller's transaction if the chat is new (a use case
    that writes anyway need not open a transaction of its own for it)."""
    patient = await uow.patients.by_chat(chat_id)
    if patient is not None:
        return patient
    return await uow.patients.add(
        chat_id=chat_id, language=language, timezone=None, name=name or ""
    )


@dataclass(frozen=True, slots=True)
class ZoneChange:
    zone: str  # the canonical name of where the patient is now
    # Travelling: the reminders keep this zone's clock until the patient chooses (buttons).
    ask_home: str | None = None


async def set_timezone(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    chat_id: int,
    language: str,
    zone_name: str,
    default_zone: str,
) -> ZoneChange:
    """Set where the patient is. A first zone, a zone with the same clock, or coming home:
    the reminders follow it at once. A trip with medications on a schedule: nothing moves yet
    and the patient is asked whether reminders keep home time or follow the local clock
    (SPEC), since each means something different for a drug taken at fixed intervals.

    Raises UnknownZone for a name that is not an IANA zone.
    """
    zone = zone_named(zone_name)
    now = clock.now()
    patient = await register_patient(uow_factory, chat_id=chat_id, language=language)
    async with uow_factory() as uow:
        home = patient.clock_zone(default_zone)
        scheduled = [
            m for m, _ in await uow.medications.active(patient.id) if not m.schedule.as_needed
        ]
        travelling = (
            patient.timezone is not None
            and bool(scheduled)
            and zone.key != home
            and now.astimezone(zone).utcoffset() != now.astimezone(zone_named(home)).utcoffset()
        )
        if travelling:
            await uow.patients.set_timezone(patient.id, zone.key, schedule_zone=home)
            await uow.commit()
            return ZoneChange(zone.key, ask_home=home)
        await uow.patients.set_timezone(patient.id, zone.key)
        await _follow_clock(uow, now, alarm, default_zone, patient.id)
        await uow.commit()
    return ZoneChange(zone.key)


async def choose_travel_clock(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    chat_id: int,
    keep_home: bool,
    default_zone: str,
) -> tuple[str, str] | None:
    """The patient's answer to the travel question; (home zone, local zone), or None when
    there was no question to answer."""
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        if patient is None or patient.schedule_zone is None or patient.timezone is None:
            return None
        home, here = patient.schedule_zone, patient.timezone
        if not keep_home:
            await uow.patients.set_schedule_zone(patient.id, None)
            await _follow_clock(uow, clock.now(), alarm, default_zone, patient.id)
            await uow.commit()
    return home, here


async def _follow_clock(
    uow: UnitOfWork, now: datetime, alarm: Alarm, default_zone: str, patient_id: int
) -> None:
    # Upcoming reminders move to the new clock; sent and answered ones stay.
    await uow.doses.drop_unsent(after=now, patient_id=patient_id)
    await write_upcoming_doses(
        uow, now=now, alarm=alarm, default_zone=default_zone, patient_id=patient_id
    )


async def where_patient_is(uow_factory: UnitOfWorkFactory, chat_id: int) -> str | None:
    """The zone the patient said they are in (not the clock a trip keeps), for the emergency
    numbers of that country; None before they set one."""
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
    return patient.timezone if patient else None


async def local_today(
    uow_factory: UnitOfWorkFactory, *, clock: Clock, chat_id: int, default_zone: str
) -> date:
    """The patient's date now, by the clock their reminders follow: a course "for 10 days"
    or "every 2 days" counts from it."""
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
    zone = patient.clock_zone(default_zone) if patient else default_zone
    return to_local(clock.now(), zone_named(zone)).date()
