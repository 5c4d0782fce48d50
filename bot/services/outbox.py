"""The owed messages: claimed most urgent first, sent, retried with backoff until sent."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot.domain.model import DoseStatus, MedicationStatus
from bot.domain.outbox import (
    OwedKind,
    OwedMessage,
    dose_status_owed,
    link_note_of,
    notice_of,
    retry_delay,
)
from bot.services.draining import drain, never
from bot.services.ports import (
    Clock,
    DeliveryFailed,
    Messenger,
    RecipientUnreachable,
    UnitOfWork,
    UnitOfWorkFactory,
)
from bot.services.reminders import STALE_CLAIM, reminder_for
from bot.services.summaries import summary_to_send

log = logging.getLogger(__name__)

BATCH = 100


async def deliver_owed(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    messenger: Messenger,
    default_zone: str,
    claimer: str,
    should_stop: Callable[[], bool] = never,
) -> int:
    """Send what is owed and due; return how many went out. A transient failure is tried
    again later (30 s, then doubling up to an hour); a chat that blocked the bot is dropped."""

    async def claim() -> list[OwedMessage]:
        now = clock.now()
        async with uow_factory() as uow:
            claimed = await uow.outbox.claim_due(
                now=now, stale_before=now - STALE_CLAIM, claimer=claimer, limit=BATCH
            )
            await uow.commit()
        return claimed

    async def send(message: OwedMessage) -> bool:
        return await _deliver(uow_factory, clock, messenger, default_zone, claimer, message)

    async def release() -> None:
        async with uow_factory() as uow:
            await uow.outbox.release(claimer)
            await uow.commit()

    return await drain(claim, send, _count_sent, release, batch=BATCH, should_stop=should_stop)


async def _count_sent(sent: list[bool]) -> int:
    """Each owed message records its own outcome as it is sent (its follow-ups depend on it)."""
    return sum(sent)


async def _deliver(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    messenger: Messenger,
    default_zone: str,
    claimer: str,
    message: OwedMessage,
) -> bool:
    try:
        sent, message_id = await _send(uow_factory, messenger, default_zone, message)
    except DeliveryFailed:
        due = clock.now() + retry_delay(message.attempts)
        async with uow_factory() as uow:
            await uow.outbox.retry_at(message.id, claimer=claimer, due_at=due)
            await uow.commit()
        log.warning("owed %s %s not delivered; retrying", message.kind.value, message.id)
        return False
    except RecipientUnreachable:
        sent, message_id = False, None
        log.warning("owed %s %s: the chat is gone; dropped", message.kind.value, message.id)
    async with uow_factory() as uow:
        if not sent:
            await uow.outbox.drop(message.id, claimer=claimer)
        elif await uow.outbox.mark_sent(
            message.id, claimer=claimer, message_id=message_id, at=clock.now()
        ):
            await _remember_repeat(uow, message, message_id, clock.now())
        await uow.commit()
    return sent


async def _send(
    uow_factory: UnitOfWorkFactory, messenger: Messenger, default_zone: str, message: OwedMessage
) -> tuple[bool, int | None]:
    """(sent, Telegram's message id); not sent when there is nothing left to say."""
    if message.kind is OwedKind.NOTICE:
        return True, await messenger.send_notice(message.chat_id, notice_of(message.body))
    if message.kind is OwedKind.LINK_NOTE:
        return True, await messenger.send_link_note(message.chat_id, link_note_of(message.body))
    if message.kind is OwedKind.SUMMARY:
        summary = await summary_to_send(uow_factory, message.body)
        if summary is None:
            return False, None  # opted out (or the link ended) since it was owed
        return True, await messenger.send_summary(message.chat_id, summary)
    assert message.dose_id is not None
    async with uow_factory() as uow:
        context = await uow.doses.context(message.dose_id)
    if context is None:
        return False, None  # the patient deleted their data meanwhile
    if message.kind is OwedKind.REPEAT:
        # Still waiting for an answer, of a medication still taken: else nothing to repeat.
        if context.dose.status is not DoseStatus.SENT:
            return False, None
        if context.medication.status is not MedicationStatus.ACTIVE:
            return False, None
        return True, await messenger.send_reminder(reminder_for(context, default_zone, repeat=True))
    # The message to edit: the one named (an earlier reminder, after a repeat), else the
    # dose's latest reminder.
    message_id = message.body.get("message_id") or context.dose.message_id
    if message_id is None:
        return False, None
    status = DoseStatus(message.body["status"])
    reminder = reminder_for(context, default_zone)
    answered = context.dose.answered_at
    at_local = answered.astimezone(reminder.scheduled_local.tzinfo) if answered else None
    await messenger.show_dose_status(reminder, int(message_id), status, at_local)
    return True, None


async def _remember_repeat(
    uow: UnitOfWork, message: OwedMessage, message_id: int | None, now: datetime
) -> None:
    """A repeated reminder is the one an answer edits from now on."""
    if message.kind is not OwedKind.REPEAT or message_id is None or message.dose_id is None:
        return
    current = await uow.doses.context(message.dose_id)
    if current is None:
        return
    earlier = current.dose.message_id
    saved = await uow.doses.save(replace(current.dose, message_id=message_id), was=DoseStatus.SENT)
    if saved and earlier is not None:
        # One live keyboard per dose: the earlier reminder points to the repeat.
        patient = current.patient
        retire = dose_status_owed(
            patient.chat_id,
            DoseStatus.SENT,
            patient_id=patient.id,
            dose_id=current.dose.id,
            message_id=earlier,
        )
        await uow.outbox.add(retire, due_at=now)
