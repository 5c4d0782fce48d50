"""The test's own SQLite database: the real unit of work, plus SQL to set the scene and read rows.

The use cases get `uow_factory` (bot.db.uow.SqlUnitOfWork on the async engine, exactly as the
bot runs). The helpers below talk to the same file through a synchronous engine, so a test can
seed a row or read one back between two use cases without awaiting; every helper is its own
committed transaction, as if an earlier use case had written the row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session

from bot.db.engine import create_engine, session_factory
from bot.db.tables import (
    DoseRow,
    IntakeRow,
    MedicationRow,
    PatientRow,
    SafetyEventRow,
    ScheduleRow,
    SymptomRow,
    TaperRow,
)
from bot.db.uow import SqlUnitOfWork
from bot.domain.model import (
    Dose,
    DoseStatus,
    Medication,
    MedicationStatus,
    Patient,
    SafetyEvent,
    SafetyEventKind,
)

# Rows seeded by a test were "created" at this instant; no rule reads it.
SEEDED_AT = datetime(2026, 3, 1, tzinfo=UTC)


def freeze_template(path: Path) -> None:
    """Fold the WAL into the main file, so copying that one file copies the whole database."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _tune_helper(connection: Any, _record: object) -> None:
    # As the bot's engine does: a seeded row that points nowhere fails here, not later.
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    _no_fsync(connection, _record)


def _no_fsync(connection: Any, _record: object) -> None:
    # A test's database need not survive a power cut: commits skip the fsync (not the locks,
    # nor the transactions), which keeps a run of a hundred tests within seconds.
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


class SqlStore:
    """One test's database: the unit of work the use cases run on, and SQL to seed and inspect."""

    def __init__(self, path: Path) -> None:
        self.engine: AsyncEngine = create_engine(f"sqlite+aiosqlite:///{path}")
        self._sessions = session_factory(self.engine)
        self._sync = sqlalchemy.create_engine(f"sqlite:///{path}")
        event.listen(self._sync, "connect", _tune_helper)
        event.listen(self.engine.sync_engine, "connect", _no_fsync)
        # Transactions the use cases committed (the helpers' own are not counted).
        self.commits = 0
        event.listen(self.engine.sync_engine, "commit", self._count_commit)

    def _count_commit(self, _connection: object) -> None:
        self.commits += 1

    def uow_factory(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._sessions)

    async def close(self) -> None:
        await self.engine.dispose()
        self._sync.dispose()

    def _session(self) -> Session:
        return Session(self._sync, expire_on_commit=False)

    def _medication(self, session: Session, row: MedicationRow) -> Medication:
        times = session.scalars(
            select(ScheduleRow.time_of_day).where(ScheduleRow.medication_id == row.id)
        )
        return row.to_domain(tuple(sorted(times)))

    # Setting the scene: committed rows, as if an earlier use case had written them.

    def add_patient(
        self, *, chat_id: int, timezone: str | None = None, language: str = "en"
    ) -> Patient:
        with self._session() as session, session.begin():
            row = PatientRow(
                chat_id=chat_id, timezone=timezone, language=language, created_at=SEEDED_AT
            )
            session.add(row)
        return row.to_domain()

    def add_medication(
        self,
        patient: Patient,
        *,
        name: str = "Baclofen",
        dose: str = "5 mg",
        times: Iterable[time] = (time(8, 0),),
        status: MedicationStatus = MedicationStatus.ACTIVE,
    ) -> Medication:
        with self._session() as session, session.begin():
            row = MedicationRow(
                patient_id=patient.id,
                name=name,
                name_key=name.casefold(),
                dose=dose,
                status=status.value,
                created_at=SEEDED_AT,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            session.add_all(ScheduleRow(medication_id=row.id, time_of_day=at) for at in times)
            session.flush()
            return self._medication(session, row)

    def add_dose(
        self,
        medication: Medication,
        scheduled_at: datetime,
        *,
        status: DoseStatus = DoseStatus.PENDING,
        **fields: object,
    ) -> Dose:
        """A dose row; `fields` sets any other Dose field (due_at defaults to scheduled_at)."""
        values: dict[str, Any] = {"due_at": scheduled_at, **fields}
        with self._session() as session, session.begin():
            row = DoseRow(
                medication_id=medication.id,
                patient_id=medication.patient_id,
                scheduled_at=scheduled_at,
                status=status.value,
                **values,
            )
            session.add(row)
        return self.dose(row.id or 0)

    # Reading what was committed.

    def patient(self, chat_id: int) -> Patient | None:
        with self._session() as session:
            row = session.scalar(select(PatientRow).where(PatientRow.chat_id == chat_id))
            return row.to_domain() if row else None

    def medications(self, patient_id: int | None = None) -> list[Medication]:
        """Medications in the order they were added."""
        query = select(MedicationRow).order_by(MedicationRow.id)
        if patient_id is not None:
            query = query.where(MedicationRow.patient_id == patient_id)
        with self._session() as session:
            return [self._medication(session, row) for row in session.scalars(query)]

    def dose(self, dose_id: int) -> Dose:
        with self._session() as session:
            row = session.get(DoseRow, dose_id)
            if row is None:
                raise KeyError(dose_id)
            return row.to_domain()

    def doses(
        self, *, medication_id: int | None = None, status: DoseStatus | None = None
    ) -> list[Dose]:
        """Committed doses, ordered by due time."""
        query = select(DoseRow).order_by(DoseRow.due_at, DoseRow.id)
        if medication_id is not None:
            query = query.where(DoseRow.medication_id == medication_id)
        if status is not None:
            query = query.where(DoseRow.status == status.value)
        with self._session() as session:
            return [row.to_domain() for row in session.scalars(query)]

    def due_times(self, *, status: DoseStatus | None = None) -> list[datetime]:
        return [dose.due_at for dose in self.doses(status=status)]

    def claim(self, dose_id: int) -> tuple[str | None, datetime | None]:
        with self._session() as session:
            row = session.get(DoseRow, dose_id)
            if row is None:
                raise KeyError(dose_id)
            return row.claimed_by, row.claimed_at

    def events(self, kind: SafetyEventKind | None = None) -> list[SafetyEvent]:
        query = select(SafetyEventRow).order_by(SafetyEventRow.occurred_at, SafetyEventRow.id)
        if kind is not None:
            query = query.where(SafetyEventRow.kind == kind.value)
        with self._session() as session:
            return [
                SafetyEvent(
                    kind=SafetyEventKind(row.kind),
                    patient_id=row.patient_id,
                    occurred_at=row.occurred_at,
                    medication_id=row.medication_id,
                    detail=row.detail,
                    id=row.id,
                    dose_at=row.dose_at,
                )
                for row in session.scalars(query)
            ]

    def intakes(self, medication_id: int | None = None) -> list[IntakeRow]:
        query = select(IntakeRow).order_by(IntakeRow.taken_at, IntakeRow.id)
        if medication_id is not None:
            query = query.where(IntakeRow.medication_id == medication_id)
        with self._session() as session:
            return list(session.scalars(query))

    def symptoms(self) -> list[SymptomRow]:
        with self._session() as session:
            return list(
                session.scalars(select(SymptomRow).order_by(SymptomRow.noted_at, SymptomRow.id))
            )

    def taper(self, medication_id: int) -> TaperRow | None:
        with self._session() as session:
            return session.scalar(select(TaperRow).where(TaperRow.medication_id == medication_id))
