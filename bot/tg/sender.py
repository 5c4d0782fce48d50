"""The one way out for scheduled messages: Telegram errors become the domain's delivery errors."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.domain.caregivers import CaregiverAlert
from bot.domain.model import DoseStatus, NoticeKind, Reminder, SafetyNotice
from bot.services.ports import DeliveryFailed, RecipientUnreachable
from bot.tg import caregiver_texts, keyboards, safety_texts, texts

log = logging.getLogger(__name__)

_GONE = ("chat not found", "user is deactivated", "bot was blocked", "bot was kicked")


class TelegramMessenger:
    """Rate limits and `retry_after` are honoured by the Application's AIORateLimiter."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send_reminder(self, reminder: Reminder) -> int:
        try:
            message = await self._bot.send_message(
                reminder.chat_id,
                texts.reminder(reminder),
                reply_markup=keyboards.dose_keyboard(reminder.dose_id),
            )
        except TelegramError as error:
            raise _translate(error) from error
        return message.message_id

    async def show_dose_status(
        self, reminder: Reminder, message_id: int, status: DoseStatus
    ) -> None:
        try:
            await self._bot.edit_message_text(
                texts.reminder_outcome(reminder, status),
                chat_id=reminder.chat_id,
                message_id=message_id,
                reply_markup=keyboards.dose_keyboard(reminder.dose_id),
            )
        except BadRequest as error:
            if "not modified" not in error.message.lower():
                raise _translate(error) from error
        except TelegramError as error:
            raise _translate(error) from error

    async def send_notice(self, chat_id: int, notice: SafetyNotice) -> None:
        markup = None
        if notice.kind is NoticeKind.TAPER_END and notice.medication_id is not None:
            markup = keyboards.confirm_keyboard("stop", notice.medication_id, keep="tkeep")
        try:
            await self._bot.send_message(chat_id, safety_texts.notice(notice), reply_markup=markup)
        except TelegramError as error:
            raise _translate(error) from error

    async def send_alert(self, alert: CaregiverAlert) -> None:
        try:
            await self._bot.send_message(
                alert.caregiver_chat_id,
                caregiver_texts.caregiver_alert(alert),
                reply_markup=keyboards.message_patient(alert),
            )
        except TelegramError as error:
            raise _translate(error) from error


def _translate(error: TelegramError) -> Exception:
    text = error.message.lower()
    if isinstance(error, Forbidden) or any(reason in text for reason in _GONE):
        return RecipientUnreachable(type(error).__name__)
    log.warning("Telegram refused a send: %s", type(error).__name__)
    return DeliveryFailed(type(error).__name__)
