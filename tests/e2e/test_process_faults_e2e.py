"""A real `medbot run` process: it waits for a failing Telegram at start, and a SIGTERM in
the middle of a burst loses nothing: the sends in flight finish, the rest stay owed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from bot.db.engine import session_factory
from bot.db.tables import DoseRow
from bot.db.uow import SqlUnitOfWork
from bot.domain.model import Schedule
from bot.emulator import BotApiEmulator
from tests.e2e.conftest import TOKEN, say
from tests.e2e.processes import BotProcess

BURST = 90  # at 29.5 messages a second: about three seconds of sending


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, bot_username="medbot_test_bot") as emu:
        yield emu


async def test_a_start_waits_for_telegram_and_says_so(emulator, database_url):
    emulator.fail_next("getMe", 500, times=2)
    emulator.fail_next("setMyCommands", 500, times=5)  # more than one call's retries
    emulator.fail_next("deleteWebhook", 502, times=2)
    bot = BotProcess(emulator, database_url)
    await bot.start(emulator)
    try:
        alice = emulator.user(4004, "Alice")
        welcome = await say(alice, "/start")
        assert "I'm MedBot" in welcome.text
        assert emulator.commands  # the menu was set in the end
    finally:
        stderr = (await bot.stop()).decode()
    assert bot.process is not None and bot.process.returncode == 0
    assert f"Waiting for Telegram at {emulator.base_url} (NetworkError), retrying" in stderr
    assert "Traceback" not in stderr


async def seed_due_doses(engine, count: int, due_at: datetime) -> None:
    sessions = session_factory(engine)
    async with SqlUnitOfWork(sessions) as uow:
        for number in range(count):
            patient = await uow.patients.add(chat_id=7000 + number, language="en", timezone="UTC")
            medication = await uow.medications.add(
                patient_id=patient.id,
                name="Baclofen",
                dose="5 mg",
                schedule=Schedule(times=(time(8, 0),)),
            )
            await uow.doses.add_missing(medication, [due_at])
        await uow.commit()


async def statuses(engine, due_at: datetime) -> dict[str, int]:
    """The doses of the burst (the materialiser adds tomorrow's too) by status."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(DoseRow.status, func.count())
            .where(DoseRow.scheduled_at == due_at)
            .group_by(DoseRow.status)
        )
        return dict(rows.all())


async def until(emulator: BotApiEmulator, condition, *, timeout: float) -> None:  # noqa: ASYNC109
    await emulator.changed.wait_until(lambda: True if condition() else None, timeout)


def reminded(emulator: BotApiEmulator) -> list[int]:
    return [int(c["chat_id"]) for c in emulator.calls("sendMessage") if "Baclofen" in c["text"]]


async def test_sigterm_mid_burst_finishes_the_sends_in_flight_and_owes_the_rest(
    emulator, engine, database_url
):
    for number in range(BURST):
        emulator.user(7000 + number, f"Patient {number}")
    due_at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    await seed_due_doses(engine, BURST, due_at)
    bot = BotProcess(emulator, database_url)
    await bot.start(emulator)
    await until(emulator, lambda: len(reminded(emulator)) >= 15, timeout=20)
    await bot.stop()  # SIGTERM, in the middle of the burst
    assert bot.process is not None and bot.process.returncode == 0
    first = reminded(emulator)
    left = await statuses(engine, due_at)
    assert "sending" not in left  # nothing left claimed and half-sent
    assert left.get("sent", 0) == len(first) < BURST
    assert left.get("pending", 0) == BURST - len(first)

    await bot.start(emulator)  # the next start sends the rest
    try:
        await until(emulator, lambda: len(reminded(emulator)) >= BURST, timeout=30)
        await asyncio.sleep(0.5)  # nothing more comes
    finally:
        await bot.stop()
    everyone = reminded(emulator)
    assert sorted(everyone) == list(range(7000, 7000 + BURST))  # each chat exactly once
    assert await statuses(engine, due_at) == {"sent": BURST}
