"""Domain values: patients, medications, doses and their states, as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
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
    name: str = ""


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
    amount: str | None = None  # set by a taper plan; otherwise the medication's dose


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


class SafetyEventKind(StrEnum):
    """What caregivers may be alerted about; every one is a row before it is a message."""

    MISSED_DOSE = "missed_dose"
    REPEATED_SKIP = "repeated_skip"
    WITHDRAWAL_RISK = "withdrawal_risk"
    OVERUSE = "overuse"
    RED_FLAG = "red_flag"
    STOPPED = "stopped"
    PAUSED = "paused"


@dataclass(frozen=True, slots=True)
class SafetyEvent:
    kind: SafetyEventKind
    patient_id: int
    occurred_at: datetime
    medication_id: int | None = None
    # A short, human-readable detail for the alert ("2 in a row", "seizure"); never free text.
    detail: str = ""
    id: int | None = None
    dose_at: datetime | None = None  # when the dose it is about was due


class NoticeKind(StrEnum):
    SKIP_WARNING = "skip_warning"
    WITHDRAWAL_RISK = "withdrawal_risk"
    OVERUSE = "overuse"
    TAPER_STEP = "taper_step"
    TAPER_END = "taper_end"
    CAREGIVER_UNREACHABLE = "caregiver_unreachable"


@dataclass(frozen=True, slots=True)
class SafetyNotice:
    """A safety message for the patient; the Telegram adapter words it."""

    kind: NoticeKind
    medication: str | None = None
    medication_id: int | None = None
    withdrawal_risk: bool = False
    symptoms: tuple[str, ...] = ()  # withdrawal symptoms to watch
    danger_signs: tuple[str, ...] = ()  # when to call emergency services
    streak: int = 0  # missed or skipped in a row
    taken_today: int = 0
    prescribed_per_day: int = 0
    amount: str = ""  # a taper step's dose
    step: int = 0  # 1-based taper step
    steps: int = 0
    on: date | None = None  # when the taper step starts
    who: str = ""  # a caregiver's name
