"""The reminder flow: materialise due doses, claim and send them, record answers, nag, miss."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.knowledge import KnowledgeBase
from bot.domain.model import DoseContext, DoseStatus, MedicationStatus, Reminder
from bot.domain.outbox import dose_status_owed, notice_owed, repeat_owed
from bot.domain.schedule import doses_between, to_local, zone_named
from bot.services.draining import drain, never
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
    should_stop: Callable[[], bool] = never,
) -> int:
    """Claim every due dose in batches and send its reminder; return how many were sent.

    When `should_stop` turns true (a shutdown), the sends in flight finish and the doses
    claimed but not sent yet are released: the next start sends them.
    """

    async def claim() -> list[DoseContext]:
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
        return claimed

    async def send(context: DoseContext) -> bool:
        return await _deliver(uow_factory, clock, messenger, default_zone, claimer, context)

    async def release() -> None:
        async with uow_factory() as uow:
            await uow.doses.release(claimer)
            await uow.commit()

    return await drain(claim, send, release, batch=CLAIM_BATCH, should_stop=should_stop)


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
    alarm: Alarm,
    kb: KnowledgeBase,
    nag_after: timedelta,
    missed_after: timedelta,
) -> tuple[int, int]:
    """Mark each unanswered reminder missed, then owe a repeat of the ones due for it; the
    edits, notices and repeats are outbox rows of the same transaction. (nagged, missed)."""
    now = clock.now()
    missed = 0
    async with uow_factory() as uow:
        for context in await uow.doses.unanswered_since(reminded_before=now - missed_after):
            dose = replace(context.dose, status=DoseStatus.MISSED)
            # A reminder of a medication paused or stopped since: closed quietly, no alert.
            if not await uow.doses.save(dose, was=context.dose.status):
                continue
            if context.medication.status is not MedicationStatus.ACTIVE:
                continue
            context = replace(context, dose=dose)
            missed += 1
            patient = context.patient
            if dose.message_id is not None:
                edit = dose_status_owed(
                    patient.chat_id, DoseStatus.MISSED, patient_id=patient.id, dose_id=dose.id
                )
                await uow.outbox.add(edit, due_at=now)
            for notice in await after_missed_or_skipped(uow, kb, context, now):
                owed = notice_owed(patient.chat_id, notice, patient_id=patient.id)
                await uow.outbox.add(owed, due_at=now)
        await uow.commit()
    nagged = 0
    while True:
        async with uow_factory() as uow:
            nags = await uow.doses.claim_nags(reminded_before=now - nag_after, limit=CLAIM_BATCH)
            for context in nags:
                if context.medication.status is MedicationStatus.ACTIVE:
                    patient = context.patient
                    owed = repeat_owed(
                        patient.chat_id, patient_id=patient.id, dose_id=context.dose.id
                    )
                    await uow.outbox.add(owed, due_at=now)
                    nagged += 1
            await uow.commit()
        if len(nags) < CLAIM_BATCH:
            break
    if missed or nagged:
        alarm.arm(now)
    return nagged, missed
