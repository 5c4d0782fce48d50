"""What the terminal chat prints: the bot's messages, edits and answers, buttons numbered."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from bot.emulator.records import Button, ChatEvent, ChatMessage


class Transcript:
    """Prints the bot's side of the chat and numbers buttons across the whole history."""

    def __init__(
        self, out: TextIO, names: Mapping[int, str] | None = None, files: Path | None = None
    ) -> None:
        self.out = out
        self.names = dict(names or {})  # chat id -> name, when several people chat
        self.files = files  # where photos and documents the bot sends are saved to be opened
        self.current: int | None = None  # the chat of the person typing
        # number -> (chat id, message id, button)
        self.numbers: dict[int, tuple[int, int, Button]] = {}

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
        to = self._to(msg.chat_id)
        if event.kind == "delete":
            first_line = msg.text.splitlines()[0] if msg.text else msg.filename or ""
            self.say(f"🗑 (deleted) {to}{first_line}")
            return
        prefix = "✏️ (edited) " if event.kind == "edit" else "🤖 "
        saved = self._save(msg) if event.kind == "message" else None
        self.say(prefix + to + "\n   ".join(self._body(msg, saved)))
        for row in msg.buttons:
            self.say("   " + "   ".join(self._label(msg, button) for button in row))
        for labels in msg.reply_keyboard or []:
            self.say("   ⌨ " + " | ".join(labels))

    def _to(self, chat_id: int) -> str:
        """Who gets a message, when it is not the person typing."""
        if chat_id == self.current or chat_id not in self.names:
            return ""
        return f"to {self.names[chat_id]}: "

    def _body(self, msg: ChatMessage, saved: Path | None = None) -> list[str]:
        if msg.kind in ("document", "photo"):
            size = len(msg.content or b"")
            where = f", saved as {saved}" if saved else ""
            return [f"📎 {msg.filename} ({size} bytes{where})", *msg.text.splitlines()]
        return msg.text.splitlines() or [""]

    def _save(self, msg: ChatMessage) -> Path | None:
        """Write a photo or document into `files` under its own name (numbered when that is
        taken already, so nothing is overwritten); the path, or None when not kept."""
        if self.files is None or msg.content is None or msg.kind not in ("document", "photo"):
            return None
        name = Path(msg.filename or f"{msg.kind}-{msg.message_id}").name  # no folders in it
        stem, suffix = Path(name).stem, Path(name).suffix
        self.files.mkdir(parents=True, exist_ok=True)
        path, n = self.files / name, 1
        while path.exists():
            n += 1
            path = self.files / f"{stem}-{n}{suffix}"
        path.write_bytes(msg.content)
        return path.resolve()  # a full path: the person can open it from anywhere

    def _label(self, msg: ChatMessage, button: Button) -> str:
        if button.callback_data is None:
            return f"[🔗 {button.text}{': ' + button.url if button.url else ''}]"
        number = len(self.numbers) + 1
        self.numbers[number] = (msg.chat_id, msg.message_id, button)
        return f"[{number}] {button.text}"
