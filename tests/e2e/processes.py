"""A real `medbot run` process against the emulator, for the crash and signal tests."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys

from bot.emulator import BotApiEmulator
from tests.e2e.conftest import TOKEN


class BotProcess:
    """`python -m bot run` against the emulator, as an operator would start it; with
    WEBHOOK_URL and WEBHOOK_PORT in `env`, in webhook mode on that port."""

    def __init__(self, emulator: BotApiEmulator, database_url: str, **env: str) -> None:
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": emulator.base_url,
            "DATABASE_URL": database_url,
            **env,
        }
        self.webhook_port = int(env["WEBHOOK_PORT"]) if "WEBHOOK_URL" in env else None
        self.process: asyncio.subprocess.Process | None = None

    @property
    def claimer(self) -> str:
        """How its dispatcher signs its claims (bot.app.MedBot.claimer)."""
        assert self.process is not None
        return f"{socket.gethostname()}:{self.process.pid}"

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
        # Ready once it starts polling (PTB clears any webhook first), or listens for one.
        async with asyncio.timeout(30):
            while not await self._ready(emulator, starts_before):
                assert self.process.returncode is None, await self.process.stderr.read()
                await asyncio.sleep(0.05)

    async def _ready(self, emulator: BotApiEmulator, starts_before: int) -> bool:
        if self.webhook_port is None:
            return len(emulator.calls("deleteWebhook")) > starts_before
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", self.webhook_port)
        except OSError:
            return False
        writer.close()
        return True

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
