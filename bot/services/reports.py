"""/report: a patient's adherence, symptoms and safety events over 7, 30 or 90 days, for them
or an active caregiver; with the medications and taper plans a clinic visit needs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.domain.adherence import (
    Adherence,
    DayGrid,
    DoseRecord,
    EventRecord,
    SymptomEntry,
    SymptomSummary,
    adherence_by_medication,
    outcomes_by_day,
    symptom_summary,
    total,
)
from bot.domain.caregivers import LinkStatus
from bot.domain.model import Medication, MedicationStatus, Patient, SafetyEventKind
from bot.domain.schedule import local_day_bounds, to_local, zone_named
from bot.domain.taper import TaperPlan
from bot.services.ports import Clock, UnitOfWork, UnitOfWorkFactory


class ReportResult(StrEnum):
    READY = "ready"
    NOT_FOLLOWED = "not_followed"  # no active link to a patient of that name or number
    NO_PATIENT = "no_patient"


@dataclass(frozen=True, slots=True)
class MedicationPlan:
    """A medication as the doctor should see it: dose, schedule, state and taper plan."""

    medication: Medication
    taper: TaperPlan | None = None


@dataclass(frozen=True, slots=True)
class Report:
    result: ReportResult
    patient_name: str = ""
    for_caregiver: bool = False  # asked by a caregiver, of a patient they follow
    zone: str = "UTC"  # the patient's: days and times are shown in it
    days: int = 7
    first_day: date | None = None
    last_day: date | None = None
    made_at: datetime | None = None  # UTC
    medications: tuple[Adherence, ...] = ()
    grid: DayGrid = field(default_factory=dict)
    symptoms: tuple[SymptomSummary, ...] = ()
    symptom_log: tuple[SymptomEntry, ...] = ()
    events: tuple[EventRecord, ...] = ()
    plans: tuple[MedicationPlan, ...] = ()

    @property
    def total(self) -> Adherence:
        return total(self.medications)

    @property
    def event_counts(self) -> dict[SafetyEventKind, int]:
        """Per kind, in the kinds' order."""
        counts = Counter(event.kind for event in self.events)
        return {kind: counts[kind] for kind in SafetyEventKind if counts[kind]}

    @property
    def period(self) -> list[date]:
        """Every local day of the period, oldest first."""
        if self.first_day is None or self.last_day is None:
            return []
        return [
            self.first_day + timedelta(days=n)
            for n in range((self.last_day - self.first_day).days + 1)
        ]


async def adherence_report(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    chat_id: int,
    days: int,
    patient: str = "",
    default_zone: str,
    asker_name: str = "",
) -> Report:
    """The asker's own report, or, with `patient`, that of a patient they follow now.

    A caregiver's access is checked on every request: it ends the moment the link does.
    `asker_name` (Telegram's first name) names a patient who has not given a name yet.
    """
    now = clock.now()
    async with uow_factory() as uow:
        subject = await _subject(uow, chat_id, patient)
        if subject is None:
            return Report(ReportResult.NOT_FOLLOWED if patient else ReportResult.NO_PATIENT)
        zone = subject.timezone or default_zone
        start = local_day_bounds(now - timedelta(days=days - 1), zone_named(zone))[0]
        doses = await uow.reports.doses_between(subject.id, start, now)
        symptoms = await uow.reports.symptoms_between(subject.id, start, now)
        events = await uow.reports.events_between(subject.id, start, now)
        plans = [
            MedicationPlan(medication, await uow.tapers.of_medication(medication.id))
            for medication in await uow.medications.of_patient(subject.id)
        ]
    return build_report(
        patient_name=subject.name or ("" if patient else asker_name),
        for_caregiver=bool(patient),
        zone=zone,
        days=days,
        now=now,
        doses=doses,
        symptoms=symptoms,
        events=events,
        plans=plans,
    )


def build_report(
    *,
    patient_name: str,
    for_caregiver: bool = False,
    zone: str,
    days: int,
    now: datetime,
    doses: list[DoseRecord],
    symptoms: list[SymptomEntry],
    events: list[EventRecord],
    plans: list[MedicationPlan],
) -> Report:
    """The report's figures from the period's records (also for the sample in docs/)."""
    today = to_local(now, zone_named(zone)).date()
    return Report(
        ReportResult.READY,
        patient_name=patient_name,
        for_caregiver=for_caregiver,
        zone=zone,
        days=days,
        first_day=today - timedelta(days=days - 1),
        last_day=today,
        made_at=now,
        medications=tuple(adherence_by_medication(doses)),
        grid=outcomes_by_day(doses, zone_named(zone)),
        symptoms=tuple(symptom_summary(symptoms)),
        symptom_log=tuple(sorted(symptoms, key=lambda s: s.noted_at)),
        events=tuple(sorted(events, key=lambda e: e.occurred_at)),
        plans=tuple(
            sorted(
                plans,
                # Active first, then paused and stopped; by name within each.
                key=lambda p: (_STATE_ORDER[p.medication.status], p.medication.name.casefold()),
            )
        ),
    )


_STATE_ORDER = {
    MedicationStatus.ACTIVE: 0,
    MedicationStatus.PAUSED: 1,
    MedicationStatus.STOPPED: 2,
    MedicationStatus.DELETED: 3,
}


async def _subject(uow: UnitOfWork, chat_id: int, patient: str) -> Patient | None:
    """The asker, or the one patient of that name or number whose link to them is active."""
    if not patient:
        return await uow.patients.by_chat(chat_id)
    links = [
        link for link in await uow.links.of_caregiver(chat_id) if link.status is LinkStatus.ACTIVE
    ]
    chosen = [
        link
        for number, link in enumerate(links, start=1)
        if patient == str(number) or patient.casefold() == link.patient_name.casefold()
    ]
    if len(chosen) != 1:
        return None
    return await uow.patients.by_chat(chosen[0].patient_chat_id)
