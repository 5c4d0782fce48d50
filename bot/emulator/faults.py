"""Random faults for method calls: 500 errors, nginx 502 pages and replies lost after the work."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Literal, get_args

FaultKind = Literal["500", "502_html", "slow"]
FAULT_KINDS: tuple[FaultKind, ...] = get_args(FaultKind)

# What Telegram's front end really answers when the Bot API behind it is down: HTML, not
# JSON, so a client that assumes every reply parses as JSON is caught out.
BAD_GATEWAY_HTML = (
    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
    "</h1></center><hr><center>nginx/1.18.0</center></body></html>"
)


class RandomFaults:
    """One inject_faults() setting: which calls may fail, how often, and how."""

    def __init__(
        self,
        probability: float,
        *,
        kinds: Sequence[FaultKind],
        seed: int | None,
        methods: Iterable[str] | None,
        slow_seconds: float,
    ) -> None:
        if not 0.0 <= probability <= 1.0:
            raise ValueError(f"probability must be within [0, 1], not {probability}")
        unknown = set(kinds) - set(FAULT_KINDS)
        if unknown or not kinds:
            raise ValueError(f"kinds must be a non-empty choice of {FAULT_KINDS}, not {kinds}")
        if slow_seconds < 0:
            raise ValueError(f"slow_seconds must not be negative, not {slow_seconds}")
        self.probability = probability
        self.kinds = tuple(kinds)
        self.slow_seconds = slow_seconds
        # None: every method but getUpdates, whose failures would only slow every test down.
        self.methods = None if methods is None else frozenset(m.lower() for m in methods)
        # Seeded, so a failing run can be replayed; not for security.
        self._random = random.Random(seed)  # noqa: S311

    def applies_to(self, method: str) -> bool:
        name = method.lower()
        return name != "getupdates" if self.methods is None else name in self.methods

    def roll(self, method: str) -> FaultKind | None:
        """The fault this call of `method` suffers, if any."""
        if not self.applies_to(method) or self._random.random() >= self.probability:
            return None
        return self._random.choice(self.kinds)
