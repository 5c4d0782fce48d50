"""Composition root: engine, unit of work, scheduler, messenger and the PTB Application."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import BotCommand
from telegram.error import InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot.config import Settings
from bot.db.engine import create_engine, session_factory
from bot.db.uow import SqlUnitOfWork
from bot.domain.flood import FloodGate
from bot.domain.knowledge import KnowledgeBase
from bot.domain.reminding import ReminderDefaults
from bot.knowledge.loader import load_knowledge
from bot.monitoring import Monitoring
from bot.services.caregivers import deliver_alerts
from bot.services.draining import SEND_CONCURRENCY
from bot.services.languages import recipient_language
from bot.services.outbox import deliver_owed
from bot.services.ports import Alarm, Clock, StorageUnavailable, UnitOfWorkFactory
from bot.services.reminders import (
    STALE_CLAIM,
    dispatch_due_doses,
    materialise_doses,
    next_dispatch_start,
    sweep_unanswered,
)
from bot.services.stock import check_refills
from bot.services.summaries import owe_weekly_summaries
from bot.services.tapers import announce_taper_steps
from bot.tg import texts
from bot.tg.aiohttp_request import AiohttpRequest
from bot.tg.context import BotDeps, MedContext, install_deps
from bot.tg.handlers import register
from bot.tg.i18n import LANGUAGES, SOURCE_LANGUAGE, _, speaking
from bot.tg.metrics import CountingMessenger
from bot.tg.rate_limits import PAID_PER_SECOND, PER_SECOND, TelegramLimits
from bot.tg.readable_updates import ReadableUpdatesBot
from bot.tg.sender import TelegramMessenger

DISPATCH_EVERY = timedelta(seconds=30)  # safety net; the alarm wakes it sooner
# Reminders in flight at once with paid broadcasts: httpcore scans its whole pool for every
# request, so more in flight costs more CPU per send (3.1 ms at 8, 4.3 ms at 32, measured).
PAID_CONCURRENCY = 16
# While this process sends, its claims' claimed_at moves forward this often: well inside
# STALE_CLAIM, so a live process keeps its claims and a dead one's go stale within seconds.
HEARTBEAT_EVERY = timedelta(seconds=1)
# The updates' units of work hold at most this many of the pool's connections at once
# (POOL_SIZE + POOL_OVERFLOW): a flood of updates waits its turn here instead of timing out
# on the pool, and the dispatcher's ticks always find a connection, so its heartbeat keeps
# its claims fresh and no other process takes them over while it is busy.
UPDATE_SESSIONS = 12
# Waiting for Telegram at start: 1 s, 2 s, 4 s... up to a minute between tries.
FIRST_RETRY = 1.0
LONGEST_RETRY = 60.0
UPDATES = ["message", "edited_message", "callback_query"]
SWEEP_EVERY = timedelta(minutes=1)
MATERIALISE_EVERY = timedelta(hours=1)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Webhook:
    """Webhook mode: Telegram posts updates to `url`; the bot listens on listen:port/path."""

    url: str
    secret: str | None
    listen: str = "0.0.0.0"  # noqa: S104 - reachable from the reverse proxy in front of it
    port: int = 8443
    path: str = "telegram"

    def as_kwargs(self) -> dict[str, Any]:
        return {
            "listen": self.listen,
            "port": self.port,
            "url_path": self.path,
            "webhook_url": f"{self.url.rstrip('/')}/{self.path}",
            "secret_token": self.secret,
            "allowed_updates": UPDATES,
        }


def webhook_of(settings: Settings) -> Webhook | None:
    """Webhook mode when WEBHOOK_URL is set, else None: long polling."""
    if settings.webhook_url is None:
        return None
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    return Webhook(
        url=str(settings.webhook_url),
        secret=secret,
        listen=settings.webhook_listen,
        port=settings.webhook_port,
    )


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class Pace(Clock, Protocol):
    """A clock running `speed` times faster than real time (`medbot demo --speed`): the
    scheduler runs on real time, so its intervals and the alarm's instants are converted."""

    @property
    def speed(self) -> float: ...

    def real_at(self, at: datetime) -> datetime:
        """The real instant at which this clock shows `at`."""
        ...


class SchedulerAlarm:
    """Pulls a job's next wake-up earlier; one job whatever the number of patients."""

    def __init__(self, job_id: str, pace: Pace | None = None) -> None:
        self.job_id = job_id
        self.pace = pace
        self.scheduler: AsyncIOScheduler | None = None

    def arm(self, at: datetime) -> None:
        if self.pace is not None:
            at = self.pace.real_at(at)
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
    alarm: Alarm  # wakes the dispatcher: a dose falls due, a message is owed
    kb: KnowledgeBase
    claimer: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    scheduler: AsyncIOScheduler | None = None
    stopping: bool = False  # set at shutdown: the dispatcher takes no new work
    delivering: bool = False  # a deliver tick is running: its claims are in flight
    _ticks: set[asyncio.Task[Any]] = field(default_factory=set)
    monitoring: Monitoring | None = None  # METRICS_PORT: /healthz and /metrics
    # The bot's HTTP sessions: PTB closes them only for a bot that reached Telegram.
    requests: tuple[AiohttpRequest, ...] = ()

    async def start(self, *, webhook: Webhook | None = None, poll_timeout: int = 10) -> None:
        """Connect to Telegram, waiting as long as it takes, then receive updates."""
        if self.monitoring is not None:  # first: /healthz says "not yet" while it waits
            await self.monitoring.start()
        await until_telegram_answers(self.application.initialize, self.settings.api_root)
        await until_telegram_answers(self._set_commands, self.settings.api_root)
        if self.scheduler is not None:
            self.scheduler.start()
        updater = self.application.updater
        assert updater is not None
        if webhook is None:
            await updater.start_polling(
                poll_interval=0, timeout=poll_timeout, allowed_updates=UPDATES, bootstrap_retries=-1
            )
        else:
            await updater.start_webhook(**webhook.as_kwargs(), bootstrap_retries=-1)
        await self.application.start()

    async def serve(self, *, webhook: Webhook | None = None) -> None:
        """`medbot run`: start, then serve until SIGTERM or SIGINT, then stop cleanly."""
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stopping.set)
        # A signal while it still waits for Telegram stops the wait too.
        starting = asyncio.create_task(self.start(webhook=webhook))
        signalled = asyncio.create_task(stopping.wait())
        await asyncio.wait({starting, signalled}, return_when=asyncio.FIRST_COMPLETED)
        if not starting.done():
            starting.cancel()
            await asyncio.gather(starting, return_exceptions=True)
            await self.stop()
            return
        signalled.cancel()
        starting.result()  # a refused token ends `medbot run` here
        keep_start_up_out_of_collections()
        log.info("MedBot is running")
        await stopping.wait()
        log.info("stopping: sends in flight finish, the rest stay owed")
        await self.stop()

    async def stop(self) -> None:
        """Stop taking work, let the sends in flight finish, then close everything."""
        self.stopping = True
        if self._ticks:
            await asyncio.gather(*self._ticks, return_exceptions=True)
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        for request in self.requests:  # a start that never reached Telegram left them open
            await request.shutdown()
        if self.monitoring is not None:
            await self.monitoring.stop()
        await self.engine.dispose()

    async def _set_commands(self) -> None:
        """The command menu in each language: Telegram shows the one of the client's language,
        the English one (no language code) to everyone else."""
        for language in LANGUAGES:
            with speaking(language):
                commands = [BotCommand(name, _(what)) for name, what, _example in texts.COMMANDS]
            code = None if language == SOURCE_LANGUAGE else language
            await self.application.bot.set_my_commands(commands, language_code=code)

    def scheduled(
        self, name: str, tick: Callable[[], Awaitable[object]], *, while_stopping: bool = False
    ) -> Callable[[], Awaitable[None]]:
        """A tick as the scheduler runs it: none after shutdown began (unless
        `while_stopping`: the heartbeat, while the last sends finish), tracked so stop() can
        let it finish, and a failure (the database away for a moment) logged in one line:
        the tick runs again at its next turn and picks up where this one left off."""

        async def run() -> None:
            if self.stopping and not while_stopping:
                return
            task = asyncio.current_task()
            assert task is not None
            self._ticks.add(task)
            try:
                await tick()
            except (StorageUnavailable, NetworkError) as error:
                log.warning("%s tick failed (%s); it runs again", name, type(error).__name__)
            except Exception:  # a bug: its traceback, and the scheduler keeps running
                log.exception("%s tick failed; it runs again", name)
            finally:
                self._ticks.discard(task)

        return run

    @cached_property
    def reminder_defaults(self) -> ReminderDefaults:
        return ReminderDefaults(
            repeat_every=self.settings.nag_after, missed_after=self.settings.missed_after
        )

    @cached_property
    def messenger(self) -> CountingMessenger:
        telegram = TelegramMessenger(
            self.application.bot,
            self._recipient_language,
            paid_broadcast=self.settings.paid_broadcast,
        )
        return CountingMessenger(telegram, self.clock)

    async def _recipient_language(self, chat_id: int) -> str | None:
        return await recipient_language(self.uow_factory, chat_id=chat_id)

    async def deliver_tick(self) -> int:
        """The one dispatcher, most urgent first: emergency alerts, reminders, owed messages
        (notices, edits, repeats, messages to another person), routine alerts."""
        self.delivering = True
        try:
            sent = await self.alert_tick(urgent_only=True)
            sent += await self.dispatch_tick()
            sent += await self.owed_tick()
            sent += await self.alert_tick()
        finally:
            self.delivering = False
        await self._arm_for_next()
        return sent

    async def heartbeat_tick(self) -> int:
        """While this process delivers, its claims stay its own: their claimed_at moves
        forward, so no other process takes them over. Once it rests (a failed send left
        claimed) or dies, they go stale and any process retries them. Returns how many."""
        if not self.delivering:
            return 0
        now = self.clock.now()
        async with self.uow_factory() as uow:
            refreshed = await uow.doses.refresh_claims(self.claimer, now)
            refreshed += await uow.outbox.refresh_claims(self.claimer, now)
            refreshed += await uow.alerts.refresh_claims(self.claimer, now)
            await uow.commit()
        return refreshed

    async def dispatch_tick(self) -> int:
        """Due reminders; returns how many were sent."""
        return await dispatch_due_doses(
            self.uow_factory,
            clock=self.clock,
            messenger=self.messenger,
            default_zone=self.settings.default_timezone,
            claimer=self.claimer,
            defaults=self.reminder_defaults,
            per_second=self.reminder_rate,
            concurrency=PAID_CONCURRENCY if self.settings.paid_broadcast else SEND_CONCURRENCY,
            should_stop=self._stopping,
        )

    @property
    def reminder_rate(self) -> float:
        """Reminders a second Telegram lets through: what the dispatcher plans a burst with."""
        return PAID_PER_SECOND if self.settings.paid_broadcast else PER_SECOND

    async def owed_tick(self) -> int:
        return await deliver_owed(
            self.uow_factory,
            clock=self.clock,
            messenger=self.messenger,
            default_zone=self.settings.default_timezone,
            claimer=self.claimer,
            should_stop=self._stopping,
        )

    async def alert_tick(self, *, urgent_only: bool = False) -> int:
        return await deliver_alerts(
            self.uow_factory,
            clock=self.clock,
            messenger=self.messenger,
            default_zone=self.settings.default_timezone,
            missed_window=self.settings.missed_after,
            claimer=self.claimer,
            urgent_only=urgent_only,
        )

    async def sweep_tick(self) -> tuple[int, int]:
        return await sweep_unanswered(
            self.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            kb=self.kb,
            defaults=self.reminder_defaults,
            default_zone=self.settings.default_timezone,
        )

    async def materialise_tick(self) -> int:
        created = await materialise_doses(
            self.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            default_zone=self.settings.default_timezone,
        )
        await self.taper_tick()
        await self.refill_tick()
        await self.summary_tick()
        return created

    async def taper_tick(self) -> int:
        return await announce_taper_steps(
            self.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            default_zone=self.settings.default_timezone,
        )

    async def refill_tick(self) -> int:
        return await check_refills(
            self.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            kb=self.kb,
            default_zone=self.settings.default_timezone,
        )

    async def summary_tick(self) -> int:
        """Weekly summaries due before this tick runs again, each owed at its Sunday 19:00."""
        return await owe_weekly_summaries(
            self.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            default_zone=self.settings.default_timezone,
            ahead=MATERIALISE_EVERY,
        )

    def _stopping(self) -> bool:
        return self.stopping

    async def _arm_for_next(self) -> None:
        """Wake for the next due dose or owed message, or when the oldest claim in flight
        would go stale: if its process died, this one takes it over then."""
        async with self.uow_factory() as uow:
            due = [await uow.doses.next_due_at(), await uow.outbox.next_due_at()]
            claims = [
                await uow.doses.oldest_claim_at(),
                await uow.outbox.oldest_claim_at(),
                await uow.alerts.oldest_claim_at(),
            ]
        due += [at + STALE_CLAIM for at in claims if at is not None]
        # A burst too big for its minute at the rate limit starts early.
        due.append(
            await next_dispatch_start(
                self.uow_factory, clock=self.clock, per_second=self.reminder_rate
            )
        )
        if upcoming := [at for at in due if at is not None]:
            self.alarm.arm(min(upcoming))


def keep_start_up_out_of_collections() -> None:
    """What start-up built (the knowledge base, the modules, the application) lives as long as
    the process: kept out of the collector's full passes, each of which otherwise stops the
    event loop for about 0.1 s under load (docs/performance.md). For a process's entry point
    only: every object alive now is never scanned for cycles again."""
    gc.collect()
    gc.freeze()


def build_bot(
    settings: Settings,
    *,
    clock: Clock | None = None,
    alarm: Alarm | None = None,
    engine: AsyncEngine | None = None,
    limits: TelegramLimits | None = None,
    read_timeout: float | None = None,
    pace: Pace | None = None,
) -> MedBot:
    """Wire everything; a test passes its own clock, alarm and limits and calls the ticks.
    The demo passes a `pace` instead of a clock: bot time that the scheduler follows."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is required")
    engine = engine or create_engine(settings.database_url)
    sessions = session_factory(engine)
    updates_gate = asyncio.Semaphore(UPDATE_SESSIONS)
    scheduler_alarm = SchedulerAlarm("dispatch", pace)
    # PTB's calls on aiohttp, a tenth of httpx's CPU a request (bot/tg/aiohttp_request.py);
    # PTB's builder's pool sizes; a test of lost replies need not wait PTB's default 5 s
    # (a long poll waits its own timeout on top of it).
    calls = AiohttpRequest(connection_pool_size=256, read_timeout=read_timeout or 5.0)
    polls = AiohttpRequest(connection_pool_size=1, read_timeout=read_timeout or 5.0)
    bot = ReadableUpdatesBot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=f"{settings.api_root}/bot",
        base_file_url=f"{settings.api_root}/file/bot",
        request=calls,
        get_updates_request=polls,
        rate_limiter=limits or TelegramLimits(limit_replies=settings.limit_replies),
    )
    application = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=MedContext))
        .concurrent_updates(True)
        .job_queue(None)
        .build()
    )
    medbot = MedBot(
        settings=settings,
        application=application,
        engine=engine,
        uow_factory=lambda: SqlUnitOfWork(sessions),
        clock=pace or clock or SystemClock(),
        alarm=alarm or scheduler_alarm,
        kb=load_knowledge(),
        requests=(calls, polls),
    )
    if alarm is None:
        speed = pace.speed if pace is not None else 1.0
        medbot.scheduler = scheduler_alarm.scheduler = _scheduler_for(medbot, speed)
    application.bot_data["medbot"] = medbot
    install_deps(
        application,
        BotDeps(
            uow_factory=lambda: SqlUnitOfWork(sessions, gate=updates_gate),
            clock=medbot.clock,
            alarm=medbot.alarm,
            kb=medbot.kb,
            default_zone=settings.default_timezone,
            snooze=settings.snooze,
            reminders=medbot.reminder_defaults,
            flood=FloodGate(
                limit=settings.flood_limit, window=settings.flood_window, pause=settings.flood_pause
            ),
        ),
    )
    if settings.metrics_port is not None:
        medbot.monitoring = Monitoring(medbot, port=settings.metrics_port)
    register(application)
    return medbot


async def until_telegram_answers(step: Callable[[], Awaitable[object]], api_root: str) -> None:
    """Run a start-up call until Telegram answers: a transient error (network, 5xx, a
    timeout) is retried with backoff, said once at WARNING (each retry at DEBUG); a refused
    token is not transient."""
    delay, said = FIRST_RETRY, False
    while True:
        try:
            await step()
        except InvalidToken:
            raise
        except (NetworkError, RetryAfter) as error:
            kind = type(error).__name__
            if said:
                log.debug("Telegram still unreachable (%s); next try in %.0f s", kind, delay)
            else:
                log.warning("Waiting for Telegram at %s (%s), retrying", api_root, kind)
                said = True
            await asyncio.sleep(delay)
            delay = min(delay * 2, LONGEST_RETRY)
        else:
            if said:
                log.info("Telegram answered")
            return


def _scheduler_for(medbot: MedBot, speed: float = 1.0) -> AsyncIOScheduler:
    """Four fixed jobs, whatever the number of patients: APScheduler says when, the DB what.
    At `speed` (the demo's pace) an interval of bot time is that many times shorter."""
    scheduler = AsyncIOScheduler(timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1})
    start = datetime.now(UTC)
    for job_id, tick, every in (
        ("dispatch", medbot.deliver_tick, DISPATCH_EVERY),
        ("sweep", medbot.sweep_tick, SWEEP_EVERY),
        ("materialise", medbot.materialise_tick, MATERIALISE_EVERY),
        ("heartbeat", medbot.heartbeat_tick, HEARTBEAT_EVERY),
    ):
        scheduler.add_job(
            medbot.scheduled(job_id, tick, while_stopping=job_id == "heartbeat"),
            "interval",
            id=job_id,
            seconds=every.total_seconds() / speed,
            next_run_time=start,
            misfire_grace_time=None,
        )
    return scheduler
