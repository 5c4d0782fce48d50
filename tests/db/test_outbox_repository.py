"""The outbox on a real SQLite file and the local PostgreSQL: claims, guards, release."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.db.engine import create_engine, session_factory
from bot.db.tables import OutboxRow
from bot.db.uow import SqlUnitOfWork
from bot.domain.model import NoticeKind, SafetyNotice
from bot.domain.outbox import (
    LinkNote,
    LinkNoteKind,
    Priority,
    link_note_owed,
    notice_of,
    notice_owed,
)

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
STALE = NOW - timedelta(minutes=2)


def uow_factory(engine):
    sessions = session_factory(engine)
    return lambda: SqlUnitOfWork(sessions)


async def owe(factory, *owed, due_at=NOW):
    async with factory() as uow:
        patient = await uow.patients.by_chat(1) or await uow.patients.add(
            chat_id=1, language="en", timezone=None
        )
        for item in owed:
            await uow.outbox.add(item(patient.id), due_at=due_at)
        await uow.commit()


def notice(kind=NoticeKind.SKIP_WARNING):
    return lambda patient_id: notice_owed(
        1, SafetyNotice(kind, medication="Baclofen", symptoms=("anxiety",)), patient_id=patient_id
    )


def note():
    return lambda patient_id: link_note_owed(
        2, LinkNote(LinkNoteKind.REVOKED, 7, ""), patient_id=patient_id
    )


async def claim(factory, claimer="a", now=NOW):
    async with factory() as uow:
        claimed = await uow.outbox.claim_due(
            now=now, stale_before=now - timedelta(minutes=2), claimer=claimer, limit=10
        )
        await uow.commit()
    return claimed


async def statuses(engine):
    async with engine.connect() as connection:
        return list(await connection.scalars(select(OutboxRow.status).order_by(OutboxRow.id)))


async def test_a_notice_comes_back_as_it_was_written(engine):
    factory = uow_factory(engine)
    await owe(factory, notice())
    (message,) = await claim(factory)
    assert notice_of(message.body) == SafetyNotice(
        NoticeKind.SKIP_WARNING, medication="Baclofen", symptoms=("anxiety",)
    )
    assert (message.chat_id, message.attempts) == (1, 1)


def urgent():
    return lambda patient_id: replace(notice()(patient_id), chat_id=3, priority=Priority.URGENT)


async def test_only_due_rows_are_claimed_most_urgent_first(engine):
    factory = uow_factory(engine)
    await owe(factory, note(), notice(), urgent())
    await owe(factory, notice(), due_at=NOW + timedelta(minutes=1))  # not due yet
    claimed = await claim(factory)
    assert [m.chat_id for m in claimed] == [3, 2, 1]  # urgent first, then in written order
    assert await statuses(engine) == ["sending", "sending", "sending", "pending"]
    assert await claim(factory) == []  # claimed rows are not claimed again


async def test_a_stale_claim_is_taken_over_and_its_first_claimer_records_nothing(engine):
    factory = uow_factory(engine)
    await owe(factory, notice())
    (first,) = await claim(factory, "a")
    assert await claim(factory, "b", now=NOW + timedelta(minutes=1)) == []  # not stale yet
    (second,) = await claim(factory, "b", now=NOW + timedelta(minutes=3))
    assert second.id == first.id and second.attempts == 2
    async with factory() as uow:
        assert not await uow.outbox.mark_sent(first.id, claimer="a", message_id=1, at=NOW)
        assert await uow.outbox.mark_sent(second.id, claimer="b", message_id=2, at=NOW)
        assert not await uow.outbox.mark_sent(second.id, claimer="b", message_id=3, at=NOW)
        await uow.commit()
    assert await statuses(engine) == ["sent"]


async def test_a_retried_row_waits_for_its_time(engine):
    factory = uow_factory(engine)
    await owe(factory, notice())
    (message,) = await claim(factory)
    async with factory() as uow:
        later = NOW + timedelta(seconds=30)
        assert await uow.outbox.retry_at(message.id, claimer="a", due_at=later)
        await uow.commit()
    assert await claim(factory, now=NOW + timedelta(seconds=29)) == []
    (again,) = await claim(factory, now=NOW + timedelta(seconds=30))
    assert again.attempts == 2


async def test_at_shutdown_unsent_claims_are_owed_again(engine):
    factory = uow_factory(engine)
    await owe(factory, notice(), notice())
    first, _ = await claim(factory, "a")
    await owe(factory, notice())
    (others,) = await claim(factory, "b")  # another dispatcher's claim: not a's to release
    async with factory() as uow:
        await uow.outbox.mark_sent(first.id, claimer="a", message_id=1, at=NOW)
        assert await uow.outbox.release("a") == 1
        await uow.commit()
    assert await statuses(engine) == ["sent", "pending", "sending"]
    (again,) = await claim(factory, "c")
    assert again.attempts == 1  # a release is not a failed attempt
    assert again.id != others.id


async def test_two_dispatchers_at_once_never_claim_the_same_row(engine, database_url):
    factory = uow_factory(engine)
    await owe(factory, *[notice() for _ in range(60)])
    other = create_engine(database_url)
    try:
        factories = [factory, uow_factory(other)]

        async def drain(index: int) -> list[int]:
            taken: list[int] = []
            while claimed := await claim(factories[index], f"d{index}"):
                taken += [m.id for m in claimed]
            return taken

        first, second = await asyncio.gather(drain(0), drain(1))
    finally:
        await other.dispose()
    assert not set(first) & set(second)
    assert len(first) + len(second) == 60


async def test_a_sent_or_dropped_row_is_never_claimed_again_however_old(engine):
    factory = uow_factory(engine)
    await owe(factory, notice(), notice())
    sent, dropped = await claim(factory)
    async with factory() as uow:
        await uow.outbox.mark_sent(sent.id, claimer="a", message_id=1, at=NOW)
        await uow.outbox.drop(dropped.id, claimer="a")
        await uow.commit()
    assert await claim(factory, "b", now=NOW + timedelta(days=1)) == []
