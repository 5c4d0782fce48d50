"""The real Application, over PTB's real HTTP stack, against the Bot API emulator.

Time is a ManualClock and the ticks are called by the test (never through APScheduler):
"missed after 60 minutes" moves the clock and runs the sweep, in milliseconds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import MedBot, build_bot
from bot.config import Settings
from bot.emulator import BotApiEmulator, ChatMessage, SimUser
from tests.fakes import ManualClock, RecordingAlarm

TOKEN = "123456:E2E-TOKEN-not-a-secret"
# 08:00:30 in Asia/Kolkata (UTC+5:30).
START = datetime(2026, 3, 2, 2, 30, 30, tzinfo=UTC)


def settings_for(emulator: BotApiEmulator, database_url: str, **overrides: object) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=TOKEN,
        telegram_api_url=emulator.base_url,
        database_url=database_url,
        **overrides,
    )


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, bot_username="medbot_test_bot") as emu:
        yield emu
    assert emu.internal_errors == []


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def medbot(
    emulator: BotApiEmulator, engine: AsyncEngine, clock: ManualClock, database_url: str
) -> AsyncIterator[MedBot]:
    bot = build_bot(
        settings_for(emulator, database_url), clock=clock, alarm=RecordingAlarm(), engine=engine
    )
    await bot.start()
    yield bot
    await bot.stop()


@pytest.fixture
def alice(emulator: BotApiEmulator, medbot: MedBot) -> SimUser:
    return emulator.user(1001, "Alice", language_code="en")


@pytest.fixture
def bob(emulator: BotApiEmulator, medbot: MedBot) -> SimUser:
    return emulator.user(2002, "Bob", language_code="en")


async def say(user: SimUser, text: str) -> ChatMessage:
    """Send a message and return the bot's reply to it."""
    await user.send(text)
    return await user.wait_for_new_message()
