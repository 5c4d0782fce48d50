"""`medbot demo`: the real bot against the built-in Bot API emulator, chatted with in a terminal."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import AnyHttpUrl, SecretStr

from bot.app import MedBot, build_bot
from bot.config import Settings
from bot.demo_clock import DemoClock
from bot.domain.schedule import to_local, zone_named
from bot.emulator import BotApiEmulator
from bot.emulator.terminal import TerminalCommand, run_terminal_chat
from bot.tg.rate_limits import TelegramLimits

# The emulator accepts only this token; it is not a Telegram token and opens nothing.
DEMO_TOKEN = "123456:DEMO-not-a-real-token"  # noqa: S105 - emulator-only
PATIENT_ID, CAREGIVER_ID = 1, 2
# Charts and PDFs the bot sends (/report) are saved here, in the folder the demo runs in.
FILES = Path("medbot-demo-files")


async def run_demo(settings: Settings, *, speed: float = 1.0) -> int:
    """Chat as the patient (Alex) or their caregiver (Carol); bot time runs `speed` times
    faster than real time, and /next jumps it to the next due reminder."""
    clock = DemoClock(speed)
    async with BotApiEmulator(
        token=DEMO_TOKEN, bot_username="medbot_demo_bot", clock=lambda: clock.now().timestamp()
    ) as emulator:
        medbot = build_bot(
            settings.model_copy(
                update={
                    "telegram_bot_token": SecretStr(DEMO_TOKEN),
                    "telegram_api_url": AnyHttpUrl(emulator.base_url),
                }
            ),
            pace=clock,
            # The emulator has no limits to keep under: replies come at once.
            limits=TelegramLimits(per_second=0, per_chat_interval=0, paid_per_second=0),
        )
        await medbot.start(poll_timeout=1)
        try:
            patient = emulator.user(PATIENT_ID, "Alex", language_code="en")
            caregiver = emulator.user(CAREGIVER_ID, "Carol", language_code="en")

            async def next_reminder(_: str) -> str:
                return await jump_to_next_reminder(medbot, clock, patient_chat=PATIENT_ID)

            # Piped input (a script, a test) waits for the bot to answer before the next line.
            settle = 0.0 if sys.stdin.isatty() else 1.0
            await run_terminal_chat(
                emulator,
                patient,
                people={"patient": patient, "caregiver": caregiver},
                commands={"/next": TerminalCommand(_next_help(speed), next_reminder)},
                settle=settle,
                files=FILES,
            )
        finally:
            await medbot.stop()
    return 0


async def jump_to_next_reminder(medbot: MedBot, clock: DemoClock, *, patient_chat: int) -> str:
    """/next: move bot time to the next due reminder, then wake every job so it comes now."""
    async with medbot.uow_factory() as uow:
        due = await uow.doses.next_due_at()
        patient = await uow.patients.by_chat(patient_chat)
    if due is None:
        return "⏩ No reminder is due: /add a medication (or /resume one) first."
    jump = clock.advance_to(due)
    if medbot.scheduler is not None:
        now = datetime.now(UTC)
        for job in medbot.scheduler.get_jobs():  # dispatch, sweep, materialise
            job.modify(next_run_time=now)
    if not jump:
        return "⏩ A reminder is due now."
    zone = (patient.timezone if patient else None) or medbot.settings.default_timezone
    local = to_local(due, zone_named(zone))
    return f"⏩ {_span(jump)} later: {local:%a %d %b %H:%M} ({zone}), a reminder is due."


def _next_help(speed: float) -> str:
    line = "/next moves the demo clock to the next due reminder"
    if speed == 1:
        return line + "."
    return f"{line}; bot time runs {speed:g}x faster (a bot hour in {3600 / speed:g} s)."


def _span(delta: timedelta) -> str:
    minutes, seconds = divmod(round(delta.total_seconds()), 60)
    hours, minutes = divmod(minutes, 60)
    if not hours and not minutes:
        return f"{seconds} s"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"
