"""The bench's moving parts: a fresh database, the emulator's process, the bot's process."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import aiohttp
import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from bot.db.migrate import upgrade

BENCH_TOKEN = "123456:BENCH-not-a-real-token"  # noqa: S105 - emulator-only
WEBHOOK_SECRET = "bench-webhook-secret"  # noqa: S105 - between the bench's own processes
READY_WITHIN = 120.0  # seconds a process may take to start (100,000 patients included)


class BenchError(Exception):
    """The bench could not run (a process died, a database could not be made)."""


@asynccontextmanager
async def fresh_database(server_url: str | None) -> AsyncIterator[str]:
    """A migrated, empty database: a temporary SQLite file, or a new database on the
    PostgreSQL server of `server_url`, dropped at the end (as tests/conftest.py does)."""
    if server_url is None:
        with tempfile.TemporaryDirectory(prefix="medbot-bench-") as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            await asyncio.to_thread(upgrade, url)
            yield url
        return
    server = make_url(server_url)
    if server.get_backend_name() != "postgresql":
        raise BenchError("--database-url takes a PostgreSQL server, postgresql+asyncpg://...")
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"medbot_bench_{uuid.uuid4().hex[:12]}"
    await _admin(admin, f'CREATE DATABASE "{name}"')
    try:
        fresh = server.set(drivername="postgresql+asyncpg", database=name)
        rendered = fresh.render_as_string(hide_password=False)
        await asyncio.to_thread(upgrade, rendered)
        yield rendered
    finally:
        await _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _admin(url: str, statement: str) -> None:
    try:
        connection = await asyncpg.connect(url)
    except (OSError, asyncpg.PostgresError) as error:
        raise BenchError(f"PostgreSQL cannot be reached: {error}") from error
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def free_port() -> int:
    """A local TCP port nothing listens on now (a webhook's, a metrics endpoint's)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Host:
    """A child process that reports in JSON lines on its stdout."""

    def __init__(self, process: asyncio.subprocess.Process, what: str) -> None:
        self.process = process
        self.what = what

    @classmethod
    async def start(cls, module: str, *args: str, env: dict[str, str], log: IO[str]) -> Host:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            module,
            *args,
            env={**os.environ, **env},
            # Its stdin closes when the bench ends, however it ends: the child then stops.
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
        )
        return cls(process, module)

    async def line(self, timeout: float = READY_WITHIN) -> dict[str, Any]:  # noqa: ASYNC109
        assert self.process.stdout is not None
        try:
            raw = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        except TimeoutError:
            raise BenchError(f"{self.what} said nothing for {timeout:.0f} s") from None
        if not raw:
            code = await self.process.wait()
            raise BenchError(f"{self.what} ended (exit {code}); see medbot-bench.log")
        line: dict[str, Any] = json.loads(raw)
        return line

    async def stop(self) -> dict[str, Any] | None:
        """SIGTERM, then its last line (None if it had died)."""
        if self.process.returncode is not None:
            return None
        self.process.terminate()
        try:
            last = await self.line(timeout=30)
        except BenchError:
            last = None
        await self.process.wait()
        return last

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()


def stop_on_signal_or_orphaned() -> asyncio.Event:
    """An event set at SIGTERM, or when stdin closes: the bench that started this process
    has ended (even killed), so no child outlives it."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)

    def watch() -> None:
        # os.read, not sys.stdin: a daemon thread must not hold the buffer's lock at exit.
        while os.read(0, 4096):
            pass
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch, daemon=True).start()
    return stop


class Emulator:
    """The emulator's process and its control API (bot.bench.emulator_host)."""

    def __init__(self, host: Host, api_url: str, control_url: str) -> None:
        self.host = host
        self.api_url = api_url
        self._http = aiohttp.ClientSession(control_url, timeout=aiohttp.ClientTimeout(total=None))

    @classmethod
    @asynccontextmanager
    async def running(cls, log: IO[str]) -> AsyncIterator[Emulator]:
        host = await Host.start("bot.bench.emulator_host", BENCH_TOKEN, env={}, log=log)
        try:
            ready = await host.line()
            emulator = cls(host, ready["api"], ready["control"])
            try:
                yield emulator
            finally:
                await emulator._http.close()
                await host.stop()
        finally:
            host.kill()

    async def call(self, name: str, **body: Any) -> dict[str, Any]:
        async with self._http.post(f"/{name}", json=body) as response:
            response.raise_for_status()
            answer: dict[str, Any] = await response.json()
        return answer


@asynccontextmanager
async def bot_process(
    emulator: Emulator,
    database_url: str,
    log: IO[str],
    *,
    paid_broadcast: bool | None,
    burst_at: datetime | None = None,
    lead: float = 0.0,
    unlimited: bool = False,
    limit_replies: bool | None = None,
    webhook_port: int | None = None,
) -> AsyncIterator[Host]:
    """The bot (bot.bench.bot_host) against the emulator; PAID_BROADCAST and LIMIT_REPLIES
    set when given; in webhook mode on `webhook_port` when given, else long polling. Its
    clock is set from the moment this is called, so processes started together agree."""
    env = {
        "TELEGRAM_BOT_TOKEN": BENCH_TOKEN,
        "TELEGRAM_API_URL": emulator.api_url,
        "DATABASE_URL": database_url,
    }
    args = ["--lead", str(lead), "--started-at", str(time.time())]
    if webhook_port is not None:
        env |= {
            "WEBHOOK_URL": "https://bench.invalid/",  # what Telegram would be told; not called
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(webhook_port),
            "WEBHOOK_SECRET": WEBHOOK_SECRET,
        }
        args.append("--webhook")
    if paid_broadcast is not None:
        env["PAID_BROADCAST"] = "true" if paid_broadcast else "false"
    if limit_replies is not None:
        env["LIMIT_REPLIES"] = "true" if limit_replies else "false"
    if burst_at is not None:
        args += ["--burst-at", burst_at.isoformat()]
    if unlimited:
        args.append("--unlimited")
    host = await Host.start("bot.bench.bot_host", *args, env=env, log=log)
    try:
        yield host
    finally:
        host.kill()
