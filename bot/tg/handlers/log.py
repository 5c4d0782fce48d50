"""/log: what the patient took or felt; red flags are answered first, before anything else."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CommandHandler

from bot.domain.journal import parse_log
from bot.domain.model import DoseStatus, NoticeKind, SafetyNotice
from bot.domain.parsing import ParseError
from bot.domain.rules import RedFlag, red_flags
from bot.services.journal import LogResult, log_entry, report_red_flags
from bot.tg import safety_texts, texts
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, argument_text, language_of


async def cmd_log(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    message, deps = update.effective_message, context.deps
    text = argument_text(update)
    if not text:
        await message.reply_text(safety_texts.log_missing())
        return
    flags = red_flags(text)
    try:
        entry = parse_log(text)
    except ParseError as error:
        await warn_red_flags(update, context, flags)
        await message.reply_text(safety_texts.log_problem_text(error))
        return
    outcome = await log_entry(
        deps.uow_factory,
        clock=deps.clock,
        kb=deps.kb,
        chat_id=update.effective_chat.id,
        language=language_of(update),
        entry=entry,
        flags=flags,
        default_zone=deps.default_zone,
    )
    await send_notices(message, [n for n in outcome.notices if n.kind is NoticeKind.RED_FLAG])
    wake_alerts_for_red_flags(context, outcome.notices)
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
    await send_notices(message, [n for n in outcome.notices if n.kind is not NoticeKind.RED_FLAG])


async def warn_red_flags(update: Update, context: MedContext, flags: list[RedFlag]) -> None:
    """A red flag mentioned anywhere: record it and send the urgent message."""
    if not flags or update.effective_chat is None or update.effective_message is None:
        return
    deps = context.deps
    notices = await report_red_flags(
        deps.uow_factory,
        clock=deps.clock,
        chat_id=update.effective_chat.id,
        language=language_of(update),
        flags=flags,
    )
    await send_notices(update.effective_message, notices)
    wake_alerts_for_red_flags(context, notices)


async def send_notices(message: Message, notices: list[SafetyNotice]) -> None:
    for notice in notices:
        await message.reply_text(safety_texts.notice(notice))


def wake_alerts_for_red_flags(context: MedContext, notices: Sequence[SafetyNotice]) -> None:
    """Caregivers hear of a red flag within seconds, not at the next routine run."""
    if any(notice.kind is NoticeKind.RED_FLAG for notice in notices):
        context.deps.alert_alarm.arm(context.deps.clock.now())


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [CommandHandler("log", cmd_log, filters=PRIVATE)]
