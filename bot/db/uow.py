"""Unit of work: one session, one transaction per use case, rolled back unless committed."""

from __future__ import annotations

import asyncio
from datetime import datetime
from types import TracebackType
from typing import Self

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.caregiver_repositories import SqlAlerts, SqlCaregiverLinks, SqlInvites
from bot.db.data_repository import SqlPatientData, SqlSummaries
from bot.db.outbox_repository import SqlOutbox
from bot.db.report_repository import SqlReports
from bot.db.repositories import SqlDoses, SqlMedications, SqlPatients
from bot.db.safety_repositories import SqlIntakes, SqlSafetyEvents, SqlSymptoms, SqlTapers
from bot.services.ports import (
    AlertRepository,
    CaregiverLinkRepository,
    DoseRepository,
    IntakeRepository,
    InviteRepository,
    MedicationRepository,
    OutboxRepository,
    PatientDataRepository,
    PatientRepository,
    ReportRepository,
    SafetyEventRepository,
    StorageUnavailable,
    SummaryRepository,
    SymptomRepository,
    TaperRepository,
)


class SqlUnitOfWork:
    # Typed as the ports (bot.services.ports.UnitOfWork): the protocol's attributes are
    # mutable, so mypy accepts only these exact types, and each Sql* class is checked here.
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
    reports: ReportRepository
    data: PatientDataRepository
    summaries: SummaryRepository

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], gate: asyncio.Semaphore | None = None
    ) -> None:
        self._sessions = sessions
        self._gate = gate  # shared by the updates' units of work: see bot/app.py

    async def __aenter__(self) -> Self:
        if self._gate is not None:
            await self._gate.acquire()
        self._session = self._sessions()
        self.patients = SqlPatients(self._session)
        self.medications = SqlMedications(self._session)
        self.doses = SqlDoses(self._session)
        self.intakes = SqlIntakes(self._session)
        self.symptoms = SqlSymptoms(self._session)
        self.events = SqlSafetyEvents(self._session)
        self.tapers = SqlTapers(self._session)
        self.invites = SqlInvites(self._session)
        self.links = SqlCaregiverLinks(self._session)
        self.alerts = self._alerts = SqlAlerts(self._session)
        self.outbox = self._outbox = SqlOutbox(self._session)
        self.reports = SqlReports(self._session)
        self.data = SqlPatientData(self._session)
        self.summaries = SqlSummaries(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self._session.rollback()
            await self._session.close()
        except _CONNECTION_LOST:
            pass  # the connection is gone: there is nothing left to roll back
        finally:
            if self._gate is not None:
                self._gate.release()
        if isinstance(exc, _CONNECTION_LOST) and not isinstance(exc, StorageUnavailable):
            # Not a bug: the database is away for a moment. Callers see one known error.
            raise StorageUnavailable(type(exc).__name__) from exc

    def owed_at(self) -> datetime | None:
        """When the first message or alert this transaction queued falls due (None: none)."""
        dues = [due for due in (self._outbox.earliest_added, self._alerts.earliest_added) if due]
        return min(dues, default=None)

    async def commit(self) -> None:
        try:
            await self._session.commit()
        except _CONNECTION_LOST as error:
            raise StorageUnavailable(type(error).__name__) from error


# The database could not be reached, the connection broke, or no pooled connection came free
# in time: the operation can be retried.
_CONNECTION_LOST = (OperationalError, InterfaceError, OSError, TimeoutError, PoolTimeout)
