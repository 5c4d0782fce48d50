"""The heartbeat of a dispatcher's claims, the same for doses, outbox rows and alerts.

A row being sent is `sending` with its claimer and `claimed_at`. A live dispatcher moves
`claimed_at` forward every few seconds; a claim whose `claimed_at` stops moving belongs to a
dispatcher that died, and another one takes it over once it is older than the stale window.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeAlias

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.db.tables import AlertRow, DoseRow, OutboxRow

ClaimedRow: TypeAlias = type[DoseRow] | type[OutboxRow] | type[AlertRow]

SENDING = "sending"


async def refresh_claims(
    session: AsyncSession, table: ClaimedRow, *, claimer: str, at: datetime
) -> int:
    """Set `claimed_at` to `at` on this claimer's rows still `sending`; how many."""
    mine = select(col(table.id)).where(
        col(table.status) == SENDING, col(table.claimed_by) == claimer
    )
    if session.get_bind().dialect.name == "postgresql":
        # A row being finished right now is skipped, not waited for: the heartbeat never
        # holds up a send, nor deadlocks with a batch of them.
        mine = mine.with_for_update(skip_locked=True)
    result = await session.execute(
        update(table)
        .where(col(table.id).in_(mine.scalar_subquery()))
        .values(claimed_at=at)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def oldest_claim_at(session: AsyncSession, table: ClaimedRow) -> datetime | None:
    """The `claimed_at` of the longest-held `sending` row: the first that may go stale."""
    return await session.scalar(
        select(func.min(col(table.claimed_at))).where(col(table.status) == SENDING)
    )
