"""Apply the safety rules to what happened; record SafetyEvents (the outbox) in one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.caregivers import LinkStatus
from bot.domain.knowledge import KnowledgeBase
from bot.domain.model import (
    DoseContext,
    DoseStatus,
    Medication,
    NoticeKind,
    SafetyEvent,
    SafetyEventKind,
    SafetyNotice,
)
from bot.domain.rules import (
    WITHDRAWAL_RISK_STREAK,
    as_needed_overuse,
    missed_streak,
    overuse,
    withdrawal_risk,
)
from bot.domain.schedule import local_day_bounds, occurrences, zone_named
from bot.services.ports import UnitOfWork

# Enough history to see a streak; a streak longer than this is reported as this long.
_STREAK_WINDOW = 20


async def record_events(uow: UnitOfWork, events: Sequence[SafetyEvent]) -> list[SafetyEvent]:
    """The one way a safety event is emitted: a row in the caller's transaction, and an
    alert row for each caregiver who follows the patient and wants this kind (the outbox)."""
    stored = [await uow.events.add(event) for event in events]
    for event in stored:
        assert event.id is not None
        for link in await uow.links.of_patient(event.patient_id):
            if link.status is LinkStatus.ACTIVE and event.kind in link.kinds:
                # A caregiver may choose to hear of a missed dose later (the patient may
                # still take it); every other alert goes at once.
                delay = (
                    link.missed_alert_delay if event.kind is SafetyEventKind.MISSED_DOSE else None
                )
                await uow.alerts.add(
                    link_id=link.id,
                    event_id=event.id,
                    kind=event.kind,
                    due_at=event.occurred_at + (delay or timedelta(0)),
                )
    return stored


def skip_notice(kb: KnowledgeBase, medication: Medication) -> SafetyNotice:
    drug = kb.drug_named(medication.name)
    return SafetyNotice(
        NoticeKind.SKIP_WARNING,
        medication=medication.name,
        medication_id=medication.id,
        withdrawal_risk=bool(drug and drug.withdrawal_risk),
        symptoms=drug.withdrawal_symptoms if drug else (),
    )


async def after_missed_or_skipped(
    uow: UnitOfWork, kb: KnowledgeBase, context: DoseContext, now: datetime
) -> list[SafetyNotice]:
    """Record what a missed or skipped dose means; the notices the patient should get."""
    medication, patient = context.medication, context.patient
    events: list[SafetyEvent] = []
    if context.dose.status is DoseStatus.MISSED:
        missed = SafetyEvent(SafetyEventKind.MISSED_DOSE, patient.id, now, medication.id)
        events.append(replace(missed, dose_at=context.dose.scheduled_at))
    statuses = await uow.doses.settled_statuses(medication.id, limit=_STREAK_WINDOW)
    streak = missed_streak(statuses)
    drug = kb.drug_named(medication.name)
    notices: list[SafetyNotice] = []
    # Warn when the streak reaches the threshold, not again for every further miss:
    # ten doses missed in a row are one warning, not nine.
    crossing = streak == WITHDRAWAL_RISK_STREAK
    risky = withdrawal_risk(statuses, drug_has_risk=bool(drug and drug.withdrawal_risk))
    if risky and crossing:
        assert drug is not None
        detail = f"{streak} doses in a row missed or skipped"
        events.append(
            SafetyEvent(SafetyEventKind.WITHDRAWAL_RISK, patient.id, now, medication.id, detail)
        )
        notices.append(
            SafetyNotice(
                NoticeKind.WITHDRAWAL_RISK,
                medication=medication.name,
                medication_id=medication.id,
                withdrawal_risk=True,
                symptoms=drug.withdrawal_symptoms,
                danger_signs=drug.danger_signs,
                streak=streak,
            )
        )
    elif crossing and not risky and context.dose.status is DoseStatus.SKIPPED:
        detail = f"{streak} doses in a row missed or skipped"
        events.append(
            SafetyEvent(SafetyEventKind.REPEATED_SKIP, patient.id, now, medication.id, detail)
        )
    await record_events(uow, events)
    return notices


async def check_overuse(
    uow: UnitOfWork,
    *,
    context_medication: Medication,
    patient_id: int,
    zone: str,
    taken_at: datetime,
    now: datetime,
) -> list[SafetyNotice]:
    """After an intake is stored: more than the schedule has today (or the as-needed
    maximum), or too soon after the last; the notice names the rule that fired."""
    medication = context_medication
    local_zone = zone_named(zone)
    start, end = local_day_bounds(taken_at, local_zone)
    today, previous = await uow.intakes.day_and_last_before(medication.id, start, end, taken_at)
    schedule = medication.schedule
    if schedule.as_needed:
        found = as_needed_overuse(
            taken_at,
            today,
            previous,
            max_per_day=schedule.max_per_day,
            min_gap=schedule.min_gap,
        )
    else:
        planned = len(occurrences(schedule, local_zone, start, end))
        found = overuse(taken_at, today, previous, planned_today=planned, times=schedule.times)
    if found is None:
        return []
    detail = f"{found.taken_today} doses today, {found.allowed_per_day} prescribed"
    if found.since_last is not None:
        detail += f"; {_minutes(found.since_last)} min after the previous dose"
    await record_events(
        uow, [SafetyEvent(SafetyEventKind.OVERUSE, patient_id, now, medication.id, detail)]
    )
    return [
        SafetyNotice(
            NoticeKind.AS_NEEDED_LIMIT if schedule.as_needed else NoticeKind.OVERUSE,
            medication=medication.name,
            medication_id=medication.id,
            taken_today=found.taken_today,
            prescribed_per_day=found.allowed_per_day,
            max_per_day=schedule.max_per_day or 0,
            since_last_minutes=_minutes(found.since_last),
            min_gap_minutes=_minutes(found.spacing),
            rule=found.rule.value,
        )
    ]


def _minutes(span: timedelta | None) -> int:
    return int(span.total_seconds() // 60) if span is not None else 0
