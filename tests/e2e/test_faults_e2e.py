"""Faults through the emulator: a flaky Telegram, an outage, a 429 storm, a database outage.
Every reply and every owed message arrives; no dose is reminded twice except for a send
whose reply was lost in flight (counted)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import UPDATE_SESSIONS, MedBot, build_bot
from bot.db.engine import POOL_OVERFLOW, POOL_SIZE, create_engine
from bot.db.tables import DoseRow, OutboxRow
from bot.emulator import BotApiEmulator, ChatMessage, SimUser
from tests.e2e.conftest import invite_code, say, settings_for, unhurried
from tests.e2e.proxy import TcpProxy
from tests.fakes import ManualClock, RecordingAlarm

PATIENCE = 15.0  # seconds a person waits for a message while faults slow things down


def short_timeouts_bot(
    emulator: BotApiEmulator, engine, clock: ManualClock, database_url: str
) -> MedBot:
    """The real bot, its deliveries driven by the test (RecordingAlarm), 1 s read timeouts."""
    return build_bot(
        settings_for(emulator, database_url),
        clock=clock,
        alarm=RecordingAlarm(),
        engine=engine,
        limits=unhurried(),
        read_timeout=1.0,
    )


@pytest.fixture
async def flaky_bot(
    emulator: BotApiEmulator, engine, clock: ManualClock, database_url: str
) -> AsyncIterator[MedBot]:
    bot = short_timeouts_bot(emulator, engine, clock, database_url)
    await bot.start(poll_timeout=1)
    yield bot
    emulator.inject_faults(0)
    await bot.stop()


@asynccontextmanager
async def bot_behind(
    proxy: TcpProxy, emulator: BotApiEmulator, clock: ManualClock
) -> AsyncIterator[MedBot]:
    """The bot on the database through `proxy`, which the test cuts and restores."""
    through_proxy = create_engine(proxy.url)
    bot = build_bot(
        settings_for(emulator, proxy.url),
        clock=clock,
        alarm=RecordingAlarm(),
        engine=through_proxy,
        limits=unhurried(),
    )
    await bot.start(poll_timeout=1)
    try:
        yield bot
    finally:
        await bot.stop()
        await through_proxy.dispose()


async def owed_left(bot: MedBot) -> int:
    async with bot.engine.connect() as connection:
        rows = await connection.scalars(
            select(OutboxRow.id).where(OutboxRow.status.in_(("pending", "sending")))
        )
        return len(list(rows))


async def deliver_all(bot: MedBot, clock: ManualClock) -> None:
    """The dispatcher's turns, with time passing for retries, until nothing is owed."""
    for _ in range(30):
        await bot.deliver_tick()
        if not await owed_left(bot):
            return
        clock.advance(timedelta(minutes=1))
    raise AssertionError("messages still owed after 30 turns")


async def seen(user: SimUser, text: str) -> ChatMessage:
    return await user.wait_for(lambda m: text in m.text, timeout=PATIENCE)


async def test_a_whole_conversation_survives_telegram_failing_one_call_in_seven(
    emulator, flaky_bot, clock
):
    # Seed 7: a dozen faults of all three kinds in this conversation (500, nginx 502, lost reply).
    emulator.inject_faults(0.15, seed=7, slow_seconds=2.0)
    alice, carol = emulator.user(1001, "Alice"), emulator.user(3003, "Carol")
    await alice.send("/start")
    await seen(alice, "I'm MedBot")
    await alice.send("/timezone Asia/Kolkata")
    await seen(alice, "Time zone set to Asia/Kolkata")
    await alice.send("/add Baclofen 5 mg at 08:01 08:02")
    await seen(alice, "Added Baclofen 5 mg at 08:01 08:02")

    clock.advance(timedelta(seconds=30))  # 08:01
    await flaky_bot.deliver_tick()
    first = await seen(alice, "Time for Baclofen 5 mg (08:01)")
    await alice.press(first, "Taken")
    await alice.wait_for(lambda m: "taken at 08:01" in m.text, timeout=PATIENCE)

    clock.advance(timedelta(minutes=1))  # 08:02
    await flaky_bot.deliver_tick()
    second = await seen(alice, "Time for Baclofen 5 mg (08:02)")
    await alice.press(second, "Skip")
    await alice.wait_for(lambda m: "(08:02): skipped" in m.text, timeout=PATIENCE)
    await deliver_all(flaky_bot, clock)
    await seen(alice, "Do not double your next dose")

    code = await invite_code(alice)
    await carol.send(f"/start {code}")
    await seen(carol, "will confirm first")
    await deliver_all(flaky_bot, clock)
    request = await seen(alice, "wants to get your alerts")
    await alice.press(request, "Allow")
    await seen(alice, "Carol now gets your alerts")
    await deliver_all(flaky_bot, clock)
    await seen(carol, "You now get alerts")

    await alice.send("/log symptom I think I had a seizure")
    await seen(alice, "A seizure (fit) needs help now")
    await seen(alice, "Recorded symptom")
    await deliver_all(flaky_bot, clock)
    await seen(carol, "Alice may be having an emergency")

    reminders = [c for c in emulator.calls("sendMessage") if "Time for Baclofen" in c["text"]]
    lost = [call for call in emulator.lost_reply_calls if call[0] == "sendMessage"]
    print(  # noqa: T201 - the figure is part of the result (-s shows it)
        f"\nfaults injected: {dict(emulator.injected)}; reminder sends {len(reminders)} for 2 "
        f"doses; replies lost in flight (any send): {len(lost)}"
    )
    assert sum(emulator.injected.values()) >= 3  # the run really was faulty
    assert 2 <= len(reminders) <= 2 + len(lost)
    async with flaky_bot.engine.connect() as connection:
        statuses = list(await connection.scalars(select(DoseRow.status).order_by(DoseRow.id)))
    assert statuses[:2] == ["taken", "skipped"]


async def test_telegram_away_for_two_minutes_delays_a_reminder_and_a_warning_never_loses_them(
    emulator, flaky_bot, clock
):
    alice = emulator.user(1001, "Alice")
    await alice.send("/timezone Asia/Kolkata")
    await seen(alice, "Time zone set")
    await alice.send("/add Baclofen 5 mg at 08:01 08:03")
    await seen(alice, "Added Baclofen")
    clock.advance(timedelta(seconds=30))
    await flaky_bot.deliver_tick()
    first = await seen(alice, "Time for Baclofen 5 mg (08:01)")
    await alice.press(first, "Skip")
    await alice.wait_for_answer(timeout=PATIENCE)  # the skip is recorded; its warning is owed

    await emulator.go_offline()
    for _minute in range(3):  # 08:01 to 08:04: the 08:03 dose falls due meanwhile
        clock.advance(timedelta(minutes=1))
        await flaky_bot.deliver_tick()
    assert await owed_left(flaky_bot) == 1  # the warning, still owed
    await emulator.go_online()

    clock.advance(timedelta(minutes=3))  # the claim of the failed send has gone stale
    await deliver_all(flaky_bot, clock)
    late = await seen(alice, "Baclofen 5 mg was due at 08:03")
    await seen(alice, "Do not double your next dose")
    await alice.press(late, "Taken")
    await alice.wait_for(lambda m: "taken at" in m.text, timeout=PATIENCE)
    texts = [m.text for m in alice.messages]
    assert sum("was due at 08:03" in t or "taken at" in t for t in texts) == 1
    assert sum("Do not double your next dose" in t for t in texts) == 1


async def test_a_long_poll_longer_than_the_read_timeout_is_not_cut_short(
    emulator: BotApiEmulator, engine, clock: ManualClock, database_url: str, caplog
):
    bot = short_timeouts_bot(emulator, engine, clock, database_url)
    await bot.start(poll_timeout=3)
    try:
        polls_before = emulator.poll_generation
        await asyncio.sleep(3.5)  # idle: one poll waits its 3 s, the next is waiting
        assert emulator.poll_generation - polls_before <= 2
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert "What I can do" in (await say(emulator.user(1001, "Alice"), "/help")).text
    finally:
        await bot.stop()


async def test_a_429_storm_is_waited_out_as_told_and_loses_nothing(emulator, flaky_bot, clock):
    for number in range(10):
        user = emulator.user(5000 + number, f"P{number}")
        await user.send("/add Baclofen 5 mg at 08:01")
        await seen(user, "Added Baclofen")
    clock.advance(timedelta(hours=5, minutes=31))  # 08:01 UTC
    emulator.fail_next("sendMessage", 429, retry_after=1, times=3)
    limits = flaky_bot.application.bot.rate_limiter
    started = asyncio.get_running_loop().time()
    assert await flaky_bot.dispatch_tick() == 10
    waited = asyncio.get_running_loop().time() - started
    assert limits.too_many_requests == 3
    assert waited >= 1.0  # retry_after was honoured, not hammered through
    for number in range(10):
        chat = [m for m in emulator.sent_to(5000 + number) if "Time for Baclofen" in m.text]
        assert len(chat) == 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_the_database_away_for_a_while_is_caught_up_after(
    emulator, clock, database_url, engine
):
    """A TCP proxy in front of the local PostgreSQL is cut and restored: the machine's
    server is never restarted. `engine` reads the result straight from the database (and
    empties it after, for the session's later tests)."""
    async with TcpProxy(database_url) as proxy, bot_behind(proxy, emulator, clock) as bot:
        alice = emulator.user(1001, "Alice")
        await alice.send("/timezone Asia/Kolkata")
        await seen(alice, "Time zone set")
        await alice.send("/add Baclofen 5 mg at 08:01")
        await seen(alice, "Added Baclofen")

        await proxy.cut()
        clock.advance(timedelta(seconds=30))  # the dose falls due during the outage
        dispatch = bot.scheduled("dispatch", bot.deliver_tick)
        for _second in range(30):
            await dispatch()  # fails, logs one line, never raises
            clock.advance(timedelta(seconds=1))
        await alice.send("/meds")
        await seen(alice, "something went wrong on my side")
        await proxy.restore()

        await dispatch()
        reminder = await seen(alice, "Time for Baclofen 5 mg (08:01)")
        assert len(alice.buttons(reminder)) == 3
        await alice.send("/meds")
        await seen(alice, "Your medications")
    async with engine.connect() as check:
        statuses = list(await check.scalars(select(DoseRow.status).order_by(DoseRow.id)))
    assert statuses[0] == "sent"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_connections_broken_while_the_bot_is_idle_are_replaced_before_the_next_update(
    emulator, clock, database_url, engine
):
    """The database's connections break while the bot has nothing to do (the server
    restarted, a firewall's idle timeout): the next update is answered as if nothing had
    happened. A first read on a broken connection would fail, and the update would be
    answered in the Telegram client's language, not the one the patient chose. (`engine`
    empties the database after, for the session's later tests.)"""
    async with TcpProxy(database_url) as proxy, bot_behind(proxy, emulator, clock):
        alice = emulator.user(1001, "Alice", language_code="en")
        await alice.send("/add Baclofen 5 mg at 08:01")
        await seen(alice, "Added Baclofen")
        await alice.send("/language de")
        await seen(alice, "Deutsch")
        await proxy.cut()  # every pooled connection broken, none in use
        await proxy.restore()
        await alice.send("/meds")
        reply = await alice.wait_for_new_message()
    assert reply.text.startswith("Deine Medikamente"), reply.text


async def test_updates_holding_every_connection_they_may_leave_the_dispatcher_its_own(
    emulator, medbot, clock
):
    """More updates at once than the pool has connections: they take their turns, none
    fails for want of a connection, and a reminder due meanwhile goes out on time."""
    alice = emulator.user(1001, "Alice")
    await alice.send("/timezone Asia/Kolkata")
    await seen(alice, "Time zone set")
    await alice.send("/add Baclofen 5 mg at 08:01")
    await seen(alice, "Added Baclofen")
    deps = medbot.application.bot_data["deps"]
    inside, release = 0, asyncio.Event()

    async def an_update_holding_a_connection() -> None:
        nonlocal inside
        async with deps.uow_factory() as uow:
            await uow.patients.by_chat(alice.id)  # its connection is taken now
            inside += 1
            await release.wait()

    flood = [
        asyncio.create_task(an_update_holding_a_connection())
        for _ in range(POOL_SIZE + POOL_OVERFLOW + 5)
    ]
    for _ in range(200):
        if inside == UPDATE_SESSIONS:
            break
        await asyncio.sleep(0.01)
    clock.advance(timedelta(seconds=30))  # the dose falls due
    await asyncio.wait_for(medbot.deliver_tick(), PATIENCE)
    assert await medbot.heartbeat_tick() >= 0
    await seen(alice, "Time for Baclofen 5 mg (08:01)")
    assert inside == UPDATE_SESSIONS  # the others wait for a turn, not for the pool
    release.set()
    await asyncio.gather(*flood)  # and each gets one: no pool timeout
    assert inside == len(flood)
