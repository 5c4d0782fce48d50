"""/log: record a dose taken or a symptom felt, settle the matching reminder, apply the rules."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.journal import DoseLog, SymptomLog
from bot.domain.knowledge import KnowledgeBase
from bot.domain.model import (
    DoseStatus,
    Medication,
    MedicationStatus,
    Patient,
    SafetyEvent,
    SafetyEventKind,
    SafetyNotice,
)
from bot.domain.outbox import dose_status_owed
from bot.domain.rules import minimum_gap, possible_overdose
from bot.domain.schedule import local_to_utc, to_local, zone_named
from bot.services.patients import register_patient
from bot.services.ports import Alarm, Clock, UnitOfWork, UnitOfWorkFactory
from bot.services.safety import check_overuse, record_events


class LogResult(StrEnum):
    RECORDED = "recorded"
    UNKNOWN_MEDICATION = "unknown_medication"
    WHICH_MEDICATION = "which_medication"
    IN_THE_FUTURE = "in_the_future"


@dataclass(frozen=True, slots=True)
class LoggedDose:
    medication: str
    amount: str
    taken_local: datetime
    settled_reminder: bool
    possible_overdose: bool = False  # far above the planned dose ("100 mg" for "5 mg")


@dataclass(frozen=True, slots=True)
class LogOutcome:
    result: LogResult
    doses: tuple[LoggedDose, ...] = ()
    symptom: SymptomLog | None = None
    notices: tuple[SafetyNotice, ...] = ()
    candidates: tuple[str, ...] = ()  # the patient's medications, when the name was unclear
    zone: str = ""  # the patient's time zone: an emergency reply names that country's numbers

    @property
    def possible_overdose(self) -> bool:
        return any(dose.possible_overdose for dose in self.doses)


async def log_entry(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    kb: KnowledgeBase,
    chat_id: int,
    language: str,
    entry: DoseLog | SymptomLog,
    emergency: bool,
    default_zone: str,
) -> LogOutcome:
    """Record the entry; `emergency`: the text describes one (its event is recorded apart,
    before this runs), so the symptom is kept as a red flag."""
    patient = await register_patient(uow_factory, chat_id=chat_id, language=language)
    zone = patient.timezone or default_zone
    now = clock.now()
    async with uow_factory() as uow:
        if isinstance(entry, SymptomLog):
            await uow.symptoms.add(
                patient_id=patient.id,
                text=entry.text,
                severity=entry.severity,
                red_flag=emergency,
                noted_at=now,
            )
            outcome = LogOutcome(LogResult.RECORDED, symptom=entry)
        else:
            outcome = await _log_dose(uow, kb, patient, entry, zone, now)
        if outcome.possible_overdose and not emergency:
            # Answered as an emergency: recorded as one, so caregivers hear of it at once.
            overdose = SafetyEvent(SafetyEventKind.RED_FLAG, patient.id, now, None, "overdose")
            await record_events(uow, [overdose])
        if outcome.result is LogResult.RECORDED:
            await uow.commit()
    if any(dose.settled_reminder for dose in outcome.doses):
        alarm.arm(now)
    return replace(outcome, zone=zone)


async def _log_dose(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    patient: Patient,
    entry: DoseLog,
    zone: str,
    now: datetime,
) -> LogOutcome:
    taken_at = _taken_at(entry, zone, now)
    if taken_at > now + timedelta(minutes=1):
        return LogOutcome(LogResult.IN_THE_FUTURE)
    medications = [
        m
        for m in await uow.medications.of_patient(patient.id)
        if m.status is not MedicationStatus.STOPPED
    ]
    chosen = await _which(uow, kb, medications, entry.medication, taken_at)
    if chosen is None:
        result = LogResult.UNKNOWN_MEDICATION if entry.medication else LogResult.WHICH_MEDICATION
        return LogOutcome(result, candidates=tuple(m.name for m in medications))
    doses, notices = [], []
    for medication in chosen:
        logged, found = await _record_intake(uow, patient, medication, entry, zone, taken_at, now)
        doses.append(logged)
        notices += found
    return LogOutcome(LogResult.RECORDED, doses=tuple(doses), notices=tuple(notices))


def _taken_at(entry: DoseLog, zone: str, now: datetime) -> datetime:
    if entry.when.at is None:
        return now
    local_day = to_local(now, zone_named(zone)).date() - timedelta(days=entry.when.days_ago)
    return local_to_utc(local_day, entry.when.at, zone_named(zone))


async def _which(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    medications: list[Medication],
    name: str | None,
    taken_at: datetime,
) -> list[Medication] | None:
    """The medication(s) a log means: by name or brand; "my pills" = what is due around now."""
    if name is not None:
        drug = kb.drug_named(name)
        for medication in medications:
            same_drug = drug is not None and kb.drug_named(medication.name) == drug
            if medication.name.casefold() == name.casefold() or same_drug:
                return [medication]
        return None
    if len(medications) == 1:
        return medications
    due = [
        m
        for m in medications
        if await uow.doses.open_near(m.id, taken_at, window=minimum_gap(m.times)) is not None
    ]
    return due or None


async def _record_intake(
    uow: UnitOfWork,
    patient: Patient,
    medication: Medication,
    entry: DoseLog,
    zone: str,
    taken_at: datetime,
    now: datetime,
) -> tuple[LoggedDose, list[SafetyNotice]]:
    # The reminder this dose answers: the open one scheduled closest to when it was taken.
    open_dose = await uow.doses.open_near(
        medication.id, taken_at, window=minimum_gap(medication.times)
    )
    settled = False
    if open_dose is not None:
        taken = replace(open_dose.dose, status=DoseStatus.TAKEN, answered_at=taken_at)
        settled = await uow.doses.save(taken, was=open_dose.dose.status)
    planned = (open_dose.dose.amount if open_dose else None) or medication.dose
    amount = entry.dose or planned
    await uow.intakes.add(
        patient_id=patient.id,
        medication_id=medication.id,
        taken_at=taken_at,
        amount=amount,
        source="log",
        dose_id=open_dose.dose.id if settled and open_dose else None,
    )
    notices = await check_overuse(
        uow,
        context_medication=medication,
        patient_id=patient.id,
        zone=zone,
        taken_at=taken_at,
        now=now,
    )
    taken_local = to_local(taken_at, zone_named(zone))
    logged = LoggedDose(
        medication.name,
        amount,
        taken_local,
        settled,
        possible_overdose=possible_overdose(amount, planned),
    )
    if settled and open_dose is not None and open_dose.dose.message_id is not None:
        # The reminder it answered is owed an edit showing it taken, without its buttons.
        edit = dose_status_owed(
            patient.chat_id, DoseStatus.TAKEN, patient_id=patient.id, dose_id=open_dose.dose.id
        )
        await uow.outbox.add(edit, due_at=now)
    return logged, notices
