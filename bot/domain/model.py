"""Domain values: patients, medications, doses and their states, as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
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


class DoseAnswer(StrEnum):
    TAKEN = "t"
    SNOOZE = "z"
    SKIP = "s"


@dataclass(frozen=True, slots=True)
class ReminderPrefs:
    """What the patient chose in /settings; None everywhere: the operator's defaults."""

    repeats: int | None = None  # how often an unanswered reminder is repeated (0 to 3)
    repeat_every: timedelta | None = None  # 10 to 60 minutes
    heads_up: timedelta | None = None  # a note this long before each dose; None: none


@dataclass(frozen=True, slots=True)
class Patient:
    id: int
    chat_id: int
    timezone: str | None
    language: str
    name: str = ""
    # While travelling with "keep home time": the zone the schedule's clock times are in.
    schedule_zone: str | None = None
    prefs: ReminderPrefs = ReminderPrefs()
    # Chosen with /language; otherwise `language` follows the person's Telegram client.
    language_chosen: bool = False

    def clock_zone(self, default_zone: str) -> str:
        """The zone whose clock the reminders follow."""
        return self.schedule_zone or self.timezone or default_zone


class MedicationStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"
    DELETED = "deleted"  # hidden from the patient; its history stays for reports


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a medication is due, in the patient's clock: every form /add and /edit accept.

    Daily at `times` unless narrowed: every `every_days` days counted from `starts_on`, only on
    `weekdays` (0 = Monday), only from `starts_on` to `ends_on` (inclusive, a course). An
    as-needed medication has no times and is never reminded; its limits guard /log.
    """

    times: tuple[time, ...] = ()
    # The amount at each of `times`, when they differ ("10 mg at 08:00, 5 mg at 20:00");
    # empty: the medication's dose at every time.
    amounts: tuple[str, ...] = ()
    every_days: int = 1
    weekdays: frozenset[int] = frozenset()
    starts_on: date | None = None
    ends_on: date | None = None
    as_needed: bool = False
    max_per_day: int | None = None
    min_gap: timedelta | None = None

    def amount_at(self, at: time) -> str | None:
        """The amount for one time of day when the schedule sets one, else None."""
        if not self.amounts:
            return None
        return self.amounts[self.times.index(at)] if at in self.times else None


@dataclass(frozen=True, slots=True)
class Medication:
    id: int
    patient_id: int
    name: str
    dose: str
    status: MedicationStatus
    schedule: Schedule
    stock: float | None = None  # units on hand (tablets, ml...), when the patient counts them

    @property
    def times(self) -> tuple[time, ...]:
        return self.schedule.times


@dataclass(frozen=True, slots=True)
class Dose:
    id: int
    medication_id: int
    patient_id: int
    scheduled_at: datetime
    due_at: datetime
    status: DoseStatus
    reminded_at: datetime | None = None
    repeats: int = 0  # repeats of an unanswered reminder sent so far
    next_repeat_at: datetime | None = None  # None: no repeat (left) to send
    miss_at: datetime | None = None  # unanswered by then: missed
    message_id: int | None = None
    answered_at: datetime | None = None
    amount: str | None = None  # the amount for this dose; None (older rows): the medication's
    heads_up_at: datetime | None = None  # a note before the dose is owed then; None: none


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
    home_zone: str | None = None  # travelling on home time: the time shown is this zone's
    language: str | None = None  # the patient's, known at the claim: no look-up per send
    due_at: datetime | None = None  # when it fell due (after a snooze): lateness counts from it


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
    RAN_OUT = "ran_out"  # the counted stock of a withdrawal-risk drug is used up


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
    HEADS_UP = "heads_up"  # a dose is coming up (the patient asked for a heads-up)
    REFILL = "refill"  # the stock runs out soon
    RAN_OUT = "ran_out"  # the stock is used up
    AS_NEEDED_LIMIT = "as_needed_limit"  # an as-needed dose over the daily maximum or too soon


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
    on: date | None = None  # when the taper step starts; the run-out day
    who: str = ""  # a caregiver's name
    at: time | None = None  # the dose's time, in the patient's clock (a heads-up)
    stock: float | None = None  # units left
    max_per_day: int = 0  # an as-needed medication's limits
    min_gap_minutes: int = 0
    since_last_minutes: int = 0
    rule: str = ""  # which overuse rule fired (bot.domain.rules.OveruseRule)
