"""The Taken / Snooze / Skip buttons on a reminder."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.domain.model import DoseStatus
from bot.services.answers import AnswerResult, record_dose_answer
from bot.tg import keyboards, texts
from bot.tg.context import MedContext


async def on_dose_button(update: Update, context: MedContext) -> None:
    query = update.callback_query
    assert query is not None
    button = keyboards.decode_dose_button(query.data)
    if button is None:
        await query.answer(texts.stale_button())
        return
    deps = context.deps
    outcome = await record_dose_answer(
        deps.uow_factory,
        clock=deps.clock,
        alarm=deps.alarm,
        chat_id=query.from_user.id,
        dose_id=button.dose_id,
        answer=button.answer,
        snooze=deps.snooze,
        kb=deps.kb,
        default_zone=deps.default_zone,
    )
    if outcome.result is AnswerResult.NOT_YOURS:
        await query.answer(texts.answer_not_yours(), show_alert=True)
        return
    if outcome.result is AnswerResult.TRY_AGAIN:
        await query.answer(texts.answer_try_again(), show_alert=True)
        return
    assert outcome.status is not None and outcome.reminder is not None
    if outcome.result is AnswerResult.ALREADY_ANSWERED:
        await query.answer(texts.answer_already(outcome.status))
        return
    outcome_text = texts.reminder_outcome(outcome.reminder, outcome.status, outcome.at_local)
    await query.answer(outcome_text)
    # Snoozed and missed doses keep their buttons; an answered one shows only what happened.
    keep_buttons = outcome.status is DoseStatus.SNOOZED
    await query.edit_message_text(
        outcome_text,
        reply_markup=keyboards.dose_keyboard(outcome.reminder.dose_id) if keep_buttons else None,
    )


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [CallbackQueryHandler(on_dose_button, pattern=keyboards.DOSE_BUTTON_PATTERN)]
