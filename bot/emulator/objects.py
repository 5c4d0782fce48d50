"""Builders for the Bot API JSON objects (User, Chat, Message, entities) the emulator returns."""

from __future__ import annotations

import re
from typing import Any

from bot.emulator.records import ChatMessage

# Telegram marks "/cmd" and "/cmd@bot" as bot_command wherever a word starts with it.
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: the unit Telegram uses for entity offsets and lengths."""
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[dict[str, Any]]:
    """bot_command entities for every command in `text`, with UTF-16 offsets."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND.finditer(text)
    ]


def user_json(
    user_id: int,
    first_name: str,
    *,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = None,
    is_bot: bool = False,
) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    optional = {"last_name": last_name, "username": username, "language_code": language_code}
    user.update({key: value for key, value in optional.items() if value is not None})
    return user


def private_chat_json(user: dict[str, Any]) -> dict[str, Any]:
    """A private chat's id is the user's id; it repeats the user's names."""
    chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    chat.update({key: user[key] for key in ("last_name", "username") if key in user})
    return chat


def group_chat_json(chat_id: int, title: str) -> dict[str, Any]:
    # Supergroup and channel ids start with -100; plain groups are just negative.
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": title}


def file_ids(chat_id: int, message_id: int, kind: str) -> tuple[str, str]:
    """Deterministic (file_id, file_unique_id) for a file stored in a message."""
    unique = f"{kind[:3]}{chat_id}_{message_id}".replace("-", "m")
    return f"EMU{unique}", unique


def message_json(msg: ChatMessage, chat: dict[str, Any], sender: dict[str, Any]) -> dict[str, Any]:
    """The Message object for the current state of `msg`."""
    data: dict[str, Any] = {
        "message_id": msg.message_id,
        "date": msg.date,
        "chat": chat,
        "from": sender,
    }
    size = len(msg.content or b"")
    if msg.kind == "document":
        data["document"] = {
            "file_id": msg.file_id,
            "file_unique_id": (msg.file_id or "").removeprefix("EMU"),
            "file_name": msg.filename,
            "mime_type": msg.mime_type or "application/octet-stream",
            "file_size": size,
        }
    elif msg.kind == "photo":
        data["photo"] = [
            {
                "file_id": msg.file_id,
                "file_unique_id": (msg.file_id or "").removeprefix("EMU"),
                "width": 640,
                "height": 480,
                "file_size": size,
            }
        ]
    if msg.kind in ("document", "photo"):
        if msg.text:
            data["caption"] = msg.text
    elif msg.kind == "text":
        data["text"] = msg.text
    if msg.entities:
        data["caption_entities" if msg.kind in ("document", "photo") else "entities"] = msg.entities
    if msg.inline_markup is not None:
        data["reply_markup"] = msg.inline_markup
    if msg.edit_date is not None:
        data["edit_date"] = msg.edit_date
    data.update(msg.extra)
    return data
