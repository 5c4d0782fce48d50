"""A broadcast "state changed" signal that lets coroutines wait for a condition with a deadline."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class Signal:
    """Wakes every waiter whenever `fire()` is called; waiters re-check their own condition.

    Unlike asyncio.Condition, firing is synchronous, so plain methods (block(), fail_next(), the
    HTTP handlers' bookkeeping) can notify without awaiting a lock.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        # Swap in a fresh event so late waiters block until the *next* change.
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait(self) -> None:
        """Return at the next fire()."""
        await self._event.wait()

    async def wait_until(
        self,
        check: Callable[[], T | None],
        timeout: float | None,  # noqa: ASYNC109 - every waiter here needs a deadline
    ) -> T:
        """Return the first non-None result of `check()`, re-checking after every fire().

        Raises TimeoutError when `timeout` seconds pass first. No polling: between a check and
        the wait there is no await, so a change cannot slip through unseen.
        """
        async with asyncio.timeout(timeout):
            while True:
                result = check()
                if result is not None:
                    return result
                await self._event.wait()
