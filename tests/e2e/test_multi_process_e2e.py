"""Three real `medbot run` processes in webhook mode on one PostgreSQL database, behind a load
balancer (bot/emulator/balancer.py): any process answers any update, since the state is in the
database; a guided flow keeps its steps in its process's memory, so the balancer is sticky
per chat; and a SIGKILL in the middle of a burst loses no dose, re-sends at most the sends
that were in flight, and the others finish the burst within seconds."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.bench.processes import free_port
from bot.db.engine import create_engine, session_factory
from bot.db.tables import DoseRow
from bot.db.uow import SqlUnitOfWork
from bot.domain.model import Schedule
from bot.emulator import BotApiEmulator
from bot.emulator.balancer import WebhookBalancer, by_chat, round_robin
from bot.services.reminders import STALE_CLAIM
from tests.conftest import empty_tables
from tests.e2e.conftest import say
from tests.e2e.processes import BotProcess

SECRET = "multi-process-secret"
BURST = 300  # three processes at 29.5 messages a second each: about 3.5 s of sending
FIRST_CHAT = 70_000
# The feature promises the burst done within 10 s of a kill: the dead process's claims go
# stale within STALE_CLAIM (5 s), then one survivor sends them (a claim batch of 100 at 29.5
# a second: 3.4 s). Asserted with room for a loaded 2-core CI machine; the figure is printed.
FINISH_WITHIN = 20.0


@pytest.fixture
async def postgres(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    """Several processes on one database: PostgreSQL only (SQLite is single-process)."""
    engine = create_engine(postgres_url)
    yield engine
    await empty_tables(engine)
    await engine.dispose()


@asynccontextmanager
async def processes(
    emulator: BotApiEmulator, postgres_url: str, count: int = 3
) -> AsyncIterator[list[BotProcess]]:
    """`count` processes in webhook mode, each on its own port, started at once."""
    bots = [
        BotProcess(
            emulator,
            postgres_url,
            WEBHOOK_URL="https://bot.example.org/",  # the balancer's address, as Telegram sees it
            WEBHOOK_PORT=str(free_port()),
            WEBHOOK_SECRET=SECRET,
        )
        for _ in range(count)
    ]
    await asyncio.gather(*(bot.start(emulator) for bot in bots))
    try:
        yield bots
    finally:
        logs = await asyncio.gather(*(bot.stop() for bot in bots))
    for bot, log in zip(bots, logs, strict=True):
        if bot.process is not None and bot.process.returncode == 0:  # not the killed one
            assert "Traceback" not in log.decode(), log.decode()
    assert emulator.webhook_url == "https://bot.example.org/telegram"


def ports(bots: list[BotProcess]) -> list[int]:
    return [bot.webhook_port for bot in bots if bot.webhook_port is not None]


async def test_one_chats_updates_reach_every_process_in_turn_and_each_gets_one_reply(
    emulator, postgres, postgres_url
):
    async with (
        processes(emulator, postgres_url) as bots,
        WebhookBalancer(emulator, round_robin(ports(bots)), secret=SECRET) as balancer,
    ):
        alice = emulator.user(1001, "Alice")
        welcome = await say(alice, "/start")
        assert "MedBot" in welcome.text
        zone = await say(alice, "/timezone Europe/Berlin")
        assert "Europe/Berlin" in zone.text
        # Another process than the one that stored the zone: it reads it from the database.
        added = await say(alice, "/add Baclofen 5 mg at 08:00")
        assert "Added Baclofen 5 mg at 08:00 (Europe/Berlin)" in added.text
        tip = await alice.wait_for_new_message()  # owed, sent by whichever dispatcher
        assert tip.text.startswith("💡")
        meds = await say(alice, "/meds")
        assert "Baclofen 5 mg" in meds.text
        await asyncio.sleep(1.0)  # nothing more comes
        served = balancer.ports_of(alice.id)

    assert len(served) == 4
    assert len(set(served)) == 3  # her four updates went to all three processes
    # One reply to each update and the tip, each once.
    assert [m.text for m in alice.messages] == [
        welcome.text,
        zone.text,
        added.text,
        tip.text,
        meds.text,
    ]


async def test_a_guided_flow_completes_when_the_balancer_is_sticky_per_chat(
    emulator, postgres, postgres_url
):
    async with (
        processes(emulator, postgres_url) as bots,
        WebhookBalancer(emulator, by_chat(ports(bots)), secret=SECRET) as balancer,
    ):
        alice = emulator.user(1001, "Alice")
        bob = emulator.user(1002, "Bob")
        steps = [
            ("/add", "Which medication?"),
            ("Tizanidine", "How much Tizanidine"),
            ("2 mg", "At what times"),
            ("08:00 20:00", "Added Tizanidine 2 mg at 08:00 20:00"),
        ]
        for said, expected in steps:  # the two conversations interleaved
            for person in (alice, bob):
                reply = await say(person, said)
                assert expected in reply.text, (person.user["first_name"], reply.text)
        alices, bobs = set(balancer.ports_of(alice.id)), set(balancer.ports_of(bob.id))

    assert len(alices) == len(bobs) == 1  # each chat's steps on one process
    assert alices != bobs  # and the chats spread over the processes


async def seed_burst(engine: AsyncEngine, due_at: datetime) -> None:
    sessions = session_factory(engine)
    async with SqlUnitOfWork(sessions) as uow:
        for chat in range(FIRST_CHAT, FIRST_CHAT + BURST):
            patient = await uow.patients.add(chat_id=chat, language="en", timezone="UTC")
            medication = await uow.medications.add(
                patient_id=patient.id,
                name="Baclofen",
                dose="5 mg",
                schedule=Schedule(times=(clock_time(8, 0),)),
            )
            await uow.doses.add_missing(medication, [due_at])
        await uow.commit()


def reminded(emulator: BotApiEmulator) -> Counter[int]:
    """Reminders received, per chat."""
    return Counter(
        int(c["chat_id"]) for c in emulator.calls("sendMessage") if "Baclofen" in c["text"]
    )


async def held(engine: AsyncEngine, due_at: datetime) -> Counter[str]:
    """The burst's doses claimed and not yet recorded, per claimer."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(DoseRow.claimed_by, func.count())
            .where(DoseRow.scheduled_at == due_at, DoseRow.status == "sending")
            .group_by(DoseRow.claimed_by)
        )
        return Counter(dict(rows.all()))


async def chats_held_by(engine: AsyncEngine, due_at: datetime, claimer: str) -> set[int]:
    async with engine.connect() as connection:
        rows = await connection.scalars(
            select(DoseRow.patient_id).where(
                DoseRow.scheduled_at == due_at,
                DoseRow.status == "sending",
                DoseRow.claimed_by == claimer,
            )
        )
        patients = list(rows)
        chats = await connection.scalars(
            text("SELECT chat_id FROM patient WHERE id = ANY(:ids)").bindparams(ids=patients)
        )
        return set(chats)


async def test_a_process_killed_mid_burst_costs_at_most_its_sends_in_flight(
    emulator, postgres, postgres_url
):
    for chat in range(FIRST_CHAT, FIRST_CHAT + BURST):
        emulator.user(chat, f"Patient {chat}")
    due_at = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=30)
    await seed_burst(postgres, due_at)

    async with processes(emulator, postgres_url) as bots:
        # Mid-burst, with all three sending: kill the one holding the most claims.
        async with asyncio.timeout(30):
            while True:
                claims = await held(postgres, due_at)
                busy = [bot for bot in bots if claims[bot.claimer]]
                if len(busy) == 3 and sum(reminded(emulator).values()) >= BURST // 5:
                    break
                await asyncio.sleep(0.05)
        victim = max(bots, key=lambda bot: claims[bot.claimer])
        await victim.kill()
        killed_at = time.monotonic()
        before_kill = reminded(emulator)
        # What the dead process held: sends that reached Telegram (they will go out again)
        # and claims it had not sent yet. Nobody takes them over for seconds yet.
        await asyncio.sleep(0.5)
        orphans = await chats_held_by(postgres, due_at, victim.claimer)
        arrived = reminded(emulator)
        in_flight_sent = {chat for chat in orphans if arrived[chat]}
        assert len(orphans) >= 1

        everyone = set(range(FIRST_CHAT, FIRST_CHAT + BURST))
        await emulator.changed.wait_until(
            lambda: True if set(reminded(emulator)) >= everyone else None, 60
        )
        finished_after = time.monotonic() - killed_at
        await asyncio.sleep(1.0)  # nothing more comes
        final = reminded(emulator)

    duplicates = {chat: n - 1 for chat, n in final.items() if n > 1}
    print(  # noqa: T201 - the figures of the kill, for the test log
        f"\nkill mid-burst: {sum(before_kill.values())}/{BURST} sent before the kill; "
        f"the killed process held {len(orphans)} claims, {len(in_flight_sent)} of them "
        f"already sent; {sum(duplicates.values())} duplicates; the others finished "
        f"{finished_after:.1f} s after the kill (stale window {STALE_CLAIM.seconds} s)"
    )
    assert set(final) == everyone  # no dose lost
    assert set(duplicates) <= in_flight_sent  # only the sends in flight went out twice
    assert all(n == 1 for n in duplicates.values())
    assert finished_after < FINISH_WITHIN
    async with postgres.connect() as connection:
        statuses = await connection.execute(
            select(DoseRow.status, func.count())
            .where(DoseRow.scheduled_at == due_at)
            .group_by(DoseRow.status)
        )
        assert dict(statuses.all()) == {"sent": BURST}
