"""A line-based terminal chat with the bot through the emulator, for `medbot demo`."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import threading
from collections.abc import AsyncIterator
from typing import TextIO

from bot.emulator.emulator import BotApiEmulator
from bot.emulator.records import Button, ChatEvent, ChatMessage
from bot.emulator.users import SimUser

_PRESS = re.compile(r"/press\s+([0-9]+)")
_NUMBER = re.compile(r"[0-9]+")
_MAX_SETTLE = 5.0  # a bot that never goes quiet must not hang scripted input


class Transcript:
    """Prints the bot's side of the chat and numbers buttons across the whole history."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.numbers: dict[int, tuple[int, Button]] = {}  # number -> (message id, button)

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def show(self, event: ChatEvent) -> None:
        if event.answer is not None:
            if event.answer.text:
                icon = "⚠️" if event.answer.show_alert else "💬"
                self.say(f"{icon} {event.answer.text}")
            return
        msg = event.message
        if msg is None:
            return
        if event.kind == "delete":
            first_line = msg.text.splitlines()[0] if msg.text else msg.filename or ""
            self.say(f"🗑 (deleted) {first_line}")
            return
        prefix = "✏️ (edited) " if event.kind == "edit" else "🤖 "
        self.say(prefix + "\n   ".join(self._body(msg)))
        for row in msg.buttons:
            self.say("   " + "   ".join(self._label(msg, button) for button in row))
        for labels in msg.reply_keyboard or []:
            self.say("   ⌨ " + " | ".join(labels))

    def _body(self, msg: ChatMessage) -> list[str]:
        if msg.kind in ("document", "photo"):
            size = len(msg.content or b"")
            return [f"📎 {msg.filename} ({size} bytes)", *msg.text.splitlines()]
        return msg.text.splitlines() or [""]

    def _label(self, msg: ChatMessage, button: Button) -> str:
        if button.callback_data is None:
            return f"[🔗 {button.text}{': ' + button.url if button.url else ''}]"
        number = len(self.numbers) + 1
        self.numbers[number] = (msg.message_id, button)
        return f"[{number}] {button.text}"


async def stdin_lines() -> AsyncIterator[str]:
    """Lines typed on stdin, read by a daemon thread so the event loop never blocks."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        # RuntimeError: the loop closed while the person was still typing; nothing to do.
        with contextlib.suppress(RuntimeError):
            for line in sys.stdin:
                loop.call_soon_threadsafe(queue.put_nowait, line)
            loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="medbot-demo-stdin", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line


def intro(emu: BotApiEmulator, user: SimUser) -> str:
    bot = emu.bot_user.get("username", "the bot")
    return (
        f"💬 Chatting with @{bot} as {user.first_name} (user id {user.id}).\n"
        "   Type a message and press Enter to send it (try /start).\n"
        "   Buttons are numbered like [1]: type the number, or /press 1, to press one.\n"
        "   A line that is only a number presses that button if it exists; otherwise it is\n"
        "   sent as text. /quit or Ctrl-D (end of input) ends the chat."
    )


async def _press(emu: BotApiEmulator, user: SimUser, transcript: Transcript, n: int) -> None:
    message_id, button = transcript.numbers[n]
    msg = emu.find_message(user.chat_id, message_id)
    if msg is None or msg.deleted or button not in msg.flat_buttons:
        transcript.say(f"⚠️ Button [{n}] is no longer there (the message changed).")
        return
    transcript.say(f"👆 {button.text}")
    await user.press(msg, msg.flat_buttons.index(button))


async def _settle(emu: BotApiEmulator, seconds: float) -> None:
    """Wait until the bot fetched our updates and then stayed quiet for `seconds`."""
    if seconds <= 0:
        return
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(_MAX_SETTLE):
            await emu.wait_delivered(_MAX_SETTLE)
            while True:
                try:
                    async with asyncio.timeout(seconds):
                        await emu.changed.wait()
                except TimeoutError:
                    return


async def run_terminal_chat(
    emu: BotApiEmulator,
    user: SimUser,
    *,
    input_lines: AsyncIterator[str] | None = None,
    out: TextIO | None = None,
    echo: bool | None = None,
    settle: float = 0.0,
) -> None:
    """Chat as `user` until /quit or end of input.

    input_lines defaults to stdin and out to sys.stdout. echo (default: on when input_lines
    is given) prints the person's lines too. settle > 0 waits after each line until the bot
    has been quiet that long, so scripted input sees replies (and button numbers) first.
    """
    lines = input_lines if input_lines is not None else stdin_lines()
    echo = input_lines is not None if echo is None else echo
    transcript = Transcript(out or sys.stdout)
    queue = emu.subscribe(user.chat_id)

    def drain() -> None:
        # Print everything the bot did so far before acting, so numbers are up to date.
        while not queue.empty():
            transcript.show(queue.get_nowait())

    async def printer() -> None:
        while True:
            transcript.show(await queue.get())

    printing = asyncio.create_task(printer(), name="medbot-demo-printer")
    transcript.say(intro(emu, user))
    try:
        async for raw in lines:
            line = raw.strip()
            drain()
            if not line:
                continue
            if echo:
                transcript.say(f"🧑 {line}")
            if line == "/quit":
                break
            press = _PRESS.fullmatch(line)
            if press and int(press.group(1)) not in transcript.numbers:
                transcript.say(f"⚠️ There is no button [{press.group(1)}].")
            elif press or (_NUMBER.fullmatch(line) and int(line) in transcript.numbers):
                await _press(emu, user, transcript, int(press.group(1) if press else line))
            else:
                await user.send(line)
            await _settle(emu, settle)
    finally:
        drain()
        printing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await printing
        emu.unsubscribe(user.chat_id, queue)
        transcript.say("👋 Chat ended.")
