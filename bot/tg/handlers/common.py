"""Small helpers shared by handlers: private-chat filters and the command's argument text."""

from __future__ import annotations

from telegram import Update
from telegram.ext import filters

# Commands act only on fresh messages in private chats: an edit must not add a schedule twice,
# and a group must never see anyone's health data.
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


def argument_text(update: Update) -> str:
    """Everything after the command, spacing and all (context.args would lose it)."""
    message = update.effective_message
    text = message.text if message and message.text else ""
    return text.partition(" ")[2].strip()


def language_of(update: Update) -> str:
    user = update.effective_user
    return (user.language_code if user and user.language_code else "en")[:16]


def first_name(update: Update) -> str:
    """The sender's first name as Telegram gives it, for the other side of a caregiver link."""
    user = update.effective_user
    return (user.first_name if user else "")[:64]
