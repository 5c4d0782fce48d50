"""/ask: safety questions answered from the knowledge base, with the topic and the source."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.domain.rules import red_flags
from bot.services.advice import answer_safety_question, patient_drug_key, topic_facts
from bot.tg import keyboards, safety_texts, texts
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, argument_text
from bot.tg.handlers.log import warn_red_flags


async def cmd_ask(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    deps, chat_id = context.deps, update.effective_chat.id
    question = argument_text(update)
    if not question:
        drug_key = await patient_drug_key(deps.uow_factory, kb=deps.kb, chat_id=chat_id)
        await update.effective_message.reply_text(
            safety_texts.ask_pick_topic(), reply_markup=keyboards.topic_keyboard(drug_key)
        )
        return
    await warn_red_flags(update, context, red_flags(question))
    result = await answer_safety_question(
        deps.uow_factory, kb=deps.kb, chat_id=chat_id, question=question
    )
    await update.effective_message.reply_text(safety_texts.ask_answer(result))


async def on_topic_button(update: Update, context: MedContext) -> None:
    query = update.callback_query
    assert query is not None
    button = keyboards.decode_topic_button(query.data)
    if button is None:
        await query.answer(texts.stale_button())
        return
    drug_key, topics = button
    name, facts = topic_facts(context.deps.kb, drug_key, topics)
    await query.answer()
    await context.bot.send_message(
        query.from_user.id, safety_texts.topic_answer(name, topics, facts)
    )


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [
        CommandHandler("ask", cmd_ask, filters=PRIVATE),
        CallbackQueryHandler(on_topic_button, pattern=keyboards.TOPIC_BUTTON_PATTERN),
    ]
