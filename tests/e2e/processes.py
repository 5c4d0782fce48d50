"""A real `medbot run` process against the emulator, for the crash and signal tests."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from bot.emulator import BotApiEmulator
from tests.e2e.conftest import TOKEN


class BotProcess:
    """`python -m bot run` against the emulator, as an operator would start it."""

    def __init__(self, emulator: BotApiEmulator, database_url: str) -> None:
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": emulator.base_url,
            "DATABASE_URL": database_url,
        }
        self.process: asyncio.subprocess.Process | None = None

    async def start(self, emulator: BotApiEmulator) -> None:
        starts_before = len(emulator.calls("deleteWebhook"))
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=self.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        # Ready once it starts polling (PTB clears any webhook first).
        async with asyncio.timeout(30):
            while len(emulator.calls("deleteWebhook")) <= starts_before:
                assert self.process.returncode is None, await self.process.stderr.read()
                await asyncio.sleep(0.05)

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> bytes:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            async with asyncio.timeout(20):
                await self.process.wait()
        return await self.process.stderr.read()
