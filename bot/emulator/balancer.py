"""Telegram's webhook pushes and a load balancer in front of several `medbot run` processes, in
one small piece for the tests and the bench: the emulator only records the webhook URL, so this
takes each update it holds and posts it to one process's webhook, as Telegram and a balancer
would."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import aiohttp

from bot.emulator import BotApiEmulator

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - the header's name


def chat_of(update: dict[str, Any]) -> int:
    """The person an update comes from (in a private chat, the chat id too)."""
    for kind in ("message", "edited_message", "callback_query", "my_chat_member"):
        if kind in update:
            return int(update[kind]["from"]["id"])
    raise ValueError(f"no sender in update {update.get('update_id')}")


def round_robin(ports: list[int]) -> Callable[[dict[str, Any]], list[int]]:
    """Each update to the next process: one chat's updates land on every process in turn."""
    turn = itertools.cycle(range(len(ports)))

    def order(update: dict[str, Any]) -> list[int]:
        first = next(turn)
        return ports[first:] + ports[:first]

    return order


def by_chat(ports: list[int]) -> Callable[[dict[str, Any]], list[int]]:
    """Sticky per chat: a hash of the chat id picks the process (the next one if it is down)."""

    def order(update: dict[str, Any]) -> list[int]:
        first = chat_of(update) % len(ports)
        return ports[first:] + ports[:first]

    return order


class WebhookBalancer:
    """Posts every update the emulator holds to the first process of `route` that accepts
    the connection (a killed one is skipped, as a health check would), with the secret
    header; an update answered 200 is confirmed, as Telegram then drops it.

    One at a time, in order, by default. With `connections` > 1 that many posts are in
    flight at once, as Telegram's `max_connections` allows (40 by default): the order
    within a chat is then not kept, so only for chats that send one update at a time.
    `posting` is told of each update just before its post."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        route: Callable[[dict[str, Any]], list[int]],
        *,
        secret: str,
        path: str = "telegram",
        connections: int = 1,
        posting: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.emulator = emulator
        self.route = route
        self.secret = secret
        self.path = path
        self.posting = posting
        self._connections = asyncio.Semaphore(connections)
        self.served: list[tuple[int, int]] = []  # (chat, port) of each update, in order
        self._session: aiohttp.ClientSession | None = None
        self._task: asyncio.Task[None] | None = None

    def ports_of(self, chat: int) -> list[int]:
        """The process each of this chat's updates went to, in order."""
        return [port for sender, port in self.served if sender == chat]

    async def __aenter__(self) -> Self:
        self._session = aiohttp.ClientSession()
        self._task = asyncio.create_task(self._push())
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._session is not None:
            await self._session.close()

    async def _push(self) -> None:
        while True:
            pending = await self.emulator.updates_changed.wait_until(
                lambda: self.emulator.pending_updates or None, None
            )
            await asyncio.gather(*(self._serve(update) for update in pending))
            self.emulator.confirm(pending[-1]["update_id"] + 1)

    async def _serve(self, update: dict[str, Any]) -> None:
        async with self._connections:
            if self.posting is not None:
                self.posting(update)
            port = await self._deliver(update)
        self.served.append((chat_of(update), port))

    async def _deliver(self, update: dict[str, Any]) -> int:
        assert self._session is not None
        while True:
            for port in self.route(update):
                try:
                    async with self._session.post(
                        f"http://127.0.0.1:{port}/{self.path}",
                        json=update,
                        headers={SECRET_HEADER: self.secret},
                    ) as response:
                        if response.status == 200:
                            return port
                except aiohttp.ClientConnectionError:
                    continue  # that process is down (or not listening yet): the next one
            await asyncio.sleep(0.05)  # none is up right now: try again, as Telegram does
