"""Validation of reply_markup JSON into inline buttons and reply-keyboard labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.emulator.records import ApiError, Button

# Fields that make an inline button do something; a button needs exactly one.
_INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


@dataclass
class Markup:
    """What a reply_markup parameter means for the message it is attached to."""

    buttons: list[list[Button]] = field(default_factory=list)
    inline_markup: dict[str, Any] | None = None  # echoed in Message.reply_markup
    reply_keyboard: list[list[str]] | None = None


def _bad_markup() -> ApiError:
    return ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")


def _inline_button(raw: Any) -> Button:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise _bad_markup()
    if not any(key in raw for key in _INLINE_ACTIONS):
        raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
    data = raw.get("callback_data")
    if data is not None and not (isinstance(data, str) and 1 <= len(data.encode()) <= 64):
        # Telegram limits callback_data to 1-64 bytes: a classic source of send failures.
        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return Button(text=raw["text"], callback_data=data, url=raw.get("url"))


def _rows(raw: Any) -> list[list[Any]]:
    if not isinstance(raw, list) or not all(isinstance(row, list) for row in raw):
        raise _bad_markup()
    return raw


def parse_markup(raw: Any) -> Markup:
    """Validate a decoded reply_markup value (None means no markup)."""
    if raw is None:
        return Markup()
    if not isinstance(raw, dict):
        raise _bad_markup()
    if "inline_keyboard" in raw:
        buttons = [[_inline_button(b) for b in row] for row in _rows(raw["inline_keyboard"])]
        # An empty keyboard is shown as no keyboard and not echoed back.
        if not any(buttons):
            return Markup()
        return Markup(buttons=buttons, inline_markup=raw)
    if "keyboard" in raw:
        labels = [
            [b if isinstance(b, str) else str(b.get("text", "")) for b in row]
            for row in _rows(raw["keyboard"])
        ]
        return Markup(reply_keyboard=labels)
    if raw.get("remove_keyboard") or raw.get("force_reply"):
        return Markup()
    raise _bad_markup()
