"""Use cases for a patient's medications: add, edit, list with today's doses, pause, resume,
stop and delete."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.domain.knowledge import DrugInfo, KnowledgeBase
from bot.domain.model import (
    DoseOfDay,
    Medication,
    MedicationStatus,
    SafetyEvent,
    SafetyEventKind,
    Schedule,
)
from bot.domain.parsing import AddRequest
from bot.domain.schedule import local_day_bounds, to_local, zone_named
from bot.services.patients import register_patient
from bot.services.ports import Alarm, Clock, UnitOfWorkFactory
from bot.services.reminders import HORIZON, write_upcoming_doses
from bot.services.safety import record_events

MAX_MEDICATIONS = 30


class AddResult(StrEnum):
    ADDED = "added"
    DUPLICATE = "duplicate"  # taken already: the patient may replace its schedule
    STOPPED = "stopped"  # stopped before: the patient may resume it with this schedule
    TOO_MANY = "too_many"


@dataclass(frozen=True, slots=True)
class AddOutcome:
    result: AddResult
    medication: Medication | None = None  # the new one, or the one of that name already there
    timezone: str = "UTC"
    next_dose_local: datetime | None = None


async def add_medication(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    chat_id: int,
    language: str,
    request: AddRequest,
    default_zone: str,
) -> AddOutcome:
    """Save a medication and its schedule, then write its upcoming doses at once. One the
    patient deleted comes back with the new schedule (its history stays one history)."""
    patient = await register_patient(uow_factory, chat_id=chat_id, language=language)
    zone = zone_named(patient.clock_zone(default_zone))
    async with uow_factory() as uow:
        existing = await uow.medications.by_name(patient.id, request.name)
        if existing is not None and existing.status is MedicationStatus.STOPPED:
            return AddOutcome(AddResult.STOPPED, existing, zone.key)
        if existing is not None and existing.status is not MedicationStatus.DELETED:
            return AddOutcome(AddResult.DUPLICATE, existing, zone.key)
        if len(await uow.medications.of_patient(patient.id)) >= MAX_MEDICATIONS:
            return AddOutcome(AddResult.TOO_MANY, timezone=zone.key)
        if existing is None:
            medication = await uow.medications.add(
                patient_id=patient.id,
                name=request.name,
                dose=request.dose,
                schedule=request.schedule,
            )
        else:
            await uow.medications.replace_schedule(
                existing.id, dose=request.dose, schedule=request.schedule
            )
            await uow.medications.set_status(existing.id, MedicationStatus.ACTIVE)
            medication = replace(
                existing,
                dose=request.dose,
                schedule=request.schedule,
                status=MedicationStatus.ACTIVE,
            )
        await write_upcoming_doses(
            uow, now=clock.now(), alarm=alarm, default_zone=default_zone, patient_id=patient.id
        )
        await uow.commit()
    next_dose = await _next_dose_local(uow_factory, clock, patient.id, medication.id, zone.key)
    return AddOutcome(AddResult.ADDED, medication, zone.key, next_dose)


@dataclass(frozen=True, slots=True)
class EditOutcome:
    result: ChangeResult
    medication: Medication | None = None  # as it is now
    timezone: str = "UTC"
    next_dose_local: datetime | None = None


async def edit_medication(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    chat_id: int,
    medication_id: int,
    dose: str | None,
    schedule: Schedule | None,
    default_zone: str,
    resume: bool = False,
) -> EditOutcome:
    """A new prescription: change the dose and/or the schedule (and, with `resume`, take a
    stopped medication up again). The doses not reminded yet are rewritten in the same
    transaction; a reminder already sent keeps its buttons and the amount it asked for."""
    now = clock.now()
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        medication = await uow.medications.by_id(patient.id, medication_id) if patient else None
        if patient is None or medication is None:
            return EditOutcome(ChangeResult.NOT_FOUND)
        zone = zone_named(patient.clock_zone(default_zone)).key
        if medication.status is MedicationStatus.DELETED:
            return EditOutcome(ChangeResult.NOT_FOUND)
        changed = replace(
            medication,
            dose=dose or medication.dose,
            schedule=schedule or medication.schedule,
            status=MedicationStatus.ACTIVE if resume else medication.status,
        )
        if changed == medication:
            return EditOutcome(ChangeResult.UNCHANGED, medication, zone)
        await uow.medications.replace_schedule(
            medication.id, dose=changed.dose, schedule=changed.schedule
        )
        if changed.status is not medication.status:
            await uow.medications.set_status(medication.id, changed.status)
        await uow.doses.drop_unsent(after=now, medication_id=medication.id)
        await write_upcoming_doses(
            uow, now=now, alarm=alarm, default_zone=default_zone, patient_id=patient.id
        )
        await uow.commit()
    next_dose = await _next_dose_local(uow_factory, clock, patient.id, medication.id, zone)
    return EditOutcome(ChangeResult.CHANGED, changed, zone, next_dose)


async def _next_dose_local(
    uow_factory: UnitOfWorkFactory, clock: Clock, patient_id: int, medication_id: int, zone: str
) -> datetime | None:
    now = clock.now()
    async with uow_factory() as uow:
        doses = await uow.doses.of_patient_between(patient_id, now, now + HORIZON)
    upcoming = [c.dose.due_at for c in doses if c.medication.id == medication_id]
    return to_local(min(upcoming), zone_named(zone)) if upcoming else None


@dataclass(frozen=True, slots=True)
class MedicationsToday:
    timezone: str
    medications: list[Medication]
    doses: list[DoseOfDay]


async def medications_today(
    uow_factory: UnitOfWorkFactory, *, clock: Clock, chat_id: int, default_zone: str
) -> MedicationsToday:
    """The patient's medications and the status of each of today's doses, in local time."""
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        if patient is None:
            return MedicationsToday(default_zone, [], [])
        zone = zone_named(patient.clock_zone(default_zone))
        start, end = local_day_bounds(clock.now(), zone)
        medications = await uow.medications.of_patient(patient.id)
        doses = await uow.doses.of_patient_between(patient.id, start, end)
    today = [
        DoseOfDay(c.medication.name, to_local(c.dose.scheduled_at, zone), c.dose.status)
        for c in sorted(doses, key=lambda c: (c.dose.scheduled_at, c.medication.name))
    ]
    return MedicationsToday(zone.key, medications, today)


class ChangeResult(StrEnum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    NOT_FOUND = "not_found"


class Change(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"
    DELETE = "delete"


_TAKEN = (MedicationStatus.ACTIVE, MedicationStatus.PAUSED)
# Which status each change needs and gives. A stop ends paused medications too; a resume takes
# up a paused or a stopped one (a Stop pressed by mistake is undone); a deletion hides any.
_TRANSITIONS = {
    Change.PAUSE: ((MedicationStatus.ACTIVE,), MedicationStatus.PAUSED),
    Change.RESUME: ((MedicationStatus.PAUSED, MedicationStatus.STOPPED), MedicationStatus.ACTIVE),
    Change.STOP: (_TAKEN, MedicationStatus.STOPPED),
    Change.DELETE: ((*_TAKEN, MedicationStatus.STOPPED), MedicationStatus.DELETED),
}


async def find_medication(
    uow_factory: UnitOfWorkFactory, *, kb: KnowledgeBase, chat_id: int, name: str
) -> tuple[Medication | None, DrugInfo | None]:
    """The patient's medication of that name (not a deleted one), and what the knowledge base
    says of its drug."""
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        medication = await uow.medications.by_name(patient.id, name) if patient else None
    if medication is None or medication.status is MedicationStatus.DELETED:
        return None, None
    return medication, kb.drug_named(medication.name)


async def medication_names(uow_factory: UnitOfWorkFactory, chat_id: int) -> list[str]:
    """The names of the patient's medications (not the deleted ones)."""
    async with uow_factory() as uow:
        found = await uow.patients.with_medication_names(chat_id)
    return found[1] if found else []


async def own_medication(
    uow_factory: UnitOfWorkFactory, *, chat_id: int, medication_id: int
) -> Medication | None:
    """The chat's own medication with this id (ids come from buttons, which are not trusted);
    None for another patient's, an unknown or a deleted one."""
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        medication = await uow.medications.by_id(patient.id, medication_id) if patient else None
    if medication is None or medication.status is MedicationStatus.DELETED:
        return None
    return medication


async def change_medication(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    kb: KnowledgeBase,
    chat_id: int,
    medication_id: int,
    change: Change,
    default_zone: str,
) -> tuple[ChangeResult, Medication | None]:
    """Pause (drop upcoming reminders, keep history), resume, stop or delete a medication
    (its history stays for reports until the patient deletes their data).

    The medication must be the chat's own: ids come from buttons, which are not trusted.
    """
    allowed, wanted = _TRANSITIONS[change]
    now = clock.now()
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        medication = await uow.medications.by_id(patient.id, medication_id) if patient else None
        if patient is None or medication is None:
            return ChangeResult.NOT_FOUND, None
        if medication.status not in allowed:
            return ChangeResult.UNCHANGED, medication
        await uow.medications.set_status(medication.id, wanted)
        if change is Change.RESUME:
            await write_upcoming_doses(
                uow, now=now, alarm=alarm, default_zone=default_zone, patient_id=patient.id
            )
        else:
            await uow.doses.drop_unsent(
                after=None, medication_id=medication.id, include_snoozed=True
            )
        await record_events(uow, _events_for(kb, change, medication, patient.id, now))
        if change in (Change.STOP, Change.DELETE):
            await uow.tapers.remove(medication.id)
        await uow.commit()
    return ChangeResult.CHANGED, medication


def _events_for(
    kb: KnowledgeBase, change: Change, medication: Medication, patient_id: int, now: datetime
) -> list[SafetyEvent]:
    drug = kb.drug_named(medication.name)
    # Deleting a medication still taken stops it: caregivers hear of it as of a stop.
    if change is Change.STOP or (change is Change.DELETE and medication.status in _TAKEN):
        return [SafetyEvent(SafetyEventKind.STOPPED, patient_id, now, medication.id)]
    if change is Change.PAUSE and drug is not None and drug.withdrawal_risk:
        return [SafetyEvent(SafetyEventKind.PAUSED, patient_id, now, medication.id)]
    return []
