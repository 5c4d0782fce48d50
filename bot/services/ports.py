"""The ports the use cases need: storage (unit of work + repositories), messenger, clock, alarm."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta
from types import TracebackType
from typing import Protocol, Self

from bot.domain.model import (
    Dose,
    DoseContext,
    DoseStatus,
    Medication,
    MedicationStatus,
    Patient,
    Reminder,
    SafetyEvent,
    SafetyNotice,
)
from bot.domain.taper import TaperPlan


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class Alarm(Protocol):
    def arm(self, at: datetime) -> None:
        """Wake the dispatcher no later than `at` (a nearer dose may have appeared)."""
        ...


class DeliveryFailed(Exception):
    """Telegram did not take the message this time; it may later (network, flood limit)."""


class RecipientUnreachable(Exception):
    """Telegram will never deliver to this chat (blocked the bot, chat gone)."""


class Messenger(Protocol):
    async def send_reminder(self, reminder: Reminder) -> int:
        """Deliver a reminder with its answer buttons; return Telegram's message id."""
        ...

    async def show_dose_status(
        self, reminder: Reminder, message_id: int, status: DoseStatus
    ) -> None:
        """Edit a delivered reminder to show what became of the dose."""
        ...

    async def send_notice(self, chat_id: int, notice: SafetyNotice) -> None:
        """Deliver a safety message (withdrawal risk, taper step) outside a conversation."""
        ...


class PatientRepository(Protocol):
    async def by_chat(self, chat_id: int) -> Patient | None: ...
    async def add(self, *, chat_id: int, language: str, timezone: str | None) -> Patient: ...
    async def set_timezone(self, patient_id: int, timezone: str) -> None: ...


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

    async def next_due_at(self) -> datetime | None: ...
    async def context(self, dose_id: int) -> DoseContext | None: ...
    async def save(self, dose: Dose, *, was: DoseStatus) -> bool:
        """Write the dose's state if it still has status `was` (two presses, one answer)."""
        ...

    async def claim_nags(self, *, reminded_before: datetime, limit: int) -> list[DoseContext]:
        """Atomically mark unanswered, not yet nagged doses as nagged and return them."""
        ...

    async def unanswered_since(self, *, reminded_before: datetime) -> list[DoseContext]: ...
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


class UnitOfWork(Protocol):
    """One transaction: rolled back on exit unless `commit()` was called."""

    patients: PatientRepository
    medications: MedicationRepository
    doses: DoseRepository
    intakes: IntakeRepository
    symptoms: SymptomRepository
    events: SafetyEventRepository
    tapers: TaperRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
