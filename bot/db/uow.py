"""Unit of work: one session, one transaction per use case, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.caregiver_repositories import SqlAlerts, SqlCaregiverLinks, SqlInvites
from bot.db.repositories import SqlDoses, SqlMedications, SqlPatients
from bot.db.safety_repositories import SqlIntakes, SqlSafetyEvents, SqlSymptoms, SqlTapers


class SqlUnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __aenter__(self) -> Self:
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
        self.alerts = SqlAlerts(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._session.rollback()
        await self._session.close()

    async def commit(self) -> None:
        await self._session.commit()
