"""/log: record a dose taken or a symptom felt, settle the matching reminder, apply the rules."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.intents import SkipLog
from bot.domain.journal import DoseLog, SymptomLog, TakenAt, taken_at
from bot.domain.knowledge import KnowledgeBase
from bot.domain.model import (
    Dose,
    DoseContext,
    DoseStatus,
    Medication,
    MedicationStatus,
    Patient,
    SafetyEvent,
    SafetyEventKind,
    SafetyNotice,
)
from bot.domain.outbox import dose_status_owed
from bot.domain.rules import possible_overdose
from bot.domain.schedule import local_day_bounds, to_local, zone_named
from bot.services.patients import patient_in
from bot.services.ports import Alarm, Clock, UnitOfWork, UnitOfWorkFactory
from bot.services.safety import check_overuse, record_events
from bot.services.stock import take_from_stock

# A dose logged this long before its reminder answers it (taken a little early); any later
# reminder is left alone.
EARLY_LOG = timedelta(minutes=30)


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
    extra: bool = False  # no reminder of that day was open: an extra intake


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
    now = clock.now()
    async with uow_factory() as uow:
        patient = await patient_in(uow, chat_id=chat_id, language=language)
        zone = patient.clock_zone(default_zone)
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
        # Nothing else was written unless it was recorded; a new patient is kept either way.
        await uow.commit()
        owed_at = uow.owed_at()
    if owed_at is not None:  # the answered reminder's edit, a refill reminder, an alert
        alarm.arm(owed_at)
    return replace(outcome, zone=zone)


async def _log_dose(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    patient: Patient,
    entry: DoseLog,
    zone: str,
    now: datetime,
) -> LogOutcome:
    when = taken_at(entry.when, zone_named(zone), now)
    if when.in_future:
        return LogOutcome(LogResult.IN_THE_FUTURE)
    medications = [
        m
        for m in await uow.medications.of_patient(patient.id)
        if m.status is not MedicationStatus.STOPPED
    ]
    chosen = await _which(uow, kb, medications, entry.medication, when, zone_named(zone))
    if chosen is None:
        result = LogResult.UNKNOWN_MEDICATION if entry.medication else LogResult.WHICH_MEDICATION
        return LogOutcome(result, candidates=tuple(m.name for m in medications))
    doses, notices = [], []
    for medication in chosen:
        logged, found = await _record_intake(uow, kb, patient, medication, entry, zone, when, now)
        doses.append(logged)
        notices += found
    return LogOutcome(LogResult.RECORDED, doses=tuple(doses), notices=tuple(notices))


async def _which(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    medications: list[Medication],
    name: str | None,
    when: TakenAt,
    zone: ZoneInfo,
) -> list[Medication] | None:
    """The medication(s) a log means: by name or brand; "my pills" = what is open now."""
    if name is not None:
        drug = kb.drug_named(name)
        for medication in medications:
            same_drug = drug is not None and kb.drug_named(medication.name) == drug
            if medication.name.casefold() == name.casefold() or same_drug:
                return [medication]
        return None
    if len(medications) == 1:
        return medications
    due = [m for m in medications if await open_dose(uow, m, when, zone) is not None]
    return due or None


async def open_dose(
    uow: UnitOfWork, medication: Medication, when: TakenAt, zone: ZoneInfo
) -> Dose | None:
    """The reminder an intake (or a skip) answers: one of the same local day, open (not taken
    or skipped), due by then or within EARLY_LOG after, and in the part of the day said
    ("this morning"), the one closest to the time. Never a later dose: tomorrow's reminder
    must still come."""
    day_start, day_end = local_day_bounds(when.at, zone)
    start, until = day_start, min(when.at + EARLY_LOG, day_end)
    if when.window is not None:
        start, until = max(start, when.window[0]), min(until, when.window[1])
    candidates = await uow.doses.open_between(medication.id, start, until)
    return min(candidates, key=lambda dose: abs(dose.scheduled_at - when.at), default=None)


async def _record_intake(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    patient: Patient,
    medication: Medication,
    entry: DoseLog,
    zone: str,
    when: TakenAt,
    now: datetime,
) -> tuple[LoggedDose, list[SafetyNotice]]:
    intake_at = when.at
    answered = None
    if not medication.schedule.as_needed:
        answered = await open_dose(uow, medication, when, zone_named(zone))
    settled = False
    if answered is not None:
        taken = replace(
            answered, status=DoseStatus.TAKEN, answered_at=intake_at, next_repeat_at=None
        )
        settled = await uow.doses.save(taken, was=answered.status)
    planned = (answered.amount if answered else None) or medication.dose
    amount = entry.dose or planned
    await uow.intakes.add(
        patient_id=patient.id,
        medication_id=medication.id,
        taken_at=intake_at,
        amount=amount,
        source="log",
        dose_id=answered.id if settled and answered else None,
    )
    await take_from_stock(uow, kb, medication, patient, amount=amount, now=now, zone=zone)
    notices = await check_overuse(
        uow,
        context_medication=medication,
        patient_id=patient.id,
        zone=zone,
        taken_at=intake_at,
        now=now,
    )
    taken_local = to_local(intake_at, zone_named(zone))
    logged = LoggedDose(
        medication.name,
        amount,
        taken_local,
        settled,
        possible_overdose=possible_overdose(amount, planned),
        extra=not settled and not medication.schedule.as_needed,
    )
    if settled and answered is not None and answered.message_id is not None:
        # The reminder it answered is owed an edit showing it taken, without its buttons.
        edit = dose_status_owed(
            patient.chat_id, DoseStatus.TAKEN, patient_id=patient.id, dose_id=answered.id
        )
        await uow.outbox.add(edit, due_at=now)
    return logged, notices


async def skipped_dose(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    kb: KnowledgeBase,
    chat_id: int,
    skip: SkipLog,
    default_zone: str,
) -> DoseContext | None:
    """The dose a "skipped my evening dose" means: of the medication named (or any), an open
    one of that day in the part of the day said, else the one due nearest to now; None when
    no reminder is open."""
    now = clock.now()
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        if patient is None:
            return None
        zone = zone_named(patient.clock_zone(default_zone))
        when = taken_at(skip.when, zone, now)
        day_start, day_end = local_day_bounds(when.at, zone)
        start, end = when.window or (day_start, min(now + EARLY_LOG, day_end))
        medications = await uow.medications.of_patient(patient.id)
        named = await _which(uow, kb, medications, skip.medication, when, zone) or []
        if skip.medication is None:
            named = [m for m in medications if m.status is MedicationStatus.ACTIVE]
        candidates = [
            DoseContext(dose, medication, patient)
            for medication in named
            for dose in await uow.doses.open_between(medication.id, start, end)
        ]
    return min(candidates, key=lambda c: abs(c.dose.scheduled_at - when.at), default=None)
