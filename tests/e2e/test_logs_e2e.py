"""LOG_FORMAT: what an operator ships holds ids and counts, never the token, a medication, a
symptom or what anybody wrote, in either format."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.app import build_bot
from bot.logging_setup import QUIET, configure_logging
from tests.e2e.conftest import (
    TOKEN,
    DeliverWhenDue,
    link_caregiver,
    say,
    set_up_baclofen_at_next_minute,
    settings_for,
    unhurried,
)

# Everything Alice writes after the set-up (which writes "Baclofen" and "Asia/Kolkata").
SAID = (
    "/log symptom dizziness after lunch",
    "/ask can I have a beer tonight?",
    "I think I took too many pills by mistake",
)


@pytest.fixture
def shipped_log() -> Iterator[io.StringIO]:
    """The log as `medbot run` writes it, into a buffer; the logging set-up restored after."""
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in QUIET} | {"": root.level}
    buffer = io.StringIO()
    yield buffer
    for handler in [h for h in root.handlers if getattr(h, "stream", None) is buffer]:
        root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("log_format", ["text", "json"])
async def test_a_whole_conversation_logs_no_token_medication_symptom_or_text(
    emulator, engine, clock, database_url, shipped_log, log_format
):
    configure_logging(log_format, secrets=(TOKEN,), stream=shipped_log)
    alarm = DeliverWhenDue(clock)
    bot = build_bot(
        settings_for(emulator, database_url, log_format=log_format),
        clock=clock,
        alarm=alarm,
        engine=engine,
        limits=unhurried(),
    )
    alarm.medbot = bot
    await bot.start(poll_timeout=1)
    try:
        alice = emulator.user(1001, "Alice", language_code="en")
        bob = emulator.user(2002, "Bob", language_code="en")
        await set_up_baclofen_at_next_minute(alice)
        clock.advance(timedelta(seconds=30))
        await bot.dispatch_tick()
        reminder = await alice.wait_for(lambda m: "Time for Baclofen" in m.text)
        await alice.press(reminder, "Taken")
        await alice.wait_for(lambda m: "taken at 08:01" in m.text)
        await link_caregiver(alice, bob)
        logged = await say(alice, SAID[0])
        assert "dizziness" in logged.text.lower()
        assert "Alcohol" in (await say(alice, SAID[1])).text
        await alice.send(SAID[2])
        await alice.wait_for(lambda m: m.text.startswith("🚨"))
        await bob.wait_for(lambda m: "🚨" in m.text)
        await alarm.settle()
    finally:
        await bot.stop()

    lines = shipped_log.getvalue().splitlines()
    assert any("MedBot" in line or "Application" in line for line in lines), lines
    if log_format == "json":
        records = [json.loads(line) for line in lines]  # every line one JSON object
        assert all({"time", "level", "logger", "message"} <= record.keys() for record in records)
    text = "\n".join(lines).lower()
    secret = TOKEN.partition(":")[2]
    forbidden = [TOKEN, secret, "baclofen", "dizziness", "asia/kolkata", *SAID]
    leaked = [word for word in forbidden if word.lower() in text]
    assert leaked == [], "\n".join(lines)
