"""Claim, send, record, batch after batch, until nothing is due: the shape of every sending
loop."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Claimed = TypeVar("Claimed")
Outcome = TypeVar("Outcome")

# Sends in flight at once: enough to keep the rate limiter busy, few enough to stop quickly.
SEND_CONCURRENCY = 20
# Outcomes are recorded in one transaction per this many, or after this many seconds: few
# statements, and few sent-but-unrecorded reminders (resent after a crash) at any moment.
RECORD_EVERY = 100
RECORD_AFTER = 0.25


def never() -> bool:
    return False


async def drain(
    claim: Callable[[], Awaitable[Sequence[Claimed]]],
    send: Callable[[Claimed], Awaitable[Outcome | None]],
    record: Callable[[list[Outcome]], Awaitable[int]],
    release: Callable[[], Awaitable[None]],
    *,
    batch: int,
    concurrency: int = SEND_CONCURRENCY,
    should_stop: Callable[[], bool] = never,
) -> int:
    """Claim up to `batch` items, send them `concurrency` at a time, record the outcomes in
    small batches as they come (`send` returns None for nothing to record), repeat while
    batches come back full; return the count `record` gives (how many were sent). When
    `should_stop` turns true (a shutdown) the sends in flight finish and are recorded, and
    `release` hands back what was claimed but not sent, for the next start."""
    sent = 0
    while not should_stop():
        claimed = await claim()
        if not claimed:
            break
        gate = asyncio.Semaphore(concurrency)
        recorder = _Recorder(record)

        async def one(
            item: Claimed, gate: asyncio.Semaphore = gate, recorder: _Recorder[Outcome] = recorder
        ) -> None:
            async with gate:
                if should_stop():
                    return
                outcome = await send(item)
            if outcome is not None:
                await recorder.add(outcome)

        await asyncio.gather(*(one(item) for item in claimed))
        sent += await recorder.flush()
        if len(claimed) < batch:
            break
    if should_stop():
        await release()
    return sent


class _Recorder(Generic[Outcome]):
    """Outcomes gathered and recorded a batch at a time, one recording at a time."""

    def __init__(self, record: Callable[[list[Outcome]], Awaitable[int]]) -> None:
        self._record = record
        self._waiting: list[Outcome] = []
        self._lock = asyncio.Lock()
        self._loop = asyncio.get_running_loop()
        self._since = self._loop.time()
        self._recorded = 0

    async def add(self, outcome: Outcome) -> None:
        self._waiting.append(outcome)
        due = len(self._waiting) >= RECORD_EVERY or self._loop.time() - self._since > RECORD_AFTER
        # While a recording runs, the next one takes everything gathered meanwhile.
        if due and not self._lock.locked():
            await self.flush()

    async def flush(self) -> int:
        """Record what is waiting; the total recorded so far."""
        async with self._lock:
            taken, self._waiting = self._waiting, []
            self._since = self._loop.time()
            if taken:
                self._recorded += await self._record(taken)
        return self._recorded
