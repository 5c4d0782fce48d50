"""The real Application, over PTB's real HTTP stack, against the Bot API emulator.

Time is a ManualClock and the ticks are called by the test (never through APScheduler):
"missed after 60 minutes" moves the clock and runs the sweep, in milliseconds.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import MedBot, build_bot
from bot.config import Settings
from bot.emulator import BotApiEmulator, ChatMessage, SimUser
from bot.tg.rate_limits import TelegramLimits
from tests.fakes import ManualClock

TOKEN = "123456:E2E-TOKEN-not-a-secret"


def unhurried() -> TelegramLimits:
    """The emulator enforces no limit unless a test asks it to: no spacing, quick retries."""
    return TelegramLimits(per_second=0, per_chat_interval=0, paid_per_second=0, first_backoff=0.05)


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


class DeliverWhenDue:
    """The dispatcher's alarm as the scheduler would honour it for what is owed now: owed
    messages (notices, edits, messages to another person) and emergency alerts go out at
    once. Reminders and routine alerts wait for the test, which moves the clock and calls
    their ticks itself."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.medbot: MedBot | None = None
        self.armed: list[datetime] = []
        self._runs: set[asyncio.Task[None]] = set()

    def arm(self, at: datetime) -> None:
        self.armed.append(at)
        if self.medbot is not None and at <= self.clock.now():
            run = asyncio.get_running_loop().create_task(self._deliver(self.medbot))
            self._runs.add(run)
            run.add_done_callback(self._runs.discard)

    async def _deliver(self, medbot: MedBot) -> None:
        await medbot.alert_tick(urgent_only=True)
        await medbot.owed_tick()

    async def settle(self) -> None:
        while self._runs:
            await asyncio.gather(*self._runs)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def medbot(
    emulator: BotApiEmulator, engine: AsyncEngine, clock: ManualClock, database_url: str
) -> AsyncIterator[MedBot]:
    alarm = DeliverWhenDue(clock)
    bot = build_bot(
        settings_for(emulator, database_url),
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


@pytest.fixture
def alice(emulator: BotApiEmulator, medbot: MedBot) -> SimUser:
    return emulator.user(1001, "Alice", language_code="en")


@pytest.fixture
def bob(emulator: BotApiEmulator, medbot: MedBot) -> SimUser:
    return emulator.user(2002, "Bob", language_code="en")


@pytest.fixture
def carol(emulator: BotApiEmulator, medbot: MedBot) -> SimUser:
    return emulator.user(3003, "Carol")


async def say(user: SimUser, text: str) -> ChatMessage:
    """Send a message and return the bot's reply to it."""
    await user.send(text)
    return await user.wait_for_new_message()


async def set_up_baclofen_at_next_minute(alice: SimUser) -> None:
    """/start, /timezone Asia/Kolkata, /add at 08:01 (it is 08:00:30 there)."""
    welcome = await say(alice, "/start")
    assert "MedBot" in welcome.text
    assert "does not replace" in welcome.text
    assert "time zone" in welcome.text
    zone = await say(alice, "/timezone Asia/Kolkata")
    assert "Asia/Kolkata" in zone.text
    assert "08:00" in zone.text
    added = await say(alice, "/add Baclofen 5 mg at 08:01")
    assert "Added Baclofen 5 mg at 08:01 (Asia/Kolkata)" in added.text
    assert "Next reminder: Mon 02 Mar at 08:01" in added.text
    tip = await alice.wait_for_new_message()  # baclofen is sedating: a safety tip follows
    assert tip.text.startswith("💡")


async def first_reminder(medbot: MedBot, alice: SimUser, clock: ManualClock) -> ChatMessage:
    """Set up Baclofen at 08:01 and let the clock reach it: the reminder Alice sees."""
    await set_up_baclofen_at_next_minute(alice)
    clock.advance(timedelta(seconds=30))
    await medbot.dispatch_tick()
    return await alice.wait_for_new_message()


async def invite_code(patient: SimUser) -> str:
    reply = await say(patient, "/caregiver")
    link = re.search(r"https://t\.me/medbot_test_bot\?start=([A-Za-z0-9_-]+)", reply.text)
    assert link is not None, reply.text
    code = link.group(1)
    assert len(code) >= 22  # 128 random bits, URL-safe base64
    assert f"/start {code}" in reply.text
    return code


async def link_caregiver(patient: SimUser, caregiver: SimUser) -> None:
    """Invite, accept, and the patient confirms."""
    code = await invite_code(patient)
    waiting = await say(caregiver, f"/start {code}")
    assert "will confirm first" in waiting.text
    request = await patient.wait_for(lambda m: "wants to get your alerts" in m.text)
    assert caregiver.user["first_name"] in request.text
    await patient.press(request, "Allow")
    await patient.wait_for(lambda m: "now gets your alerts" in m.text)
    await caregiver.wait_for(lambda m: "You now get alerts" in m.text)
