"""/export [csv|json] sends the patient's history as a document; /delete_my_data deletes it
all after a confirmation button."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.services.data_rights import delete_my_data, export_history, preview_deletion
from bot.tg import data_keyboards, data_texts, export_files
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, argument_text


async def cmd_export(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    message = update.effective_message
    kind = argument_text(update).lower() or "csv"
    if kind not in data_texts.EXPORT_FORMATS:
        await message.reply_text(data_texts.export_bad_format())
        return
    deps = context.deps
    export = await export_history(
        deps.uow_factory,
        clock=deps.clock,
        chat_id=update.effective_chat.id,
        default_zone=deps.default_zone,
    )
    if export.history is None:
        await message.reply_text(data_texts.export_nothing())
        return
    if kind == "csv":
        content = export_files.as_csv(export.history)
    else:
        content = export_files.as_json(export.history, export.today)
    await message.reply_document(
        InputFile(content, filename=export_files.file_name(export.today, kind)),
        caption=data_texts.export_caption(export.history),
    )


async def cmd_delete_my_data(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    preview = await preview_deletion(
        context.deps.uow_factory, kb=context.deps.kb, chat_id=update.effective_chat.id
    )
    if preview.patient_id is None:
        await update.effective_message.reply_text(data_texts.delete_nothing())
        return
    await update.effective_message.reply_text(
        data_texts.delete_confirm(preview),
        reply_markup=data_keyboards.delete_confirm(preview.patient_id),
    )


async def on_delete_button(update: Update, context: MedContext) -> None:
    query = update.callback_query
    assert query is not None
    button = data_keyboards.decode_delete(query.data)
    if button is None:
        await query.answer(data_texts.delete_refused())
        return
    if not button.confirmed:
        await query.answer()
        await query.edit_message_text(data_texts.kept())
        return
    deps = context.deps
    done = await delete_my_data(
        deps.uow_factory,
        clock=deps.clock,
        alarm=deps.alarm,
        chat_id=query.from_user.id,
        patient_id=button.patient_id,
    )
    if not done:
        await query.answer(data_texts.delete_refused(), show_alert=True)
        return
    await query.answer()
    await query.edit_message_text(data_texts.deleted())


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [
        CommandHandler("export", cmd_export, filters=PRIVATE),
        CommandHandler("delete_my_data", cmd_delete_my_data, filters=PRIVATE),
        CallbackQueryHandler(on_delete_button, pattern=data_keyboards.DELETE_BUTTON_PATTERN),
    ]
