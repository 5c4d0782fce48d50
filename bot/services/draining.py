"""Claim and send, batch after batch, until nothing is due: the shape of every sending loop."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

Claimed = TypeVar("Claimed")

# Sends in flight at once: enough to keep the rate limiter busy, few enough to stop quickly.
SEND_CONCURRENCY = 20


def never() -> bool:
    return False


async def drain(
    claim: Callable[[], Awaitable[Sequence[Claimed]]],
    send: Callable[[Claimed], Awaitable[bool]],
    release: Callable[[], Awaitable[None]],
    *,
    batch: int,
    should_stop: Callable[[], bool] = never,
) -> int:
    """Claim up to `batch` items, send them concurrently, repeat while batches come back full;
    return how many were sent. When `should_stop` turns true (a shutdown) the sends in flight
    finish, and `release` hands back what was claimed but not sent, for the next start."""
    sent = 0
    while not should_stop():
        claimed = await claim()
        if not claimed:
            break
        gate = asyncio.Semaphore(SEND_CONCURRENCY)

        async def one(item: Claimed, gate: asyncio.Semaphore = gate) -> bool:
            async with gate:
                return False if should_stop() else await send(item)

        sent += sum(await asyncio.gather(*(one(item) for item in claimed)))
        if len(claimed) < batch:
            break
    if should_stop():
        await release()
    return sent
