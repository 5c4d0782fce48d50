"""SQLModel tables, their mapping to domain values, and the naming convention Alembic relies on."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Time,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from bot.domain.model import Dose, DoseStatus, Medication, MedicationStatus, Patient

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
    created_at: datetime = Field(sa_column=_utc())

    def to_domain(self) -> Patient:
        assert self.id is not None
        return Patient(self.id, self.chat_id, self.timezone, self.language)


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

    def to_domain(self, times: tuple[time, ...]) -> Medication:
        assert self.id is not None
        return Medication(
            self.id, self.patient_id, self.name, self.dose, MedicationStatus(self.status), times
        )


class ScheduleRow(SQLModel, table=True):
    """One time of day, in the patient's zone, at which a medication is due."""

    __tablename__ = "schedule"
    __table_args__ = (UniqueConstraint("medication_id", "time_of_day"),)

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True))
    medication_id: int = Field(sa_column=_owner("medication"))
    time_of_day: time = Field(sa_column=Column(Time(), nullable=False))


class DoseRow(SQLModel, table=True):
    """One due dose: it exists before anyone is reminded of it."""

    __tablename__ = "dose"
    __table_args__ = (
        UniqueConstraint("medication_id", "scheduled_at"),
        Index("ix_dose_status_due_at", "status", "due_at"),
        Index("ix_dose_patient_id_scheduled_at", "patient_id", "scheduled_at"),
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
    nagged: bool = Field(default=False)
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    answered_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))

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
            nagged=self.nagged,
            message_id=self.message_id,
            answered_at=self.answered_at,
        )


metadata = SQLModel.metadata
