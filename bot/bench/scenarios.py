"""The scenarios of issue 12, each on a fresh database with the emulator and the bot in
processes of their own: own speed, on time at 08:00, paid broadcasts, 100,000 patients, and
updates handled while a burst goes out; and /ask's own speed (issue 8), in this process."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as time_of_day
from typing import IO, Any

from sqlalchemy import func, select

from bot.bench.ask_speed import ask_speed
from bot.bench.processes import (
    WEBHOOK_SECRET,
    Emulator,
    bot_process,
    free_port,
    fresh_database,
)
from bot.bench.report import Figure, Section, percentile
from bot.bench.seed import Cohort, Seeded, dose_instants, seed
from bot.config import Settings
from bot.db.engine import create_engine
from bot.db.tables import DoseRow

SCENARIOS = ("own-speed", "on-time", "paid", "scale", "updates", "ask")
LIMIT = 30.0  # Telegram's messages a second overall (the emulator enforces it in on-time)
PAID_LIMIT = 1000.0
# The bot's clock starts this long (plus its look-ahead) before the burst: time to start,
# run its first materialiser and dispatcher ticks over the patients, and arm the alarm.
LEAD = 3.0
LEAD_PER_PATIENT = 0.0005
PLAN_AHEAD_AT_MOST = 300.0
FIRST_CHAT = 100_000
UPDATER_CHAT = 900_000  # the chats writing /log and /ask (their doses fall at 20:00)
UPDATE_TEXTS = ("/log Baclofen", "/ask can I have a beer tonight")
SCALE_ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo")
LANGUAGES = ("en", "de", "es", "ru")
WINDOW_WAIT = 600.0  # seconds the scale scenario waits for the materialiser's 48 h window


@dataclass(frozen=True, slots=True)
class Options:
    database_url: str | None = None  # a PostgreSQL server; None: a temporary SQLite file
    scenarios: tuple[str, ...] = SCENARIOS
    patients: int = 10_000  # own-speed and paid
    on_time: tuple[int, ...] = (1_800, 5_000)
    scale_patients: int = 100_000
    update_rate: float = 500.0
    updates: int = 5_000
    burst_with_updates: int | None = None  # None: 10,000 if paid broadcasts exist, else 300
    webhook_processes: int = 0  # updates: 0 is one process polling; N, N webhook processes


@dataclass(frozen=True, slots=True)
class Features:
    """What the bot offers today (issue 12 is built in steps)."""

    paid_broadcast: bool
    lookahead: float | None  # seconds; None: no look-ahead setting
    limit_replies: bool  # LIMIT_REPLIES exists: replies can go out unspaced

    @classmethod
    def of(cls, settings: Settings) -> Features:
        fields = type(settings).model_fields
        lookahead = None
        for name in fields:
            if "lookahead" in name or "look_ahead" in name:
                value = getattr(settings, name)
                if isinstance(value, timedelta):
                    lookahead = value.total_seconds()
                elif isinstance(value, int | float):
                    lookahead = float(value) * (60 if name.endswith("minutes") else 1)
        return cls(
            paid_broadcast="paid_broadcast" in fields,
            lookahead=lookahead,
            limit_replies="limit_replies" in fields,
        )


@dataclass(slots=True)
class Burst:
    """What one burst did: every reminder the emulator accepted, against the doses due."""

    due: int
    sends: list[tuple[int, Any, float, bool]]  # (dose id, chat, wall time, paid broadcast)
    due_ids: range
    burst_at: float  # the scheduled instant as wall-clock time
    too_many_requests: int
    peak_rss_mib: float | None
    handled: list[float] = field(default_factory=list)  # update handed to the bot -> reply
    end_to_end: list[float] = field(default_factory=list)  # update queued -> reply
    updates: int = 0
    replies: int = 0  # updates that had their reply
    extra_replies: int = 0  # messages to an answered chat after its reply
    replies_lost: int = 0
    per_process: list[int] = field(default_factory=list)  # webhook mode: updates posted to each

    @property
    def first_sends(self) -> dict[int, float]:
        first: dict[int, float] = {}
        for dose_id, _chat, at, _paid in self.sends:
            first.setdefault(dose_id, at)
        return first

    @property
    def sent(self) -> int:
        return len(set(self.first_sends) & set(self.due_ids))

    @property
    def duplicates(self) -> int:
        return sum(count - 1 for count in Counter(s[0] for s in self.sends).values())

    @property
    def lost(self) -> int:
        return self.due - self.sent

    @property
    def lateness(self) -> list[float]:
        return [at - self.burst_at for at in self.first_sends.values()]

    @property
    def rate(self) -> float:
        """Reminders a second between the first and the last."""
        times = sorted(s[2] for s in self.sends)
        return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0

    @property
    def paid_share(self) -> float:
        return sum(1 for s in self.sends if s[3]) / len(self.sends) if self.sends else 0.0

    def count_figures(self) -> list[Figure]:
        return [
            Figure("due", "reminders due", self.due),
            Figure("sent", "sent (once or more)", self.sent, target="= due"),
            Figure("duplicates", "duplicates", self.duplicates, target="0"),
            # Not sent when the bench stopped waiting (60 s + 1 s per 25 due after the burst).
            Figure("lost", "lost (not sent in time)", self.lost, target="0"),
        ]

    @property
    def counts_ok(self) -> bool:
        replies_ok = self.replies == self.updates and self.extra_replies == 0
        return self.lost == 0 and self.duplicates == 0 and self.replies_lost == 0 and replies_ok


class Bench:
    def __init__(self, options: Options, settings: Settings, log: IO[str]) -> None:
        self.options = options
        self.features = Features.of(settings)
        self.log = log

    async def run(self, name: str) -> list[Section]:
        runs: dict[str, Callable[[], Awaitable[list[Section]]]] = {
            "own-speed": self.own_speed,
            "on-time": self.on_time,
            "paid": self.paid,
            "scale": self.scale,
            "updates": self.updates,
            "ask": self.ask,
        }
        return await runs[name]()

    # -- the scenarios -------------------------------------------------------------------

    async def ask(self) -> list[Section]:
        return [ask_speed()]

    async def own_speed(self) -> list[Section]:
        section = Section("own-speed")
        paid = self.features.paid_broadcast
        # The bot's own speed, not the limit's: its limiter keeps paid broadcasts under
        # Telegram's 1,000 a second, so with it on no bot could show more (the paid scenario
        # runs with it). Everything else is as with PAID_BROADCAST=true.
        section.note = "the bot's own spacing off (the paid scenario keeps it)"
        if not paid:
            section.note = "PAID_BROADCAST n/a (not implemented): the bot's own spacing off"
        burst = await self._burst(
            self.options.patients, emulator_limits=None, paid=paid, unlimited=True
        )
        section.add(
            Figure("rate", "reminders a second", burst.rate, "/s", ">= 1,000/s"),
            Figure("last_after", "last sent after due", max(burst.lateness, default=0), "s"),
            *burst.count_figures(),
            Figure("peak_rss_mib", "peak memory (RSS)", burst.peak_rss_mib, "MiB"),
        )
        section.counts_ok = burst.counts_ok
        return [section]

    async def on_time(self) -> list[Section]:
        sections = []
        for due in self.options.on_time:
            section = Section(f"on-time {due}")
            burst = await self._burst(due, emulator_limits=_TELEGRAM, paid=False)
            lateness = burst.lateness
            within = "<= 60 s" if due <= 1_800 else "as the limit dictates"
            section.add(
                Figure(
                    "lookahead",
                    "look-ahead setting",
                    self.features.lookahead,
                    "s",
                    absent="none (the dispatcher plans)",
                ),
                Figure("first_after", "first sent after due", min(lateness, default=None), "s"),
                Figure("lateness_p50", "lateness p50", percentile(lateness, 0.5), "s"),
                Figure("lateness_p99", "lateness p99", percentile(lateness, 0.99), "s", within),
                Figure("lateness_max", "lateness max", max(lateness, default=None), "s", within),
                Figure("rate", "achieved rate", burst.rate, "/s", f">= {0.95 * LIMIT:.1f}/s"),
                Figure("rate_share", "share of the 30/s limit", round(burst.rate / LIMIT, 3)),
                Figure("too_many_requests", "429s", burst.too_many_requests, target="0"),
                *burst.count_figures(),
            )
            section.counts_ok = burst.counts_ok
            sections.append(section)
        return sections

    async def paid(self) -> list[Section]:
        section = Section("paid")
        if not self.features.paid_broadcast:
            section.add(Figure("paid_broadcast", "PAID_BROADCAST", None))
            return [section]
        burst = await self._burst(self.options.patients, emulator_limits=_TELEGRAM, paid=True)
        section.add(
            Figure("last_after", "last sent after due", max(burst.lateness, default=None), "s"),
            Figure("rate", "achieved rate", burst.rate, "/s", "<= 1,000/s"),
            Figure("paid_share", "share sent as paid broadcasts", round(burst.paid_share, 3)),
            Figure("too_many_requests", "429s", burst.too_many_requests, target="0"),
            *burst.count_figures(),
        )
        section.counts_ok = burst.counts_ok
        if burst.lateness and max(burst.lateness) > 60:
            section.note = "not all sent within the minute they were due"
        return [section]

    async def updates(self) -> list[Section]:
        section = Section("updates")
        paid = self.features.paid_broadcast
        size = self.options.burst_with_updates or (10_000 if paid else 300)
        # The emulator does not limit replies here: the bot need not space them either.
        burst = await self._burst(
            size,
            emulator_limits=None,
            paid=paid,
            updaters=self.options.updates,
            limit_replies=False if self.features.limit_replies else None,
        )
        handled, end_to_end = burst.handled, burst.end_to_end
        webhooks = self.options.webhook_processes
        section.add(
            Figure(
                "processes",
                "bot processes",
                f"{webhooks}, webhook mode" if webhooks else "1, long polling",
            ),
            Figure("rate_asked", "updates a second", self.options.update_rate, "/s"),
            *(
                [
                    Figure(
                        "per_process",
                        "updates each process took",
                        ", ".join(map(str, burst.per_process)),
                    )
                ]
                if webhooks
                else []
            ),
            Figure("updates", "updates sent", burst.updates),
            Figure("replies", "replies (one an update)", burst.replies, target="= updates"),
            Figure("extra_replies", "extra replies", burst.extra_replies, target="0"),
            Figure(
                "replies_lost", "replies lost (no reply for 10 s)", burst.replies_lost, target="0"
            ),
            # From the getUpdates answer that hands the update to the bot to its reply.
            Figure("handled_p50", "handling p50", _ms(percentile(handled, 0.5)), "ms"),
            Figure("handled_p99", "handling p99", _ms(percentile(handled, 0.99)), "ms", "< 100"),
            Figure("handled_max", "handling max", _ms(max(handled, default=None)), "ms"),
            # From the user's message queued at the emulator (long polling's wait included).
            Figure(
                "end_to_end_p99", "queued to reply p99", _ms(percentile(end_to_end, 0.99)), "ms"
            ),
            Figure("burst_rate", "burst meanwhile", burst.rate, "/s"),
            *burst.count_figures(),
        )
        if self.features.limit_replies:
            section.note = "LIMIT_REPLIES=false: the bot sends replies unspaced"
        section.counts_ok = burst.counts_ok
        return [section]

    async def scale(self) -> list[Section]:
        section = Section("scale")
        patients = self.options.scale_patients
        now = datetime.now(UTC)
        # Three daily times at least an hour from either end of the 48 h window in every
        # zone (whole-hour offsets), so the expected count does not depend on the second
        # the materialiser starts; and none due during the measurement.
        times = tuple(
            (now + timedelta(hours=hours)).time().replace(second=0, microsecond=0)
            for hours in (2, 10, 18)
        )
        cohort = Cohort(patients, times=times, zones=SCALE_ZONES, languages=LANGUAGES)
        async with fresh_database(self.options.database_url) as url:
            engine = create_engine(url)
            try:
                seeded = await seed(engine, cohort)
                async with Emulator.running(self.log) as emulator:
                    drivers = min(patients, 2_000)
                    await emulator.call("people", first=FIRST_CHAT, count=drivers)
                    spawned = time.time()
                    async with bot_process(emulator, url, self.log, paid_broadcast=None) as bot:
                        ready = await bot.line()
                        expected = _expected_doses(cohort, datetime.fromtimestamp(spawned, UTC))
                        window, handled, lost = await _until_written(
                            engine, emulator, expected, spawned, drivers
                        )
                        stopped = await bot.stop()
            finally:
                await engine.dispose()
        section.add(
            Figure("patients", "patients x daily doses", f"{patients:,} x {len(times)}"),
            Figure("seed_seconds", "seeding (bulk inserts)", seeded.seconds, "s"),
            Figure("startup", "start-up to polling", ready["at"] - spawned, "s", "<= 5 s"),
            Figure("window_expected", "48 h window: doses", expected),
            Figure(
                "window_seconds",
                "48 h window written after",
                window,
                "s",
                absent=f"not within {WINDOW_WAIT:.0f} s",
            ),
            Figure("jobs", "APScheduler jobs", ready["jobs"], target="independent of N"),
            Figure(
                "peak_rss_mib",
                "peak memory (RSS)",
                stopped["peak_rss_mib"] if stopped else None,
                "MiB",
                "<= 250 MiB",
            ),
            Figure("handled_p99", "/ask meanwhile: p99", _ms(percentile(handled, 0.99)), "ms"),
            Figure("handled_max", "/ask meanwhile: max", _ms(max(handled, default=None)), "ms"),
            Figure("replies_lost", "replies lost (no reply for 10 s)", lost, target="0"),
        )
        section.counts_ok = window is not None and lost == 0
        if window is None:
            section.note = "the 48 h window was not complete when the bench gave up"
        return [section]

    # -- one burst -----------------------------------------------------------------------

    async def _burst(
        self,
        due: int,
        *,
        emulator_limits: dict[str, float] | None,
        paid: bool,
        unlimited: bool = False,
        updaters: int = 0,
        limit_replies: bool | None = None,
    ) -> Burst:
        lead = LEAD + due * LEAD_PER_PATIENT + (self.features.lookahead or 0.0)
        if emulator_limits is not None and not paid:
            # Running long before 08:00, as a real bot is: a plan that starts early so that
            # the burst ends a minute after its time (at 90 % of the limit) can do so.
            lead += min(PLAN_AHEAD_AT_MOST, max(0.0, due / (0.9 * LIMIT) - 60))
        burst_at = _next_eight_oclock()
        start = burst_at - timedelta(seconds=lead)
        until = start + timedelta(hours=48)
        async with fresh_database(self.options.database_url) as url:
            engine = create_engine(url)
            try:
                # The window is written as the running bot's materialiser would have.
                seeded = await seed(engine, Cohort(due), doses_from=start, doses_until=until)
                if updaters:
                    evening = Cohort(updaters, times=(time_of_day(20, 0),), first_chat=UPDATER_CHAT)
                    await seed(engine, evening, doses_from=start, doses_until=until)
            finally:
                await engine.dispose()
            async with Emulator.running(self.log) as emulator:
                await emulator.call("people", first=FIRST_CHAT, count=due)
                await emulator.call("people", first=UPDATER_CHAT, count=updaters)
                if emulator_limits is not None:
                    await emulator.call("limits", **emulator_limits)
                # One process polling, or (updates, --webhook-processes) several behind a
                # balancer, started at once on one clock.
                webhooks = self.options.webhook_processes if updaters else 0
                ports = [free_port() for _ in range(webhooks)]
                listening: list[int | None] = [*ports] or [None]  # None: long polling
                async with AsyncExitStack() as stack:
                    bots = [
                        await stack.enter_async_context(
                            bot_process(
                                emulator,
                                url,
                                self.log,
                                paid_broadcast=paid if self.features.paid_broadcast else None,
                                burst_at=burst_at,
                                lead=lead,
                                unlimited=unlimited,
                                limit_replies=limit_replies,
                                webhook_port=port,
                            )
                        )
                        for port in listening
                    ]
                    ready = (await asyncio.gather(*(bot.line() for bot in bots)))[0]
                    if webhooks:
                        await emulator.call("push", ports=ports, secret=WEBHOOK_SECRET)
                    at = burst_at.timestamp() - ready["offset"]
                    drive = None
                    if updaters:
                        drive = asyncio.create_task(
                            emulator.call(
                                "drive",
                                chats=list(range(UPDATER_CHAT, UPDATER_CHAT + updaters)),
                                texts=list(UPDATE_TEXTS),
                                rate=self.options.update_rate,
                                start_at=at,
                            )
                        )
                    await _until_sent(emulator, due, at, limited=emulator_limits is not None)
                    driven: dict[str, Any] = {"handled": [], "lost": 0}
                    if drive is not None:
                        driven = await drive
                    stopped = await asyncio.gather(*(bot.stop() for bot in bots))
                sends = await emulator.call("reminders")
        due_ids = _due_ids(seeded, due)
        return Burst(
            due=due,
            sends=[tuple(s) for s in sends["reminders"] if s[0] in due_ids],  # type: ignore[misc]
            due_ids=due_ids,
            burst_at=at,
            too_many_requests=sends["too_many_requests"],
            peak_rss_mib=max((last["peak_rss_mib"] for last in stopped if last), default=None),
            handled=driven["handled"],
            end_to_end=driven.get("end_to_end", []),
            updates=updaters,
            replies=driven.get("replies", 0),
            extra_replies=sends.get("extra_replies", 0),
            replies_lost=driven["lost"],
            per_process=driven.get("per_process", []),
        )


_TELEGRAM = {"per_second": LIMIT, "per_chat": 1.0, "paid": PAID_LIMIT}


def _due_ids(seeded: Seeded, due: int) -> range:
    """The burst's doses: each patient's doses have consecutive ids, the first of them the
    one due at the burst (the window starts just before it)."""
    first, written = seeded.first_dose_id, seeded.rows["dose"]
    return range(first, first + written, max(1, written // due) if due else 1)


def _next_eight_oclock() -> datetime:
    """08:00 UTC at least a day ahead: the bot's clock is moved there (never back)."""
    tomorrow = datetime.now(UTC) + timedelta(days=2)
    return tomorrow.replace(hour=8, minute=0, second=0, microsecond=0)


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


async def _until_sent(emulator: Emulator, due: int, burst_at: float, *, limited: bool) -> None:
    """Until every due reminder was accepted (then a second more, for duplicates), or
    long after the limit would have let them all through."""
    rate = LIMIT * 0.9 if limited else 25.0
    give_up = max(burst_at, time.time()) + 60 + due / rate
    while time.time() < give_up:
        counts = await emulator.call("counts")
        if counts["reminders"] >= due:
            await asyncio.sleep(1.0)
            return
        await asyncio.sleep(0.25)


def _expected_doses(cohort: Cohort, start: datetime) -> int:
    instants = dose_instants(cohort, start, start + timedelta(hours=48))
    zones = cohort.zones
    return sum(
        len(instants[zones[index % len(zones)]]) * cohort.medications
        for index in range(cohort.patients)
    )


async def _until_written(
    engine: Any, emulator: Emulator, expected: int, spawned: float, drivers: int
) -> tuple[float | None, list[float], int]:
    """Seconds from the bot's start until the 48 h window is in the database (None: not
    within WINDOW_WAIT), while patients ask /ask 20 times a second: their handling times."""
    handled: list[float] = []
    lost = 0
    turn = 0
    while time.time() < spawned + WINDOW_WAIT:
        async with engine.connect() as connection:
            written = await connection.scalar(select(func.count()).select_from(DoseRow))
        if written >= expected:
            return time.time() - spawned, handled, lost
        chats = [FIRST_CHAT + n % drivers for n in range(turn, turn + 10)]
        turn += 10
        driven = await emulator.call("drive", chats=chats, texts=[UPDATE_TEXTS[1]], rate=20.0)
        handled += driven["handled"]
        lost += driven["lost"]
    return None, handled, lost
