"""Bot API methods that send, edit and delete messages and answer callback queries."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from bot.emulator.keyboards import Markup, parse_markup
from bot.emulator.markup import render
from bot.emulator.objects import file_ids, utf16_len
from bot.emulator.records import ApiError, CallbackAnswer, ChatEvent, ChatMessage, UploadedFile

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator

_MAX_TEXT = 4096
_MAX_CAPTION = 1024


def rendered(p: dict[str, Any], key: str, *, required: bool) -> tuple[str, str]:
    """(plain, raw) text of `key`, validated like Telegram does."""
    raw = p.get(key)
    raw = "" if raw is None else str(raw)
    text = render(raw, p.get("parse_mode"))
    if required and not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if key == "text" and utf16_len(text) > _MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    if key == "caption" and utf16_len(text) > _MAX_CAPTION:
        raise ApiError(400, "Bad Request: message caption is too long")
    return text, raw


def new_message(emu: BotApiEmulator, p: dict[str, Any], markup: Markup) -> ChatMessage:
    """A bot message to p["chat_id"] with its markup and reply applied, not yet published."""
    chat = emu.chat(p.get("chat_id"))
    msg = ChatMessage(
        chat_id=chat["id"],
        message_id=0,
        date=emu.now(),
        from_bot=True,
        sender_id=emu.bot_user["id"],
        parse_mode=p.get("parse_mode"),
        buttons=markup.buttons,
        inline_markup=markup.inline_markup,
        reply_keyboard=markup.reply_keyboard,
        entities=list(p.get("entities") or p.get("caption_entities") or []),
    )
    reply = p.get("reply_parameters") or {}
    reply_id = reply.get("message_id") if isinstance(reply, dict) else None
    reply_id = reply_id or p.get("reply_to_message_id")
    if reply_id:
        target = emu.find_message(msg.chat_id, int(reply_id))
        lenient = isinstance(reply, dict) and reply.get("allow_sending_without_reply")
        if (target is None or target.deleted) and not lenient:
            raise ApiError(400, "Bad Request: message to be replied not found")
        if target is not None and not target.deleted:
            msg.extra["reply_to_message"] = emu.message_json(target)
    return msg


def publish(emu: BotApiEmulator, msg: ChatMessage) -> dict[str, Any]:
    msg.message_id = emu.new_message_id(msg.chat_id)
    emu.add_message(msg)
    return emu.message_json(msg)


async def send_message(emu: BotApiEmulator, p: dict[str, Any]) -> dict[str, Any]:
    markup = parse_markup(p.get("reply_markup"))
    msg = new_message(emu, p, markup)
    msg.text, msg.raw_text = rendered(p, "text", required=True)
    return publish(emu, msg)


def _file(emu: BotApiEmulator, value: Any, kind: str) -> UploadedFile:
    if isinstance(value, UploadedFile):
        return value
    if isinstance(value, str) and value in emu.files:
        return emu.files[value]
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        name = PurePosixPath(urlparse(value).path).name or kind
        return UploadedFile(name, b"", "application/octet-stream")
    raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")


async def _send_file(emu: BotApiEmulator, p: dict[str, Any], kind: str) -> dict[str, Any]:
    upload = _file(emu, p.get(kind), kind)
    markup = parse_markup(p.get("reply_markup"))
    msg = new_message(emu, p, markup)
    msg.kind = "photo" if kind == "photo" else "document"
    msg.text, msg.raw_text = rendered(p, "caption", required=False)
    msg.filename, msg.content, msg.mime_type = upload
    msg.message_id = emu.new_message_id(msg.chat_id)
    msg.file_id = file_ids(msg.chat_id, msg.message_id, kind)[0]
    emu.files[msg.file_id] = upload
    emu.add_message(msg)
    return emu.message_json(msg)


async def send_photo(emu: BotApiEmulator, p: dict[str, Any]) -> dict[str, Any]:
    return await _send_file(emu, p, "photo")


async def send_document(emu: BotApiEmulator, p: dict[str, Any]) -> dict[str, Any]:
    return await _send_file(emu, p, "document")


def _target(emu: BotApiEmulator, p: dict[str, Any], action: str) -> ChatMessage:
    if p.get("inline_message_id"):
        raise ApiError(400, "Bad Request: inline messages are not supported by the emulator")
    chat = emu.chat(p.get("chat_id"))
    msg = emu.find_message(chat["id"], int(p.get("message_id") or 0))
    if msg is None or msg.deleted:
        raise ApiError(400, f"Bad Request: message to {action} not found")
    if action == "edit" and not msg.from_bot:
        raise ApiError(400, "Bad Request: message can't be edited")
    return msg


def _apply_edit(
    emu: BotApiEmulator, msg: ChatMessage, text: str, raw: str, markup: Markup
) -> dict[str, Any]:
    if text == msg.text and markup.buttons == msg.buttons:
        raise ApiError(
            400,
            "Bad Request: message is not modified: specified new message content and reply "
            "markup are exactly the same as a current content and reply markup of the message",
        )
    if text != msg.text:
        msg.history.append(msg.text)
    msg.text, msg.raw_text = text, raw
    # Editing without reply_markup removes the inline keyboard, as on Telegram.
    msg.buttons, msg.inline_markup = markup.buttons, markup.inline_markup
    msg.edit_date = emu.now()
    emu.emit(msg.chat_id, ChatEvent("edit", message=msg))
    return emu.message_json(msg)


async def edit_message_text(emu: BotApiEmulator, p: dict[str, Any]) -> dict[str, Any]:
    msg = _target(emu, p, "edit")
    if msg.kind != "text":
        raise ApiError(400, "Bad Request: there is no text in the message to edit")
    text, raw = rendered(p, "text", required=True)
    msg.parse_mode = p.get("parse_mode")
    return _apply_edit(emu, msg, text, raw, parse_markup(p.get("reply_markup")))


async def edit_message_caption(emu: BotApiEmulator, p: dict[str, Any]) -> dict[str, Any]:
    msg = _target(emu, p, "edit")
    if msg.kind == "text":
        raise ApiError(400, "Bad Request: there is no caption in the message to edit")
    text, raw = rendered(p, "caption", required=False)
    return _apply_edit(emu, msg, text, raw, parse_markup(p.get("reply_markup")))


async def edit_message_reply_markup(emu: BotApiEmulator, p: dict[str, Any]) -> dict[str, Any]:
    msg = _target(emu, p, "edit")
    return _apply_edit(emu, msg, msg.text, msg.raw_text, parse_markup(p.get("reply_markup")))


async def delete_message(emu: BotApiEmulator, p: dict[str, Any]) -> bool:
    msg = _target(emu, p, "delete")
    msg.deleted = True
    emu.emit(msg.chat_id, ChatEvent("delete", message=msg))
    return True


async def answer_callback_query(emu: BotApiEmulator, p: dict[str, Any]) -> bool:
    text = p.get("text")
    emu.answer_query(
        CallbackAnswer(
            query_id=str(p.get("callback_query_id", "")),
            text=None if text is None else str(text),
            show_alert=bool(p.get("show_alert", False)),
            url=p.get("url"),
        )
    )
    return True


async def send_chat_action(emu: BotApiEmulator, p: dict[str, Any]) -> bool:
    emu.chat(p.get("chat_id"))
    return True


HANDLERS = {
    "sendmessage": send_message,
    "sendphoto": send_photo,
    "senddocument": send_document,
    "editmessagetext": edit_message_text,
    "editmessagecaption": edit_message_caption,
    "editmessagereplymarkup": edit_message_reply_markup,
    "deletemessage": delete_message,
    "answercallbackquery": answer_callback_query,
    "sendchataction": send_chat_action,
}
