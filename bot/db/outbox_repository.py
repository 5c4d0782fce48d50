"""Queries for the outbox: owed messages written with their cause, claimed by one dispatcher
at a time, in priority order. They never commit (the unit of work does)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.db import claims
from bot.db.tables import OutboxRow
from bot.domain.outbox import Owed, OwedKind, OwedMessage, Priority

_PENDING, _SENDING, _SENT, _DROPPED = "pending", "sending", "sent", "dropped"


class SqlOutbox:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.earliest_added: datetime | None = None  # the first due of what this one added

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    async def add(self, owed: Owed, *, due_at: datetime) -> None:
        self.earliest_added = min(due_at, self.earliest_added or due_at)
        self._session.add(
            OutboxRow(
                chat_id=owed.chat_id,
                patient_id=owed.patient_id,
                dose_id=owed.dose_id,
                kind=owed.kind.value,
                priority=int(owed.priority),
                body=json.dumps(owed.body, sort_keys=True),
                status=_PENDING,
                due_at=due_at,
            )
        )
        await self._session.flush()

    async def claim_due(
        self, *, now: datetime, stale_before: datetime, claimer: str, limit: int
    ) -> list[OwedMessage]:
        due = and_(col(OutboxRow.status) == _PENDING, col(OutboxRow.due_at) <= now)
        stale = and_(col(OutboxRow.status) == _SENDING, col(OutboxRow.claimed_at) < stale_before)
        candidates = (
            select(col(OutboxRow.id))
            .where(or_(due, stale))
            .order_by(col(OutboxRow.priority), col(OutboxRow.due_at), col(OutboxRow.id))
            .limit(limit)
        )
        if self._dialect == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        claimed = list(
            await self._session.scalars(
                update(OutboxRow)
                .where(col(OutboxRow.id).in_(candidates.scalar_subquery()))
                .values(
                    status=_SENDING,
                    claimed_by=claimer,
                    claimed_at=now,
                    attempts=col(OutboxRow.attempts) + 1,
                )
                .returning(col(OutboxRow.id))
                .execution_options(synchronize_session=False)
            )
        )
        if not claimed:
            return []
        rows = await self._session.scalars(
            select(OutboxRow)
            .where(col(OutboxRow.id).in_(claimed))
            .order_by(col(OutboxRow.priority), col(OutboxRow.due_at), col(OutboxRow.id))
            .execution_options(populate_existing=True)
        )
        return [_message(row) for row in rows]

    async def mark_sent(
        self, row_id: int, *, claimer: str, message_id: int | None, at: datetime
    ) -> bool:
        return await self._finish(row_id, claimer, status=_SENT, sent_at=at, message_id=message_id)

    async def retry_at(self, row_id: int, *, claimer: str, due_at: datetime) -> bool:
        return await self._finish(row_id, claimer, status=_PENDING, due_at=due_at, claimed_by=None)

    async def drop(self, row_id: int, *, claimer: str) -> bool:
        return await self._finish(row_id, claimer, status=_DROPPED)

    async def release(self, claimer: str) -> int:
        """At shutdown: this process's claims not yet sent are owed again, at once."""
        result = await self._session.execute(
            update(OutboxRow)
            .where(col(OutboxRow.status) == _SENDING, col(OutboxRow.claimed_by) == claimer)
            .values(status=_PENDING, claimed_by=None, attempts=col(OutboxRow.attempts) - 1)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def refresh_claims(self, claimer: str, at: datetime) -> int:
        return await claims.refresh_claims(self._session, OutboxRow, claimer=claimer, at=at)

    async def oldest_claim_at(self) -> datetime | None:
        return await claims.oldest_claim_at(self._session, OutboxRow)

    async def next_due_at(self) -> datetime | None:
        return await self._session.scalar(
            select(func.min(col(OutboxRow.due_at))).where(col(OutboxRow.status) == _PENDING)
        )

    async def _finish(self, row_id: int, claimer: str, **values: object) -> bool:
        # Only the claimer records what became of its claim: a stale claim taken over by
        # another dispatcher is theirs now.
        result = await self._session.execute(
            update(OutboxRow)
            .where(
                col(OutboxRow.id) == row_id,
                col(OutboxRow.status) == _SENDING,
                col(OutboxRow.claimed_by) == claimer,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))


def _message(row: OutboxRow) -> OwedMessage:
    assert row.id is not None
    return OwedMessage(
        id=row.id,
        chat_id=row.chat_id,
        kind=OwedKind(row.kind),
        priority=Priority(row.priority),
        body=json.loads(row.body),
        attempts=row.attempts,
        dose_id=row.dose_id,
    )
