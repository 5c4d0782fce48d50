"""Decoding of Bot API request parameters from query strings, forms, multipart bodies and JSON."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.emulator.records import ApiError, UploadedFile

# Over HTTP forms every value is a string: PTB sends str values raw and everything else
# json.dumps-ed ("123", "true", '{"inline_keyboard": ...}'). Like Telegram, we decode by field.
INT_FIELDS = frozenset(
    {
        "chat_id",
        "message_id",
        "user_id",
        "offset",
        "limit",
        "from_chat_id",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "max_connections",
    }
)
FLOAT_FIELDS = frozenset({"timeout", "latitude", "longitude"})
BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "disable_web_page_preview",
        "disable_content_type_detection",
        "has_spoiler",
        "show_caption_above_media",
        "allow_paid_broadcast",
        "for_channels",
    }
)
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "commands",
        "scope",
        "allowed_updates",
        "entities",
        "caption_entities",
        "menu_button",
        "link_preview_options",
        "reply_parameters",
        "media",
        "rights",
        "message_ids",
    }
)


def _coerce(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value  # JSON bodies and uploaded files are already typed
    try:
        if name in INT_FIELDS:
            return int(value)
        if name in FLOAT_FIELDS:
            number = float(value)
            return int(number) if number.is_integer() else number
    except ValueError:
        return value  # e.g. chat_id="@channel": left as text, the method decides
    if name in BOOL_FIELDS:
        return value.strip().lower() in ("true", "1")
    if name in JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            what = "reply keyboard markup" if name == "reply_markup" else name
            raise ApiError(400, f"Bad Request: can't parse {what} JSON object") from None
    return value


def decode(raw: dict[str, Any]) -> dict[str, Any]:
    """Turn raw (mostly string) values into the types the Bot API documents."""
    return {name: _coerce(name, value) for name, value in raw.items()}


async def read_raw(request: web.Request) -> dict[str, Any]:
    """All parameters of a request, undecoded; uploaded files become UploadedFile values."""
    raw: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return raw
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: JSON request body must be an object")
        raw.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                raw[name] = UploadedFile(
                    filename=value.filename,
                    content=value.file.read(),
                    content_type=value.content_type,
                )
            else:
                raw[name] = value
    return raw
