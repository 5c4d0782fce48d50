"""Taper plans: reminders follow the prescriber's steps; each change is announced a day ahead."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.model import Medication, MedicationStatus, NoticeKind, SafetyNotice
from bot.domain.outbox import notice_owed
from bot.domain.schedule import to_local, zone_named
from bot.domain.taper import TaperPlan, TaperRequest, UnusualStep, unusual_steps
from bot.services.ports import Alarm, Clock, UnitOfWorkFactory
from bot.services.reminders import write_upcoming_doses

log = logging.getLogger(__name__)


class TaperResult(StrEnum):
    SAVED = "saved"
    NOT_FOUND = "not_found"
    UNUSUAL = "unusual"  # nothing saved: the patient confirms it is the prescriber's plan


@dataclass(frozen=True, slots=True)
class TaperOutcome:
    result: TaperResult
    medication: Medication | None = None
    plan: TaperPlan | None = None
    unusual: tuple[UnusualStep, ...] = ()


async def set_taper(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    chat_id: int,
    request: TaperRequest,
    default_zone: str,
    confirmed: bool = False,
) -> TaperOutcome:
    """Store the plan from today (local) and rewrite the upcoming doses with its amounts.

    A plan that goes up, or drops by more than half in a step, is saved only once the patient
    has `confirmed` that their prescriber wrote it.
    """
    now = clock.now()
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        medication = await uow.medications.by_name(patient.id, request.name) if patient else None
        if patient is None or medication is None or medication.status is MedicationStatus.STOPPED:
            return TaperOutcome(TaperResult.NOT_FOUND)
        zone = zone_named(patient.clock_zone(default_zone))
        # Today's dose: the current plan's step, if one is running, else the usual dose.
        running = await uow.tapers.of_medication(medication.id)
        today = (
            running.dose_on(to_local(now, zone).date()) if running else None
        ) or medication.dose
        unusual = tuple(unusual_steps(request.steps, today))
        if unusual and not confirmed:
            return TaperOutcome(TaperResult.UNUSUAL, medication, unusual=unusual)
        plan = TaperPlan(to_local(now, zone).date(), request.steps)
        await uow.tapers.put(medication.id, plan, created_at=now)
        await uow.doses.drop_unsent(after=now, medication_id=medication.id)
        await write_upcoming_doses(
            uow, now=now, alarm=alarm, default_zone=default_zone, patient_id=patient.id
        )
        await uow.commit()
    return TaperOutcome(TaperResult.SAVED, medication, plan)


async def keep_after_taper(
    uow_factory: UnitOfWorkFactory, *, chat_id: int, medication_id: int
) -> Medication | None:
    """The plan ended and the patient keeps the medication at the last step's dose."""
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        medication = await uow.medications.by_id(patient.id, medication_id) if patient else None
        plan = await uow.tapers.of_medication(medication_id) if medication else None
        if medication is None or plan is None:
            return None
        await uow.medications.set_dose(medication.id, plan.steps[-1].dose)
        await uow.tapers.remove(medication.id)
        await uow.commit()
    return medication


async def announce_taper_steps(
    uow_factory: UnitOfWorkFactory, *, clock: Clock, alarm: Alarm, default_zone: str
) -> int:
    """Owe each patient a notice of tomorrow's dose change, and ask at the end whether to
    stop; the notices are outbox rows written with the step's bookkeeping."""
    now = clock.now()
    owed = 0
    async with uow_factory() as uow:
        for plan, announced, end_asked, medication, patient in await uow.tapers.active():
            today = to_local(now, zone_named(patient.clock_zone(default_zone))).date()
            notices = []
            for index, starts in plan.step_starts():
                due = index > announced and today >= starts - timedelta(days=1) and today < starts
                if due and await uow.tapers.announce(medication.id, index):
                    step = plan.steps[index]
                    notices.append(_step_notice(medication, plan, index, step.dose, starts))
            if today >= plan.end and not end_asked and await uow.tapers.ask_end(medication.id, now):
                notices.append(
                    SafetyNotice(
                        NoticeKind.TAPER_END,
                        medication=medication.name,
                        medication_id=medication.id,
                        amount=plan.steps[-1].dose,
                    )
                )
            for notice in notices:
                await uow.outbox.add(
                    notice_owed(patient.chat_id, notice, patient_id=patient.id), due_at=now
                )
            owed += len(notices)
        await uow.commit()
    if owed:
        alarm.arm(now)
    return owed


def _step_notice(
    medication: Medication, plan: TaperPlan, index: int, amount: str, starts: date
) -> SafetyNotice:
    return SafetyNotice(
        NoticeKind.TAPER_STEP,
        medication=medication.name,
        medication_id=medication.id,
        amount=amount,
        step=index + 1,
        steps=len(plan.steps),
        on=starts,
    )
