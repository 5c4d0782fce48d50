"""Plain records of what happened in the simulated Telegram world (messages, calls, answers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

MessageKind = Literal["text", "photo", "document", "location", "sticker", "other"]


class ApiError(Exception):
    """A Bot API error reply: {"ok": false, "error_code": ..., "description": ...}."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(f"{error_code} {description}")
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class Button(NamedTuple):
    """One inline keyboard button; callback_data is None for url/other buttons."""

    text: str
    callback_data: str | None
    url: str | None = None


class UploadedFile(NamedTuple):
    """A file part of a multipart request."""

    filename: str
    content: bytes
    content_type: str


class ApiCall(NamedTuple):
    """One request the bot made: method as sent, its decoded parameters, arrival time.

    `at` is in monotonic seconds (time.monotonic, the asyncio loop's clock), the clock of
    BotApiEmulator.sent_times, so a test can line calls up with the rate it achieved.
    """

    method: str
    params: dict[str, Any]
    at: float


@dataclass
class ChatMessage:
    """The current state of one message in a chat, sent by the bot or by a simulated user."""

    chat_id: int
    message_id: int
    date: int
    from_bot: bool
    sender_id: int
    kind: MessageKind = "text"
    text: str = ""  # plain text as the person sees it (the caption for photo/document)
    raw_text: str = ""  # text exactly as the bot sent it (before parse_mode rendering)
    parse_mode: str | None = None
    buttons: list[list[Button]] = field(default_factory=list)
    reply_keyboard: list[list[str]] | None = None  # labels of a ReplyKeyboardMarkup, if any
    history: list[str] = field(default_factory=list)  # previous texts, oldest first
    filename: str | None = None
    content: bytes | None = None
    mime_type: str | None = None
    file_id: str | None = None
    edit_date: int | None = None
    deleted: bool = False
    entities: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # extra Message JSON fields
    inline_markup: dict[str, Any] | None = None  # inline keyboard JSON, echoed back as sent

    @property
    def caption(self) -> str:
        return self.text

    @property
    def labels(self) -> list[str]:
        """All button labels, row by row."""
        return [button.text for row in self.buttons for button in row]

    @property
    def flat_buttons(self) -> list[Button]:
        return [button for row in self.buttons for button in row]


@dataclass(frozen=True)
class CallbackAnswer:
    """What the bot passed to answerCallbackQuery."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None


@dataclass(frozen=True)
class ChatEvent:
    """Something the bot did in a chat; delivered to emulator subscribers (the terminal)."""

    kind: Literal["message", "edit", "delete", "answer"]
    message: ChatMessage | None = None
    answer: CallbackAnswer | None = None


@dataclass
class Fault:
    """An injected failure for the next `times` calls of `method`."""

    method: str
    error: ApiError
    times: int = 1
