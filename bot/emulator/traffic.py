"""The request side of the emulator: the call log, injected failures and the rate limits."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from bot.emulator.faults import FAULT_KINDS, FaultKind, RandomFaults
from bot.emulator.limits import RATE_LIMITED, RateLimits, chat_key
from bot.emulator.records import ApiCall, ApiError, Fault

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class Traffic:
    """What the bot asked for and how the emulator chose to answer, beyond the methods."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic  # the clock of ApiCall.at, sent_times and the limits
        self.requests: list[ApiCall] = []  # every call but getUpdates, in arrival order
        self.rate_limited = 0  # 429s the rate limits produced (not fail_next's)
        self.injected: Counter[str] = Counter()  # random faults by kind
        self.lost_replies = 0  # "slow" faults on calls that succeeded
        self.lost_reply_calls: list[tuple[str, Any]] = []  # (method, chat_id) of those
        self._faults: list[Fault] = []
        self._random_faults: RandomFaults | None = None
        self._limits: RateLimits | None = None
        self._sent: list[tuple[str, float]] = []  # (lowercase method, accepted at)

    # -- the request log ----------------------------------------------------------------

    def record(self, method: str, params: dict[str, Any]) -> None:
        self.requests.append(ApiCall(method, params, self.monotonic()))

    def calls(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every received call of `method` (case-insensitive), in order."""
        return [call.params for call in self.requests if call.method.lower() == method.lower()]

    def sent_times(self, method: str | None = None) -> list[float]:
        """When each rate-counted call (sendMessage, edits, ...) was accepted, monotonic
        seconds, in order; recorded whether or not limits are on. 429s are not in it."""
        name = None if method is None else method.lower()
        return [at for sent, at in self._sent if name is None or sent == name]

    # -- failures on demand -------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail with `error_code` (429: RetryAfter)."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if error_code == 429
                else _DEFAULT_DESCRIPTIONS.get(error_code, "Bad Request: injected failure")
            )
        error = ApiError(error_code, description, retry_after)
        self._faults.append(Fault(method.lower(), error, times))

    def take_fault(self, method: str) -> ApiError | None:
        for fault in self._faults:
            if fault.method == method.lower():
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault.error
        return None

    def inject_faults(
        self,
        probability: float,
        *,
        kinds: Sequence[FaultKind] = FAULT_KINDS,
        seed: int | None = None,
        methods: set[str] | None = None,
        slow_seconds: float = 7.0,
    ) -> None:
        """Each call of `methods` (default: all but getUpdates) fails with `probability`;
        inject_faults(0) switches this off. The kinds are described in bot.emulator."""
        self._random_faults = (
            None
            if probability == 0
            else RandomFaults(
                probability, kinds=kinds, seed=seed, methods=methods, slow_seconds=slow_seconds
            )
        )

    @property
    def slow_seconds(self) -> float:
        return self._random_faults.slow_seconds if self._random_faults else 0.0

    def screen(self, method: str) -> FaultKind | None:
        """fail_next's error (raised), else the random fault this call suffers, if any."""
        error = self.take_fault(method)
        if error is not None:
            raise error
        kind = self._random_faults.roll(method) if self._random_faults else None
        if kind is not None:
            self.injected[kind] += 1
        if kind == "500":
            raise ApiError(500, "Internal Server Error")
        return kind

    def lose_reply(self, method: str, params: dict[str, Any]) -> None:
        self.lost_replies += 1
        self.lost_reply_calls.append((method, params.get("chat_id")))

    # -- rate limits --------------------------------------------------------------------

    def limit_rate(
        self,
        per_second: float | None = 30.0,
        *,
        per_chat_per_second: float = 1.0,
        paid_per_second: float = 1000.0,
    ) -> None:
        """Refuse message-sending calls beyond these rates with 429; limit_rate(None): off."""
        self._limits = (
            None
            if per_second is None
            else RateLimits(
                per_second=per_second,
                per_chat_per_second=per_chat_per_second,
                paid_per_second=paid_per_second,
            )
        )

    def admit(self, method: str, params: dict[str, Any]) -> None:
        """Count a message-sending call, or refuse it with 429 if it breaks a limit."""
        if method.lower() not in RATE_LIMITED:
            return
        now = self.monotonic()
        if self._limits is not None:
            retry_after = self._limits.admit(
                chat_key(params.get("chat_id")),
                paid=params.get("allow_paid_broadcast") is True,
                now=now,
            )
            if retry_after is not None:
                self.rate_limited += 1
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        self._sent.append((method.lower(), now))
