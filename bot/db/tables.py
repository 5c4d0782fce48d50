"""SQLModel tables, their mapping to domain values, and the naming convention Alembic relies on."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from bot.domain.model import (
    Dose,
    DoseStatus,
    Medication,
    MedicationStatus,
    Patient,
    ReminderPrefs,
    Schedule,
)

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC in, aware UTC out, on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL ids are 64-bit.
Id = BigInteger().with_variant(Integer(), "sqlite")


def _utc(nullable: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable)


def _owner(table: str) -> Column[int]:
    return Column(Id, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)


class PatientRow(SQLModel, table=True):
    __tablename__ = "patient"

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, unique=True))
    timezone: str | None = Field(default=None, max_length=64)
    language: str = Field(default="en", max_length=16)
    # /language was used: `language` stays; otherwise it follows the Telegram client.
    language_chosen: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    # The Telegram first name, so caregivers' alerts can say whom they are about.
    name: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    created_at: datetime = Field(sa_column=_utc())
    # Travelling with "keep home time": the zone the schedule stays in.
    schedule_zone: str | None = Field(default=None, max_length=64)
    # /settings; null: the operator's default.
    repeat_count: int | None = Field(default=None)
    repeat_every_minutes: int | None = Field(default=None)
    heads_up_minutes: int | None = Field(default=None)
    # The weekly summary opt-in, and the Monday of the week last summarised (sent once a week).
    weekly_summary: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    summarised_week: date | None = Field(default=None, sa_column=Column(Date(), nullable=True))

    def to_domain(self) -> Patient:
        assert self.id is not None
        prefs = ReminderPrefs(
            repeats=self.repeat_count,
            repeat_every=_minutes(self.repeat_every_minutes),
            heads_up=_minutes(self.heads_up_minutes),
        )
        return Patient(
            self.id,
            self.chat_id,
            self.timezone,
            self.language,
            self.name,
            schedule_zone=self.schedule_zone,
            prefs=prefs,
            language_chosen=self.language_chosen,
        )


def _minutes(value: int | None) -> timedelta | None:
    return timedelta(minutes=value) if value else None


class MedicationRow(SQLModel, table=True):
    __tablename__ = "medication"
    __table_args__ = (UniqueConstraint("patient_id", "name_key"),)

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True))
    patient_id: int = Field(sa_column=_owner("patient"))
    name: str = Field(max_length=60)
    # Case-folded name: one "Baclofen" per patient, found as "baclofen" too.
    name_key: str = Field(max_length=60)
    dose: str = Field(max_length=32)
    status: str = Field(default=MedicationStatus.ACTIVE.value, max_length=16)
    created_at: datetime = Field(sa_column=_utc())
    # The schedule beyond its times of day (bot.domain.model.Schedule).
    every_days: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    weekdays: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    starts_on: date | None = Field(default=None, sa_column=Column(Date(), nullable=True))
    ends_on: date | None = Field(default=None, sa_column=Column(Date(), nullable=True))
    as_needed: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    max_per_day: int | None = Field(default=None)
    min_gap_minutes: int | None = Field(default=None)
    # Units on hand (tablets, ml) when the patient counts them; null: not counted.
    stock: float | None = Field(default=None)
    # The run-out day a refill reminder was owed for, and whether running out was told:
    # each said once per count (/stock and /refill clear them).
    refill_noticed_for: date | None = Field(default=None, sa_column=Column(Date(), nullable=True))
    ran_out_noticed: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})

    def to_domain(self, times: tuple[time, ...], amounts: tuple[str, ...] = ()) -> Medication:
        assert self.id is not None
        schedule = Schedule(
            times=times,
            amounts=amounts,
            every_days=self.every_days,
            weekdays=frozenset(int(day) for day in self.weekdays.split(",") if day),
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            as_needed=self.as_needed,
            max_per_day=self.max_per_day,
            min_gap=_minutes(self.min_gap_minutes),
        )
        return Medication(
            self.id,
            self.patient_id,
            self.name,
            self.dose,
            MedicationStatus(self.status),
            schedule,
            stock=self.stock,
        )

    @staticmethod
    def schedule_values(schedule: Schedule) -> dict[str, object]:
        """The columns a schedule is stored in (its times and amounts are ScheduleRows)."""
        gap = schedule.min_gap
        return {
            "every_days": schedule.every_days,
            "weekdays": ",".join(str(day) for day in sorted(schedule.weekdays)),
            "starts_on": schedule.starts_on,
            "ends_on": schedule.ends_on,
            "as_needed": schedule.as_needed,
            "max_per_day": schedule.max_per_day,
            "min_gap_minutes": int(gap.total_seconds() // 60) if gap else None,
        }


class ScheduleRow(SQLModel, table=True):
    """One time of day, in the patient's zone, at which a medication is due."""

    __tablename__ = "schedule"
    __table_args__ = (UniqueConstraint("medication_id", "time_of_day"),)

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True))
    medication_id: int = Field(sa_column=_owner("medication"))
    time_of_day: time = Field(sa_column=Column(Time(), nullable=False))
    # The amount at this time when the schedule sets one ("5 mg at 20:00"); else null.
    amount: str | None = Field(default=None, max_length=32)


class DoseRow(SQLModel, table=True):
    """One due dose: it exists before anyone is reminded of it."""

    __tablename__ = "dose"
    __table_args__ = (
        UniqueConstraint("medication_id", "scheduled_at"),
        Index("ix_dose_status_due_at", "status", "due_at"),
        Index("ix_dose_patient_id_scheduled_at", "patient_id", "scheduled_at"),
        Index("ix_dose_status_next_repeat_at", "status", "next_repeat_at"),
        Index("ix_dose_status_miss_at", "status", "miss_at"),
        Index("ix_dose_status_heads_up_at", "status", "heads_up_at"),
    )

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True))
    medication_id: int = Field(sa_column=_owner("medication"))
    patient_id: int = Field(sa_column=_owner("patient"))
    scheduled_at: datetime = Field(sa_column=_utc())
    due_at: datetime = Field(sa_column=_utc())
    status: str = Field(default=DoseStatus.PENDING.value, max_length=16)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    reminded_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    repeats: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    next_repeat_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    miss_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    heads_up_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    answered_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    # The dose for this instant when a taper plan sets it; otherwise the medication's.
    amount: str | None = Field(default=None, max_length=32)

    def to_domain(self) -> Dose:
        assert self.id is not None
        return Dose(
            id=self.id,
            medication_id=self.medication_id,
            patient_id=self.patient_id,
            scheduled_at=self.scheduled_at,
            due_at=self.due_at,
            status=DoseStatus(self.status),
            reminded_at=self.reminded_at,
            repeats=self.repeats,
            next_repeat_at=self.next_repeat_at,
            miss_at=self.miss_at,
            message_id=self.message_id,
            answered_at=self.answered_at,
            amount=self.amount,
            heads_up_at=self.heads_up_at,
        )


class IntakeRow(SQLModel, table=True):
    """A dose taken: by the Taken button or by /log."""

    __tablename__ = "intake"
    __table_args__ = (Index("ix_intake_medication_id_taken_at", "medication_id", "taken_at"),)

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True))
    patient_id: int = Field(sa_column=_owner("patient"))
    medication_id: int = Field(sa_column=_owner("medication"))
    dose_id: int | None = Field(
        default=None, sa_column=Column(Id, ForeignKey("dose.id", ondelete="SET NULL"))
    )
    taken_at: datetime = Field(sa_column=_utc())
    amount: str | None = Field(default=None, max_length=32)
    source: str = Field(max_length=16)


class SymptomRow(SQLModel, table=True):
    __tablename__ = "symptom"

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True))
    patient_id: int = Field(sa_column=_owner("patient"))
    text: str = Field(max_length=200)
    severity: str | None = Field(default=None, max_length=16)
    red_flag: bool = Field(default=False)
    noted_at: datetime = Field(sa_column=_utc())


class SafetyEventRow(SQLModel, table=True):
    """The outbox of safety events: caregiver alerts derive from these rows."""

    __tablename__ = "safety_event"
    __table_args__ = (Index("ix_safety_event_patient_id_occurred_at", "patient_id", "occurred_at"),)

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True))
    patient_id: int = Field(sa_column=_owner("patient"))
    medication_id: int | None = Field(
        default=None, sa_column=Column(Id, ForeignKey("medication.id", ondelete="CASCADE"))
    )
    kind: str = Field(max_length=32)
    detail: str = Field(default="", max_length=200)
    occurred_at: datetime = Field(sa_column=_utc())
    dose_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))


class TaperRow(SQLModel, table=True):
    """A prescriber's taper plan for one medication."""

    __tablename__ = "taper"

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True))
    medication_id: int = Field(
        sa_column=Column(
            Id, ForeignKey("medication.id", ondelete="CASCADE"), nullable=False, unique=True
        )
    )
    start_on: date = Field(sa_column=Column(Date(), nullable=False))
    # The steps as the patient can read them back: "10 mg x7d, 5 mg x7d".
    steps: str = Field(max_length=1000)
    announced_step: int = Field(default=0)  # the last step whose change was announced
    end_asked_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    created_at: datetime = Field(sa_column=_utc())


class InviteRow(SQLModel, table=True):
    """A one-time caregiver invite; only the code's hash is kept."""

    __tablename__ = "caregiver_invite"

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True))
    patient_id: int = Field(sa_column=_owner("patient"))
    code_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    created_at: datetime = Field(sa_column=_utc())
    expires_at: datetime = Field(sa_column=_utc())
    used_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))


class InviteAttemptRow(SQLModel, table=True):
    """A wrong invite code, for throttling guesses per chat."""

    __tablename__ = "invite_attempt"
    __table_args__ = (Index("ix_invite_attempt_chat_id_attempted_at", "chat_id", "attempted_at"),)

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    attempted_at: datetime = Field(sa_column=_utc())


class CaregiverLinkRow(SQLModel, table=True):
    __tablename__ = "caregiver_link"
    __table_args__ = (UniqueConstraint("patient_id", "caregiver_chat_id"),)

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True))
    patient_id: int = Field(sa_column=_owner("patient"))
    caregiver_chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    caregiver_name: str = Field(max_length=64)
    status: str = Field(max_length=16)
    kinds: str = Field(max_length=200)  # comma-separated SafetyEventKinds
    created_at: datetime = Field(sa_column=_utc())
    decided_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    unreachable_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    # The caregiver's choice: a missed dose alerts them this long after it was missed.
    missed_alert_delay_minutes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # The caregiver's weekly summary of this patient, and the Monday of the week last sent.
    weekly_summary: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    summarised_week: date | None = Field(default=None, sa_column=Column(Date(), nullable=True))


class AlertRow(SQLModel, table=True):
    """One safety event for one caregiver: stored before it is sent, retried until sent."""

    __tablename__ = "alert"
    __table_args__ = (
        UniqueConstraint("link_id", "event_id"),
        Index("ix_alert_status_due_at", "status", "due_at"),
    )

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True))
    link_id: int = Field(sa_column=_owner("caregiver_link"))
    event_id: int = Field(sa_column=_owner("safety_event"))
    kind: str = Field(max_length=32)
    status: str = Field(max_length=16)
    due_at: datetime = Field(sa_column=_utc())
    attempts: int = Field(default=0)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    sent_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))


class OutboxRow(SQLModel, table=True):
    """A message the bot owes (not a reminder, not a caregiver alert: those have their rows):
    written with the change that causes it, sent by the dispatcher, retried until sent."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_priority_due_at", "status", "priority", "due_at"),)

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    # Whose data it is about: deleted with the patient (a caregiver's copy too).
    patient_id: int | None = Field(
        default=None, sa_column=Column(Id, ForeignKey("patient.id", ondelete="CASCADE"))
    )
    dose_id: int | None = Field(
        default=None, sa_column=Column(Id, ForeignKey("dose.id", ondelete="CASCADE"))
    )
    kind: str = Field(max_length=16)
    priority: int = Field(sa_column=Column(Integer, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))  # JSON
    status: str = Field(max_length=16)  # pending, sending, sent, dropped
    due_at: datetime = Field(sa_column=_utc())
    attempts: int = Field(default=0)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    sent_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


metadata = SQLModel.metadata
