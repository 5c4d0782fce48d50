"""The reminder flow: materialise due doses, claim and send them, record answers, nag, miss."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.dispatch_plan import LOAD_AHEAD, plan_dispatch
from bot.domain.knowledge import KnowledgeBase
from bot.domain.model import (
    DoseContext,
    DoseStatus,
    Medication,
    MedicationStatus,
    NoticeKind,
    Patient,
    Reminder,
    SafetyNotice,
)
from bot.domain.outbox import dose_status_owed, notice_owed, repeat_owed
from bot.domain.reminding import (
    ReminderDefaults,
    clocks_start,
    first_repeat_at,
    next_repeat_at,
    timing_for,
)
from bot.domain.schedule import occurrences, to_local, zone_named
from bot.domain.taper import TaperPlan
from bot.services.draining import SEND_CONCURRENCY, drain, never
from bot.services.ports import (
    Alarm,
    Clock,
    DeliveryFailed,
    FinishedSend,
    Messenger,
    RecipientUnreachable,
    UnitOfWork,
    UnitOfWorkFactory,
    UpcomingDoses,
)
from bot.services.safety import after_missed_or_skipped

log = logging.getLogger(__name__)

HORIZON = timedelta(hours=48)
# A reminder sent this long after its due time says it is late (the bot was down).
LATE_AFTER = timedelta(minutes=2)
# A `sending` claim whose claimed_at is older than this belongs to a process that died
# mid-send: take it over. A live dispatcher's heartbeat moves claimed_at forward every
# HEARTBEAT_EVERY (bot/app.py), so only a dead one's claims get this old; a send that
# failed is left claimed and retried once the dispatcher rests this long.
STALE_CLAIM = timedelta(seconds=5)
# Doses claimed per transaction: few statements per burst, each short.
CLAIM_BATCH = 500
# ...but no more than this many seconds of sends at the dispatch rate: a process killed with
# a full claim leaves a survivor at most that much work after STALE_CLAIM, and the processes
# sharing a burst each hold a part of it.
CLAIM_SECONDS = 2.0
# Medications the materialiser writes the doses of in one transaction: short enough that
# an update's own write never waits long, and the event loop is free between them.
MATERIALISE_BATCH = 250


def reminder_for(
    context: DoseContext, default_zone: str, *, now: datetime | None = None, repeat: bool = False
) -> Reminder:
    patient = context.patient
    # The time as the schedule has it: while travelling on home time, the home clock's.
    zone = zone_named(patient.clock_zone(default_zone))
    dose = context.dose
    return Reminder(
        dose_id=dose.id,
        chat_id=patient.chat_id,
        medication=context.medication.name,
        dose=dose.amount or context.medication.dose,
        scheduled_local=to_local(dose.scheduled_at, zone),
        home_zone=patient.schedule_zone,
        language=patient.language,
        late=now is not None and now - dose.due_at > LATE_AFTER,
        due_at=dose.due_at,
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
    """Write the next 48 h of doses of active medications as rows; idempotent. Every
    patient's: MATERIALISE_BATCH medications a transaction, the event loop free between."""
    now = clock.now()
    if patient_id is not None:
        async with uow_factory() as uow:
            created = await write_upcoming_doses(
                uow, now=now, alarm=alarm, default_zone=default_zone, patient_id=patient_id
            )
            await uow.commit()
        return created
    async with uow_factory() as uow:
        plans = {medication.id: plan for plan, _, _, medication, _ in await uow.tapers.active()}
    created, after = 0, 0
    while True:
        async with uow_factory() as uow:
            page = await uow.medications.active(after_id=after, limit=MATERIALISE_BATCH)
            upcoming = [
                _upcoming(medication, patient, plans.get(medication.id), now, default_zone)
                for medication, patient in page
            ]
            created += await uow.doses.add_missing_many(upcoming)
            await uow.commit()
        if len(page) < MATERIALISE_BATCH:
            break
        after = page[-1][0].id
        await asyncio.sleep(0)  # updates are handled between pages
    async with uow_factory() as uow:
        next_due = await uow.doses.next_due_at()
    if next_due is not None:
        alarm.arm(next_due)
    return created


async def write_upcoming_doses(
    uow: UnitOfWork, *, now: datetime, alarm: Alarm, default_zone: str, patient_id: int | None
) -> int:
    """The materialiser's step, inside the caller's transaction (a schedule and its doses
    are saved together or not at all)."""
    created = 0
    for medication, patient in await uow.medications.active(patient_id):
        plan = await uow.tapers.of_medication(medication.id)
        doses = _upcoming(medication, patient, plan, now, default_zone)
        created += await uow.doses.add_missing(
            medication, doses.instants, doses.amounts, heads_up=doses.heads_up
        )
    next_due = await uow.doses.next_due_at()
    if next_due is not None:
        # Arming early is harmless: the dispatcher finds nothing and re-arms.
        alarm.arm(next_due)
    return created


def _upcoming(
    medication: Medication,
    patient: Patient,
    plan: TaperPlan | None,
    now: datetime,
    default_zone: str,
) -> UpcomingDoses:
    zone = zone_named(patient.clock_zone(default_zone))
    due = occurrences(medication.schedule, zone, now, now + HORIZON)
    instants = [at for at, _ in due]
    # Every dose row carries its amount, so a later /edit does not change what a
    # reminder already sent asked for; a taper's amount wins over the schedule's.
    tapered = plan.amounts_at(instants, zone) if plan else [None] * len(instants)
    amounts: list[str | None] = [
        taper or scheduled or medication.dose
        for taper, (_, scheduled) in zip(tapered, due, strict=True)
    ]
    return UpcomingDoses(medication, instants, amounts, patient.prefs.heads_up)


async def dispatch_due_doses(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    messenger: Messenger,
    default_zone: str,
    claimer: str,
    defaults: ReminderDefaults,
    lookahead: timedelta = timedelta(0),
    per_second: float | None = None,
    concurrency: int = SEND_CONCURRENCY,
    should_stop: Callable[[], bool] = never,
) -> int:
    """Claim every due dose in batches and send its reminder; return how many were sent.

    `lookahead`: doses due this much later are claimed with the due ones, always.
    `per_second`: the rate reminders go out at; given, the coming minutes' load decides how
    early a burst starts (bot/domain/dispatch_plan.py), so that it is out on time.
    When `should_stop` turns true (a shutdown), the sends in flight finish and the doses
    claimed but not sent yet are released: the next start sends them.
    """

    batch = claim_batch(per_second)
    # Once the plan starts a burst, this run goes on with it: the doses already claimed no
    # longer count as waiting, so a fresh plan would think the rest could wait.
    planned: datetime | None = None

    async def claim() -> list[DoseContext]:
        nonlocal planned
        now = clock.now()
        async with uow_factory() as uow:
            until = now + lookahead
            if per_second:
                load = await uow.doses.waiting_per_minute(until=now + LOAD_AHEAD)
                plan = plan_dispatch(now, load, per_second=per_second).claim_until
                planned = max(planned or plan, plan)
                until = max(until, planned)
            claimed = await uow.doses.claim_due(
                until=until,
                now=now,
                stale_before=now - STALE_CLAIM,
                claimer=claimer,
                limit=batch,
            )
            await uow.commit()
        return claimed

    async def send(context: DoseContext) -> FinishedSend | None:
        return await _send(clock, messenger, default_zone, defaults, context)

    async def record(sends: list[FinishedSend]) -> int:
        async with uow_factory() as uow:
            # Conditional: a Taken pressed while the send was still in flight must survive.
            recorded = await uow.doses.finish_sends(sends, claimer=claimer)
            await uow.commit()
        return sum(1 for s in sends if s.dose_id in recorded and s.status is DoseStatus.SENT)

    async def release() -> None:
        async with uow_factory() as uow:
            await uow.doses.release(claimer)
            await uow.commit()

    return await drain(
        claim,
        send,
        record,
        release,
        batch=batch,
        concurrency=concurrency,
        should_stop=should_stop,
    )


def claim_batch(per_second: float | None) -> int:
    """How many doses one claim takes: CLAIM_SECONDS of sends at `per_second` (at least 20),
    at most CLAIM_BATCH; CLAIM_BATCH when the rate is not known."""
    if not per_second:
        return CLAIM_BATCH
    return max(20, min(CLAIM_BATCH, int(per_second * CLAIM_SECONDS)))


async def next_dispatch_start(
    uow_factory: UnitOfWorkFactory, *, clock: Clock, per_second: float
) -> datetime | None:
    """When the coming minutes' load needs the dispatcher to start early (None: at the due
    times, as next_due_at says)."""
    now = clock.now()
    async with uow_factory() as uow:
        load = await uow.doses.waiting_per_minute(until=now + LOAD_AHEAD)
    return plan_dispatch(now, load, per_second=per_second).next_start


async def _send(
    clock: Clock,
    messenger: Messenger,
    default_zone: str,
    defaults: ReminderDefaults,
    context: DoseContext,
) -> FinishedSend | None:
    """Send one claimed dose's reminder: what to record, or None to leave the claim."""
    dose = context.dose
    reminder = reminder_for(context, default_zone, now=clock.now())
    try:
        message_id: int | None = await messenger.send_reminder(reminder)
    except DeliveryFailed:
        # Leave the claim: it goes stale and is retried (at least once, never lost).
        log.warning("reminder for dose %s not delivered; will retry", dose.id)
        return None
    except RecipientUnreachable:
        log.warning("patient %s unreachable; dose %s not delivered", dose.patient_id, dose.id)
        status, message_id = DoseStatus.UNDELIVERABLE, None
    else:
        status = DoseStatus.SENT
    now = clock.now()
    timing = timing_for(context.patient.prefs, defaults)
    start = clocks_start(now, dose.scheduled_at)
    return FinishedSend(
        dose.id,
        status,
        message_id,
        at=now,
        next_repeat_at=first_repeat_at(timing, start) if status is DoseStatus.SENT else None,
        miss_at=start + timing.missed_after,
    )


async def sweep_unanswered(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    kb: KnowledgeBase,
    defaults: ReminderDefaults,
    default_zone: str,
) -> tuple[int, int]:
    """Mark each unanswered reminder missed at its time, owe the repeats and heads-ups that
    are due; the edits, notices and repeats are outbox rows of the same transaction.
    Returns (repeated, missed)."""
    now = clock.now()
    missed = 0
    async with uow_factory() as uow:
        for context in await uow.doses.due_to_miss(now=now):
            dose = replace(context.dose, status=DoseStatus.MISSED, next_repeat_at=None)
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
    repeated = await _owe_repeats(uow_factory, now, defaults)
    heads_ups = await _owe_heads_ups(uow_factory, now, default_zone)
    if missed or repeated or heads_ups:
        alarm.arm(now)
    return repeated, missed


async def _owe_repeats(
    uow_factory: UnitOfWorkFactory, now: datetime, defaults: ReminderDefaults
) -> int:
    repeated = 0
    while True:
        async with uow_factory() as uow:
            due = await uow.doses.claim_repeats(now=now, limit=CLAIM_BATCH)
            for context in due:
                if context.medication.status is not MedicationStatus.ACTIVE:
                    continue
                dose, patient = context.dose, context.patient
                owed = repeat_owed(patient.chat_id, patient_id=patient.id, dose_id=dose.id)
                await uow.outbox.add(owed, due_at=now)
                repeated += 1
                timing = timing_for(patient.prefs, defaults)
                assert dose.reminded_at is not None
                later = next_repeat_at(
                    timing,
                    repeats_sent=dose.repeats,
                    reminded_at=clocks_start(dose.reminded_at, dose.scheduled_at),
                )
                if later is not None:
                    await uow.doses.set_next_repeat(dose.id, max(later, now))
            await uow.commit()
        if len(due) < CLAIM_BATCH:
            return repeated


async def _owe_heads_ups(uow_factory: UnitOfWorkFactory, now: datetime, default_zone: str) -> int:
    """A note before a dose, for the patients who asked for one in /settings."""
    owed = 0
    while True:
        async with uow_factory() as uow:
            due = await uow.doses.claim_heads_ups(now=now, limit=CLAIM_BATCH)
            for context in due:
                if context.medication.status is not MedicationStatus.ACTIVE:
                    continue
                patient, medication, dose = context.patient, context.medication, context.dose
                zone = zone_named(patient.clock_zone(default_zone))
                notice = SafetyNotice(
                    NoticeKind.HEADS_UP,
                    medication=medication.name,
                    medication_id=medication.id,
                    amount=dose.amount or medication.dose,
                    at=to_local(dose.scheduled_at, zone).time(),
                )
                await uow.outbox.add(
                    notice_owed(patient.chat_id, notice, patient_id=patient.id), due_at=now
                )
                owed += 1
            await uow.commit()
        if len(due) < CLAIM_BATCH:
            return owed
