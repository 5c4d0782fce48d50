"""Several bot instances on one database: every due reminder still goes out exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

from bot.app import build_bot
from bot.db.engine import create_engine
from bot.domain.parsing import AddRequest
from bot.services import reminders
from bot.services.medications import add_medication
from tests.e2e.conftest import settings_for
from tests.fakes import ManualClock, RecordingAlarm

PATIENTS = 60
FIRST_CHAT = 50_000


async def test_two_dispatchers_at_once_remind_each_patient_exactly_once(
    emulator, engine, database_url, monkeypatch
):
    # Small claim batches, so the two dispatchers take turns on the same burst.
    monkeypatch.setattr(reminders, "CLAIM_BATCH", 7)
    clock = ManualClock(datetime(2026, 3, 2, 7, 59, tzinfo=UTC))
    engines = [engine, create_engine(database_url)]
    bots = [
        build_bot(
            settings_for(emulator, database_url),
            clock=clock,
            alarm=RecordingAlarm(),
            engine=each,
        )
        for each in engines
    ]
    for bot in bots:
        await bot.application.initialize()  # the Bot API client; no polling needed
    try:
        request = AddRequest("Baclofen", "5 mg", (time(8, 0),))
        for chat_id in range(FIRST_CHAT, FIRST_CHAT + PATIENTS):
            emulator.user(chat_id, f"Patient {chat_id}")
            await add_medication(
                bots[0].uow_factory,
                clock=clock,
                alarm=bots[0].alarm,
                chat_id=chat_id,
                language="en",
                request=request,
                default_zone="UTC",
            )
        clock.advance(timedelta(minutes=1))
        sent = await asyncio.gather(*(bot.dispatch_tick() for bot in bots))
    finally:
        for bot in bots:
            await bot.application.shutdown()
        await engines[1].dispose()
    assert sum(sent) == PATIENTS
    assert all(sent), sent  # both did part of the work
    per_chat = [
        len([m for m in emulator.sent_to(chat) if "Time for Baclofen" in m.text])
        for chat in range(FIRST_CHAT, FIRST_CHAT + PATIENTS)
    ]
    assert per_chat == [1] * PATIENTS
