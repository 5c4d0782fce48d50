"""Telegram's flood limits, enforced strictly: sliding windows overall, per chat, paid broadcast."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

# The methods that put a message in a chat: the ones Telegram's ~30/s and 1/s-per-chat
# limits are about. Polling, answering callback queries and bot settings are not counted.
RATE_LIMITED = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "editmessagetext",
        "editmessagecaption",
        "editmessagereplymarkup",
        "copymessage",
        "forwardmessage",
    }
)
ChatKey = int | str

# Float noise (3.1 + 1.0 - 1.0 is 3.0999999999999996) must neither keep a call in its window
# one second later nor turn "retry after 1" into 2.
_EPSILON = 1e-9


@dataclass
class Window:
    """At most `capacity` accepted calls in any `seconds`-long sliding window."""

    capacity: int
    seconds: float
    times: deque[float] = field(default_factory=deque)

    @classmethod
    def for_rate(cls, per_second: float) -> Window:
        if per_second <= 0:
            raise ValueError(f"a rate limit must be positive, not {per_second}")
        # A rate under 1/s (Telegram's 20 a minute in groups) needs a longer window to let
        # one call through at all: 0.25/s is 1 call in any 4 s.
        seconds = max(1.0, 1.0 / per_second)
        return cls(max(1, math.floor(per_second * seconds + _EPSILON)), seconds)

    def wait(self, now: float) -> float:
        """Seconds until one more call fits (0.0: it fits now)."""
        while self.times and self.times[0] <= now - self.seconds + _EPSILON:
            self.times.popleft()
        if len(self.times) < self.capacity:
            return 0.0
        # Only accepted calls are kept, so a full window holds exactly `capacity`: room comes
        # when the oldest leaves.
        return self.times[0] + self.seconds - now


class RateLimits:
    """The windows of one limit_rate() setting; a refused call is not counted."""

    def __init__(
        self, *, per_second: float, per_chat_per_second: float, paid_per_second: float
    ) -> None:
        self.overall = Window.for_rate(per_second)
        self.paid = Window.for_rate(paid_per_second)
        self._per_chat = Window.for_rate(per_chat_per_second)
        self._chats: dict[ChatKey, Window] = {}

    def admit(self, chat: ChatKey | None, *, paid: bool, now: float) -> int | None:
        """None when the call fits every window it counts in (it is then counted), else the
        retry_after to answer: whole seconds until all those windows have room, at least 1."""
        windows = [self.paid if paid else self.overall]
        if chat is not None:
            if chat not in self._chats:
                self._chats[chat] = Window(self._per_chat.capacity, self._per_chat.seconds)
            windows.append(self._chats[chat])
        wait = max(window.wait(now) for window in windows)
        if wait > 0:
            return max(1, math.ceil(wait - _EPSILON))
        for window in windows:
            window.times.append(now)
        return None


def chat_key(value: object) -> ChatKey | None:
    """The chat a call writes to, as the per-chat limit counts it ("1001" is 1001)."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    text = str(value)
    return int(text) if text.lstrip("-").isdigit() else text
