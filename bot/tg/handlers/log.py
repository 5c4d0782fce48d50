"""/log: what the patient took or felt (an emergency in it was answered first, by
handlers/emergencies.py)."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.domain.emergencies import Emergency
from bot.domain.journal import DoseLog, SymptomLog, parse_log
from bot.domain.model import SafetyNotice
from bot.domain.parsing import ParseError
from bot.services.journal import LogResult, log_entry
from bot.tg import safety_texts
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, argument_text, language_of
from bot.tg.handlers.emergencies import answer_emergency


async def cmd_log(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    message = update.effective_message
    text = argument_text(update)
    if not text:
        await message.reply_text(safety_texts.log_missing())
        return
    try:
        names = await context.medication_names(update.effective_chat.id)
        entry = parse_log(text, names)
    except ParseError as error:
        await message.reply_text(safety_texts.log_problem_text(error))
        return
    await record_and_reply(update, context, entry, text)


async def record_and_reply(
    update: Update, context: MedContext, entry: DoseLog | SymptomLog, text: str
) -> None:
    """Record what the patient took or felt (from /log, plain words or the menu) and say so,
    with any safety notice; `text`: their words, read for an emergency already answered."""
    assert update.effective_chat and update.effective_message
    message, deps = update.effective_message, context.deps
    emergency = deps.kb.emergencies_in(text, language_of(update))
    outcome = await log_entry(
        deps.uow_factory,
        clock=deps.clock,
        alarm=deps.alarm,
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
    await send_notices(message, list(outcome.notices))


async def send_notices(message: Message, notices: list[SafetyNotice]) -> None:
    for notice in notices:
        await message.reply_text(safety_texts.notice(notice))


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [CommandHandler("log", cmd_log, filters=PRIVATE)]
