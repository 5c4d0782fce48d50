"""A patient's answer to a reminder: Taken, Snooze or Skip, with what it means for safety."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.knowledge import KnowledgeBase
from bot.domain.model import Dose, DoseAnswer, DoseContext, DoseStatus, Reminder, SafetyNotice
from bot.domain.outbox import dose_status_owed, notice_owed
from bot.domain.schedule import to_local, zone_named
from bot.services.ports import Alarm, Clock, UnitOfWork, UnitOfWorkFactory
from bot.services.reminders import reminder_for
from bot.services.safety import after_missed_or_skipped, check_overuse, skip_notice
from bot.services.stock import take_from_stock


class AnswerResult(StrEnum):
    RECORDED = "recorded"
    NOT_YOURS = "not_yours"
    ALREADY_ANSWERED = "already_answered"
    TRY_AGAIN = "try_again"  # the dose kept changing under the press: nothing recorded


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    result: AnswerResult
    status: DoseStatus | None = None
    reminder: Reminder | None = None
    message_id: int | None = None
    # When it was taken or skipped, or until when it is snoozed, in the patient's zone.
    at_local: datetime | None = None


# A press meets our own writes (the send being recorded) at most a couple of times in a row.
_ATTEMPTS = 3
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
    kb: KnowledgeBase,
    default_zone: str,
    owe_edit: bool = False,
) -> AnswerOutcome:
    """A Taken/Snooze/Skip press: check the dose is the presser's and still open, record it.
    `owe_edit`: the answer came in words, so the reminder is owed an edit showing it (a
    press edits its own message)."""
    now = clock.now()
    status = _STATUS_FOR_ANSWER[answer]
    for _attempt in range(_ATTEMPTS):
        # A transaction of its own each time: the next one sees what changed the dose.
        async with uow_factory() as uow:
            context = await uow.doses.context(dose_id)
            # Unknown and foreign doses get the same answer: a guessed id reveals nothing.
            if context is None or context.patient.chat_id != chat_id:
                return AnswerOutcome(AnswerResult.NOT_YOURS)
            dose = context.dose
            reminder = reminder_for(context, default_zone)
            # A missed dose can still be taken or skipped late, but not reopened by a snooze.
            missed_snooze = dose.status is DoseStatus.MISSED and status is DoseStatus.SNOOZED
            if dose.status.is_answered or missed_snooze:
                return AnswerOutcome(AnswerResult.ALREADY_ANSWERED, dose.status, reminder)
            updated = _answered(dose, status, now, snooze)
            if not await uow.doses.save(updated, was=dose.status):
                # Something changed the dose since it was read: our own bookkeeping (the
                # send being recorded, sending → sent) or another press. Read it again: a
                # real answer is then reported as such, anything else gets this press.
                continue
            zone = context.patient.clock_zone(default_zone)
            notices = await _safety_after_answer(uow, kb, replace(context, dose=updated), zone, now)
            # The warnings after a press are owed, not fired and forgotten: an outage at this
            # moment delays them, never loses them.
            for notice in notices:
                owed = notice_owed(context.patient.chat_id, notice, patient_id=context.patient.id)
                await uow.outbox.add(owed, due_at=now)
            if owe_edit and dose.message_id is not None:
                patient = context.patient
                edit = dose_status_owed(
                    patient.chat_id, status, patient_id=patient.id, dose_id=dose.id
                )
                await uow.outbox.add(edit, due_at=now)
            await uow.commit()
            owed_at = uow.owed_at()
        if owed_at is not None:  # a warning, the reminder's edit, a refill reminder, an alert
            alarm.arm(owed_at)
        if status is DoseStatus.SNOOZED:
            alarm.arm(updated.due_at)
        at = updated.due_at if status is DoseStatus.SNOOZED else now
        return AnswerOutcome(
            AnswerResult.RECORDED, status, reminder, dose.message_id, to_local(at, zone_named(zone))
        )
    return AnswerOutcome(AnswerResult.TRY_AGAIN)


def _answered(dose: Dose, status: DoseStatus, now: datetime, snooze: timedelta) -> Dose:
    if status is DoseStatus.SNOOZED:
        # Sent again later as a new reminder, with its own repeats and miss time.
        return replace(
            dose,
            status=status,
            due_at=now + snooze,
            reminded_at=None,
            repeats=0,
            next_repeat_at=None,
            miss_at=None,
        )
    return replace(dose, status=status, answered_at=now, next_repeat_at=None)


async def _safety_after_answer(
    uow: UnitOfWork, kb: KnowledgeBase, context: DoseContext, zone: str, now: datetime
) -> list[SafetyNotice]:
    """Taken: an intake, and maybe too many; Skip: the warning, and maybe a risky streak."""
    medication = context.medication
    if context.dose.status is DoseStatus.TAKEN:
        amount = context.dose.amount or medication.dose
        await uow.intakes.add(
            patient_id=context.patient.id,
            medication_id=medication.id,
            taken_at=now,
            amount=amount,
            source="button",
            dose_id=context.dose.id,
        )
        await take_from_stock(
            uow, kb, medication, context.patient, amount=amount, now=now, zone=zone
        )
        return await check_overuse(
            uow,
            context_medication=medication,
            patient_id=context.patient.id,
            zone=zone,
            taken_at=now,
            now=now,
        )
    if context.dose.status is DoseStatus.SKIPPED:
        streak_notices = await after_missed_or_skipped(uow, kb, context, now)
        return [skip_notice(kb, medication), *streak_notices]
    return []
