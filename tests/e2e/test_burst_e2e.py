"""Bursts within Telegram's limits: paid broadcasts for reminders only, replies first."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.app import build_bot
from bot.tg.rate_limits import OWED, TelegramLimits
from tests.e2e.conftest import DeliverWhenDue, say, set_up_baclofen_at_next_minute, settings_for


async def test_with_paid_broadcast_reminders_carry_the_parameter_and_replies_do_not(
    emulator, engine, clock, database_url
):
    alarm = DeliverWhenDue(clock)
    medbot = build_bot(
        settings_for(emulator, database_url, paid_broadcast=True),
        clock=clock,
        alarm=alarm,
        engine=engine,
    )
    alarm.medbot = medbot
    await medbot.start(poll_timeout=1)
    try:
        patients = [emulator.user(chat, f"Patient {chat}") for chat in (1001, 2002, 3003)]
        # At once: each chat's set-up is spaced a second a message, not the three together.
        await asyncio.gather(*(set_up_baclofen_at_next_minute(patient) for patient in patients))
        replies = len(emulator.calls("sendMessage"))
        # Telegram's limits, strictly: without the parameter three in a second would do,
        # but the replies above were one a chat, and the reminders are paid.
        emulator.limit_rate(30, per_chat_per_second=1.0, paid_per_second=1000)
        clock.advance(timedelta(seconds=30))

        assert await medbot.dispatch_tick() == 3
        meds = await say(patients[0], "/meds")
    finally:
        await alarm.settle()
        await medbot.stop()

    assert "Baclofen" in meds.text
    calls = emulator.calls("sendMessage")
    reminders = [c for c in calls[replies:] if "Time for Baclofen" in c["text"]]
    assert sorted(c["chat_id"] for c in reminders) == [1001, 2002, 3003]
    assert all(c.get("allow_paid_broadcast") is True for c in reminders)
    others = [c for c in calls if c not in reminders]
    assert len(others) == replies + 1  # the set-up replies and /meds
    assert not any(c.get("allow_paid_broadcast") for c in others)
    assert emulator.rate_limited == 0


async def test_a_reply_goes_out_ahead_of_owed_messages_queued_for_the_limit():
    """At 20 a second, 20 owed messages queued at once take a second; a reply asked for
    while they wait is let through after at most one of them, not after all."""
    limits = TelegramLimits(per_second=20, per_chat_interval=0)
    order: list[str] = []
    two_sent = asyncio.Event()

    async def send(name: str) -> bool:
        order.append(name)
        if len(order) == 2:
            two_sent.set()
        return True

    async def through_limits(name: str, chat: int, args: dict[str, bool] | None) -> object:
        return await limits.process_request(
            send, (name,), {}, "sendMessage", {"chat_id": chat}, args
        )

    owed = [asyncio.create_task(through_limits(f"owed {chat}", chat, OWED)) for chat in range(20)]
    await two_sent.wait()
    await through_limits("reply", 99, None)
    await asyncio.gather(*owed)

    assert len(order) == 21
    assert order.index("reply") <= 3  # the two sent before it asked, and one booked ahead
