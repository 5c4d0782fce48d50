"""/settings: reminder repeats, the heads-up before a dose, the weekly summary and, for a
caregiver, when a missed dose alerts them and a weekly summary per patient; all with buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.services.settings import Setting, SettingsView, choose, settings_of
from bot.tg import data_texts, texts
from bot.tg import everyday_keyboards as buttons
from bot.tg import everyday_texts as words
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, language_of


async def cmd_settings(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    deps = context.deps
    view = await settings_of(
        deps.uow_factory,
        chat_id=update.effective_chat.id,
        language=language_of(update),
        defaults=deps.reminders,
    )
    await update.effective_message.reply_text(_text(view), reply_markup=_keyboard(view))


async def on_settings_button(update: Update, context: MedContext) -> None:
    query = update.callback_query
    assert query is not None
    button = buttons.decode_settings(query.data)
    deps = context.deps
    view = None
    if button is not None:
        view = await choose(
            deps.uow_factory,
            clock=deps.clock,
            alarm=deps.alarm,
            chat_id=query.from_user.id,
            language=language_of(update),
            setting=Setting(button.key),
            minutes=button.minutes,
            link_id=button.link_id,
            defaults=deps.reminders,
            default_zone=deps.default_zone,
        )
    if view is None:
        await query.answer(texts.stale_button())
        return
    await query.answer()
    await query.edit_message_text(_text(view), reply_markup=_keyboard(view))


def _text(view: SettingsView) -> str:
    lines = [words.settings(view.timing, weekly=view.weekly)]
    for link in view.following:
        lines.append(words.caregiver_settings(link.patient_name, link.missed_alert_delay))
        lines.append(
            data_texts.caregiver_weekly_setting(link.patient_name, link.id in view.weekly_links)
        )
    return "\n".join(lines)


def _keyboard(view: SettingsView) -> InlineKeyboardMarkup:
    return buttons.settings(
        view.timing, view.following, weekly=view.weekly, weekly_links=view.weekly_links
    )


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [
        CommandHandler("settings", cmd_settings, filters=PRIVATE),
        MessageHandler(
            PRIVATE & filters.Text(words.menu_button(words.MENU_SETTINGS)), cmd_settings
        ),
        CallbackQueryHandler(on_settings_button, pattern=buttons.SETTINGS_BUTTON_PATTERN),
    ]
