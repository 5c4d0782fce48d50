"""/ask: safety questions answered from the knowledge base, with the topic and the source."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.domain import ask
from bot.domain.ask import AskResult
from bot.services.advice import GENERAL, MINE, answer_topics
from bot.tg import keyboards, metrics, safety_texts, texts
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, argument_text, language_of


async def cmd_ask(update: Update, context: MedContext) -> None:
    await answer_question(update, context, argument_text(update))


async def answer_question(update: Update, context: MedContext, question: str) -> None:
    """/ask, a question sent in plain words, or one typed after the menu's Ask button."""
    assert update.effective_chat and update.effective_message
    deps, message = context.deps, update.effective_message
    if not question:
        await message.reply_text(
            safety_texts.ask_pick_topic(), reply_markup=keyboards.topic_keyboard(MINE)
        )
        return
    names = await context.medication_names(update.effective_chat.id)
    result = ask.answer_question(deps.kb, question, names)
    if not result.understood:
        # An emergency was answered first (handlers/emergencies.py): never follow it with
        # "I don't know".
        if not deps.kb.emergencies_in(question, language_of(update)):
            metrics.count_ask(answered=False)
            await _say_unknown(message, result)
        return
    metrics.count_ask(answered=True)
    for reply in safety_texts.answers([result]):
        await message.reply_text(reply)


async def _say_unknown(message: Message, result: AskResult) -> None:
    """ "I don't know"; when the question reads as one of two topics, buttons to say which."""
    if not result.candidates:
        await message.reply_text(safety_texts.ask_unknown())
        return
    about = result.about
    subject = about[0] if len(about) == 1 else MINE if about else GENERAL
    keyboard = keyboards.topic_keyboard(subject, result.candidates)
    await message.reply_text(safety_texts.ask_which_topic(), reply_markup=keyboard)


async def on_topic_button(update: Update, context: MedContext) -> None:
    query = update.callback_query
    assert query is not None
    button = keyboards.decode_topic_button(query.data)
    if button is None:
        await query.answer(texts.stale_button())
        return
    subject, topics = button
    deps = context.deps
    results = await answer_topics(
        deps.uow_factory, kb=deps.kb, chat_id=query.from_user.id, subject=subject, topics=topics
    )
    await query.answer()
    metrics.count_ask(answered=True)
    for reply in safety_texts.answers(results):
        await context.bot.send_message(query.from_user.id, reply)


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [
        CommandHandler("ask", cmd_ask, filters=PRIVATE),
        CallbackQueryHandler(on_topic_button, pattern=keyboards.TOPIC_BUTTON_PATTERN),
    ]
