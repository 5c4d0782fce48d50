"""Stock and refills: the count on hand, what each dose takes from it, the run-out forecast,
the refill reminder ahead of it, and running out of a drug that must not stop suddenly."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.domain.knowledge import KnowledgeBase
from bot.domain.model import (
    Medication,
    MedicationStatus,
    NoticeKind,
    Patient,
    SafetyEvent,
    SafetyEventKind,
    SafetyNotice,
)
from bot.domain.outbox import notice_owed
from bot.domain.schedule import to_local, zone_named
from bot.domain.stock import (
    average_daily_use,
    needs_refill,
    refill_lead_days,
    run_out_on,
    units_per_dose,
)
from bot.services.ports import Alarm, Clock, UnitOfWork, UnitOfWorkFactory
from bot.services.safety import record_events

# As-needed use is averaged over this many days of history.
USE_HISTORY = timedelta(days=14)
MAX_STOCK = 10_000


class StockResult(StrEnum):
    SET = "set"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class StockOutcome:
    result: StockResult
    medication: Medication | None = None
    stock: float = 0
    run_out: date | None = None  # the local day the stock no longer covers a dose
    lead_days: int = 0  # the refill reminder comes this many days before


async def count_stock(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    kb: KnowledgeBase,
    chat_id: int,
    medication_id: int,
    count: float,
    refill: bool,
    default_zone: str,
) -> StockOutcome:
    """/stock sets the count on hand, /refill adds to it; either says when it runs out."""
    now = clock.now()
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        medication = await uow.medications.by_id(patient.id, medication_id) if patient else None
        if patient is None or medication is None:
            return StockOutcome(StockResult.NOT_FOUND)
        total = min(count + (medication.stock or 0 if refill else 0), MAX_STOCK)
        await uow.medications.set_stock(medication.id, total)
        counted = replace(medication, stock=total)
        run_out = await _forecast(uow, counted, patient, now, default_zone)
        await _owe_refill_if_due(uow, kb, counted, patient, run_out, now, default_zone)
        await uow.commit()
    alarm.arm(now)
    lead = refill_lead_days(_withdrawal_risk(kb, medication))
    return StockOutcome(StockResult.SET, counted, total, run_out, lead)


async def take_from_stock(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    medication: Medication,
    patient: Patient,
    *,
    amount: str,
    now: datetime,
    zone: str,
) -> None:
    """After a dose is taken (a press or a /log), inside its transaction: lower the count,
    and owe the refill reminder or the "you have run out" notice when it is time."""
    if medication.stock is None:
        # Not counted, as read in this transaction: no statement (most patients never
        # count). A count set meanwhile by /stock then starts after this dose.
        return
    units = units_per_dose(amount, medication.dose)
    remaining = await uow.medications.take_from_stock(medication.id, units)
    if remaining is None:
        return
    counted = replace(medication, stock=remaining)
    if remaining < units_per_dose(medication.dose, medication.dose):
        await _owe_ran_out(uow, kb, counted, patient, now)
        return
    run_out = await _forecast(uow, counted, patient, now, zone)
    await _owe_refill_if_due(uow, kb, counted, patient, run_out, now, zone)


async def check_refills(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    kb: KnowledgeBase,
    default_zone: str,
) -> int:
    """The periodic look at every counted stock: a refill reminder when the run-out day comes
    within the lead time (each once per count). Returns how many were owed."""
    now = clock.now()
    owed = 0
    async with uow_factory() as uow:
        for medication, patient in await uow.medications.counted():
            run_out = await _forecast(uow, medication, patient, now, default_zone)
            owed += await _owe_refill_if_due(
                uow, kb, medication, patient, run_out, now, default_zone
            )
        await uow.commit()
    if owed:
        alarm.arm(now)
    return owed


async def _forecast(
    uow: UnitOfWork, medication: Medication, patient: Patient, now: datetime, default_zone: str
) -> date | None:
    if medication.stock is None or medication.status is not MedicationStatus.ACTIVE:
        return None
    zone = zone_named(patient.clock_zone(default_zone))
    daily_use = None
    if medication.schedule.as_needed:
        taken = await uow.intakes.taken_between(medication.id, now - USE_HISTORY, now)
        daily_use = average_daily_use([(at, 1.0) for at in taken], now, days=USE_HISTORY.days)
    return run_out_on(
        medication.stock,
        medication.schedule,
        medication.dose,
        zone,
        now,
        taper=await uow.tapers.of_medication(medication.id),
        as_needed_daily_use=daily_use,
    )


async def _owe_refill_if_due(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    medication: Medication,
    patient: Patient,
    run_out: date | None,
    now: datetime,
    default_zone: str,
) -> int:
    if run_out is None:
        return 0
    risky = _withdrawal_risk(kb, medication)
    today = to_local(now, zone_named(patient.clock_zone(default_zone))).date()
    if not needs_refill(run_out, today, refill_lead_days(risky)):
        return 0
    if not await uow.medications.note_refill_owed(medication.id, run_out):
        return 0  # told already for this count and this day
    notice = SafetyNotice(
        NoticeKind.REFILL,
        medication=medication.name,
        medication_id=medication.id,
        withdrawal_risk=risky,
        on=run_out,
        stock=medication.stock,
    )
    await uow.outbox.add(notice_owed(patient.chat_id, notice, patient_id=patient.id), due_at=now)
    return 1


async def _owe_ran_out(
    uow: UnitOfWork, kb: KnowledgeBase, medication: Medication, patient: Patient, now: datetime
) -> None:
    if not await uow.medications.note_ran_out(medication.id):
        return
    drug = kb.drug_named(medication.name)
    risky = bool(drug and drug.withdrawal_risk)
    notice = SafetyNotice(
        NoticeKind.RAN_OUT,
        medication=medication.name,
        medication_id=medication.id,
        withdrawal_risk=risky,
        symptoms=drug.withdrawal_symptoms if drug else (),
        danger_signs=drug.danger_signs if drug else (),
        stock=medication.stock,
    )
    await uow.outbox.add(notice_owed(patient.chat_id, notice, patient_id=patient.id), due_at=now)
    if risky:
        event = SafetyEvent(
            SafetyEventKind.RAN_OUT, patient.id, now, medication.id, "stock used up"
        )
        await record_events(uow, [event])


def _withdrawal_risk(kb: KnowledgeBase, medication: Medication) -> bool:
    drug = kb.drug_named(medication.name)
    return bool(drug and drug.withdrawal_risk)
