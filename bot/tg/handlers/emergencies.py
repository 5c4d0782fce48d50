"""Emergencies in any message: answered first, before any other handler sees the message."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, MessageHandler, filters

from bot.domain.emergencies import Emergency
from bot.services.emergencies import report_emergency
from bot.tg import metrics
from bot.tg.context import MedContext
from bot.tg.emergency_texts import contacts_for, emergency_reply
from bot.tg.handlers.common import language_of

# Runs before every feature (a lower group), and before the flood check (-1): an emergency
# from someone sending fast is still answered. PTB then goes on to the command itself.
GROUP = -2


async def on_any_message(update: Update, context: MedContext) -> None:
    """A message describing an emergency gets the urgent reply, its caregivers an alert now.

    A command (/log, /ask) then goes on to do what it was asked; plain text stops here,
    so no "I did not understand" and no guided step follows an emergency reply.
    """
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    deps = context.deps
    detection = deps.kb.emergencies_in(message.text or message.caption or "", language_of(update))
    if not detection:
        return
    zone = await report_emergency(
        deps.uow_factory,
        clock=deps.clock,
        chat_id=chat.id,
        language=language_of(update),
        detection=detection,
    )
    await answer_emergency(update, context, detection.emergencies, zone=zone)
    if not (message.text or "").startswith("/"):
        raise ApplicationHandlerStop


async def answer_emergency(
    update: Update,
    context: MedContext,
    kinds: tuple[Emergency, ...],
    *,
    zone: str | None = None,
) -> None:
    """The urgent replies, with the numbers of the patient's country; caregivers' alerts
    (recorded by the caller) go out now rather than at the next routine run."""
    assert update.effective_message is not None
    deps = context.deps
    deps.alarm.arm(deps.clock.now())
    contacts = contacts_for(deps.kb, zone or deps.default_zone)
    for kind in kinds:
        metrics.count_emergency(kind)
        await update.effective_message.reply_text(emergency_reply(kind, contacts))


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    private_text = filters.ChatType.PRIVATE & (filters.TEXT | filters.CAPTION)
    return [MessageHandler(private_text, on_any_message)]
