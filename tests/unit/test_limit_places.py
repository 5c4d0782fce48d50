"""Sends held up on their way must not crowd a second: each holds one of the second's places
from its start until a second after its answer (bot/tg/rate_limits.py)."""

from __future__ import annotations

import asyncio

from bot.tg.rate_limits import TelegramLimits

PLACES = 10


async def test_no_second_holds_more_than_its_places_when_early_sends_arrive_late():
    limits = TelegramLimits(per_second=PLACES - 0.2, per_chat_interval=0, in_any_second=PLACES)
    loop = asyncio.get_running_loop()
    arrivals: list[float] = []

    async def send(number: int) -> bool:
        # The first ten are held up on the way (a stalled loop, a slow connection) and arrive
        # late, just as the next ones, spaced on time, would arrive.
        if number < PLACES:
            await asyncio.sleep(0.3)
        arrivals.append(loop.time())
        return True

    sends = [
        limits.process_request(send, (n,), {}, "sendMessage", {"chat_id": n}, None)
        for n in range(25)
    ]
    assert await asyncio.gather(*sends) == [True] * 25
    crowded = max(sum(a <= b < a + 1.0 for b in arrivals) for a in arrivals)
    assert crowded <= PLACES


async def test_a_chat_gets_its_next_message_a_second_after_the_last_one_arrived():
    limits = TelegramLimits(per_second=0, per_chat_interval=1.0, paid_per_second=0)
    loop = asyncio.get_running_loop()
    arrivals: list[float] = []

    async def send(late: bool) -> bool:
        if late:
            await asyncio.sleep(0.3)
        arrivals.append(loop.time())
        return True

    first = limits.process_request(send, (True,), {}, "sendMessage", {"chat_id": 7}, None)
    await asyncio.sleep(0)
    second = limits.process_request(send, (False,), {}, "sendMessage", {"chat_id": 7}, None)
    await asyncio.gather(first, second)
    assert arrivals[1] - arrivals[0] >= 1.0
