"""`medbot demo`: the real bot against the built-in Bot API emulator, chatted with in a terminal."""

from __future__ import annotations

import sys

from pydantic import AnyHttpUrl, SecretStr

from bot.app import build_bot
from bot.config import Settings
from bot.emulator import BotApiEmulator
from bot.emulator.terminal import run_terminal_chat
from bot.tg.rate_limits import TelegramLimits

# The emulator accepts only this token; it is not a Telegram token and opens nothing.
DEMO_TOKEN = "123456:DEMO-not-a-real-token"  # noqa: S105 - emulator-only


async def run_demo(settings: Settings) -> int:
    async with BotApiEmulator(token=DEMO_TOKEN, bot_username="medbot_demo_bot") as emulator:
        medbot = build_bot(
            settings.model_copy(
                update={
                    "telegram_bot_token": SecretStr(DEMO_TOKEN),
                    "telegram_api_url": AnyHttpUrl(emulator.base_url),
                }
            ),
            # The emulator has no limits to keep under: replies come at once.
            limits=TelegramLimits(per_second=0, per_chat_interval=0, paid_per_second=0),
        )
        await medbot.start(poll_timeout=1)
        try:
            you = emulator.user(1, "You", language_code="en")
            # Piped input (a script, a test) waits for the bot to answer before the next line.
            settle = 0.0 if sys.stdin.isatty() else 1.0
            await run_terminal_chat(emulator, you, settle=settle)
        finally:
            await medbot.stop()
    return 0
