"""Composition root: engine, unit of work, scheduler, messenger and the PTB Application."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import BotCommand
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot.config import Settings
from bot.db.engine import create_engine, session_factory
from bot.db.uow import SqlUnitOfWork
from bot.domain.knowledge import KnowledgeBase
from bot.knowledge.loader import load_knowledge
from bot.services.caregivers import deliver_alerts
from bot.services.ports import Alarm, Clock, UnitOfWorkFactory
from bot.services.reminders import dispatch_due_doses, materialise_doses, sweep_unanswered
from bot.services.tapers import announce_taper_steps
from bot.tg import texts
from bot.tg.context import BotDeps, MedContext, install_deps
from bot.tg.handlers import register
from bot.tg.sender import TelegramMessenger

DISPATCH_EVERY = timedelta(seconds=30)  # safety net; the alarm wakes it sooner
SWEEP_EVERY = timedelta(minutes=1)
MATERIALISE_EVERY = timedelta(hours=1)
ALERTS_EVERY = timedelta(seconds=30)  # routine; a red flag wakes it at once


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class SchedulerAlarm:
    """Pulls a job's next wake-up earlier; one job whatever the number of patients."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        self.scheduler: AsyncIOScheduler | None = None

    def arm(self, at: datetime) -> None:
        job = self.scheduler.get_job(self.job_id) if self.scheduler else None
        if job is not None and (job.next_run_time is None or at < job.next_run_time):
            job.modify(next_run_time=max(at, datetime.now(UTC)))


@dataclass
class MedBot:
    """The running bot: its Application plus the ticks the scheduler (or a test) calls."""

    settings: Settings
    application: Application[Any, Any, Any, Any, Any, Any]
    engine: AsyncEngine
    uow_factory: UnitOfWorkFactory
    clock: Clock
    alarm: Alarm
    alert_alarm: Alarm
    kb: KnowledgeBase
    claimer: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    scheduler: AsyncIOScheduler | None = None

    async def start(self) -> None:
        """What run_polling does, without owning the event loop (demo and tests)."""
        await self.application.initialize()
        await _on_start(self.application)
        assert self.application.updater is not None
        await self.application.updater.start_polling(poll_interval=0, timeout=1)
        await self.application.start()

    async def stop(self) -> None:
        assert self.application.updater is not None
        if self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
            await _on_stop(self.application)
        await self.application.shutdown()

    @cached_property
    def messenger(self) -> TelegramMessenger:
        return TelegramMessenger(self.application.bot)

    async def dispatch_tick(self) -> int:
        sent = await dispatch_due_doses(
            self.uow_factory,
            clock=self.clock,
            messenger=self.messenger,
            default_zone=self.settings.default_timezone,
            claimer=self.claimer,
        )
        async with self.uow_factory() as uow:
            next_due = await uow.doses.next_due_at()
        if next_due is not None:
            self.alarm.arm(next_due)
        return sent

    async def sweep_tick(self) -> tuple[int, int]:
        return await sweep_unanswered(
            self.uow_factory,
            clock=self.clock,
            messenger=self.messenger,
            kb=self.kb,
            default_zone=self.settings.default_timezone,
            nag_after=self.settings.nag_after,
            missed_after=self.settings.missed_after,
        )

    async def materialise_tick(self) -> int:
        created = await materialise_doses(
            self.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            default_zone=self.settings.default_timezone,
        )
        await self.taper_tick()
        return created

    async def alert_tick(self) -> int:
        return await deliver_alerts(
            self.uow_factory,
            clock=self.clock,
            messenger=self.messenger,
            default_zone=self.settings.default_timezone,
            missed_window=self.settings.missed_after,
        )

    async def taper_tick(self) -> int:
        return await announce_taper_steps(
            self.uow_factory,
            clock=self.clock,
            messenger=self.messenger,
            default_zone=self.settings.default_timezone,
        )


def build_bot(
    settings: Settings,
    *,
    clock: Clock | None = None,
    alarm: Alarm | None = None,
    alert_alarm: Alarm | None = None,
    engine: AsyncEngine | None = None,
) -> MedBot:
    """Wire everything; a test passes its own clock and alarm and calls the ticks itself."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is required")
    engine = engine or create_engine(settings.database_url)
    sessions = session_factory(engine)
    scheduler_alarms = [SchedulerAlarm("dispatch"), SchedulerAlarm("alerts")]
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{settings.api_root}/bot")
        .base_file_url(f"{settings.api_root}/file/bot")
        .context_types(ContextTypes(context=MedContext))
        .rate_limiter(AIORateLimiter(max_retries=2))
        .concurrent_updates(True)
        .job_queue(None)
        .post_init(_on_start)
        .post_stop(_on_stop)
        .build()
    )
    medbot = MedBot(
        settings=settings,
        application=application,
        engine=engine,
        uow_factory=lambda: SqlUnitOfWork(sessions),
        clock=clock or SystemClock(),
        alarm=alarm or scheduler_alarms[0],
        alert_alarm=alert_alarm or scheduler_alarms[1],
        kb=load_knowledge(),
    )
    if alarm is None:
        medbot.scheduler = _scheduler_for(medbot)
        for scheduler_alarm in scheduler_alarms:
            scheduler_alarm.scheduler = medbot.scheduler
    application.bot_data["medbot"] = medbot
    install_deps(
        application,
        BotDeps(
            uow_factory=medbot.uow_factory,
            clock=medbot.clock,
            alarm=medbot.alarm,
            alert_alarm=medbot.alert_alarm,
            kb=medbot.kb,
            default_zone=settings.default_timezone,
            snooze=settings.snooze,
        ),
    )
    register(application)
    return medbot


async def _on_start(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await application.bot.set_my_commands(
        [BotCommand(name, description) for name, description, _ in texts.COMMANDS]
    )
    medbot: MedBot = application.bot_data["medbot"]
    if medbot.scheduler is not None:
        medbot.scheduler.start()


async def _on_stop(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    medbot: MedBot = application.bot_data["medbot"]
    if medbot.scheduler is not None and medbot.scheduler.running:
        medbot.scheduler.shutdown(wait=False)
    await medbot.engine.dispose()


def _scheduler_for(medbot: MedBot) -> AsyncIOScheduler:
    """Three fixed jobs, whatever the number of patients: APScheduler says when, the DB what."""
    scheduler = AsyncIOScheduler(timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1})
    start = datetime.now(UTC)
    for job_id, tick, every in (
        ("dispatch", medbot.dispatch_tick, DISPATCH_EVERY),
        ("sweep", medbot.sweep_tick, SWEEP_EVERY),
        ("materialise", medbot.materialise_tick, MATERIALISE_EVERY),
        ("alerts", medbot.alert_tick, ALERTS_EVERY),
    ):
        scheduler.add_job(
            tick,
            "interval",
            id=job_id,
            seconds=every.total_seconds(),
            next_run_time=start,
            misfire_grace_time=None,
        )
    return scheduler
