"""The patient's data in their hands: /export gives the full history, /delete_my_data removes
everything the bot stores about them, in one transaction, and tells their caregivers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.caregivers import LinkStatus
from bot.domain.history import History
from bot.domain.knowledge import KnowledgeBase
from bot.domain.model import MedicationStatus
from bot.domain.outbox import LinkNote, LinkNoteKind, link_note_owed
from bot.domain.schedule import to_local, zone_named
from bot.services.ports import Alarm, Clock, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class Export:
    history: History | None  # None: nothing recorded (no file for an empty history)
    today: date  # the patient's local date, to name the file


async def export_history(
    uow_factory: UnitOfWorkFactory, *, clock: Clock, chat_id: int, default_zone: str
) -> Export:
    """Everything recorded about the patient so far, to be shown in their zone."""
    now = clock.now()
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        zone = (patient.timezone if patient else None) or default_zone
        history = await uow.data.history(patient.id, zone=zone, until=now) if patient else None
    today = to_local(now, zone_named(zone)).date()
    return Export(None if history is None or history.is_empty else history, today)


@dataclass(frozen=True, slots=True)
class DeletionPreview:
    """What the confirmation says; `patient_id` None: there is nothing to delete."""

    patient_id: int | None
    medications: int = 0
    caregivers: int = 0  # active caregivers, who will be told the link ended
    followed: int = 0  # patients this chat follows as a caregiver
    # Active medications that must not stop suddenly: deleting data changes nothing for them.
    withdrawal_risk: tuple[str, ...] = ()


async def preview_deletion(
    uow_factory: UnitOfWorkFactory, *, kb: KnowledgeBase, chat_id: int
) -> DeletionPreview:
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        if patient is None:
            return DeletionPreview(None)
        medications = await uow.medications.of_patient(patient.id)
        caregivers = await uow.links.of_patient(patient.id)
        followed = await uow.links.of_caregiver(chat_id)
    risky = tuple(
        medication.name
        for medication in medications
        if medication.status is MedicationStatus.ACTIVE
        and (drug := kb.drug_named(medication.name)) is not None
        and drug.withdrawal_risk
    )
    return DeletionPreview(
        patient.id,
        medications=len(medications),
        caregivers=sum(link.status is LinkStatus.ACTIVE for link in caregivers),
        followed=sum(link.status is LinkStatus.ACTIVE for link in followed),
        withdrawal_risk=risky,
    )


async def delete_my_data(
    uow_factory: UnitOfWorkFactory, *, clock: Clock, alarm: Alarm, chat_id: int, patient_id: int
) -> bool:
    """Delete everything about the patient the confirmation was for; False (nothing deleted)
    unless that patient is the presser's own (a stale or forged button). Each active
    caregiver is told the link ended, and each patient this chat followed that they left."""
    now = clock.now()
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        if patient is None or patient.id != patient_id:
            return False
        caregivers = await uow.links.of_patient(patient.id)
        followed = await uow.links.of_caregiver(chat_id)
        await uow.data.delete_patient(patient.id, chat_id)
        told = 0
        for link in caregivers:
            if link.status is LinkStatus.ACTIVE:
                # Not about a stored patient any more: patient_id None keeps the note owed.
                note = LinkNote(LinkNoteKind.ENDED, link.id, patient.name)
                owed = link_note_owed(link.caregiver_chat_id, note, patient_id=None)
                await uow.outbox.add(owed, due_at=now)
                told += 1
        for link in followed:
            if link.status is LinkStatus.ACTIVE:
                note = LinkNote(LinkNoteKind.LEFT, link.id, link.caregiver_name)
                owed = link_note_owed(link.patient_chat_id, note, patient_id=link.patient_id)
                await uow.outbox.add(owed, due_at=now)
                told += 1
        await uow.commit()
    if told:
        alarm.arm(now)
    return True
