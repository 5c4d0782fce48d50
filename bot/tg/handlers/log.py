"""/log: what the patient took or felt (an emergency in it was answered first, by
handlers/emergencies.py)."""

from __future__ import annotations

import contextlib

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CommandHandler

from bot.domain.emergencies import Emergency
from bot.domain.journal import parse_log
from bot.domain.model import DoseStatus, SafetyNotice
from bot.domain.parsing import ParseError
from bot.services.journal import LogResult, log_entry
from bot.tg import safety_texts, texts
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, argument_text, language_of
from bot.tg.handlers.emergencies import answer_emergency


async def cmd_log(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    message, deps = update.effective_message, context.deps
    text = argument_text(update)
    if not text:
        await message.reply_text(safety_texts.log_missing())
        return
    try:
        entry = parse_log(text)
    except ParseError as error:
        await message.reply_text(safety_texts.log_problem_text(error))
        return
    emergency = deps.kb.emergencies_in(text, language_of(update))
    outcome = await log_entry(
        deps.uow_factory,
        clock=deps.clock,
        kb=deps.kb,
        chat_id=update.effective_chat.id,
        language=language_of(update),
        entry=entry,
        emergency=bool(emergency),
        default_zone=deps.default_zone,
    )
    if outcome.possible_overdose and Emergency.OVERDOSE not in emergency.emergencies:
        # "took 100 mg" against a 5 mg plan: the words alone did not say it; the plan does.
        await answer_emergency(update, context, (Emergency.OVERDOSE,), zone=outcome.zone)
    recorded = outcome.result is LogResult.RECORDED
    await message.reply_text(
        safety_texts.logged(outcome) if recorded else safety_texts.log_problem(outcome)
    )
    for dose in outcome.doses:
        if dose.reminder is not None and dose.message_id is not None:
            # The reminder it answered shows it too, without its buttons; an old or
            # deleted reminder cannot be edited, and the dose is recorded all the same.
            with contextlib.suppress(BadRequest):
                await context.bot.edit_message_text(
                    texts.reminder_outcome(dose.reminder, DoseStatus.TAKEN, dose.taken_local),
                    chat_id=update.effective_chat.id,
                    message_id=dose.message_id,
                )
    await send_notices(message, list(outcome.notices))


async def send_notices(message: Message, notices: list[SafetyNotice]) -> None:
    for notice in notices:
        await message.reply_text(safety_texts.notice(notice))


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [CommandHandler("log", cmd_log, filters=PRIVATE)]
