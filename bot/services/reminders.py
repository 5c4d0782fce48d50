"""The reminder flow: materialise due doses, claim and send them, record answers, nag, miss."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.model import DoseAnswer, DoseContext, DoseStatus, Reminder
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
        dose=context.medication.dose,
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
        created += await uow.doses.add_missing(medication, instants)
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


class AnswerResult(StrEnum):
    RECORDED = "recorded"
    NOT_YOURS = "not_yours"
    ALREADY_ANSWERED = "already_answered"


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    result: AnswerResult
    status: DoseStatus | None = None
    reminder: Reminder | None = None
    message_id: int | None = None
    # When it was taken or skipped, or until when it is snoozed, in the patient's zone.
    at_local: datetime | None = None


_STATUS_FOR_ANSWER = {
    DoseAnswer.TAKEN: DoseStatus.TAKEN,
    DoseAnswer.SKIP: DoseStatus.SKIPPED,
    DoseAnswer.SNOOZE: DoseStatus.SNOOZED,
}


async def record_dose_answer(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    chat_id: int,
    dose_id: int,
    answer: DoseAnswer,
    snooze: timedelta,
    default_zone: str,
) -> AnswerOutcome:
    """A Taken/Snooze/Skip press: check the dose is the presser's and still open, record it."""
    now = clock.now()
    async with uow_factory() as uow:
        context = await uow.doses.context(dose_id)
        # Unknown and foreign doses get the same answer: a guessed id reveals nothing.
        if context is None or context.patient.chat_id != chat_id:
            return AnswerOutcome(AnswerResult.NOT_YOURS)
        dose = context.dose
        reminder = reminder_for(context, default_zone)
        status = _STATUS_FOR_ANSWER[answer]
        # A missed dose can still be taken or skipped late, but not reopened by a snooze.
        missed_snooze = dose.status is DoseStatus.MISSED and status is DoseStatus.SNOOZED
        if dose.status.is_answered or missed_snooze:
            return AnswerOutcome(AnswerResult.ALREADY_ANSWERED, dose.status, reminder)
        if status is DoseStatus.SNOOZED:
            updated = replace(
                dose, status=status, due_at=now + snooze, reminded_at=None, nagged=False
            )
        else:
            updated = replace(dose, status=status, answered_at=now)
        if not await uow.doses.save(updated, was=dose.status):
            # Another press of the same reminder won the race: report what it recorded.
            current = await uow.doses.context(dose_id)
            winner = current.dose.status if current else dose.status
            return AnswerOutcome(AnswerResult.ALREADY_ANSWERED, winner, reminder)
        await uow.commit()
    if status is DoseStatus.SNOOZED:
        alarm.arm(updated.due_at)
    zone = zone_named(context.patient.timezone or default_zone)
    at = updated.due_at if status is DoseStatus.SNOOZED else now
    return AnswerOutcome(
        AnswerResult.RECORDED, status, reminder, dose.message_id, to_local(at, zone)
    )


async def sweep_unanswered(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    messenger: Messenger,
    default_zone: str,
    nag_after: timedelta,
    missed_after: timedelta,
) -> tuple[int, int]:
    """Repeat each unanswered reminder once, then mark it missed; return (nagged, missed)."""
    now = clock.now()
    async with uow_factory() as uow:
        missed = await uow.doses.unanswered_since(reminded_before=now - missed_after)
        for context in missed:
            await uow.doses.save(
                replace(context.dose, status=DoseStatus.MISSED), was=DoseStatus.SENT
            )
        await uow.commit()
    for context in missed:
        if context.dose.message_id is not None:
            await _show_quietly(messenger, context, default_zone, DoseStatus.MISSED)
    nagged = 0
    while True:
        async with uow_factory() as uow:
            nags = await uow.doses.claim_nags(reminded_before=now - nag_after, limit=CLAIM_BATCH)
            await uow.commit()
        for context in nags:
            await _nag(uow_factory, messenger, default_zone, context)
        nagged += len(nags)
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
