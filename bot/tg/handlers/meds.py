"""/add (one line, or a guided flow), /meds, /pause and /resume."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.domain.parsing import (
    AddRequest,
    ParseError,
    parse_add,
    parse_dose,
    parse_name,
    parse_times,
)
from bot.services.medications import AddResult, add_medication, medications_today
from bot.tg import keyboards, safety_texts, texts
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, argument_text, language_of

ASK_NAME, ASK_DOSE, ASK_TIMES = range(3)
_DRAFT = "add_draft"
_ANSWER = PRIVATE & filters.TEXT & ~filters.COMMAND


async def cmd_add(update: Update, context: MedContext) -> int:
    assert update.effective_message
    text = argument_text(update)
    if not text:
        await update.effective_message.reply_text(texts.add_ask_name())
        return ASK_NAME
    try:
        request = parse_add(text)
    except ParseError as error:
        await update.effective_message.reply_text(texts.add_problem(error))
        return ConversationHandler.END
    await _save(update, context, request)
    return ConversationHandler.END


async def on_add_name(update: Update, context: MedContext) -> int:
    assert update.effective_message and update.effective_message.text is not None
    try:
        name = parse_name(update.effective_message.text)
    except ParseError as error:
        await update.effective_message.reply_text(texts.parse_problem(error))
        return ASK_NAME
    _draft(context)["name"] = name
    await update.effective_message.reply_text(texts.add_ask_dose(name))
    return ASK_DOSE


async def on_add_dose(update: Update, context: MedContext) -> int:
    assert update.effective_message and update.effective_message.text is not None
    try:
        dose = parse_dose(update.effective_message.text)
    except ParseError as error:
        await update.effective_message.reply_text(texts.parse_problem(error))
        return ASK_DOSE
    _draft(context)["dose"] = dose
    await update.effective_message.reply_text(texts.add_ask_times())
    return ASK_TIMES


async def on_add_times(update: Update, context: MedContext) -> int:
    assert update.effective_message and update.effective_message.text is not None
    try:
        times = parse_times(update.effective_message.text.split())
    except ParseError as error:
        await update.effective_message.reply_text(texts.parse_problem(error))
        return ASK_TIMES
    draft = _draft(context)
    await _save(update, context, AddRequest(draft.pop("name"), draft.pop("dose"), times))
    return ConversationHandler.END


def _draft(context: MedContext) -> dict[str, str]:
    """Conversation scratch data only; the medication itself is saved in one transaction."""
    assert context.user_data is not None
    draft: dict[str, str] = context.user_data.setdefault(_DRAFT, {})
    return draft


async def cmd_cancel(update: Update, context: MedContext) -> int:
    assert update.effective_message
    _draft(context).clear()
    await update.effective_message.reply_text(texts.add_cancelled())
    return ConversationHandler.END


async def _save(update: Update, context: MedContext, request: AddRequest) -> None:
    assert update.effective_chat and update.effective_message
    deps = context.deps
    outcome = await add_medication(
        deps.uow_factory,
        clock=deps.clock,
        alarm=deps.alarm,
        chat_id=update.effective_chat.id,
        language=language_of(update),
        request=request,
        default_zone=deps.default_zone,
    )
    if outcome.result is AddResult.DUPLICATE:
        reply = texts.medication_duplicate(request.name)
    elif outcome.result is AddResult.TOO_MANY:
        reply = texts.too_many_medications()
    else:
        assert outcome.medication is not None
        reply = texts.medication_added(
            outcome.medication, outcome.timezone, outcome.next_dose_local
        )
    await update.effective_message.reply_text(reply)
    drug = deps.kb.drug_named(request.name) if outcome.result is AddResult.ADDED else None
    if drug is not None and (drug.sedating or drug.withdrawal_risk):
        await update.effective_message.reply_text(
            safety_texts.safety_tip(request.name, drug), reply_markup=keyboards.read_more(drug.key)
        )


async def cmd_meds(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    deps = context.deps
    listing = await medications_today(
        deps.uow_factory,
        clock=deps.clock,
        chat_id=update.effective_chat.id,
        default_zone=deps.default_zone,
    )
    await update.effective_message.reply_text(
        texts.meds(listing.timezone, listing.medications, listing.doses)
    )


def handlers() -> list[BaseHandler[Update, MedContext, object]]:
    add_flow: ConversationHandler[MedContext] = ConversationHandler(
        entry_points=[CommandHandler("add", cmd_add, filters=PRIVATE)],
        states={
            ASK_NAME: [MessageHandler(_ANSWER, on_add_name)],
            ASK_DOSE: [MessageHandler(_ANSWER, on_add_dose)],
            ASK_TIMES: [MessageHandler(_ANSWER, on_add_times)],
        },
        fallbacks=[CommandHandler("cancel", cmd_cancel, filters=PRIVATE)],
        allow_reentry=True,
    )
    return [
        add_flow,
        CommandHandler("meds", cmd_meds, filters=PRIVATE),
        CommandHandler("cancel", cmd_cancel, filters=PRIVATE),
    ]
