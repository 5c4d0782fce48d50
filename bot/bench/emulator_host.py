"""The bench's Bot API emulator in a process of its own, so its CPU does not count as the bot's.

`python -m bot.bench.emulator_host TOKEN` starts the emulator and a small control API beside
it, prints {"api": URL, "control": URL} as one line, and serves until SIGTERM or the end of
the bench (its stdin closes). The bench drives it over HTTP (bot.bench.processes.Emulator):
people, limits, what was sent, a stream of updates whose replies it times, and webhook mode
(it then posts the updates to the bot's processes, as Telegram and a balancer would). Every
time here is wall-clock seconds (time.time), the clock the bench and the bot's process share.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import sys
import time
from collections import Counter
from contextlib import AsyncExitStack, suppress
from typing import Any

from aiohttp import web

from bot.bench.processes import stop_on_signal_or_orphaned
from bot.emulator import BotApiEmulator
from bot.emulator.balancer import WebhookBalancer, by_chat
from bot.emulator.limits import ChatKey, chat_key

# A reminder carries its dose id in its buttons' callback data ("d:taken:<id>").
_DOSE_ID = re.compile(r"d:\w+:(\d+)")
_BATCH = 100  # updates in one getUpdates answer
WEBHOOK_CONNECTIONS = 40  # Telegram's default max_connections: webhook posts at once
# Once every update is sent, the replies still awaited count as lost when none at all came
# for this long (a slow reply is late, not lost: its time shows in the percentiles).
_REPLY_WAIT = 10.0


def _dose_id(params: dict[str, Any]) -> int | None:
    found = _DOSE_ID.search(str(params.get("reply_markup") or ""))
    return int(found.group(1)) if found else None


class BenchEmulator(BotApiEmulator):
    """The emulator, noting each message it accepts (past the limits): reminders with their
    dose, and the replies to the chats the bench drives (one update each, one drive at a
    time): when the update was queued, when a getUpdates answer handed it to the bot, and
    when its reply came."""

    def __init__(self, token: str) -> None:
        super().__init__(token=token, bot_username="medbot_bench_bot", monotonic=time.time)
        self.reminders: list[tuple[int, ChatKey | None, float, bool]] = []
        self.awaiting: dict[ChatKey, float] = {}  # chat -> when its update was queued
        self.arrived: dict[ChatKey, float] = {}  # chat -> when the bot was handed it
        self.answered: set[ChatKey] = set()  # driven chats that had their reply
        self.handled: list[float] = []  # seconds from an update handed to the bot to its reply
        self.end_to_end: list[float] = []  # seconds from an update queued to its reply
        self.extra_replies = 0  # messages to a driven chat after its reply
        self.balancer: WebhookBalancer | None = None  # webhook mode: what posts the updates

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        # Long polling: getUpdates answers with these (its only caller here), at most 100
        # (PTB asks for Telegram's default and most): the bot gets those now.
        updates = super().pending_updates
        if self.balancer is None:
            for update in updates[:_BATCH]:
                self.handing(update)
        return updates

    def handing(self, update: dict[str, Any]) -> None:
        """The bot is handed `update` now: in a getUpdates answer, or posted to a webhook."""
        chat = chat_key(((update.get("message") or {}).get("chat") or {}).get("id"))
        if chat in self.awaiting and chat not in self.arrived:
            self.arrived[chat] = time.time()

    def admit(self, method: str, params: dict[str, Any]) -> None:
        super().admit(method, params)  # a 429 raises: refused calls are not noted
        if method.lower() != "sendmessage":
            return
        now = time.time()
        chat = chat_key(params.get("chat_id"))
        if chat in self.awaiting:
            queued = self.awaiting.pop(chat)
            self.end_to_end.append(now - queued)
            self.handled.append(now - self.arrived.pop(chat, queued))
            self.answered.add(chat)
        elif chat in self.answered:
            self.extra_replies += 1
        elif (dose_id := _dose_id(params)) is not None:
            paid = params.get("allow_paid_broadcast") is True
            self.reminders.append((dose_id, chat, now, paid))


class Control:
    def __init__(self, emu: BenchEmulator, stack: AsyncExitStack) -> None:
        self.emu = emu
        self._stack = stack

    async def push(self, body: dict[str, Any]) -> dict[str, Any]:
        """Webhook mode: from now on every update goes to one of the bot processes listening
        on `ports` (the same one for a chat), up to Telegram's default 40 posts at once."""
        self.emu.balancer = await self._stack.enter_async_context(
            WebhookBalancer(
                self.emu,
                by_chat([int(port) for port in body["ports"]]),
                secret=str(body["secret"]),
                connections=WEBHOOK_CONNECTIONS,
                posting=self.emu.handing,
            )
        )
        return {}

    async def people(self, body: dict[str, Any]) -> dict[str, Any]:
        languages = body.get("languages") or ["en"]
        first = int(body["first"])
        for index in range(int(body["count"])):
            chat = first + index
            self.emu.user(chat, f"Patient {chat}", language_code=languages[index % len(languages)])
        return {}

    async def limits(self, body: dict[str, Any]) -> dict[str, Any]:
        self.emu.limit_rate(
            body.get("per_second"),
            per_chat_per_second=body.get("per_chat", 1.0),
            paid_per_second=body.get("paid", 1000.0),
        )
        return {}

    async def counts(self, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "reminders": len(self.emu.reminders),
            "too_many_requests": self.emu.rate_limited,
            "internal_errors": len(self.emu.internal_errors),
        }

    async def reminders(self, body: dict[str, Any]) -> dict[str, Any]:
        """Every reminder accepted: [dose id, chat, time, paid broadcast]."""
        return {
            "reminders": self.emu.reminders,
            "too_many_requests": self.emu.rate_limited,
            "extra_replies": self.emu.extra_replies,
        }

    async def drive(self, body: dict[str, Any]) -> dict[str, Any]:
        """Users write `texts` (each as often) from `chats`, one update a chat, `rate` a second
        from `start_at`; returns each reply's time from its update handed to the bot
        (`handled`) and from its update queued (`end_to_end`), the replies, the lost, and in
        webhook mode how many of the updates each process was posted."""
        chats, texts = [int(c) for c in body["chats"]], body["texts"]
        rate, start_at = float(body["rate"]), float(body.get("start_at") or time.time())
        emu = self.emu
        before = len(emu.handled)
        # Each text as often as the others, in a fixed shuffled order: in turn, the texts
        # would follow the chat ids, and a balancer that splits by chat id would send all
        # of one text to one process.
        order = [index % len(texts) for index in range(len(chats))]
        random.Random(len(chats)).shuffle(order)  # noqa: S311 - a fixed order, not a secret
        for index, chat in enumerate(chats):
            await asyncio.sleep(max(0.0, start_at + index / rate - time.time()))
            emu.awaiting[chat] = time.time()
            await emu.user(chat, f"Patient {chat}").send(texts[order[index]])
        # Late is not lost: wait while replies keep coming, until none came for _REPLY_WAIT.
        # Every message the bot sends fires `changed`: re-check then (one drive at a time,
        # so no chat awaiting means every one of these had its reply).
        while emu.awaiting:
            waiting = len(emu.awaiting)

            def replied(waiting: int = waiting) -> bool | None:
                return None if len(emu.awaiting) == waiting else True

            with suppress(TimeoutError):
                await emu.changed.wait_until(replied, _REPLY_WAIT)
            if len(emu.awaiting) == waiting:
                break  # no reply for _REPLY_WAIT seconds: the rest are lost
        lost = [chat for chat in chats if emu.awaiting.pop(chat, None) is not None]
        for chat in lost:
            emu.arrived.pop(chat, None)
        driven = set(chats)
        posted = emu.balancer.served if emu.balancer is not None else []
        served = Counter(port for chat, port in posted if chat in driven)
        return {
            "handled": sorted(emu.handled[before:]),
            "end_to_end": sorted(emu.end_to_end[before:]),
            "replies": len(emu.handled) - before,
            "lost": len(lost),
            "per_process": [count for _, count in sorted(served.items())],
        }


def _route(handler: Any) -> Any:
    async def route(request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else {}
        return web.json_response(await handler(body))

    return route


async def serve(token: str) -> None:
    async with BenchEmulator(token) as emu, AsyncExitStack() as stack:
        control = Control(emu, stack)
        app = web.Application()
        for name in ("people", "limits", "counts", "reminders", "drive", "push"):
            app.router.add_post(f"/{name}", _route(getattr(control, name)))
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        stop = stop_on_signal_or_orphaned()
        print(json.dumps({"api": emu.base_url, "control": f"http://127.0.0.1:{port}"}), flush=True)  # noqa: T201
        await stop.wait()
        await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1]))
