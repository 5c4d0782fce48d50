"""The ports the use cases need: storage (unit of work + repositories), messenger, clock, alarm."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Protocol, Self

from bot.domain.adherence import DoseRecord, EventRecord, SymptomEntry
from bot.domain.caregivers import CaregiverAlert, CaregiverLink, LinkStatus, PendingAlert
from bot.domain.history import History
from bot.domain.model import (
    Dose,
    DoseContext,
    DoseStatus,
    Medication,
    MedicationStatus,
    Patient,
    Reminder,
    ReminderPrefs,
    SafetyEvent,
    SafetyEventKind,
    SafetyNotice,
    Schedule,
)
from bot.domain.outbox import LinkNote, Owed, OwedMessage
from bot.domain.taper import TaperPlan
from bot.domain.weekly import SummaryRecipient, WeeklySummary


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class Alarm(Protocol):
    def arm(self, at: datetime) -> None:
        """Wake the dispatcher no later than `at` (a nearer dose may have appeared)."""
        ...


class StorageUnavailable(Exception):
    """The database cannot be reached just now (a restart, a network cut); retry later."""


class DeliveryFailed(Exception):
    """Telegram did not take the message this time; it may later (network, flood limit)."""


class RecipientUnreachable(Exception):
    """Telegram will never deliver to this chat (blocked the bot, chat gone)."""


class Messenger(Protocol):
    async def send_reminder(self, reminder: Reminder) -> int:
        """Deliver a reminder with its answer buttons; return Telegram's message id."""
        ...

    async def show_dose_status(
        self,
        reminder: Reminder,
        message_id: int,
        status: DoseStatus,
        at_local: datetime | None = None,
    ) -> None:
        """Edit a delivered reminder to show what became of the dose (and when)."""
        ...

    async def send_notice(self, chat_id: int, notice: SafetyNotice) -> int:
        """Deliver a safety message (withdrawal risk, taper step) outside a conversation."""
        ...

    async def send_link_note(self, chat_id: int, note: LinkNote) -> int:
        """Tell one side of a caregiver link what the other did (with Allow/Decline first)."""
        ...

    async def send_alert(self, alert: CaregiverAlert) -> int:
        """Deliver a caregiver alert, with a button to message the patient."""
        ...

    async def send_summary(self, chat_id: int, summary: WeeklySummary) -> int:
        """Deliver a weekly summary to the patient or a caregiver."""
        ...


class PatientRepository(Protocol):
    async def by_chat(self, chat_id: int) -> Patient | None: ...
    async def with_medication_names(self, chat_id: int) -> tuple[Patient, list[str]] | None:
        """The chat's patient and their medications' names (not the deleted), in name order."""
        ...

    async def add(
        self, *, chat_id: int, language: str, timezone: str | None, name: str = ""
    ) -> Patient: ...
    async def set_timezone(
        self, patient_id: int, timezone: str, *, schedule_zone: str | None = None
    ) -> None:
        """Where the patient is; `schedule_zone`: the zone their reminders keep (travel)."""
        ...

    async def set_schedule_zone(self, patient_id: int, schedule_zone: str | None) -> None: ...
    async def set_prefs(self, patient_id: int, prefs: ReminderPrefs) -> None: ...
    async def set_name(self, patient_id: int, name: str) -> None: ...
    async def set_language(self, patient_id: int, language: str, *, chosen: bool) -> None: ...


class MedicationRepository(Protocol):
    async def add(
        self, *, patient_id: int, name: str, dose: str, schedule: Schedule
    ) -> Medication: ...
    async def replace_schedule(
        self, medication_id: int, *, dose: str, schedule: Schedule
    ) -> None: ...
    async def set_stock(self, medication_id: int, stock: float | None) -> None:
        """A new count (/stock, /refill): the refill and run-out notices may come again."""
        ...

    async def take_from_stock(self, medication_id: int, units: float) -> float | None:
        """Lower a counted stock (never below zero); the new count, None when not counted."""
        ...

    async def note_refill_owed(self, medication_id: int, run_out: date) -> bool:
        """Claim the refill reminder for this run-out day: True once."""
        ...

    async def note_ran_out(self, medication_id: int) -> bool:
        """Claim the one "you have run out" notice of this count: True once."""
        ...

    async def counted(self) -> list[tuple[Medication, Patient]]:
        """Active medications whose stock the patient counts."""
        ...

    async def of_patient(self, patient_id: int) -> list[Medication]:
        """The patient's medications, except the ones they deleted."""
        ...

    async def by_name(self, patient_id: int, name: str) -> Medication | None: ...
    async def by_id(self, patient_id: int, medication_id: int) -> Medication | None: ...
    async def set_dose(self, medication_id: int, dose: str) -> None: ...
    async def set_status(self, medication_id: int, status: MedicationStatus) -> None: ...
    async def active(
        self, patient_id: int | None = None, *, after_id: int = 0, limit: int | None = None
    ) -> list[tuple[Medication, Patient]]:
        """Active medications with their patients; with a limit, `limit` of them in id order
        after `after_id` (the materialiser's pages)."""
        ...


@dataclass(frozen=True, slots=True)
class UpcomingDoses:
    """One medication's doses to write (DoseRepository.add_missing_many), each with its
    amount, and a heads-up this long before each when the patient wants one."""

    medication: Medication
    instants: Sequence[datetime]
    amounts: Sequence[str | None]
    heads_up: timedelta | None = None


@dataclass(frozen=True, slots=True)
class FinishedSend:
    """What became of one claimed dose's reminder, for DoseRepository.finish_sends."""

    dose_id: int
    status: DoseStatus
    message_id: int | None
    at: datetime
    next_repeat_at: datetime | None = None
    miss_at: datetime | None = None


class DoseRepository(Protocol):
    async def add_missing(
        self,
        medication: Medication,
        instants: Sequence[datetime],
        amounts: Sequence[str | None] | None = None,
        heads_up: timedelta | None = None,
    ) -> int:
        """Insert the doses that do not exist yet (with their amounts, and a heads-up this
        long before each when the patient wants one); return how many."""
        ...

    async def add_missing_many(self, upcoming: Sequence[UpcomingDoses]) -> int:
        """add_missing for many medications: one look-up and one insert; how many new."""
        ...

    async def drop_unsent(
        self,
        *,
        after: datetime | None,
        medication_id: int | None = None,
        patient_id: int | None = None,
        include_snoozed: bool = False,
    ) -> int:
        """Delete doses not yet reminded (due after `after`, if given): the schedule changed.

        Snoozed doses were reminded already; only a pause drops them too.
        """
        ...

    async def claim_due(
        self, *, until: datetime, now: datetime, stale_before: datetime, claimer: str, limit: int
    ) -> list[DoseContext]:
        """Atomically mark due doses `sending` for this claimer; stale claims are taken over."""
        ...

    async def finish_send(
        self,
        dose_id: int,
        *,
        claimer: str,
        status: DoseStatus,
        message_id: int | None,
        at: datetime,
        next_repeat_at: datetime | None = None,
        miss_at: datetime | None = None,
    ) -> bool:
        """Record this claimer's send, unless the dose moved on meanwhile (answered in flight);
        a first reminder also sets when it repeats and when it counts as missed."""
        ...

    async def finish_sends(self, sends: Sequence[FinishedSend], *, claimer: str) -> set[int]:
        """finish_send for many doses in one statement; the ids recorded."""
        ...

    async def waiting_per_minute(self, *, until: datetime) -> list[tuple[datetime, int]]:
        """Doses waiting to be reminded, due by `until`, counted per minute of their due time
        (overdue ones in their own past minutes), in time order."""
        ...

    async def release(self, claimer: str) -> int:
        """This dispatcher's claims not sent yet are due again (a clean shutdown)."""
        ...

    async def refresh_claims(self, claimer: str, at: datetime) -> int:
        """The heartbeat: this claimer's `sending` rows are still its own (claimed at `at`)."""
        ...

    async def oldest_claim_at(self) -> datetime | None:
        """When the longest-held `sending` row was claimed or last refreshed."""
        ...

    async def next_due_at(self) -> datetime | None: ...
    async def context(self, dose_id: int) -> DoseContext | None: ...
    async def save(self, dose: Dose, *, was: DoseStatus) -> bool:
        """Write the dose's state if it still has status `was` (two presses, one answer)."""
        ...

    async def claim_repeats(self, *, now: datetime, limit: int) -> list[DoseContext]:
        """Atomically take the unanswered doses whose repeat is due: count it, clear its time."""
        ...

    async def set_next_repeat(self, dose_id: int, at: datetime) -> None:
        """Another repeat is owed at `at` (while the dose still waits for its answer)."""
        ...

    async def due_to_miss(self, *, now: datetime) -> list[DoseContext]:
        """Sent (or undeliverable) doses still unanswered at their miss time."""
        ...

    async def claim_heads_ups(self, *, now: datetime, limit: int) -> list[DoseContext]:
        """Atomically take the doses not yet reminded whose heads-up is due (once each)."""
        ...

    async def of_patient_between(
        self, patient_id: int, start: datetime, end: datetime
    ) -> list[DoseContext]: ...

    async def settled_statuses(self, medication_id: int, *, limit: int) -> list[DoseStatus]:
        """Statuses of the latest taken, skipped or missed doses, oldest first."""
        ...

    async def open_between(self, medication_id: int, start: datetime, end: datetime) -> list[Dose]:
        """The unanswered doses scheduled in [start, end]: what a /log may settle."""
        ...


class IntakeRepository(Protocol):
    async def add(
        self,
        *,
        patient_id: int,
        medication_id: int,
        taken_at: datetime,
        amount: str | None,
        source: str,
        dose_id: int | None = None,
    ) -> None: ...
    async def taken_between(
        self, medication_id: int, start: datetime, end: datetime
    ) -> list[datetime]: ...
    async def day_and_last_before(
        self, medication_id: int, start: datetime, end: datetime, before: datetime
    ) -> tuple[list[datetime], datetime | None]:
        """The times taken in [start, end), in order, and the last time taken before `before`."""
        ...


class SymptomRepository(Protocol):
    async def add(
        self,
        *,
        patient_id: int,
        text: str,
        severity: str | None,
        red_flag: bool,
        noted_at: datetime,
    ) -> None: ...


class SafetyEventRepository(Protocol):
    async def add(self, event: SafetyEvent) -> SafetyEvent: ...
    async def of_patient(self, patient_id: int) -> list[SafetyEvent]: ...


class TaperRepository(Protocol):
    async def put(self, medication_id: int, plan: TaperPlan, *, created_at: datetime) -> None:
        """Store the plan, replacing an earlier one for this medication."""
        ...

    async def of_medication(self, medication_id: int) -> TaperPlan | None: ...
    async def active(self) -> list[tuple[TaperPlan, int, bool, Medication, Patient]]:
        """Plans of active medications: (plan, announced step, end asked?, medication, patient)."""
        ...

    async def announce(self, medication_id: int, step: int) -> bool:
        """Mark a step announced; False if another process already did."""
        ...

    async def ask_end(self, medication_id: int, at: datetime) -> bool: ...
    async def remove(self, medication_id: int) -> None: ...


class InviteRepository(Protocol):
    async def add(
        self, *, patient_id: int, code_hash: str, created_at: datetime, expires_at: datetime
    ) -> None: ...
    async def revoke_unused(self, patient_id: int, at: datetime) -> int: ...
    async def redeem(self, code_hash: str, at: datetime) -> int | None:
        """Use a valid code (unused, unrevoked, unexpired) once; the inviting patient's id."""
        ...

    async def note_failure(self, chat_id: int, at: datetime) -> None: ...
    async def failures_since(self, chat_id: int, since: datetime) -> int: ...


class CaregiverLinkRepository(Protocol):
    async def put_pending(
        self,
        *,
        patient_id: int,
        caregiver_chat_id: int,
        caregiver_name: str,
        kinds: frozenset[SafetyEventKind],
        at: datetime,
    ) -> CaregiverLink:
        """A new link waiting for the patient, replacing an ended one between the two."""
        ...

    async def get(self, link_id: int) -> CaregiverLink | None: ...
    async def of_patient(self, patient_id: int) -> list[CaregiverLink]: ...
    async def of_caregiver(self, caregiver_chat_id: int) -> list[CaregiverLink]: ...
    async def set_status(self, link_id: int, status: LinkStatus, at: datetime) -> None: ...
    async def set_kinds(self, link_id: int, kinds: frozenset[SafetyEventKind]) -> None: ...
    async def set_missed_alert_delay(self, link_id: int, delay: timedelta) -> None: ...
    async def mark_unreachable(self, link_id: int, at: datetime) -> bool:
        """True the first time: the patient is told once."""
        ...


class AlertRepository(Protocol):
    async def add(
        self, *, link_id: int, event_id: int, kind: SafetyEventKind, due_at: datetime
    ) -> None: ...
    async def claim_due(
        self,
        *,
        now: datetime,
        stale_before: datetime,
        claimer: str,
        limit: int,
        urgent_only: bool = False,
    ) -> list[PendingAlert]:
        """Atomically mark due alerts of active links `sending` for this claimer; red flags
        first (or only)."""
        ...

    async def refresh_claims(self, claimer: str, at: datetime) -> int:
        """The heartbeat: this claimer's `sending` rows are still its own (claimed at `at`)."""
        ...

    async def oldest_claim_at(self) -> datetime | None:
        """When the longest-held `sending` row was claimed or last refreshed."""
        ...

    async def mark_sent(self, alert_ids: Sequence[int], at: datetime) -> None: ...
    async def retry_at(self, alert_ids: Sequence[int], due_at: datetime) -> None: ...
    async def drop(self, alert_ids: Sequence[int]) -> None: ...
    async def drop_for_link(self, link_id: int) -> None: ...
    async def last_sent(self, link_id: int, kind: SafetyEventKind) -> datetime | None: ...


class OutboxRepository(Protocol):
    async def add(self, owed: Owed, *, due_at: datetime) -> None: ...
    async def claim_due(
        self, *, now: datetime, stale_before: datetime, claimer: str, limit: int
    ) -> list[OwedMessage]:
        """Atomically mark due rows `sending` for this claimer, most urgent first."""
        ...

    async def mark_sent(
        self, row_id: int, *, claimer: str, message_id: int | None, at: datetime
    ) -> bool: ...
    async def retry_at(self, row_id: int, *, claimer: str, due_at: datetime) -> bool: ...
    async def drop(self, row_id: int, *, claimer: str) -> bool: ...
    async def release(self, claimer: str) -> int:
        """This dispatcher's claims not sent yet are owed again (a clean shutdown)."""
        ...

    async def refresh_claims(self, claimer: str, at: datetime) -> int:
        """The heartbeat: this claimer's `sending` rows are still its own (claimed at `at`)."""
        ...

    async def oldest_claim_at(self) -> datetime | None:
        """When the longest-held `sending` row was claimed or last refreshed."""
        ...

    async def next_due_at(self) -> datetime | None: ...


class PatientDataRepository(Protocol):
    async def history(self, patient_id: int, *, zone: str, until: datetime) -> History:
        """Everything recorded about the patient up to `until` (doses not yet due left out)."""
        ...

    async def delete_patient(self, patient_id: int, chat_id: int) -> None:
        """Remove every row about the patient or their chat: medications, doses, logs,
        events, tapers, invites, links on both sides, alerts and what the outbox owes."""
        ...


class SummaryRepository(Protocol):
    async def patient_opted_in(self, patient_id: int) -> bool: ...
    async def links_opted_in(self, caregiver_chat_id: int) -> frozenset[int]: ...
    async def set_patient(self, patient_id: int, wanted: bool, *, passed: date) -> None:
        """Opt in or out; opting in, no week up to `passed` (a Monday) is summarised."""
        ...

    async def set_link(self, link_id: int, wanted: bool, *, passed: date) -> None: ...
    async def recipients(self) -> list[SummaryRecipient]:
        """Patients who opted in, and caregivers who did on an active link."""
        ...

    async def claim_week(self, recipient: SummaryRecipient, monday: date) -> bool:
        """Mark this week summarised for the recipient: True once per week."""
        ...

    async def still_wanted(self, patient_id: int, link_id: int | None) -> str | None:
        """The patient's name while the recipient still wants the summary; else None."""
        ...


class ReportRepository(Protocol):
    """What /report shows of a patient's period [start, end)."""

    async def doses_between(
        self, patient_id: int, start: datetime, end: datetime
    ) -> list[DoseRecord]: ...
    async def symptoms_between(
        self, patient_id: int, start: datetime, end: datetime
    ) -> list[SymptomEntry]: ...
    async def events_between(
        self, patient_id: int, start: datetime, end: datetime
    ) -> list[EventRecord]: ...


class UnitOfWork(Protocol):
    """One transaction: rolled back on exit unless `commit()` was called."""

    patients: PatientRepository
    medications: MedicationRepository
    doses: DoseRepository
    intakes: IntakeRepository
    symptoms: SymptomRepository
    events: SafetyEventRepository
    tapers: TaperRepository
    invites: InviteRepository
    links: CaregiverLinkRepository
    alerts: AlertRepository
    outbox: OutboxRepository
    data: PatientDataRepository
    summaries: SummaryRepository
    reports: ReportRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    def owed_at(self) -> datetime | None:
        """When the first message or alert this transaction queued falls due (None: none):
        the dispatcher's alarm is armed for it after the commit."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
