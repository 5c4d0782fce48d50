"""The ports the use cases need: storage (unit of work + repositories), messenger, clock, alarm."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta
from types import TracebackType
from typing import Protocol, Self

from bot.domain.caregivers import CaregiverAlert, CaregiverLink, LinkStatus, PendingAlert
from bot.domain.model import (
    Dose,
    DoseContext,
    DoseStatus,
    Medication,
    MedicationStatus,
    Patient,
    Reminder,
    SafetyEvent,
    SafetyEventKind,
    SafetyNotice,
)
from bot.domain.outbox import LinkNote, Owed, OwedMessage
from bot.domain.taper import TaperPlan


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


class PatientRepository(Protocol):
    async def by_chat(self, chat_id: int) -> Patient | None: ...
    async def add(
        self, *, chat_id: int, language: str, timezone: str | None, name: str = ""
    ) -> Patient: ...
    async def set_timezone(self, patient_id: int, timezone: str) -> None: ...
    async def set_name(self, patient_id: int, name: str) -> None: ...


class MedicationRepository(Protocol):
    async def add(
        self, *, patient_id: int, name: str, dose: str, times: Sequence[time]
    ) -> Medication: ...
    async def of_patient(self, patient_id: int) -> list[Medication]: ...
    async def by_name(self, patient_id: int, name: str) -> Medication | None: ...
    async def by_id(self, patient_id: int, medication_id: int) -> Medication | None: ...
    async def set_dose(self, medication_id: int, dose: str) -> None: ...
    async def set_status(self, medication_id: int, status: MedicationStatus) -> None: ...
    async def active(self, patient_id: int | None = None) -> list[tuple[Medication, Patient]]: ...


class DoseRepository(Protocol):
    async def add_missing(
        self,
        medication: Medication,
        instants: Sequence[datetime],
        amounts: Sequence[str | None] | None = None,
    ) -> int:
        """Insert the doses that do not exist yet (with a taper's amounts); return how many."""
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
    ) -> bool:
        """Record this claimer's send, unless the dose moved on meanwhile (answered in flight)."""
        ...

    async def release(self, claimer: str) -> int:
        """This dispatcher's claims not sent yet are due again (a clean shutdown)."""
        ...

    async def next_due_at(self) -> datetime | None: ...
    async def context(self, dose_id: int) -> DoseContext | None: ...
    async def save(self, dose: Dose, *, was: DoseStatus) -> bool:
        """Write the dose's state if it still has status `was` (two presses, one answer)."""
        ...

    async def claim_nags(self, *, reminded_before: datetime, limit: int) -> list[DoseContext]:
        """Atomically mark unanswered, not yet nagged doses as nagged and return them."""
        ...

    async def unanswered_since(self, *, reminded_before: datetime) -> list[DoseContext]:
        """Sent (or undeliverable) doses still unanswered since before the instant."""
        ...

    async def of_patient_between(
        self, patient_id: int, start: datetime, end: datetime
    ) -> list[DoseContext]: ...

    async def settled_statuses(self, medication_id: int, *, limit: int) -> list[DoseStatus]:
        """Statuses of the latest taken, skipped or missed doses, oldest first."""
        ...

    async def open_near(
        self, medication_id: int, at: datetime, *, window: timedelta
    ) -> DoseContext | None:
        """The unanswered dose scheduled closest to `at`, within the window: what a /log settles."""
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
    async def last_before(self, medication_id: int, before: datetime) -> datetime | None: ...


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
    async def mark_unreachable(self, link_id: int, at: datetime) -> bool:
        """True the first time: the patient is told once."""
        ...


class AlertRepository(Protocol):
    async def add(
        self, *, link_id: int, event_id: int, kind: SafetyEventKind, due_at: datetime
    ) -> None: ...
    async def claim_due(
        self, *, now: datetime, stale_before: datetime, limit: int, urgent_only: bool = False
    ) -> list[PendingAlert]:
        """Atomically mark due alerts of active links `sending`; red flags first (or only)."""
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

    async def next_due_at(self) -> datetime | None: ...


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

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
