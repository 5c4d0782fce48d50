"""The terminal chat of `medbot demo`, driven through input_lines against real PTB."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.emulator import BotApiEmulator
from bot.emulator.terminal import intro, run_terminal_chat

from .conftest import REPORT, App


class Keyboard:
    """Types lines into the chat one at a time, like a person would."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()

    def type(self, line: str) -> None:
        self._queue.put_nowait(line + "\n")

    def close(self) -> None:
        self._queue.put_nowait(None)  # end of input (Ctrl-D)

    async def lines(self) -> AsyncIterator[str]:
        while (line := await self._queue.get()) is not None:
            yield line


async def test_chat_numbers_buttons_and_presses_by_number(app: App, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    keys, out = Keyboard(), io.StringIO()
    chat = asyncio.create_task(run_terminal_chat(emu, alice, input_lines=keys.lines(), out=out))

    keys.type("/start")
    await alice.wait_for(lambda m: bool(m.buttons))
    keys.type("/press 9")  # no such button: a warning, nothing sent
    keys.type("2")  # presses "⏰ Snooze"
    await alice.wait_for(lambda m: m.text.startswith("✅"))
    await alice.wait_for_answer()
    keys.type("42")  # no button 42: sent as text
    await alice.wait_for(lambda m: m.text == "You said: 42")
    keys.type("/quit")
    await asyncio.wait_for(chat, 5)

    text = out.getvalue()
    assert text.startswith(intro(emu, alice))
    assert "/quit" in intro(emu, alice)
    assert "/press 1" in intro(emu, alice)
    assert "🤖 💊 Time for Aspirin 100 mg\n   [1] ✅ Taken   [2] ⏰ Snooze\n   [3] ⏭ Skip\n" in text
    assert "⚠️ There is no button [9]." in text
    assert "👆 ⏰ Snooze" in text
    assert "✏️ (edited) ✅ Aspirin: snooze" in text
    assert "💬 Noted: snooze" in text
    assert "🤖 You said: 42" in text
    assert text.rstrip().endswith("👋 Chat ended.")
    assert text.index("👆 ⏰ Snooze") < text.index("✏️ (edited)")


async def test_scripted_lines_with_settle_show_documents_and_stale_buttons(
    app: App, emu: BotApiEmulator
) -> None:
    alice = emu.user(1001, "Alice")
    out = io.StringIO()

    async def script() -> AsyncIterator[str]:
        for line in ["/report", "/start", "1", "1"]:
            yield line

    await run_terminal_chat(emu, alice, input_lines=script(), out=out, settle=0.1)

    text = out.getvalue()
    assert f"🤖 📎 report.csv ({len(REPORT)} bytes)\n   Your adherence report\n" in text
    assert "🧑 /report" in text  # scripted input is echoed
    assert "✏️ (edited) ✅ Aspirin: taken" in text
    # The edit removed the keyboard, so [1] now points at a button that is gone.
    assert "⚠️ Button [1] is no longer there" in text
    assert len(emu.calls("answerCallbackQuery")) == 1


async def test_documents_are_saved_under_the_folder_the_transcript_names(
    app: App, emu: BotApiEmulator, tmp_path: Path
) -> None:
    alice = emu.user(1001, "Alice")
    out, files = io.StringIO(), tmp_path / "medbot-demo-files"

    async def script() -> AsyncIterator[str]:
        for line in ["/report", "/report"]:
            yield line

    await run_terminal_chat(emu, alice, input_lines=script(), out=out, settle=0.1, files=files)

    text = out.getvalue()
    assert f"saved in {files}{os.sep}" in intro(emu, alice, files=files)
    first, second = files / "report.csv", files / "report-2.csv"  # the second does not overwrite
    assert first.read_bytes() == second.read_bytes() == REPORT
    assert f"🤖 📎 report.csv ({len(REPORT)} bytes, saved as {first})\n" in text
    assert f"🤖 📎 report.csv ({len(REPORT)} bytes, saved as {second})\n" in text


async def test_reads_stdin_without_blocking_the_loop(
    app: App, emu: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = emu.user(1001, "Alice")
    monkeypatch.setattr("sys.stdin", io.StringIO("hello\n"))  # then end of input
    out = io.StringIO()

    await asyncio.wait_for(run_terminal_chat(emu, alice, out=out, settle=0.1), 5)

    assert "🤖 You said: hello" in out.getvalue()
    assert "🧑" not in out.getvalue()  # typed input is not echoed back
