"""The language of every reply: set once per update (with the medication names the update's
handlers read against), changed with /language."""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, TypeHandler

from bot.services.languages import chat_profile, choose_language
from bot.services.ports import StorageUnavailable
from bot.tg import keyboards, texts
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, argument_text
from bot.tg.i18n import LANGUAGES, _, supported, use

# Before everything, emergencies (-2) and the flood check (-1) included: every handler of the
# update then speaks it. PTB runs the blocking handlers of all groups in the update's one task,
# so the language set here (a context variable) holds for them all.
GROUP = -3


async def speak_the_persons_language(update: Update, context: MedContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    client = supported(user.language_code if user else None)
    use(client)
    if chat is None or chat.type != chat.PRIVATE:
        return
    try:
        profile = await chat_profile(context.deps.uow_factory, chat_id=chat.id, client=client)
    except StorageUnavailable:
        return  # the client's language then; an emergency reply must not wait for the database
    use(profile.language)
    context.known_medication_names = profile.medication_names


async def cmd_language(update: Update, context: MedContext) -> None:
    message = update.effective_message
    assert message is not None
    code = argument_text(update).lower()
    if not code:
        await message.reply_text(texts.language_ask(), reply_markup=keyboards.language_keyboard())
        return
    if code not in LANGUAGES:
        await message.reply_text(
            texts.language_unknown(code), reply_markup=keyboards.language_keyboard()
        )
        return
    await _choose(update, context, code)
    await message.reply_text(texts.language_set())


async def on_language_button(update: Update, context: MedContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    await _choose(update, context, query.data.removeprefix("lang:"))
    await query.edit_message_text(texts.language_set())


async def _choose(update: Update, context: MedContext, code: str) -> None:
    assert update.effective_chat is not None
    chat_id = update.effective_chat.id
    await choose_language(context.deps.uow_factory, chat_id=chat_id, language=code)
    use(code)
    # This chat's command menu in the chosen language, whatever the client's language is.
    commands = [BotCommand(name, _(what)) for name, what, _example in texts.COMMANDS]
    await context.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))


def language_hook() -> BaseHandler[Update, MedContext, None]:
    return TypeHandler(Update, speak_the_persons_language)


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [
        CommandHandler("language", cmd_language, filters=PRIVATE),
        CallbackQueryHandler(on_language_button, pattern=keyboards.LANGUAGE_BUTTON_PATTERN),
    ]
