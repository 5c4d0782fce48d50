"""Bot API methods that put an existing message into a chat again: forwardMessage, copyMessage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.emulator.keyboards import Markup, parse_markup
from bot.emulator.limits import chat_key
from bot.emulator.messaging import new_message, publish, rendered
from bot.emulator.records import ApiError, ChatMessage

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator

# Fields of the original that describe where it sat, not what it says.
_NOT_COPIED = frozenset({"reply_to_message", "forward_origin"})


def _original(emu: BotApiEmulator, p: dict[str, Any], action: str) -> ChatMessage:
    source = chat_key(p.get("from_chat_id"))
    if source is None:
        raise ApiError(400, "Bad Request: chat_id is empty")
    if not isinstance(source, int) or source not in emu.chats:
        raise ApiError(400, "Bad Request: chat not found")
    msg = emu.find_message(source, int(p.get("message_id") or 0))
    if msg is None or msg.deleted:
        raise ApiError(400, f"Bad Request: message to {action} not found")
    return msg


def _duplicate(
    emu: BotApiEmulator, p: dict[str, Any], original: ChatMessage, markup: Markup
) -> ChatMessage:
    """The original's content in a new bot message to p["chat_id"], not yet published."""
    msg = new_message(emu, p, markup)
    msg.kind, msg.text, msg.raw_text = original.kind, original.text, original.raw_text
    msg.parse_mode, msg.entities = original.parse_mode, list(original.entities)
    msg.filename, msg.content = original.filename, original.content
    msg.mime_type, msg.file_id = original.mime_type, original.file_id
    msg.extra.update({k: v for k, v in original.extra.items() if k not in _NOT_COPIED})
    return msg


async def forward_message(emu: BotApiEmulator, p: dict[str, Any]) -> dict[str, Any]:
    original = _original(emu, p, "forward")
    # The forward is shown without the original's keyboard, with where it came from.
    msg = _duplicate(emu, p, original, Markup())
    sender = emu.bot_user if original.from_bot else emu.people[original.sender_id]
    msg.extra["forward_origin"] = {"type": "user", "date": original.date, "sender_user": sender}
    return publish(emu, msg)


async def copy_message(emu: BotApiEmulator, p: dict[str, Any]) -> dict[str, int]:
    original = _original(emu, p, "copy")
    msg = _duplicate(emu, p, original, parse_markup(p.get("reply_markup")))
    if "caption" in p and msg.kind in ("photo", "document"):
        msg.text, msg.raw_text = rendered(p, "caption", required=False)
        msg.parse_mode = p.get("parse_mode")
        msg.entities = list(p.get("caption_entities") or [])
    publish(emu, msg)
    # copyMessage answers with a MessageId, not the Message.
    return {"message_id": msg.message_id}


HANDLERS = {
    "forwardmessage": forward_message,
    "copymessage": copy_message,
}
