"""/start, /help and /timezone: getting a patient set up."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.domain.schedule import UnknownZone, to_local, zone_named
from bot.services.patients import register_patient, set_timezone
from bot.tg import texts
from bot.tg.context import MedContext
from bot.tg.handlers.caregivers import accept_invite
from bot.tg.handlers.common import PRIVATE, argument_text, first_name, language_of


async def cmd_start(update: Update, context: MedContext) -> None:
    """Welcome; `/start <code>` (an invite deep link) is a caregiver accepting it."""
    assert update.effective_chat and update.effective_user and update.effective_message
    code = argument_text(update)
    if code:
        await accept_invite(update, context, code)
        return
    patient = await register_patient(
        context.deps.uow_factory,
        chat_id=update.effective_chat.id,
        language=language_of(update),
        name=first_name(update),
    )
    await update.effective_message.reply_text(
        texts.welcome(
            update.effective_user.first_name,
            patient.timezone,
            context.deps.default_zone,
        )
    )


async def cmd_help(update: Update, context: MedContext) -> None:
    assert update.effective_message
    await update.effective_message.reply_text(texts.help_text())


async def cmd_timezone(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    name = argument_text(update)
    if not name:
        await update.effective_message.reply_text(texts.timezone_missing())
        return
    deps = context.deps
    try:
        zone = await set_timezone(
            deps.uow_factory,
            clock=deps.clock,
            alarm=deps.alarm,
            chat_id=update.effective_chat.id,
            language=language_of(update),
            zone_name=name,
            default_zone=deps.default_zone,
        )
    except UnknownZone:
        await update.effective_message.reply_text(texts.timezone_unknown(name))
        return
    await update.effective_message.reply_text(
        texts.timezone_set(zone, to_local(deps.clock.now(), zone_named(zone)))
    )


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [
        CommandHandler("start", cmd_start, filters=PRIVATE),
        CommandHandler("help", cmd_help, filters=PRIVATE),
        CommandHandler("timezone", cmd_timezone, filters=PRIVATE),
    ]
