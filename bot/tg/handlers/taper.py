"""/taper: a prescriber's plan of steps, in one line or step by step."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.parsing import ParseError, parse_name
from bot.domain.taper import TaperRequest, parse_taper, parse_taper_steps
from bot.services.tapers import TaperResult, set_taper
from bot.tg import keyboards, safety_texts, texts
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, argument_text
from bot.tg.handlers.meds import cmd_cancel

ASK_NAME, ASK_STEPS = range(2)
_NAME = "taper_name"
_UNCONFIRMED = "taper_unconfirmed"  # a plan waiting for "my prescriber wrote this"
_ANSWER = PRIVATE & filters.TEXT & ~filters.COMMAND


async def cmd_taper(update: Update, context: MedContext) -> int:
    assert update.effective_message
    text = argument_text(update)
    if not text:
        await update.effective_message.reply_text(safety_texts.taper_ask_name())
        return ASK_NAME
    try:
        request = parse_taper(text)
    except ParseError as error:
        await update.effective_message.reply_text(safety_texts.taper_problem(error))
        return ConversationHandler.END
    await _save(update, context, request)
    return ConversationHandler.END


async def on_taper_name(update: Update, context: MedContext) -> int:
    assert update.effective_message and update.effective_message.text is not None
    assert context.user_data is not None
    try:
        name = parse_name(update.effective_message.text)
    except ParseError as error:
        await update.effective_message.reply_text(texts.parse_problem(error))
        return ASK_NAME
    context.user_data[_NAME] = name
    await update.effective_message.reply_text(safety_texts.taper_ask_steps(name))
    return ASK_STEPS


async def on_taper_steps(update: Update, context: MedContext) -> int:
    assert update.effective_message and update.effective_message.text is not None
    assert context.user_data is not None
    try:
        steps = parse_taper_steps(update.effective_message.text)
    except ParseError as error:
        await update.effective_message.reply_text(safety_texts.taper_problem(error))
        return ASK_STEPS
    await _save(update, context, TaperRequest(context.user_data.pop(_NAME), steps))
    return ConversationHandler.END


async def _save(
    update: Update, context: MedContext, request: TaperRequest, *, confirmed: bool = False
) -> None:
    """Save the plan; an unusual one (a rise, a steep drop) first asks whether the prescriber
    wrote it, and changes nothing until the patient says so."""
    assert update.effective_chat and update.effective_message and context.user_data is not None
    deps = context.deps
    outcome = await set_taper(
        deps.uow_factory,
        clock=deps.clock,
        alarm=deps.alarm,
        chat_id=update.effective_chat.id,
        request=request,
        default_zone=deps.default_zone,
        confirmed=confirmed,
    )
    message = update.effective_message
    if outcome.result is TaperResult.NOT_FOUND or outcome.medication is None:
        await message.reply_text(texts.medication_not_found(request.name))
    elif outcome.result is TaperResult.UNUSUAL:
        context.user_data[_UNCONFIRMED] = request
        await message.reply_text(
            safety_texts.taper_unusual(outcome.medication.name, outcome.unusual),
            reply_markup=keyboards.taper_confirm_keyboard(),
        )
    else:
        assert outcome.plan is not None
        await message.reply_text(safety_texts.taper_saved(outcome.medication.name, outcome.plan))


async def on_taper_confirm_button(update: Update, context: MedContext) -> None:
    """ "My prescriber wrote this plan" (saved now), or "I'll check first" (nothing changes)."""
    query = update.callback_query
    assert query is not None and context.user_data is not None
    request = context.user_data.pop(_UNCONFIRMED, None)
    await query.answer()
    if not isinstance(request, TaperRequest):
        await query.edit_message_text(texts.stale_button())
    elif query.data == keyboards.TAPER_CONFIRMED:
        await query.edit_message_text(safety_texts.taper_confirmed(request.name))
        await _save(update, context, request, confirmed=True)
    else:
        await query.edit_message_text(safety_texts.taper_not_confirmed())


def handlers() -> list[BaseHandler[Update, MedContext, object]]:
    flow: ConversationHandler[MedContext] = ConversationHandler(
        entry_points=[CommandHandler("taper", cmd_taper, filters=PRIVATE)],
        states={
            ASK_NAME: [MessageHandler(_ANSWER, on_taper_name)],
            ASK_STEPS: [MessageHandler(_ANSWER, on_taper_steps)],
        },
        fallbacks=[CommandHandler("cancel", cmd_cancel, filters=PRIVATE)],
        allow_reentry=True,
    )
    return [
        flow,
        CallbackQueryHandler(on_taper_confirm_button, pattern=keyboards.TAPER_CONFIRM_PATTERN),
    ]
