"""Telegram's limits, kept a little under: the one place every Bot API call passes through.

Telegram allows a bot about 30 messages a second overall and about one a second to one chat
(up to 1,000 a second with paid broadcasts), and answers more with 429 and `retry_after`.
Sends are spaced rather than burst: a leaky bucket that lets 30 go at once and then 30 a
second puts up to 60 in one second, which a strict limit refuses. Spacing alone is not enough
either: a send held up on its way (a busy event loop, a slow connection) arrives close to the
next one, and 30 spaced sends can then arrive within a second. So each send also holds one of
30 places (1,000 for paid broadcasts) from when it starts until a second after its answer
came: Telegram counts a message somewhere between the two, so no second can hold more. A 429
that still comes pauses every send for `retry_after` and is counted; a transient failure
(network, 5xx, a timeout) is retried a few times with backoff, so an immediate reply survives
a passing fault.

`limit_replies=False` (LIMIT_REPLIES=false) sends immediate replies at once, outside the
spacing: for a Bot API that does not limit them (the bench's emulator, a test server). Owed
messages and paid broadcasts (reminders, notices, alerts) stay spaced either way, and a 429
still makes a reply wait its `retry_after`.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)
# PTB 22 reads this when it builds a RetryAfter: opt in now to its coming behaviour
# (retry_after as a timedelta, which _seconds reads) rather than warn at every 429.
os.environ.setdefault("PTB_TIMEDELTA", "true")

# The methods that put something in a chat: they count against the limits.
MESSAGE_METHODS = frozenset(
    (
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "copyMessage",
        "forwardMessage",
    )
)
# rate_limit_args of an owed message (bot/tg/sender.py): it gives way to immediate replies.
OWED: dict[str, Any] = {"owed": True}
# Kept a little under Telegram's 30 a second overall and 1,000 with paid broadcasts.
PER_SECOND = 29.5
PAID_PER_SECOND = 990.0
# Telegram's own limits: at most this many messages in any one second.
IN_ANY_SECOND = 30
PAID_IN_ANY_SECOND = 1000
RETRIES = 3
Answer = bool | dict[str, Any] | list[dict[str, Any]]  # what a Bot API call returns to PTB
FIRST_BACKOFF = 0.5  # seconds; doubled each retry


class TelegramLimits(BaseRateLimiter[dict[str, Any]]):
    """Spaced sends (overall, per chat, paid broadcasts apart), retries, honoured 429s."""

    def __init__(
        self,
        *,
        per_second: float = PER_SECOND,
        per_chat_interval: float = 1.05,
        paid_per_second: float = PAID_PER_SECOND,
        retries: int = RETRIES,
        first_backoff: float = FIRST_BACKOFF,
        limit_replies: bool = True,
        in_any_second: int = IN_ANY_SECOND,
        paid_in_any_second: int = PAID_IN_ANY_SECOND,
    ) -> None:
        self._interval = 1 / per_second if per_second else 0.0
        self._paid_interval = 1 / paid_per_second if paid_per_second else 0.0
        self._chat_interval = per_chat_interval
        self._retries = retries
        self._first_backoff = first_backoff
        self._limit_replies = limit_replies
        self._next_any = 0.0  # when the next normal send may go
        self._next_paid = 0.0  # when the next paid-broadcast send may go
        self._next_in_chat: dict[object, float] = {}
        # No spacing (per_second=0, as in tests) means no places either.
        self._places = asyncio.Semaphore(in_any_second) if per_second else None
        self._paid_places = asyncio.Semaphore(paid_in_any_second) if paid_per_second else None
        self.too_many_requests = 0  # 429s Telegram still sent (they should not happen)
        self.retried = 0  # transient failures retried

    async def initialize(self) -> None:
        """Nothing to set up: the clocks start at the first send."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Answer]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> Answer:
        owed = bool(rate_limit_args and rate_limit_args.get("owed"))
        paid = bool(data.get("allow_paid_broadcast"))
        # An immediate reply is anything not owed: it skips the spacing when replies are free.
        spaced = endpoint in MESSAGE_METHODS and (self._limit_replies or owed or paid)
        for attempt in range(self._retries + 1):
            try:
                if not spaced:
                    return await callback(*args, **kwargs)
                await self._wait_turn(data.get("chat_id"), paid=paid, owed=owed)
                return await self._in_a_place(callback, args, kwargs, data.get("chat_id"), paid)
            except RetryAfter as error:
                self.too_many_requests += 1
                pause = _seconds(error)
                log.warning("Telegram asked to wait %.0f s (429); every send waits", pause)
                self._pause(pause)
                if attempt == self._retries:
                    raise
                if not spaced:
                    await asyncio.sleep(pause)  # no turn to wait for: wait here
            except BadRequest as error:
                if attempt and _done_before(error):
                    return True  # the first attempt went through; only its reply was lost
                raise  # our request was wrong: trying again changes nothing
            except NetworkError as error:
                if attempt == self._retries:
                    raise
                self.retried += 1
                delay = self._first_backoff * 2**attempt
                # Routine when it then succeeds; a call that fails for good is its caller's line.
                log.debug(
                    "%s failed (%s); retrying in %.1f s", endpoint, type(error).__name__, delay
                )
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    async def _wait_turn(self, chat_id: object, *, paid: bool, owed: bool = False) -> None:
        """Sleep until both this chat and the bot as a whole may send again, then claim it.
        Owed messages on the normal path book at most one turn ahead, so that an immediate
        reply waits for at most one of them, however many are queued."""
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            chat_free = self._next_in_chat.get(chat_id, 0.0)
            if chat_free > now:
                # A busy chat waits on its own, without holding up the others.
                await asyncio.sleep(chat_free - now)
                continue
            booked_ahead = self._next_any - now - self._interval
            if owed and not paid and booked_ahead > 0:
                await asyncio.sleep(booked_ahead)
                continue
            start = max(now, self._next_paid if paid else self._next_any)
            if paid:
                self._next_paid = start + self._paid_interval
            else:
                self._next_any = start + self._interval
            self._next_in_chat[chat_id] = start + self._chat_interval
            self._forget_idle_chats(now)
            if start > now:
                await asyncio.sleep(start - now)
            return

    async def _in_a_place(
        self,
        callback: Callable[..., Coroutine[Any, Any, Answer]],
        args: Any,
        kwargs: dict[str, Any],
        chat_id: object,
        paid: bool,
    ) -> Answer:
        """The call, holding one of the second's places from its start until a second after
        its answer (or failure); the chat's next turn is a second after that answer too."""
        places = self._paid_places if paid else self._places
        if places:
            await places.acquire()
        loop = asyncio.get_running_loop()
        try:
            return await callback(*args, **kwargs)
        finally:
            answered = loop.time()
            if places:
                loop.call_later(1.0, places.release)
            if self._chat_interval:
                after = answered + self._chat_interval
                self._next_in_chat[chat_id] = max(self._next_in_chat.get(chat_id, 0.0), after)

    def _pause(self, seconds: float) -> None:
        until = asyncio.get_running_loop().time() + seconds
        self._next_any = max(self._next_any, until)
        self._next_paid = max(self._next_paid, until)

    def _forget_idle_chats(self, now: float) -> None:
        if len(self._next_in_chat) > 10_000:
            self._next_in_chat = {c: t for c, t in self._next_in_chat.items() if t > now}


# What Telegram answers a retry whose first attempt did arrive (its reply was lost).
_DONE_BEFORE = ("message is not modified", "query is too old", "query id is invalid")


def _done_before(error: BadRequest) -> bool:
    return any(reason in error.message.lower() for reason in _DONE_BEFORE)


def _seconds(error: RetryAfter) -> float:
    """retry_after is a timedelta (PTB_TIMEDELTA), or int seconds if someone unset it."""
    retry_after = error.retry_after
    if isinstance(retry_after, timedelta):
        return retry_after.total_seconds()
    return float(retry_after)
