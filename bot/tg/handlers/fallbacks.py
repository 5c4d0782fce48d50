"""What no feature handled (group chats, edits, stickers, unknown commands); the error handler."""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.services.ports import StorageUnavailable
from bot.tg import texts
from bot.tg.context import MedContext

log = logging.getLogger(__name__)


async def on_group_command(update: Update, context: MedContext) -> None:
    assert update.effective_message
    await update.effective_message.reply_text(texts.private_only())


async def on_edited_message(update: Update, context: MedContext) -> None:
    assert update.effective_message
    await update.effective_message.reply_text(texts.edited_ignored())


async def on_unknown_command(update: Update, context: MedContext) -> None:
    assert update.effective_message
    await update.effective_message.reply_text(texts.unknown_command())


async def on_other_message(update: Update, context: MedContext) -> None:
    """A sticker, a photo, a voice note: not text (plain text is read in plain.py)."""
    assert update.effective_message
    await update.effective_message.reply_text(texts.not_understood())


async def on_stale_button(update: Update, context: MedContext) -> None:
    assert update.callback_query
    await update.callback_query.answer(texts.stale_button())


async def on_error(update: object, context: MedContext) -> None:
    """Log the bug without message text or exception arguments (they may hold health data),
    apologise if possible, and never raise: a failed apology is logged too.

    The database away for a moment, or Telegram failing after the retries, is no bug: one
    line, no traceback.
    """
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, StorageUnavailable | NetworkError):
        log.warning("update %s not handled: %s", update_id, type(error).__name__)
    else:
        frames = traceback.format_tb(error.__traceback__) if error else []
        log.error(
            "unhandled %s in update %s\n%s", type(error).__name__, update_id, "".join(frames[-8:])
        )
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.something_went_wrong())
        elif update.effective_message is not None and update.effective_chat is not None:
            await update.effective_message.reply_text(texts.something_went_wrong())
    except TelegramError as failed:
        log.warning("could not apologise for update %s: %s", update_id, type(failed).__name__)


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    private = filters.ChatType.PRIVATE
    return [
        MessageHandler(filters.ChatType.GROUPS & filters.COMMAND, on_group_command),
        MessageHandler(private & filters.UpdateType.EDITED, on_edited_message),
        MessageHandler(private & filters.COMMAND, on_unknown_command),
        MessageHandler(private & ~filters.COMMAND, on_other_message),
        CallbackQueryHandler(on_stale_button),
    ]
