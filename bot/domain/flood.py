"""Per-person flood throttling: a sliding window of recent updates, then a pause of silence."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class Verdict(StrEnum):
    ANSWER = "answer"  # handle the update as usual
    SLOW_DOWN = "slow_down"  # this update made it a flood: say "slow down" once, nothing else
    IGNORE = "ignore"  # paused: no answer at all


@dataclass(slots=True)
class _Sender:
    recent: deque[datetime]
    paused_until: datetime | None = None


@dataclass(slots=True)
class FloodGate:
    """`limit` updates from one sender within `window` are a flood: the one reaching the
    limit gets SLOW_DOWN, then everything from that sender is ignored for `pause`.

    Memory stays bounded: a sender keeps at most `limit` instants, and senders idle for a
    whole window (and not paused) are dropped, at most once a window.
    """

    limit: int
    window: timedelta
    pause: timedelta
    _senders: dict[int, _Sender] = field(default_factory=dict)
    _swept_at: datetime | None = None

    def check(self, sender_id: int, now: datetime) -> Verdict:
        self._sweep(now)
        sender = self._senders.get(sender_id)
        if sender is None:
            sender = self._senders[sender_id] = _Sender(deque(maxlen=self.limit))
        if sender.paused_until is not None:
            if now < sender.paused_until:
                return Verdict.IGNORE
            sender.paused_until = None  # the pause is over: a fresh window
            sender.recent.clear()
        while sender.recent and sender.recent[0] <= now - self.window:
            sender.recent.popleft()
        sender.recent.append(now)
        if len(sender.recent) < self.limit:
            return Verdict.ANSWER
        sender.paused_until = now + self.pause
        return Verdict.SLOW_DOWN

    def forget(self) -> None:
        """Every sender starts afresh (a test resetting the bot between cases)."""
        self._senders.clear()

    @property
    def tracked(self) -> int:
        """How many senders are remembered now."""
        return len(self._senders)

    def _sweep(self, now: datetime) -> None:
        if self._swept_at is not None and now - self._swept_at < self.window:
            return
        self._swept_at = now
        idle = [
            sender_id
            for sender_id, sender in self._senders.items()
            if (sender.paused_until is None or sender.paused_until <= now)
            and (not sender.recent or sender.recent[-1] <= now - self.window)
        ]
        for sender_id in idle:
            del self._senders[sender_id]
