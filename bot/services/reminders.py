"""The reminder flow: materialise due doses, claim and send them, record answers, nag, miss."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.knowledge import KnowledgeBase
from bot.domain.model import DoseContext, DoseStatus, MedicationStatus, Reminder, SafetyNotice
from bot.domain.schedule import doses_between, to_local, zone_named
from bot.services.ports import (
    Alarm,
    Clock,
    DeliveryFailed,
    Messenger,
    RecipientUnreachable,
    UnitOfWork,
    UnitOfWorkFactory,
)
from bot.services.safety import after_missed_or_skipped

log = logging.getLogger(__name__)

HORIZON = timedelta(hours=48)
# A reminder sent this long after its due time says it is late (the bot was down).
LATE_AFTER = timedelta(minutes=2)
# A `sending` claim older than this belongs to a process that died mid-send: take it over.
STALE_CLAIM = timedelta(minutes=2)
CLAIM_BATCH = 100
SEND_CONCURRENCY = 20


def reminder_for(
    context: DoseContext, default_zone: str, *, now: datetime | None = None, repeat: bool = False
) -> Reminder:
    zone = zone_named(context.patient.timezone or default_zone)
    dose = context.dose
    return Reminder(
        dose_id=dose.id,
        chat_id=context.patient.chat_id,
        medication=context.medication.name,
        dose=dose.amount or context.medication.dose,
        scheduled_local=to_local(dose.scheduled_at, zone),
        late=now is not None and now - dose.due_at > LATE_AFTER,
        repeat=repeat,
    )


async def materialise_doses(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    default_zone: str,
    patient_id: int | None = None,
) -> int:
    """Write the next 48 h of doses of active medications as rows; idempotent."""
    async with uow_factory() as uow:
        created = await write_upcoming_doses(
            uow, now=clock.now(), alarm=alarm, default_zone=default_zone, patient_id=patient_id
        )
        await uow.commit()
    return created


async def write_upcoming_doses(
    uow: UnitOfWork, *, now: datetime, alarm: Alarm, default_zone: str, patient_id: int | None
) -> int:
    """The materialiser's step, inside the caller's transaction (a schedule and its doses
    are saved together or not at all)."""
    created = 0
    for medication, patient in await uow.medications.active(patient_id):
        zone = zone_named(patient.timezone or default_zone)
        instants = doses_between(medication.times, zone, now, now + HORIZON)
        plan = await uow.tapers.of_medication(medication.id)
        amounts = plan.amounts_at(instants, zone) if plan else None
        created += await uow.doses.add_missing(medication, instants, amounts)
    next_due = await uow.doses.next_due_at()
    if next_due is not None:
        # Arming early is harmless: the dispatcher finds nothing and re-arms.
        alarm.arm(next_due)
    return created


async def dispatch_due_doses(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    messenger: Messenger,
    default_zone: str,
    claimer: str,
    lookahead: timedelta = timedelta(0),
) -> int:
    """Claim every due dose in batches and send its reminder; return how many were sent."""
    sent = 0
    while True:
        now = clock.now()
        async with uow_factory() as uow:
            claimed = await uow.doses.claim_due(
                until=now + lookahead,
                now=now,
                stale_before=now - STALE_CLAIM,
                claimer=claimer,
                limit=CLAIM_BATCH,
            )
            await uow.commit()
        if not claimed:
            return sent
        gate = asyncio.Semaphore(SEND_CONCURRENCY)

        async def deliver(context: DoseContext, gate: asyncio.Semaphore = gate) -> bool:
            async with gate:
                return await _deliver(uow_factory, clock, messenger, default_zone, claimer, context)

        results = await asyncio.gather(*(deliver(context) for context in claimed))
        sent += sum(results)
        if len(claimed) < CLAIM_BATCH:
            return sent


async def _deliver(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    messenger: Messenger,
    default_zone: str,
    claimer: str,
    context: DoseContext,
) -> bool:
    dose = context.dose
    reminder = reminder_for(context, default_zone, now=clock.now())
    try:
        message_id: int | None = await messenger.send_reminder(reminder)
    except DeliveryFailed:
        # Leave the claim: it goes stale and is retried (at least once, never lost).
        log.warning("reminder for dose %s not delivered; will retry", dose.id)
        return False
    except RecipientUnreachable:
        log.warning("patient %s unreachable; dose %s not delivered", dose.patient_id, dose.id)
        status, message_id = DoseStatus.UNDELIVERABLE, None
    else:
        status = DoseStatus.SENT
    async with uow_factory() as uow:
        # Conditional: a Taken pressed while the send was still in flight must survive.
        recorded = await uow.doses.finish_send(
            dose.id, claimer=claimer, status=status, message_id=message_id, at=clock.now()
        )
        await uow.commit()
    return recorded and status is DoseStatus.SENT


async def sweep_unanswered(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    messenger: Messenger,
    kb: KnowledgeBase,
    default_zone: str,
    nag_after: timedelta,
    missed_after: timedelta,
) -> tuple[int, int]:
    """Repeat each unanswered reminder once, then mark it missed; return (nagged, missed)."""
    now = clock.now()
    missed: list[DoseContext] = []
    notices: list[tuple[int, SafetyNotice]] = []
    async with uow_factory() as uow:
        for context in await uow.doses.unanswered_since(reminded_before=now - missed_after):
            dose = replace(context.dose, status=DoseStatus.MISSED)
            saved = await uow.doses.save(dose, was=context.dose.status)
            # A reminder of a medication paused or stopped since: closed quietly, no alert.
            if saved and context.medication.status is MedicationStatus.ACTIVE:
                context = replace(context, dose=dose)
                missed.append(context)
                found = await after_missed_or_skipped(uow, kb, context, now)
                notices += [(context.patient.chat_id, notice) for notice in found]
        await uow.commit()
    for context in missed:
        if context.dose.message_id is not None:
            await _show_quietly(messenger, context, default_zone, DoseStatus.MISSED)
    for chat_id, notice in notices:
        await _notify_quietly(messenger, chat_id, notice)
    nagged = 0
    while True:
        async with uow_factory() as uow:
            nags = await uow.doses.claim_nags(reminded_before=now - nag_after, limit=CLAIM_BATCH)
            await uow.commit()
        active = [c for c in nags if c.medication.status is MedicationStatus.ACTIVE]
        for context in active:
            await _nag(uow_factory, messenger, default_zone, context)
        nagged += len(active)
        if len(nags) < CLAIM_BATCH:
            return nagged, len(missed)


async def _nag(
    uow_factory: UnitOfWorkFactory, messenger: Messenger, default_zone: str, context: DoseContext
) -> None:
    try:
        message_id = await messenger.send_reminder(reminder_for(context, default_zone, repeat=True))
    except (DeliveryFailed, RecipientUnreachable):
        # A repeat is a courtesy: the dose still counts as missed on time if unanswered.
        log.warning("repeat reminder for dose %s not delivered", context.dose.id)
        return
    async with uow_factory() as uow:
        current = await uow.doses.context(context.dose.id)
        if current is not None:
            await uow.doses.save(replace(current.dose, message_id=message_id), was=DoseStatus.SENT)
            await uow.commit()


async def _notify_quietly(messenger: Messenger, chat_id: int, notice: SafetyNotice) -> None:
    try:
        await messenger.send_notice(chat_id, notice)
    except (DeliveryFailed, RecipientUnreachable):
        log.warning("safety notice %s not delivered to a patient", notice.kind)


async def _show_quietly(
    messenger: Messenger, context: DoseContext, default_zone: str, status: DoseStatus
) -> None:
    assert context.dose.message_id is not None
    try:
        await messenger.show_dose_status(
            reminder_for(context, default_zone), context.dose.message_id, status
        )
    except (DeliveryFailed, RecipientUnreachable):
        log.info("could not update reminder of dose %s", context.dose.id)
