"""METRICS_PORT: /healthz and Prometheus /metrics, served by aiohttp in the bot's own event loop.

Counts and times only: nothing here names a patient, a medication or a symptom.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.db.health import owed_by_priority, ping
from bot.tg.metrics import OWED
from bot.tg.rate_limits import TelegramLimits

if TYPE_CHECKING:
    from bot.app import MedBot

log = logging.getLogger(__name__)

DATABASE_TIMEOUT = 2.0  # seconds `SELECT 1` may take before the database counts as down
# A job whose next run is this far in the past is not being run: the scheduler (or the
# event loop) is stuck. The shortest interval is the heartbeat's second, the longest an hour.
OVERDUE_JOB = timedelta(seconds=90)


class Monitoring:
    """The HTTP server on METRICS_PORT, started and stopped with the bot."""

    def __init__(self, medbot: MedBot, *, port: int, host: str = "0.0.0.0") -> None:  # noqa: S104 - scraped from outside the container
        self._medbot = medbot
        self._host, self._port = host, port
        self._runner: web.AppRunner | None = None
        self._collector = TelegramCounts(medbot)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._host, self._port).start()
        REGISTRY.register(self._collector)
        log.info("Health and metrics on port %d (/healthz, /metrics)", self._port)

    async def stop(self) -> None:
        if self._runner is not None:
            REGISTRY.unregister(self._collector)
            await self._runner.cleanup()
            self._runner = None

    async def health(self) -> tuple[bool, dict[str, Any]]:
        """Healthy when the database answers and the scheduler runs its jobs."""
        medbot = self._medbot
        reachable = await self._database_reachable()
        alive, jobs = self._scheduler_state()
        owed = await owed_by_priority(medbot.engine, medbot.clock.now()) if reachable else None
        last_sent_at = medbot.messenger.last_sent_at
        report = {
            "status": "ok" if reachable and alive is not False else "unhealthy",
            "database": {"reachable": reachable},
            "scheduler": {"alive": alive, "next_runs": jobs},
            "last_send_at": last_sent_at.isoformat() if last_sent_at else None,
            "owed": None
            if owed is None
            else {"total": sum(owed.values())} | {p.name.lower(): n for p, n in owed.items()},
        }
        return report["status"] == "ok", report

    async def _database_reachable(self) -> bool:
        try:
            await asyncio.wait_for(ping(self._medbot.engine), DATABASE_TIMEOUT)
        except Exception as error:  # any failure to answer (refused, timed out) means down
            log.warning("Health check: the database did not answer (%s)", type(error).__name__)
            return False
        return True

    def _scheduler_state(self) -> tuple[bool | None, dict[str, str | None]]:
        """None when this process has no scheduler (a test drives the ticks)."""
        scheduler = self._medbot.scheduler
        if scheduler is None:
            return None, {}
        jobs = {job.id: job.next_run_time for job in scheduler.get_jobs()}
        now = datetime.now(UTC)  # the scheduler runs on real time, whatever the bot's clock
        alive = (
            scheduler.running
            and bool(jobs)
            and all(at is not None and now - at < OVERDUE_JOB for at in jobs.values())
        )
        return alive, {job: at.isoformat() if at else None for job, at in jobs.items()}

    async def _healthz(self, _request: web.Request) -> web.Response:
        healthy, report = await self.health()
        return web.json_response(report, status=200 if healthy else 503)

    async def _metrics(self, _request: web.Request) -> web.Response:
        medbot = self._medbot
        if await self._database_reachable():
            for priority, count in (
                await owed_by_priority(medbot.engine, medbot.clock.now())
            ).items():
                OWED.labels(priority=priority.name.lower()).set(count)
        return web.Response(
            body=generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )


class TelegramCounts(Collector):
    """What the rate limiter counted (bot/tg/rate_limits.py), read at each scrape."""

    def __init__(self, medbot: MedBot) -> None:
        self._medbot = medbot

    def collect(self) -> Iterator[Metric]:
        limits = self._medbot.application.bot.rate_limiter
        if not isinstance(limits, TelegramLimits):
            return
        yield CounterMetricFamily(
            "medbot_telegram_429",
            "429 Too Many Requests answers from Telegram",
            value=limits.too_many_requests,
        )
        yield CounterMetricFamily(
            "medbot_telegram_retries",
            "Bot API calls retried after a transient failure (network, 5xx, timeout)",
            value=limits.retried,
        )
