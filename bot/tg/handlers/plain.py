"""Messages without a command, and the main menu's buttons: "I took my baclofen", "skipped my
evening dose", "feeling dizzy", "thanks", a question, or else the likeliest commands as
buttons. An emergency in any of them was answered (and stopped) before, in emergencies.py."""

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

from bot.domain.intents import Command, Plain, PlainKind, SkipReason
from bot.domain.journal import DoseLog, LoggedWhen, SymptomLog, symptom_in
from bot.domain.model import DoseAnswer, MedicationStatus
from bot.services.answers import AnswerResult, record_dose_answer
from bot.services.journal import skipped_dose
from bot.services.medications import medications_today, own_medication
from bot.services.patients import where_patient_is
from bot.tg import everyday_keyboards as buttons
from bot.tg import everyday_texts as words
from bot.tg import texts
from bot.tg.context import MedContext
from bot.tg.emergency_texts import contacts_for, if_in_danger
from bot.tg.handlers.ask import answer_question
from bot.tg.handlers.common import PRIVATE, first_name, language_of
from bot.tg.handlers.log import record_and_reply
from bot.tg.handlers.meds import cmd_meds
from bot.tg.handlers.reports import send_report
from bot.tg.handlers.settings import cmd_settings

FEEL, ASK = range(20, 22)
_TEXT = PRIVATE & filters.TEXT & ~filters.COMMAND


async def on_plain(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message and update.effective_message.text
    deps = context.deps
    names = await context.medication_names(update.effective_chat.id)
    plain = deps.kb.read_plain(update.effective_message.text, names, language_of(update))
    await _answer(update, context, plain)


async def _answer(update: Update, context: MedContext, plain: Plain) -> None:
    assert update.effective_message
    message = update.effective_message
    if plain.kind is PlainKind.TOOK and plain.dose is not None:
        await record_and_reply(update, context, plain.dose, plain.text)
    elif plain.kind is PlainKind.SKIPPED and plain.skip is not None:
        await _skipped(update, context, plain)
    elif plain.kind is PlainKind.SYMPTOM and plain.symptom is not None:
        if plain.symptom.better:
            await message.reply_text(words.glad_better())
        else:
            await record_and_reply(update, context, plain.symptom, plain.text)
    elif plain.kind is PlainKind.THANKS:
        await message.reply_text(words.thanks())
    elif plain.kind is PlainKind.GREETING:
        await message.reply_text(words.hello(first_name(update)), reply_markup=buttons.main_menu())
    elif plain.kind is PlainKind.QUESTION:
        await answer_question(update, context, plain.text)
    else:
        suggested = [command.value for command in plain.suggestions]
        assert update.effective_chat
        deps = context.deps
        zone = await where_patient_is(deps.uow_factory, update.effective_chat.id)
        contacts = contacts_for(deps.kb, zone or deps.default_zone)
        await message.reply_text(
            words.unclear(tuple(suggested)) + "\n\n" + if_in_danger(contacts),
            reply_markup=buttons.suggestions(suggested),
        )


async def _skipped(update: Update, context: MedContext, plain: Plain) -> None:
    """Record the skip of the reminder it means (with the skip warning, owed), or say what to
    do when none is open; running out is no skip: it is told what running out means."""
    assert update.effective_chat and update.effective_message and plain.skip is not None
    message, deps = update.effective_message, context.deps
    if plain.skip.reason is SkipReason.RAN_OUT:
        await message.reply_text(words.ran_out_words())
        return
    found = await skipped_dose(
        deps.uow_factory,
        clock=deps.clock,
        kb=deps.kb,
        chat_id=update.effective_chat.id,
        skip=plain.skip,
        default_zone=deps.default_zone,
    )
    if found is None:
        await message.reply_text(words.skipped_nothing_open())
        return
    outcome = await record_dose_answer(
        deps.uow_factory,
        clock=deps.clock,
        alarm=deps.alarm,
        chat_id=update.effective_chat.id,
        dose_id=found.dose.id,
        answer=DoseAnswer.SKIP,
        snooze=deps.snooze,
        kb=deps.kb,
        default_zone=deps.default_zone,
        owe_edit=True,
    )
    if outcome.result is AnswerResult.RECORDED and outcome.reminder is not None:
        reminder = outcome.reminder
        await message.reply_text(
            words.skipped_recorded(reminder.medication, reminder.scheduled_local)
        )
    elif outcome.result is AnswerResult.ALREADY_ANSWERED and outcome.status is not None:
        await message.reply_text(texts.answer_already(outcome.status))
    else:
        await message.reply_text(texts.answer_try_again())


async def on_suggestion_button(update: Update, context: MedContext) -> None:
    """A suggested command: the ones without arguments run; the others say how to use them."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    command = query.data.removeprefix("h:")
    if command == Command.MEDS:
        await cmd_meds(update, context)
    elif command == Command.REPORT:
        await send_report(update, context, "")
    elif command == Command.SETTINGS:
        await cmd_settings(update, context)
    else:
        await query.edit_message_text(words.how_to(command))


# --- the menu's buttons that need a step more


async def on_menu_took(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    deps = context.deps
    listing = await medications_today(
        deps.uow_factory,
        clock=deps.clock,
        chat_id=update.effective_chat.id,
        default_zone=deps.default_zone,
    )
    taken = [m for m in listing.medications if m.status is MedicationStatus.ACTIVE]
    if not taken:
        await update.effective_message.reply_text(words.took_none())
        return
    await update.effective_message.reply_text(
        words.took_which(), reply_markup=buttons.medications(taken, "l:")
    )


async def on_took_button(update: Update, context: MedContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    medication = await own_medication(
        context.deps.uow_factory,
        chat_id=query.from_user.id,
        medication_id=int(query.data.removeprefix("l:")),
    )
    await query.answer()
    if medication is None:
        await query.edit_message_text(texts.answer_not_yours())
        return
    await query.edit_message_reply_markup(None)
    entry = DoseLog(medication.name, None, LoggedWhen())
    await record_and_reply(update, context, entry, "")


async def on_menu_feel(update: Update, context: MedContext) -> int:
    assert update.effective_message
    await update.effective_message.reply_text(words.feel_ask())
    return FEEL


async def on_feeling(update: Update, context: MedContext) -> int:
    assert update.effective_message and update.effective_message.text
    text = update.effective_message.text
    entry: SymptomLog = symptom_in(text)
    await record_and_reply(update, context, entry, text)
    return ConversationHandler.END


async def on_menu_ask(update: Update, context: MedContext) -> int:
    assert update.effective_message
    await update.effective_message.reply_text(words.ask_ask())
    return ASK


async def on_question(update: Update, context: MedContext) -> int:
    assert update.effective_message and update.effective_message.text
    await answer_question(update, context, update.effective_message.text)
    return ConversationHandler.END


async def cmd_cancel(update: Update, context: MedContext) -> int:
    assert update.effective_message
    await update.effective_message.reply_text(texts.add_cancelled())
    return ConversationHandler.END


def handlers() -> list[BaseHandler[Update, MedContext, object]]:
    steps: ConversationHandler[MedContext] = ConversationHandler(
        entry_points=[
            MessageHandler(
                PRIVATE & filters.Text(words.menu_button(words.MENU_FEEL)), on_menu_feel
            ),
            MessageHandler(PRIVATE & filters.Text(words.menu_button(words.MENU_ASK)), on_menu_ask),
        ],
        states={
            FEEL: [MessageHandler(_TEXT, on_feeling)],
            ASK: [MessageHandler(_TEXT, on_question)],
        },
        fallbacks=[CommandHandler("cancel", cmd_cancel, filters=PRIVATE)],
        allow_reentry=True,
    )
    return [
        steps,
        MessageHandler(PRIVATE & filters.Text(words.menu_button(words.MENU_TOOK)), on_menu_took),
        CallbackQueryHandler(on_took_button, pattern=buttons.TOOK_BUTTON_PATTERN),
        CallbackQueryHandler(on_suggestion_button, pattern=buttons.SUGGESTION_BUTTON_PATTERN),
        MessageHandler(_TEXT, on_plain),
    ]
