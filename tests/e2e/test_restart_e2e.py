"""Crash safety with real processes: `medbot run` is SIGKILLed before a dose and started after."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.db.tables import DoseRow
from bot.emulator import BotApiEmulator, SimUser
from tests.e2e.conftest import TOKEN, say
from tests.e2e.processes import BotProcess


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, bot_username="medbot_test_bot") as emu:
        yield emu


async def test_dose_due_while_bot_was_killed_is_sent_once_marked_late(
    emulator, engine, database_url
):
    bot = BotProcess(emulator, database_url)
    alice: SimUser = emulator.user(3003, "Alice")
    await bot.start(emulator)
    try:
        await say(alice, "/start")
        in_two_minutes = (datetime.now(UTC) + timedelta(minutes=2)).strftime("%H:%M")
        added = await say(alice, f"/add Baclofen 5 mg at {in_two_minutes}")
        assert "Added Baclofen" in added.text
    finally:
        await bot.kill()  # SIGKILL: no shutdown hook runs

    # The bot stays down past the dose: move the dose 10 minutes into the past rather than
    # wait (the clock of a separate process cannot be moved).
    ten_minutes_ago = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    async with engine.begin() as connection:
        moved = await connection.execute(
            update(DoseRow)
            .where(
                DoseRow.scheduled_at
                == (
                    await connection.scalar(
                        select(DoseRow.scheduled_at).order_by(DoseRow.scheduled_at).limit(1)
                    )
                )
            )
            .values(scheduled_at=ten_minutes_ago, due_at=ten_minutes_ago)
        )
        assert moved.rowcount == 1
    sent_before = len(emulator.calls("sendMessage"))

    await bot.start(emulator)
    try:
        late = await alice.wait_for(lambda m: "Late reminder" in m.text, timeout=20)
        assert "Baclofen 5 mg" in late.text
        assert len(alice.buttons(late)) == 3
        # Let the dispatcher run again: still one reminder, one row marked sent.
        await asyncio.sleep(1)
    finally:
        stderr = await bot.stop()
    reminders = [
        call for call in emulator.calls("sendMessage")[sent_before:] if "Baclofen" in call["text"]
    ]
    assert len(reminders) == 1
    async with engine.connect() as connection:
        statuses = list(
            await connection.scalars(
                select(DoseRow.status).where(DoseRow.scheduled_at == ten_minutes_ago)
            )
        )
    assert statuses == ["sent"]
    # Logs carry ids, never the token nor medical details.
    assert TOKEN.encode() not in stderr
    assert b"Baclofen" not in stderr
    assert b"INFO" in stderr  # the log was written, so the checks above mean something


async def test_webhook_mode_refuses_updates_without_the_secret(emulator, database_url):
    """`medbot run` with WEBHOOK_URL: Telegram's POSTs need the secret header."""
    import httpx

    bot = BotProcess(emulator, database_url)
    bot.env.update(WEBHOOK_URL="http://127.0.0.1:8443", WEBHOOK_SECRET="s3cret-Token_1")
    dan = emulator.user(4004, "Dan")  # a chat the emulator knows, before the bot answers
    bot.process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=bot.env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1,
            "text": "/help",
            "chat": {"id": 4004, "type": "private", "first_name": "Dan"},
            "from": {"id": 4004, "is_bot": False, "first_name": "Dan"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    try:
        async with asyncio.timeout(30):
            while not emulator.calls("setWebhook"):
                assert bot.process.returncode is None
                await asyncio.sleep(0.05)
        assert emulator.calls("setWebhook")[-1]["url"] == "http://127.0.0.1:8443/telegram"
        async with httpx.AsyncClient(base_url="http://127.0.0.1:8443") as client:
            async with asyncio.timeout(10):
                while True:  # the listener starts right after setWebhook
                    try:
                        refused = await client.post("/telegram", json=update)
                        break
                    except httpx.ConnectError:
                        await asyncio.sleep(0.05)
            assert refused.status_code == 403
            accepted = await client.post(
                "/telegram",
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"},
            )
            assert accepted.status_code == 200
        help_text = await dan.wait_for(lambda m: "What I can do" in m.text, timeout=10)
        assert len(emulator.sent_to(4004)) == 1
        assert "/add" in help_text.text
    finally:
        stderr = await bot.stop()
    assert b"s3cret" not in stderr
