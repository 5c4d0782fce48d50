"""/stop, /pause and /resume with the withdrawal warning and a confirmation button; the
medication buttons (stop, pause, delete, apply a new schedule, keep)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.domain.model import Medication, MedicationStatus
from bot.domain.parsing import AddRequest
from bot.services.medications import (
    Change,
    ChangeResult,
    change_medication,
    find_medication,
    own_medication,
)
from bot.services.tapers import keep_after_taper
from bot.tg import everyday_keyboards as buttons
from bot.tg import everyday_texts as words
from bot.tg import keyboards, safety_texts, texts
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, argument_text
from bot.tg.handlers.meds import PENDING_ADD, apply_edit


async def cmd_stop(update: Update, context: MedContext) -> None:
    """Nothing changes until the patient confirms, after the warning."""
    await _ask_first(update, context, "stop")


async def cmd_pause(update: Update, context: MedContext) -> None:
    await _ask_first(update, context, "pause")


async def cmd_resume(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    medication = await _named(update, context, "resume")
    if medication is not None:
        reply = await _change(context, update.effective_chat.id, medication.id, Change.RESUME)
        await update.effective_message.reply_text(reply)


async def _ask_first(update: Update, context: MedContext, action: str) -> None:
    assert update.effective_chat and update.effective_message
    medication = await _named(update, context, action)
    if medication is None:
        return
    drug = context.deps.kb.drug_named(medication.name)
    if action == "pause" and (drug is None or not drug.withdrawal_risk):
        reply = await _change(context, update.effective_chat.id, medication.id, Change.PAUSE)
        await update.effective_message.reply_text(reply)
        return
    warning = (
        safety_texts.pause_warning(medication.name, drug)
        if action == "pause" and drug is not None
        else safety_texts.stop_warning(medication.name, drug)
    )
    await update.effective_message.reply_text(
        warning, reply_markup=keyboards.confirm_keyboard(action, medication.id)
    )


async def _named(update: Update, context: MedContext, command: str) -> Medication | None:
    """The patient's medication named after the command, or None after saying what is wrong."""
    assert update.effective_chat and update.effective_message
    name = argument_text(update)
    if not name:
        await update.effective_message.reply_text(texts.name_missing(command))
        return None
    medication, _ = await find_medication(
        context.deps.uow_factory, kb=context.deps.kb, chat_id=update.effective_chat.id, name=name
    )
    if medication is None:
        await update.effective_message.reply_text(texts.medication_not_found(name))
    return medication


async def _change(context: MedContext, chat_id: int, medication_id: int, change: Change) -> str:
    deps = context.deps
    result, medication = await change_medication(
        deps.uow_factory,
        clock=deps.clock,
        alarm=deps.alarm,
        kb=deps.kb,
        chat_id=chat_id,
        medication_id=medication_id,
        change=change,
        default_zone=deps.default_zone,
    )
    if result is ChangeResult.NOT_FOUND or medication is None:
        return texts.answer_not_yours()
    if result is ChangeResult.UNCHANGED:
        return texts.already(medication.name, medication.status)
    if change is Change.STOP:
        return safety_texts.stopped(medication.name, deps.kb.drug_named(medication.name))
    if change is Change.DELETE:
        return words.deleted(medication.name)
    if change is Change.RESUME and medication.status is MedicationStatus.STOPPED:
        return words.resume_after_stop(medication.name)  # the status it had before
    return (
        texts.paused(medication.name) if change is Change.PAUSE else texts.resumed(medication.name)
    )


async def on_medication_button(update: Update, context: MedContext) -> None:
    query = update.callback_query
    assert query is not None
    button = keyboards.decode_medication_button(query.data)
    if button is None:
        await query.answer(texts.stale_button())
        return
    chat_id = query.from_user.id
    markup = None
    if button.action == "keep":
        assert context.user_data is not None
        reply = (
            words.kept_as_is()
            if context.user_data.pop(PENDING_ADD, None) is not None
            else safety_texts.kept_plain()
        )
    elif button.action == "apply":
        reply = await _apply_pending(context, chat_id, button.medication_id)
    elif button.action == "askdel":
        medication = await own_medication(
            context.deps.uow_factory, chat_id=chat_id, medication_id=button.medication_id
        )
        reply = words.delete_confirm(medication) if medication else texts.answer_not_yours()
        markup = buttons.delete_confirm(medication.id) if medication else None
    elif button.action == "tkeep":
        kept = await keep_after_taper(
            context.deps.uow_factory, chat_id=chat_id, medication_id=button.medication_id
        )
        reply = safety_texts.kept_after_taper(kept.name) if kept else texts.answer_not_yours()
    else:
        reply = await _change(context, chat_id, button.medication_id, Change(button.action))
    await query.answer()
    await query.edit_message_text(reply, reply_markup=markup)


async def _apply_pending(context: MedContext, chat_id: int, medication_id: int) -> str:
    """The /add the patient confirmed: the new schedule for a medication of that name."""
    assert context.user_data is not None
    request = context.user_data.pop(PENDING_ADD, None)
    medication = await own_medication(
        context.deps.uow_factory, chat_id=chat_id, medication_id=medication_id
    )
    if not isinstance(request, AddRequest) or medication is None:
        return texts.stale_button()
    if request.name.casefold() != medication.name.casefold():
        return texts.stale_button()
    return await apply_edit(
        context, chat_id, medication.id, request.dose, request.schedule, resume=True
    )


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [
        CommandHandler("stop", cmd_stop, filters=PRIVATE),
        CommandHandler("pause", cmd_pause, filters=PRIVATE),
        CommandHandler("resume", cmd_resume, filters=PRIVATE),
        CallbackQueryHandler(on_medication_button, pattern=keyboards.MEDICATION_BUTTON_PATTERN),
    ]
