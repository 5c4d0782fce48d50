"""The demo's clock: starts at the real now, runs `speed` times faster, and /next jumps it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


def _real_now() -> datetime:
    return datetime.now(UTC)


class DemoClock:
    """Bot time for `medbot demo --speed N`: one real second is N bot seconds.

    It is a `Clock` for the use cases and a `Pace` for the scheduler (bot.app), which turns
    the bot's instants and intervals into real ones with `real_at` and `speed`.
    """

    def __init__(self, speed: float = 1.0, *, real: Callable[[], datetime] = _real_now) -> None:
        if speed <= 0:
            raise ValueError("the demo's speed must be above 0")
        self._speed = speed
        self._real = real
        self._start = real()
        self._skipped = timedelta(0)  # what /next jumped over

    @property
    def speed(self) -> float:
        return self._speed

    def now(self) -> datetime:
        return self._bot_time(self._real())

    def real_at(self, at: datetime) -> datetime:
        """The real instant at which this clock shows `at` (unless it jumps meanwhile)."""
        real_now = self._real()
        return real_now + (at - self._bot_time(real_now)) / self._speed

    def advance_to(self, at: datetime) -> timedelta:
        """Jump forward to `at` (never back); returns how far it jumped."""
        jump = max(at - self.now(), timedelta(0))
        self._skipped += jump
        return jump

    def _bot_time(self, real_now: datetime) -> datetime:
        return self._start + (real_now - self._start) * self._speed + self._skipped
