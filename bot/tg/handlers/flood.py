"""Floods: a person sending messages faster than anyone types gets one "slow down", then
silence for a while. Other people are not slowed; emergencies were answered before (-2)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.domain.flood import Verdict
from bot.tg import flood_texts
from bot.tg.context import MedContext

# After the language (-3) and emergencies (-2), before every feature (0).
GROUP = -1


async def hold_back_floods(update: Update, context: MedContext) -> None:
    user = update.effective_user
    if user is None:
        return
    deps = context.deps
    verdict = deps.flood.check(user.id, deps.clock.now())
    if verdict is Verdict.ANSWER:
        return
    if verdict is Verdict.SLOW_DOWN:
        if update.callback_query is not None:
            await update.callback_query.answer(flood_texts.slow_down())
        elif update.effective_message is not None:
            await update.effective_message.reply_text(flood_texts.slow_down())
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [TypeHandler(Update, hold_back_floods)]
