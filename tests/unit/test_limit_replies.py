"""LIMIT_REPLIES=false: immediate replies skip the limiter's spacing, owed messages and paid
broadcasts keep it, and a 429 still makes a reply wait and try again."""

from __future__ import annotations

import asyncio

from telegram.error import RetryAfter

from bot.config import load_settings
from bot.tg.rate_limits import OWED, TelegramLimits


async def _through(limits: TelegramLimits, send, name: str, chat: int, args) -> object:
    return await limits.process_request(send, (name,), {}, "sendMessage", {"chat_id": chat}, args)


def test_replies_are_limited_unless_said_otherwise():
    assert load_settings(_env_file=None).limit_replies is True
    assert load_settings(_env_file=None, limit_replies="false").limit_replies is False


async def test_unlimited_replies_go_at_once_while_owed_messages_stay_spaced():
    """At 20 a second, 10 owed messages take half a second. 30 replies asked for after the
    first owed one went are all sent before the loop has run a few steps (none waits for a
    turn), and every owed message still goes, one turn each."""
    limits = TelegramLimits(per_second=20, per_chat_interval=0, limit_replies=False)
    order: list[str] = []
    first = asyncio.Event()

    async def send(name: str) -> bool:
        order.append(name)
        first.set()
        return True

    owed = [asyncio.create_task(_through(limits, send, f"owed {c}", c, OWED)) for c in range(10)]
    await first.wait()
    replies = [
        asyncio.create_task(_through(limits, send, f"reply {c}", c, None)) for c in range(30)
    ]
    for _ in range(3):
        await asyncio.sleep(0)  # a few steps of the loop, no time
    replied_at_once = sum(1 for name in order if name.startswith("reply"))
    await asyncio.gather(*replies, *owed)

    assert replied_at_once == 30
    assert sorted(order) == sorted(
        [f"owed {c}" for c in range(10)] + [f"reply {c}" for c in range(30)]
    )
    assert limits.too_many_requests == 0


async def test_an_unlimited_reply_refused_with_429_is_tried_again():
    limits = TelegramLimits(limit_replies=False)
    calls: list[str] = []

    async def refused_once(name: str) -> bool:
        calls.append(name)
        if len(calls) == 1:
            raise RetryAfter(0)
        return True

    assert await _through(limits, refused_once, "reply", 1, None) is True
    assert calls == ["reply", "reply"]
    assert limits.too_many_requests == 1
