"""Fixtures: a running emulator and a real PTB Application polling it over HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.emulator import BotApiEmulator
from bot.emulator.waiting import Signal

TOKEN = "123456:TEST-TOKEN"
REPORT = b"date,dose\n2024-01-01,ok\n"
App = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class Seen:
    """What the PTB handlers received, so tests can check the bot side of each update."""

    updates: list[Update] = field(default_factory=list)
    callback_data: list[str | None] = field(default_factory=list)
    sent: list[Any] = field(default_factory=list)  # telegram.Message objects PTB got back
    errors: list[BaseException] = field(default_factory=list)
    changed: Signal = field(default_factory=Signal)

    def note(self, bucket: list[Any], item: Any) -> None:
        bucket.append(item)
        self.changed.fire()

    async def wait(self, check: Callable[[], object]) -> None:
        """Wait until a PTB handler has done what `check` looks for (5 s deadline)."""
        await self.changed.wait_until(lambda: True if check() else None, 5.0)


def reminder_markup() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("✅ Taken", callback_data="dose:7:taken"),
                InlineKeyboardButton("⏰ Snooze", callback_data="dose:7:snooze"),
            ],
            [InlineKeyboardButton("⏭ Skip", callback_data="dose:7:skip")],
        ]
    )


def build_app(emu: BotApiEmulator, seen: Seen) -> App:
    """A small bot with the shapes MedBot uses: commands, inline buttons, edits, files."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.note(seen.updates, update)
        assert update.effective_message is not None
        sent = await update.effective_message.reply_text(
            "💊 Time for <b>Aspirin</b> 100 mg", parse_mode="HTML", reply_markup=reminder_markup()
        )
        seen.note(seen.sent, sent)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        seen.note(seen.updates, update)
        seen.note(seen.callback_data, query.data)
        action = (query.data or "").rsplit(":", 1)[-1]
        await query.answer(f"Noted: {action}")
        await query.edit_message_text(f"✅ Aspirin: {action}")

    async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        sent = await update.effective_message.reply_document(
            InputFile(REPORT, filename="report.csv"), caption="Your adherence report"
        )
        seen.note(seen.sent, sent)

    async def anything(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.note(seen.updates, update)
        if update.message and update.message.text:  # not for edits or member updates
            await update.message.reply_text(f"You said: {update.message.text}")

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.note(seen.errors, context.error)

    app = (
        ApplicationBuilder().token(TOKEN).base_url(emu.api_url).base_file_url(emu.file_url).build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("report", report))
    app.add_handler(CallbackQueryHandler(pressed))
    app.add_handler(ChatMemberHandler(anything, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.ALL, anything))
    app.add_error_handler(on_error)
    return app


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, bot_username="medbot_demo_bot") as emulator:
        yield emulator
    assert emulator.internal_errors == []


class Ticker:
    """A monotonic clock that moves only when the test says so: rate limits without sleeping."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def ticker() -> Ticker:
    return Ticker()


@pytest.fixture
async def ticked(ticker: Ticker) -> AsyncIterator[BotApiEmulator]:
    """An emulator whose rate limits and call times follow `ticker`."""
    async with BotApiEmulator(token=TOKEN, monotonic=ticker) as emulator:
        yield emulator
    assert emulator.internal_errors == []


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
async def app(emu: BotApiEmulator, seen: Seen) -> AsyncIterator[App]:
    application = build_app(emu, seen)
    assert application.updater is not None
    await application.initialize()
    await application.start()
    # timeout=1: each long poll ends within a second even if cancellation were to fail.
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
    assert seen.errors == []  # no handler of the test bot crashed


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(
    http: aiohttp.ClientSession, emu: BotApiEmulator, method: str, token: str = TOKEN, **params: Any
) -> tuple[int, dict[str, Any]]:
    """POST form-encoded like PTB does: strings raw, everything else JSON-encoded."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    async with http.post(f"{emu.base_url}/bot{token}/{method}", data=form) as response:
        return response.status, await response.json()
