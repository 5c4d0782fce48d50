"""A line-based terminal chat with the bot through the emulator, for `medbot demo`.

One person types at a time; with several people (a patient and a caregiver) `/as <role>`
switches who is typing and the transcript says who gets each message that is not theirs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.emulator.emulator import BotApiEmulator
from bot.emulator.records import ChatEvent
from bot.emulator.transcript import Transcript
from bot.emulator.users import SimUser

_PRESS = re.compile(r"/press\s+([0-9]+)")
_NUMBER = re.compile(r"[0-9]+")
_MAX_SETTLE = 5.0  # a bot that never goes quiet must not hang scripted input


@dataclass(frozen=True)
class TerminalCommand:
    """A command the terminal answers itself (the demo's /next): never sent to the bot."""

    help: str  # one line for the intro
    run: Callable[[str], Awaitable[str]]  # the rest of the line -> what to print


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


def intro(
    emu: BotApiEmulator,
    user: SimUser,
    *,
    people: Mapping[str, SimUser] | None = None,
    commands: Mapping[str, TerminalCommand] | None = None,
    files: Path | None = None,
) -> str:
    bot = emu.bot_user.get("username", "the bot")
    lines = [
        f"💬 Chatting with @{bot} as {user.first_name} (user id {user.id}).",
        "   Type a message and press Enter to send it (try /start).",
        "   Buttons are numbered like [1]: type the number, or /press 1, to press one.",
        "   A line that is only a number presses that button if it exists; otherwise it is",
        "   sent as text. /quit or Ctrl-D (end of input) ends the chat.",
    ]
    if people is not None and len(people) > 1:
        roles = ", ".join(f"/as {role} ({p.first_name})" for role, p in people.items())
        lines += [
            f"   Switch who types: {roles}; /as alone says who you are.",
            '   A message to the other person shows "to <name>:" first.',
        ]
    lines += [f"   {command.help}" for command in (commands or {}).values()]
    if files is not None:
        folder = f"{files.resolve()}{os.sep}"
        lines.append(f"   Pictures and documents the bot sends are saved in {folder}")
    return "\n".join(lines)


class _Chat:
    """One terminal session: who is typing, the transcript, the commands answered here."""

    def __init__(
        self,
        emu: BotApiEmulator,
        user: SimUser,
        people: Mapping[str, SimUser],
        commands: Mapping[str, TerminalCommand],
        transcript: Transcript,
    ) -> None:
        self.emu = emu
        self.people = people
        self.commands = commands
        self.transcript = transcript
        self.user = user
        transcript.current = user.chat_id

    def echo(self, line: str) -> None:
        speaker = f"{self.user.first_name}: " if len(self.people) > 1 else ""
        self.transcript.say(f"🧑 {speaker}{line}")

    async def handle(self, line: str) -> None:
        word, _, rest = line.partition(" ")
        numbers = self.transcript.numbers
        press = _PRESS.fullmatch(line)
        if word == "/as" and len(self.people) > 1:
            self.switch(rest.strip())
        elif word in self.commands:
            self.transcript.say(await self.commands[word].run(rest.strip()))
        elif press and int(press.group(1)) not in numbers:
            self.transcript.say(f"⚠️ There is no button [{press.group(1)}].")
        elif press or (_NUMBER.fullmatch(line) and int(line) in numbers):
            await self.press(int(press.group(1) if press else line))
        else:
            await self.user.send(line)

    def switch(self, wanted: str) -> None:
        """`/as <role or name>`: type as that person from now on; `/as` alone says who."""
        say = self.transcript.say
        found = [
            (role, person)
            for role, person in self.people.items()
            if wanted.casefold() in (role.casefold(), person.first_name.casefold())
        ]
        if not found:
            if wanted:
                say(f"⚠️ No one here is called {wanted!r}.")
            others = ", ".join(f"/as {role} ({p.first_name})" for role, p in self.people.items())
            say(
                f"🎭 You are {self.user.first_name}, the {self._role(self.user.chat_id)}: {others}."
            )
            return
        role, self.user = found[0]
        self.transcript.current = self.user.chat_id
        say(f"🎭 You are now {self.user.first_name}, the {role}.")

    async def press(self, n: int) -> None:
        chat_id, message_id, button = self.transcript.numbers[n]
        if chat_id != self.user.chat_id:
            owner = self.emu.people[chat_id]["first_name"]
            role = self._role(chat_id)
            self.transcript.say(f"⚠️ Button [{n}] is in {owner}'s chat: /as {role} to press it.")
            return
        msg = self.emu.find_message(chat_id, message_id)
        if msg is None or msg.deleted or button not in msg.flat_buttons:
            self.transcript.say(f"⚠️ Button [{n}] is no longer there (the message changed).")
            return
        self.transcript.say(f"👆 {button.text}")
        await self.user.press(msg, msg.flat_buttons.index(button))

    def _role(self, chat_id: int) -> str:
        return next((role for role, p in self.people.items() if p.chat_id == chat_id), "")


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
    people: Mapping[str, SimUser] | None = None,
    commands: Mapping[str, TerminalCommand] | None = None,
    input_lines: AsyncIterator[str] | None = None,
    out: TextIO | None = None,
    echo: bool | None = None,
    settle: float = 0.0,
    files: Path | None = None,
) -> None:
    """Chat as `user` until /quit or end of input.

    people (role -> person, `user` among them) are whom `/as <role>` switches between;
    commands (e.g. "/next") are answered by the terminal, never sent to the bot.
    input_lines defaults to stdin and out to sys.stdout. echo (default: on when input_lines
    is given) prints the person's lines too. settle > 0 waits after each line until the bot
    has been quiet that long, so scripted input sees replies (and button numbers) first.
    files: a folder where the photos and documents the bot sends are saved, so the person can
    open them (the transcript says where each went).
    """
    lines = input_lines if input_lines is not None else stdin_lines()
    echo = input_lines is not None if echo is None else echo
    people = people or {"patient": user}
    chats = {p.chat_id: p.first_name for p in (user, *people.values())}
    transcript = Transcript(out or sys.stdout, chats if len(chats) > 1 else None, files)
    chat = _Chat(emu, user, people, commands or {}, transcript)
    queues = {chat_id: emu.subscribe(chat_id) for chat_id in chats}

    def drain() -> None:
        # Print everything the bot did so far before acting, so numbers are up to date.
        for queue in queues.values():
            while not queue.empty():
                transcript.show(queue.get_nowait())

    async def printer(queue: asyncio.Queue[ChatEvent]) -> None:
        while True:
            transcript.show(await queue.get())

    printing = [
        asyncio.create_task(printer(queue), name=f"medbot-demo-printer-{chat_id}")
        for chat_id, queue in queues.items()
    ]
    transcript.say(intro(emu, user, people=people, commands=commands, files=files))
    try:
        async for raw in lines:
            line = raw.strip()
            drain()
            if not line:
                continue
            if echo:
                chat.echo(line)
            if line == "/quit":
                break
            await chat.handle(line)
            await _settle(emu, settle)
    finally:
        drain()
        for task in printing:
            task.cancel()
        for task in printing:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for chat_id, queue in queues.items():
            emu.unsubscribe(chat_id, queue)
        transcript.say("👋 Chat ended.")
