"""`medbot bench`: a burst of due doses through the real bot and the emulator, measured.

It answers the operator's questions: how long does an 08:00 burst of N reminders take to
go out (Telegram's ~30 messages/s limit included), is every one sent exactly once, and how
much memory does the process use. Figures vary with the machine; counts must not.
"""

from __future__ import annotations

import asyncio
import resource
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path

from pydantic import AnyHttpUrl, SecretStr

from bot.app import build_bot
from bot.config import Settings
from bot.db.migrate import upgrade
from bot.domain.ask import answer_question
from bot.domain.parsing import AddRequest
from bot.emulator import BotApiEmulator
from bot.services.medications import add_medication

BENCH_TOKEN = "123456:BENCH-not-a-real-token"  # noqa: S105 - emulator-only
FIRST_CHAT = 100_000
BURST_AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
# The emulator enforces Telegram's limits strictly during the burst: 30/s, 1/s per chat.
LIMIT = 30.0
# Varied, misspelt, rambling: what the matcher and the emergency detector read per update.
_QUESTIONS = (
    "can I have a beer tonight",
    "is it ok to drive after my dose",
    "what if I forget a dose",
    "can I stop taking it",
    "is it safe in pregnancy",
    "what is the weather like",
    "alchohol and klonopine??",
    "my bp meds make me woozy, can i ride my bike to work",
    "ttc rn, is zolft ok for the baby",
    "does gabapentin hurt your kidneys, i have ckd stage 3",
    "my nan is 87 and keeps falling since the new tablets",
    "having my wisdom teeth out thursday, do i stop metoprolol",
    "how often does the baclofen pump need a refill",
    "I've been on prednisone for 5 days for asthma and my friend's wedding is on Saturday, "
    "can I have a couple of glasses of champagne with the steroids?",
    "is it addictve",
    "took 3 at once by mistake, what now",
    "no seizures today, just tired",
    "i think hes having a sezure",
)
_ROUNDS = 20


class _FixedClock:
    def __init__(self, now: datetime) -> None:
        self.now_value = now

    def now(self) -> datetime:
        return self.now_value


class _NoAlarm:
    def arm(self, at: datetime) -> None:
        """The bench calls the dispatcher itself."""


@dataclass(frozen=True, slots=True)
class BenchResult:
    patients: int
    database: str
    setup_seconds: float
    burst_seconds: float
    reminders_sent: int
    achieved_per_second: float  # between the first and the last reminder accepted
    too_many_requests: int  # 429s the emulator's strict limits gave
    chats_reminded_once: int
    chats_reminded_twice_or_more: int
    ask_per_second: float
    emergencies_per_second: float
    peak_rss_mib: float

    def lines(self) -> list[str]:
        per_second = self.reminders_sent / self.burst_seconds if self.burst_seconds else 0.0
        return [
            f"patients                       {self.patients}",
            f"database                       {self.database}",
            f"set-up (add + materialise)     {self.setup_seconds:.2f} s",
            f"burst of due reminders         {self.burst_seconds:.2f} s ({per_second:.1f}/s)",
            f"reminders sent                 {self.reminders_sent}",
            f"rate against the 30/s limit    {self.achieved_per_second:.1f}/s "
            f"({self.achieved_per_second / LIMIT:.0%}), 429s: {self.too_many_requests}",
            f"chats reminded exactly once    {self.chats_reminded_once}",
            f"chats reminded twice or more   {self.chats_reminded_twice_or_more}",
            f"/ask matcher                   {self.ask_per_second:.0f} questions/s",
            f"emergency detector             {self.emergencies_per_second:.0f} messages/s",
            f"peak memory (RSS)              {self.peak_rss_mib:.0f} MiB",
        ]


async def run_bench(settings: Settings, *, patients: int, database_url: str | None) -> BenchResult:
    with tempfile.TemporaryDirectory(prefix="medbot-bench-") as folder:
        url = database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        # Alembic's env runs its own event loop: migrate in a worker thread.
        await asyncio.to_thread(upgrade, url)
        async with BotApiEmulator(token=BENCH_TOKEN, bot_username="medbot_bench_bot") as emu:
            return await _burst(settings, emu, url, patients)


async def _burst(settings: Settings, emu: BotApiEmulator, url: str, patients: int) -> BenchResult:
    clock = _FixedClock(BURST_AT - timedelta(minutes=1))
    medbot = build_bot(
        settings.model_copy(
            update={
                "telegram_bot_token": SecretStr(BENCH_TOKEN),
                "telegram_api_url": AnyHttpUrl(emu.base_url),
                "database_url": url,
            }
        ),
        clock=clock,
        alarm=_NoAlarm(),
    )
    await medbot.start(poll_timeout=1)
    try:
        started = time.perf_counter()
        request = AddRequest("Baclofen", "5 mg", (time_of_day(8, 0),))
        for chat_id in range(FIRST_CHAT, FIRST_CHAT + patients):
            emu.user(chat_id, f"Patient {chat_id}")
            await add_medication(
                medbot.uow_factory,
                clock=clock,
                alarm=medbot.alarm,
                chat_id=chat_id,
                language="en",
                request=request,
                default_zone="UTC",
            )
        setup = time.perf_counter() - started
        clock.now_value = BURST_AT
        emu.limit_rate(LIMIT, per_chat_per_second=1.0)
        sends_before = len(emu.sent_times("sendMessage"))
        started = time.perf_counter()
        sent = await medbot.dispatch_tick()
        burst = time.perf_counter() - started
        emu.limit_rate(None)
    finally:
        await medbot.stop()
    ask_rate, emergency_rate = _reading_rates(medbot)
    per_chat = [
        len([m for m in emu.sent_to(chat_id) if "Time for Baclofen" in m.text])
        for chat_id in range(FIRST_CHAT, FIRST_CHAT + patients)
    ]
    return BenchResult(
        patients=patients,
        database=url.split("://", 1)[0],
        setup_seconds=setup,
        burst_seconds=burst,
        reminders_sent=sent,
        achieved_per_second=_rate(emu.sent_times("sendMessage")[sends_before:]),
        too_many_requests=emu.rate_limited,
        chats_reminded_once=per_chat.count(1),
        chats_reminded_twice_or_more=sum(1 for count in per_chat if count > 1),
        ask_per_second=ask_rate,
        emergencies_per_second=emergency_rate,
        peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


def _rate(times: list[float]) -> float:
    """Sends a second over a burst, between its first and its last send."""
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0


def _reading_rates(medbot: object) -> tuple[float, float]:
    """Questions a second through /ask's matcher, and messages through the emergency
    detector (the spelling cache warms after the first round, as in a running bot)."""
    kb = medbot.kb  # type: ignore[attr-defined]
    rates = []
    for read in (
        lambda text: answer_question(kb, text, ["Baclofen", "Sertraline"]),
        kb.emergencies_in,
    ):
        started = time.perf_counter()
        for _ in range(_ROUNDS):
            for question in _QUESTIONS:
                read(question)
        rates.append(_ROUNDS * len(_QUESTIONS) / (time.perf_counter() - started))
    return rates[0], rates[1]
