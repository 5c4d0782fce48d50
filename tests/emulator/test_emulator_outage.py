"""Outages: go_offline() refuses and cuts connections, keeps every state; go_online() resumes."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator

import aiohttp
import pytest

from bot.emulator import BotApiEmulator
from bot.emulator.waiting import Signal

from .conftest import App, call

ALICE = 1001


class LogWatch(logging.Handler):
    """Collects log messages and signals each one, so a test can wait for a log line."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []
        self.changed = Signal()

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        self.changed.fire()

    async def wait_for(self, text: str) -> None:
        await self.changed.wait_until(
            lambda: True if any(text in m for m in self.messages) else None, 5.0
        )


@pytest.fixture
def ptb_log() -> Iterator[LogWatch]:
    watch, logger = LogWatch(), logging.getLogger("telegram.ext")
    logger.addHandler(watch)
    try:
        yield watch
    finally:
        logger.removeHandler(watch)


async def test_offline_refuses_and_cuts_connections_and_keeps_state(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    alice = emu.user(ALICE, "Alice")
    await call(http, emu, "sendMessage", chat_id=ALICE, text="Time for Aspirin")
    base_url = emu.base_url
    poll = asyncio.create_task(call(http, emu, "getUpdates", timeout=10))
    await emu.updates_changed.wait_until(lambda: emu.poll_generation or None, 2)

    started = time.monotonic()
    await emu.go_offline()
    with pytest.raises(aiohttp.ClientError):  # the open long poll is cut at once
        await poll
    cut_after = time.monotonic() - started
    async with aiohttp.ClientSession() as fresh:
        with pytest.raises(aiohttp.ClientConnectorError):  # and new connections are refused
            await call(fresh, emu, "getMe")
    await alice.send("are you there?")  # users keep writing during an outage
    await emu.go_offline()  # idempotent

    assert not emu.online
    assert cut_after < 1
    await emu.go_online()
    assert emu.online and emu.base_url == base_url  # the same port
    _, body = await call(http, emu, "getUpdates", timeout=0)
    assert [u["message"]["text"] for u in body["result"]] == ["are you there?"]
    assert [m.text for m in alice.messages] == ["Time for Aspirin"]


async def test_stop_while_offline_and_start_checks(emu: BotApiEmulator) -> None:
    await emu.go_offline()
    await emu.stop()  # nothing left listening, nothing to hang on

    fresh = BotApiEmulator()
    with pytest.raises(RuntimeError, match="not started"):
        await fresh.go_online()
    with pytest.raises(RuntimeError, match="not started"):
        await fresh.go_offline()


async def test_ptb_long_polling_survives_an_outage(
    app: App, emu: BotApiEmulator, ptb_log: LogWatch
) -> None:
    alice = emu.user(ALICE, "Alice")
    await alice.send("before")
    await alice.wait_for(lambda m: m.text == "You said: before")
    await emu.wait_delivered()  # else "before" is redelivered after the outage, as on Telegram

    await emu.go_offline()
    await alice.send("during the outage")
    # PTB noticed: its long poll broke or its next one was refused.
    await ptb_log.wait_for("Exception happened while polling")
    assert [u["message"]["text"] for u in emu.pending_updates] == ["during the outage"]
    assert [m.text for m in alice.messages] == ["You said: before"]

    await emu.go_online()

    # PTB's retry loop waits 1 s after the first network error, then 1.5 s, ...
    reply = await alice.wait_for(lambda m: m.text == "You said: during the outage", timeout=8)
    await emu.wait_delivered()
    assert [m.text for m in alice.messages] == ["You said: before", reply.text]
