"""METRICS_PORT: /healthz says whether the bot can work (database, scheduler) and what is owed;
/metrics counts what happened in a real conversation, counts only."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from bot.app import MedBot, build_bot
from bot.bench.processes import free_port
from bot.db.engine import create_engine
from bot.emulator import BotApiEmulator
from bot.services.reminders import STALE_CLAIM
from tests.e2e.conftest import (
    DeliverWhenDue,
    link_caregiver,
    say,
    set_up_baclofen_at_next_minute,
    settings_for,
    unhurried,
)
from tests.e2e.proxy import TcpProxy
from tests.fakes import ManualClock

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


async def get(port: int, path: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, await response.text()


async def healthz(port: int) -> tuple[int, dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/healthz") as response,
    ):
        return response.status, await response.json()


async def scrape(port: int) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of /metrics by name and labels."""
    status, body = await get(port, "/metrics")
    assert status == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def moved(
    before: dict[tuple[str, frozenset[tuple[str, str]]], float],
    after: dict[tuple[str, frozenset[tuple[str, str]]], float],
    name: str,
    **labels: str,
) -> float:
    key = (name, frozenset(labels.items()))
    return after[key] - before.get(key, 0.0)


@pytest.fixture
async def watched(
    emulator: BotApiEmulator, engine, clock: ManualClock, database_url: str
) -> AsyncIterator[MedBot]:
    """The bot with METRICS_PORT set; the test moves the clock and runs the reminder tick."""
    alarm = DeliverWhenDue(clock)
    bot = build_bot(
        settings_for(emulator, database_url, metrics_port=free_port()),
        clock=clock,
        alarm=alarm,
        engine=engine,
        limits=unhurried(),
    )
    alarm.medbot = bot
    await bot.start(poll_timeout=1)
    yield bot
    await alarm.settle()
    await bot.stop()


async def compose_healthcheck(port: int) -> int:
    """docker-compose's healthcheck command for the bot, run here: its exit code."""
    test = yaml.safe_load(COMPOSE.read_text())["services"]["bot"]["healthcheck"]["test"]
    assert test[:2] == ["CMD", "python"]
    check = await asyncio.create_subprocess_exec(
        sys.executable,
        *test[2:],
        env={**os.environ, "METRICS_PORT": str(port)},
        stderr=asyncio.subprocess.DEVNULL,
    )
    return await check.wait()


def port_of(bot: MedBot) -> int:
    assert bot.settings.metrics_port is not None
    return bot.settings.metrics_port


async def test_healthz_is_200_with_database_scheduler_last_send_and_owed(
    emulator, engine, clock, database_url
):
    """A bot with its own scheduler (as `medbot run` has): every field, healthy."""
    bot = build_bot(
        settings_for(emulator, database_url, metrics_port=free_port()),
        clock=clock,
        engine=engine,
        limits=unhurried(),
    )
    await bot.start(poll_timeout=1)
    try:
        status, report = await healthz(port_of(bot))
        assert status == 200, report
        assert report["status"] == "ok"
        assert report["database"] == {"reachable": True}
        assert report["scheduler"]["alive"] is True
        assert set(report["scheduler"]["next_runs"]) == {
            "dispatch",
            "sweep",
            "materialise",
            "heartbeat",
        }
        assert report["last_send_at"] is None  # nothing owed was sent yet
        assert report["owed"] == {"total": 0, "urgent": 0, "reminder": 0, "notice": 0, "routine": 0}

        bot.scheduler.shutdown(wait=False)  # the scheduler stops: nothing would be sent
        status, report = await healthz(port_of(bot))
        assert status == 503
        assert report["status"] == "unhealthy"
        assert report["scheduler"]["alive"] is False
        assert report["database"] == {"reachable": True}
    finally:
        await bot.stop()


async def test_healthz_shows_a_due_reminder_owed_then_the_time_it_was_sent(
    watched, emulator, clock
):
    alice = emulator.user(1001, "Alice", language_code="en")
    await set_up_baclofen_at_next_minute(alice)
    clock.advance(timedelta(seconds=30))  # 08:01 in Kolkata: the dose is due
    status, report = await healthz(port_of(watched))
    assert status == 200
    assert report["owed"]["reminder"] == 1
    assert report["owed"]["total"] == 1
    assert report["scheduler"]["alive"] is None  # this test runs the ticks itself

    assert await watched.dispatch_tick() == 1
    await alice.wait_for(lambda m: "Time for Baclofen" in m.text)
    status, report = await healthz(port_of(watched))
    assert report["owed"]["total"] == 0
    assert report["last_send_at"] == clock.now().isoformat()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_healthz_is_503_while_the_database_is_unreachable(emulator, clock, database_url):
    """A TCP proxy in front of the local PostgreSQL is cut, then restored (the machine's server
    is never touched)."""
    async with TcpProxy(database_url) as proxy:
        bot = build_bot(
            settings_for(emulator, proxy.url, metrics_port=free_port()),
            clock=clock,
            alarm=DeliverWhenDue(clock),
            engine=create_engine(proxy.url),
            limits=unhurried(),
        )
        await bot.start(poll_timeout=1)
        try:
            assert (await healthz(port_of(bot)))[0] == 200
            assert await compose_healthcheck(port_of(bot)) == 0
            await proxy.cut()
            status, report = await healthz(port_of(bot))
            assert status == 503
            assert report["status"] == "unhealthy"
            assert report["database"] == {"reachable": False}
            assert report["owed"] is None
            assert (await get(port_of(bot), "/metrics"))[0] == 200  # metrics still answer
            assert await compose_healthcheck(port_of(bot)) != 0
            await proxy.restore()
            status, report = await healthz(port_of(bot))
            assert status == 200, report
        finally:
            await bot.stop()


async def test_metrics_count_a_conversation_counts_only(watched, emulator, clock):
    port = port_of(watched)
    before = await scrape(port)
    alice = emulator.user(1001, "Alice", language_code="en")
    bob = emulator.user(2002, "Bob", language_code="en")
    await set_up_baclofen_at_next_minute(alice)
    clock.advance(timedelta(seconds=45))  # the reminder goes out 15 s after 08:01
    assert await watched.dispatch_tick() == 1
    reminder = await alice.wait_for(lambda m: "Time for Baclofen" in m.text)
    await alice.press(reminder, "Taken")
    await alice.wait_for(lambda m: "taken at 08:01" in m.text)  # the reminder, edited
    await say(alice, "/ask can I have a beer tonight?")
    await say(alice, "/ask what is the capital of France")
    await link_caregiver(alice, bob)
    await alice.send("my chest hurts and it spreads to my arm")
    await alice.wait_for(lambda m: m.text.startswith("🚨"))
    await bob.wait_for(lambda m: "🚨" in m.text)
    after = await scrape(port)

    assert moved(before, after, "medbot_reminders_sent_total") == 1
    assert moved(before, after, "medbot_reminder_lateness_seconds_count") == 1
    assert moved(before, after, "medbot_reminder_lateness_seconds_sum") == pytest.approx(15)
    assert moved(before, after, "medbot_reminder_lateness_seconds_bucket", le="15.0") == 1
    assert moved(before, after, "medbot_reminder_lateness_seconds_bucket", le="5.0") == 0
    assert moved(before, after, "medbot_ask_questions_total", outcome="answered") == 1
    assert moved(before, after, "medbot_ask_questions_total", outcome="referred") == 1
    assert moved(before, after, "medbot_emergencies_detected_total", category="chest_pain") == 1
    assert moved(before, after, "medbot_emergencies_detected_total", category="seizure") == 0
    assert (
        moved(before, after, "medbot_updates_handled_total", kind="callback") == 2
    )  # Taken, Allow
    assert moved(before, after, "medbot_updates_handled_total", kind="command") >= 6
    assert moved(before, after, "medbot_updates_handled_total", kind="text") == 1
    assert moved(before, after, "medbot_send_failures_total", kind="blocked") == 0
    assert after[("medbot_owed_messages", frozenset({("priority", "reminder")}))] == 0
    assert ("medbot_telegram_429_total", frozenset()) in after
    # Labels are kinds and outcomes, never a person's words.
    assert "aclofen" not in (await get(port, "/metrics"))[1]


async def test_send_failures_are_counted_by_kind(emulator, engine, clock, database_url):
    """A reminder Telegram refuses with 500, then answers too slowly, then cannot deliver
    (the patient blocked the bot): one failure of each kind."""
    bot = build_bot(
        settings_for(emulator, database_url, metrics_port=free_port()),
        clock=clock,
        alarm=DeliverWhenDue(clock),
        engine=engine,
        limits=unhurried(),
        read_timeout=0.3,
    )
    await bot.start(poll_timeout=1)
    try:
        alice = emulator.user(1001, "Alice", language_code="en")
        await set_up_baclofen_at_next_minute(alice)
        clock.advance(timedelta(seconds=30))
        before = await scrape(port_of(bot))
        for fault in ("500", "slow", "blocked"):
            if fault == "blocked":
                emulator.inject_faults(0)
                emulator.block(1001, notify=False)
            else:
                emulator.inject_faults(
                    1.0, kinds=(fault,), methods={"sendMessage"}, slow_seconds=0.6
                )
            assert await bot.dispatch_tick() == 0
            clock.advance(STALE_CLAIM + timedelta(seconds=1))  # the failed claim is retried
        after = await scrape(port_of(bot))
    finally:
        emulator.inject_faults(0)
        await bot.stop()
    for kind in ("5xx", "timeout", "blocked"):
        assert moved(before, after, "medbot_send_failures_total", kind=kind) == 1, kind
    assert moved(before, after, "medbot_send_failures_total", kind="network") == 0
    assert moved(before, after, "medbot_reminders_sent_total") == 0
    assert moved(before, after, "medbot_telegram_retries_total") == 6  # 3 for the 500, 3 slow
