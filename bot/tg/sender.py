"""The one way out for owed messages: rendered here, in the recipient's language, sent through
the Application's limits (bot/tg/rate_limits.py), Telegram's errors turned into the domain's
delivery errors."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ExtBot

from bot.domain.caregivers import CaregiverAlert
from bot.domain.model import DoseStatus, NoticeKind, Reminder, SafetyNotice
from bot.domain.outbox import LinkNote, LinkNoteKind
from bot.domain.weekly import WeeklySummary
from bot.services.ports import DeliveryFailed, RecipientUnreachable
from bot.tg import caregiver_texts, data_texts, keyboards, safety_texts, texts
from bot.tg.i18n import speaking
from bot.tg.rate_limits import OWED

log = logging.getLogger(__name__)

_GONE = ("chat not found", "user is deactivated", "bot was blocked", "bot was kicked")
# An edit Telegram cannot make (the message was deleted, or is too old): nothing to retry.
_EDIT_IMPOSSIBLE = ("not modified", "message to edit not found", "can't be edited")


# The language a chat's person reads (their /language choice or their Telegram client's,
# as last seen); None for a chat nobody registered.
LanguageOf = Callable[[int], Awaitable[str | None]]


class TelegramMessenger:
    """`paid_broadcast` (PAID_BROADCAST): reminders go out with allow_paid_broadcast, up to
    1,000 a second; everything else stays on the normal path."""

    def __init__(
        self, bot: ExtBot[Any], language_of: LanguageOf, *, paid_broadcast: bool = False
    ) -> None:
        self._bot = bot
        self._language_of = language_of
        self._paid_broadcast = paid_broadcast

    async def send_reminder(self, reminder: Reminder) -> int:
        language = reminder.language or await self._language_of(reminder.chat_id)
        with speaking(language):
            text, markup = texts.reminder(reminder), keyboards.dose_keyboard(reminder.dose_id)
        return await self._send(reminder.chat_id, text, markup, paid=self._paid_broadcast)

    async def show_dose_status(
        self,
        reminder: Reminder,
        message_id: int,
        status: DoseStatus,
        at_local: datetime | None = None,
    ) -> None:
        # A missed dose keeps Taken and Skip (it can still be answered late); an answered
        # one, or an earlier reminder whose repeat has the buttons now, keeps none.
        with speaking(reminder.language or await self._language_of(reminder.chat_id)):
            markup = (
                keyboards.dose_keyboard(reminder.dose_id, snooze=False)
                if status is DoseStatus.MISSED
                else None
            )
            text = texts.reminder_outcome(reminder, status, at_local)
        try:
            await self._bot.edit_message_text(
                text,
                chat_id=reminder.chat_id,
                message_id=message_id,
                reply_markup=markup,
                rate_limit_args=OWED,
            )
        except BadRequest as error:
            if not any(reason in error.message.lower() for reason in _EDIT_IMPOSSIBLE):
                raise _translate(error) from error
            log.info("reminder of dose %s could not be edited any more", reminder.dose_id)
        except TelegramError as error:
            raise _translate(error) from error

    async def send_notice(self, chat_id: int, notice: SafetyNotice) -> int:
        with speaking(await self._language_of(chat_id)):
            markup = None
            if notice.kind is NoticeKind.TAPER_END and notice.medication_id is not None:
                markup = keyboards.confirm_keyboard("stop", notice.medication_id, keep="tkeep")
            text = safety_texts.notice(notice)
        return await self._send(chat_id, text, markup)

    async def send_link_note(self, chat_id: int, note: LinkNote) -> int:
        with speaking(await self._language_of(chat_id)):
            markup = (
                keyboards.link_keyboard(note.link_id) if note.kind is LinkNoteKind.REQUEST else None
            )
            text = caregiver_texts.link_note(note)
        return await self._send(chat_id, text, markup)

    async def send_alert(self, alert: CaregiverAlert) -> int:
        chat_id = alert.caregiver_chat_id
        with speaking(await self._language_of(chat_id)):
            text = caregiver_texts.caregiver_alert(alert)
            markup = keyboards.message_patient(alert)
        return await self._send(chat_id, text, markup)

    async def send_summary(self, chat_id: int, summary: WeeklySummary) -> int:
        with speaking(await self._language_of(chat_id)):
            text = data_texts.weekly_summary(summary)
        return await self._send(chat_id, text, None)

    async def _send(
        self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None, *, paid: bool = False
    ) -> int:
        """sendMessage as send_message makes it (the same request, through the limits with
        OWED), but only the new message's id is read from Telegram's answer: building a
        Message costs a third of a millisecond, which a 1,000-a-second burst feels. (PTB's
        public do_api_request does the same but warns at every call that send_message exists.)
        """
        parameters: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if markup is not None:
            parameters["reply_markup"] = markup
        if paid:
            parameters["allow_paid_broadcast"] = True
        try:
            sent = await self._bot._post(
                "sendMessage", parameters, api_kwargs=self._bot._merge_api_rl_kwargs(None, OWED)
            )
        except TelegramError as error:
            raise _translate(error) from error
        return int(sent["message_id"])


def _translate(error: TelegramError) -> Exception:
    text = error.message.lower()
    if isinstance(error, Forbidden) or any(reason in text for reason in _GONE):
        return RecipientUnreachable(type(error).__name__)
    log.warning("Telegram refused a send: %s", type(error).__name__)
    return DeliveryFailed(type(error).__name__)
