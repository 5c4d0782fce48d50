"""Domain values: patients, medications, doses and their states, as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum


class DoseStatus(StrEnum):
    PENDING = "pending"  # materialised, not yet reminded
    SENDING = "sending"  # claimed by a dispatcher, send in flight
    SENT = "sent"  # reminder delivered, waiting for an answer
    SNOOZED = "snoozed"  # the patient asked to be reminded again later
    TAKEN = "taken"
    SKIPPED = "skipped"
    MISSED = "missed"
    UNDELIVERABLE = "undeliverable"  # Telegram refused the chat (blocked, deleted)

    @property
    def is_answered(self) -> bool:
        return self in (DoseStatus.TAKEN, DoseStatus.SKIPPED)


class MedicationStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"


class DoseAnswer(StrEnum):
    TAKEN = "t"
    SNOOZE = "z"
    SKIP = "s"


@dataclass(frozen=True, slots=True)
class Patient:
    id: int
    chat_id: int
    timezone: str | None
    language: str


@dataclass(frozen=True, slots=True)
class Medication:
    id: int
    patient_id: int
    name: str
    dose: str
    status: MedicationStatus
    times: tuple[time, ...]


@dataclass(frozen=True, slots=True)
class Dose:
    id: int
    medication_id: int
    patient_id: int
    scheduled_at: datetime
    due_at: datetime
    status: DoseStatus
    reminded_at: datetime | None = None
    nagged: bool = False
    message_id: int | None = None
    answered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Reminder:
    """Everything the messenger needs to show one reminder; ids only, no lookups."""

    dose_id: int
    chat_id: int
    medication: str
    dose: str
    scheduled_local: datetime
    late: bool = False
    repeat: bool = False


@dataclass(frozen=True, slots=True)
class DoseOfDay:
    """A dose on the patient's day, for /meds."""

    medication: str
    scheduled_local: datetime
    status: DoseStatus


@dataclass(frozen=True, slots=True)
class DoseContext:
    """A dose with its medication and patient: what a reminder or an answer needs."""

    dose: Dose
    medication: Medication
    patient: Patient
