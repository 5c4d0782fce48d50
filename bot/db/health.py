"""What /healthz and /metrics read from the database: is it there, and how much is owed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from bot.db.tables import AlertRow, DoseRow, OutboxRow
from bot.domain.model import DoseStatus, SafetyEventKind
from bot.domain.outbox import Priority

_WAITING = (DoseStatus.PENDING.value, DoseStatus.SNOOZED.value)
_PENDING, _SENDING = "pending", "sending"


async def ping(engine: AsyncEngine) -> None:
    """`SELECT 1` on a connection of the pool; raises when the database cannot be reached."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def owed_by_priority(engine: AsyncEngine, now: datetime) -> dict[Priority, int]:
    """Messages due by `now` and not delivered yet (waiting, or claimed and in flight), in the
    dispatcher's order: urgent alerts, reminders, notices, routine alerts."""
    owed = dict.fromkeys(Priority, 0)
    async with engine.connect() as connection:
        doses = await connection.scalar(
            select(func.count())
            .select_from(DoseRow)
            .where(
                or_(
                    and_(col(DoseRow.status).in_(_WAITING), col(DoseRow.due_at) <= now),
                    col(DoseRow.status) == DoseStatus.SENDING.value,
                )
            )
        )
        owed[Priority.REMINDER] += doses or 0
        outbox = await connection.execute(
            select(col(OutboxRow.priority), func.count())
            .where(_owed(OutboxRow, now))
            .group_by(col(OutboxRow.priority))
        )
        for priority, count in outbox:
            owed[Priority(priority)] += count
        urgent = col(AlertRow.kind) == SafetyEventKind.RED_FLAG.value
        alerts = await connection.execute(
            select(urgent, func.count()).where(_owed(AlertRow, now)).group_by(urgent)
        )
        for is_urgent, count in alerts:
            owed[Priority.URGENT if is_urgent else Priority.ROUTINE] += count
    return owed


def _owed(table: type[OutboxRow] | type[AlertRow], now: datetime) -> ColumnElement[bool]:
    status = col(table.status)
    return or_(and_(status == _PENDING, col(table.due_at) <= now), status == _SENDING)
