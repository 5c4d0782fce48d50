"""/add (one line, or guided), /edit (one line, or guided with buttons), /delete, /meds,
/stock and /refill."""

from __future__ import annotations

import re
import warnings
from datetime import date

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.domain.model import Medication, Schedule
from bot.domain.parsing import (
    AddRequest,
    MissingDose,
    ParseError,
    ScheduleRequest,
    describe_schedule,
    parse_add,
    parse_dose,
    parse_edit,
    parse_name,
)
from bot.services.medications import (
    AddResult,
    ChangeResult,
    add_medication,
    edit_medication,
    find_medication,
    medications_today,
    own_medication,
)
from bot.services.patients import local_today
from bot.services.stock import MAX_STOCK, StockResult, count_stock
from bot.tg import everyday_keyboards as buttons
from bot.tg import everyday_texts as words
from bot.tg import keyboards, safety_texts, texts
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, argument_text, language_of

ASK_NAME, ASK_DOSE, ASK_TIMES, ASK_STOCK = range(4)
EDIT_DOSE, EDIT_TIMES = range(10, 12)
_DRAFT = "add_draft"
# An /add waiting for a button: the times chosen for schedule words, or the replacement of a
# medication the patient has already. Kept only in memory: after a restart the button is stale.
PENDING_ADD = "pending_add"
_EDITING = "editing"  # the medication id of a guided /edit
_SAID_SCHEDULE = "add_said_schedule"  # "/add Baclofen twice a day": asking only the dose
_ANSWER = PRIVATE & filters.TEXT & ~filters.COMMAND
_COUNT = re.compile(r"^(?P<name>.+?)\s+(?P<count>\d{1,5}(?:[.,]\d{1,2})?)$")


async def cmd_add(update: Update, context: MedContext) -> int:
    assert update.effective_message and update.effective_chat and context.user_data is not None
    context.user_data.pop(_SAID_SCHEDULE, None)
    text = argument_text(update)
    if not text:
        await update.effective_message.reply_text(texts.add_ask_name())
        return ASK_NAME
    try:
        request = parse_add(text, await _today(update, context))
    except MissingDose as missing:
        _draft(context)["name"] = missing.name
        context.user_data[_SAID_SCHEDULE] = missing.schedule
        await update.effective_message.reply_text(texts.add_ask_dose(missing.name))
        return ASK_DOSE
    except ParseError as error:
        await update.effective_message.reply_text(texts.add_problem(error))
        return ConversationHandler.END
    await _propose(update, context, request)
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
    assert context.user_data is not None
    said = context.user_data.pop(_SAID_SCHEDULE, None)
    if isinstance(said, ScheduleRequest):  # the rest came in one line: go on as it would
        name = _draft(context).pop("name")
        await _propose(update, context, AddRequest(name, dose, said.schedule, said.from_words))
        return ConversationHandler.END
    _draft(context)["dose"] = dose
    await update.effective_message.reply_text(texts.add_ask_times())
    return ASK_TIMES


async def on_add_times(update: Update, context: MedContext) -> int:
    assert update.effective_message and update.effective_message.text is not None
    draft = _draft(context)
    try:
        request = _with_schedule(
            draft["name"],
            draft["dose"],
            update.effective_message.text,
            await _today(update, context),
        )
    except ParseError as error:
        await update.effective_message.reply_text(texts.parse_problem(error))
        return ASK_TIMES
    draft.clear()
    medication = await _propose(update, context, request)
    if medication is None:
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data[_EDITING] = medication.id
    await update.effective_message.reply_text(words.add_ask_stock(medication.name))
    return ASK_STOCK


async def on_add_stock(update: Update, context: MedContext) -> int:
    assert update.effective_message and update.effective_message.text is not None
    assert context.user_data is not None
    text = update.effective_message.text.strip().replace(",", ".")
    try:
        count = float(text)
    except ValueError:
        await update.effective_message.reply_text(words.stock_not_a_number())
        return ASK_STOCK
    if not 0 <= count <= MAX_STOCK:
        await update.effective_message.reply_text(words.stock_not_a_number())
        return ASK_STOCK
    await _count(update, context, context.user_data.pop(_EDITING, 0), count, refill=False)
    return ConversationHandler.END


async def cmd_skip(update: Update, context: MedContext) -> int:
    assert update.effective_message and context.user_data is not None
    context.user_data.pop(_EDITING, None)
    await update.effective_message.reply_text(words.kept_as_is())
    return ConversationHandler.END


def _with_schedule(name: str, dose: str, text: str, today: date) -> AddRequest:
    """The guided flow's times: "08:00 20:00", "8am 8pm", "twice a day", "as needed"..."""
    try:
        return parse_add(f"{name} {dose} {text}", today)
    except ParseError:
        return parse_add(f"{name} {dose} at {text}", today)


def _draft(context: MedContext) -> dict[str, str]:
    """Conversation scratch data only; the medication itself is saved in one transaction."""
    assert context.user_data is not None
    draft: dict[str, str] = context.user_data.setdefault(_DRAFT, {})
    return draft


async def cmd_cancel(update: Update, context: MedContext) -> int:
    assert update.effective_message and context.user_data is not None
    _draft(context).clear()
    context.user_data.pop(_EDITING, None)
    context.user_data.pop(_SAID_SCHEDULE, None)
    await update.effective_message.reply_text(texts.add_cancelled())
    return ConversationHandler.END


async def _today(update: Update, context: MedContext) -> date:
    assert update.effective_chat
    deps = context.deps
    return await local_today(
        deps.uow_factory,
        clock=deps.clock,
        chat_id=update.effective_chat.id,
        default_zone=deps.default_zone,
    )


async def _propose(update: Update, context: MedContext, request: AddRequest) -> Medication | None:
    """Times chosen from words are confirmed first; anything else is saved at once. Returns
    the medication when one was added."""
    assert update.effective_message and context.user_data is not None
    if request.from_words:
        context.user_data[PENDING_ADD] = request
        await update.effective_message.reply_text(
            words.confirm_word_schedule(
                request.name, request.dose, describe_schedule(request.schedule)
            ),
            reply_markup=buttons.word_schedule(),
        )
        return None
    return await save_add(update, context, request)


async def save_add(update: Update, context: MedContext, request: AddRequest) -> Medication | None:
    assert update.effective_chat and update.effective_message and context.user_data is not None
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
    message = update.effective_message
    new_plan = f"{request.dose}, {describe_schedule(request.schedule)}"
    if outcome.result in (AddResult.DUPLICATE, AddResult.STOPPED):
        assert outcome.medication is not None
        context.user_data[PENDING_ADD] = request
        stopped = outcome.result is AddResult.STOPPED
        reply = (words.stopped_before if stopped else words.already_taken)(
            outcome.medication, new_plan
        )
        markup = buttons.replace_or_keep(outcome.medication.id, resume=stopped)
        await message.reply_text(reply, reply_markup=markup)
        return None
    if outcome.result is AddResult.TOO_MANY:
        await message.reply_text(texts.too_many_medications())
        return None
    assert outcome.medication is not None
    await message.reply_text(
        texts.medication_added(outcome.medication, outcome.timezone, outcome.next_dose_local)
    )
    drug = deps.kb.drug_named(request.name)
    if drug is not None and (drug.sedating or drug.withdrawal_risk):
        await message.reply_text(
            safety_texts.safety_tip(request.name, drug), reply_markup=keyboards.read_more(drug.key)
        )
    return outcome.medication


async def on_word_schedule_button(update: Update, context: MedContext) -> None:
    query = update.callback_query
    assert query is not None and context.user_data is not None
    request = context.user_data.pop(PENDING_ADD, None)
    await query.answer()
    if not isinstance(request, AddRequest):
        await query.edit_message_text(texts.stale_button())
        return
    if query.data == "w:other":
        await query.edit_message_text(words.other_times_hint(request.name, request.dose))
        return
    await query.edit_message_reply_markup(None)
    await save_add(update, context, request)


# --- /edit


async def cmd_edit(update: Update, context: MedContext) -> int:
    assert update.effective_chat and update.effective_message
    message, deps = update.effective_message, context.deps
    text = argument_text(update)
    if not text:
        listing = await medications_today(
            deps.uow_factory,
            clock=deps.clock,
            chat_id=update.effective_chat.id,
            default_zone=deps.default_zone,
        )
        markup = (
            buttons.medications(listing.medications, "e:pick:") if listing.medications else None
        )
        await message.reply_text(words.edit_which(), reply_markup=markup)
        return ConversationHandler.END
    try:
        request = parse_edit(text, await _today(update, context))
    except ParseError as error:
        await message.reply_text(texts.parse_problem(error))
        return ConversationHandler.END
    medication, _ = await find_medication(
        deps.uow_factory, kb=deps.kb, chat_id=update.effective_chat.id, name=request.name
    )
    if medication is None:
        await message.reply_text(texts.medication_not_found(request.name))
        return ConversationHandler.END
    if request.dose is None and request.schedule is None:
        await message.reply_text(
            words.edit_menu(medication), reply_markup=buttons.edit_menu(medication.id)
        )
        return ConversationHandler.END
    await message.reply_text(
        await apply_edit(
            context, update.effective_chat.id, medication.id, request.dose, request.schedule
        )
    )
    return ConversationHandler.END


async def apply_edit(
    context: MedContext,
    chat_id: int,
    medication_id: int,
    dose: str | None,
    schedule: Schedule | None,
    *,
    resume: bool = False,
) -> str:
    deps = context.deps
    outcome = await edit_medication(
        deps.uow_factory,
        clock=deps.clock,
        alarm=deps.alarm,
        chat_id=chat_id,
        medication_id=medication_id,
        dose=dose,
        schedule=schedule,
        default_zone=deps.default_zone,
        resume=resume,
    )
    if outcome.result is ChangeResult.NOT_FOUND or outcome.medication is None:
        return texts.answer_not_yours()
    if outcome.result is ChangeResult.UNCHANGED:
        return words.unchanged(outcome.medication)
    return words.edited(outcome.medication, outcome.next_dose_local)


async def on_edit_button(update: Update, context: MedContext) -> int:
    query = update.callback_query
    assert query is not None and query.data is not None and context.user_data is not None
    _, field, raw_id = query.data.split(":")
    medication = await _own_medication(context, query.from_user.id, int(raw_id))
    await query.answer()
    if medication is None:
        await query.edit_message_text(texts.answer_not_yours())
        return ConversationHandler.END
    if field == "pick":
        await query.edit_message_text(
            words.edit_menu(medication), reply_markup=buttons.edit_menu(medication.id)
        )
        return ConversationHandler.END
    context.user_data[_EDITING] = medication.id
    ask = words.edit_ask_dose if field == "dose" else words.edit_ask_times
    await query.edit_message_text(ask(medication.name))
    return EDIT_DOSE if field == "dose" else EDIT_TIMES


async def on_edit_dose(update: Update, context: MedContext) -> int:
    assert update.effective_message and update.effective_message.text is not None
    assert update.effective_chat and context.user_data is not None
    try:
        dose = parse_dose(update.effective_message.text)
    except ParseError as error:
        await update.effective_message.reply_text(texts.parse_problem(error))
        return EDIT_DOSE
    medication_id = context.user_data.pop(_EDITING, 0)
    reply = await apply_edit(context, update.effective_chat.id, medication_id, dose, None)
    await update.effective_message.reply_text(reply)
    return ConversationHandler.END


async def on_edit_times(update: Update, context: MedContext) -> int:
    assert update.effective_message and update.effective_message.text is not None
    assert update.effective_chat and context.user_data is not None
    medication = await _own_medication(
        context, update.effective_chat.id, context.user_data.get(_EDITING, 0)
    )
    if medication is None:
        await update.effective_message.reply_text(texts.answer_not_yours())
        return ConversationHandler.END
    try:
        request = _with_schedule(
            medication.name,
            medication.dose,
            update.effective_message.text,
            await _today(update, context),
        )
    except ParseError as error:
        await update.effective_message.reply_text(texts.parse_problem(error))
        return EDIT_TIMES
    context.user_data.pop(_EDITING, None)
    reply = await apply_edit(
        context, update.effective_chat.id, medication.id, None, request.schedule
    )
    await update.effective_message.reply_text(reply)
    return ConversationHandler.END


async def _own_medication(
    context: MedContext, chat_id: int, medication_id: int
) -> Medication | None:
    return await own_medication(
        context.deps.uow_factory, chat_id=chat_id, medication_id=medication_id
    )


# --- /delete


async def cmd_delete(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    message, deps = update.effective_message, context.deps
    name = argument_text(update)
    if not name:
        await message.reply_text(texts.name_missing("delete"))
        return
    medication, drug = await find_medication(
        deps.uow_factory, kb=deps.kb, chat_id=update.effective_chat.id, name=name
    )
    if medication is None:
        await message.reply_text(texts.medication_not_found(name))
        return
    # Deleting a drug that must not stop suddenly is stopping it: the same warning first.
    reply = words.delete_confirm(medication)
    if drug is not None and drug.withdrawal_risk:
        reply = safety_texts.stop_warning(medication.name, drug) + "\n\n" + reply
    await message.reply_text(reply, reply_markup=buttons.delete_confirm(medication.id))


# --- /stock and /refill


async def cmd_stock(update: Update, context: MedContext) -> None:
    await _stock_command(update, context, refill=False)


async def cmd_refill(update: Update, context: MedContext) -> None:
    await _stock_command(update, context, refill=True)


async def _stock_command(update: Update, context: MedContext, *, refill: bool) -> None:
    assert update.effective_chat and update.effective_message
    message, deps = update.effective_message, context.deps
    command = "refill" if refill else "stock"
    match = _COUNT.match(argument_text(update))
    count = float(match["count"].replace(",", ".")) if match else -1
    if match is None or count > MAX_STOCK:
        await message.reply_text(words.stock_usage(command))
        return
    medication, _ = await find_medication(
        deps.uow_factory, kb=deps.kb, chat_id=update.effective_chat.id, name=match["name"]
    )
    if medication is None:
        await message.reply_text(texts.medication_not_found(match["name"]))
        return
    await _count(update, context, medication.id, count, refill=refill)


async def _count(
    update: Update, context: MedContext, medication_id: int, count: float, *, refill: bool
) -> None:
    assert update.effective_chat and update.effective_message
    deps = context.deps
    outcome = await count_stock(
        deps.uow_factory,
        clock=deps.clock,
        alarm=deps.alarm,
        kb=deps.kb,
        chat_id=update.effective_chat.id,
        medication_id=medication_id,
        count=count,
        refill=refill,
        default_zone=deps.default_zone,
    )
    if outcome.result is StockResult.NOT_FOUND or outcome.medication is None:
        await update.effective_message.reply_text(texts.answer_not_yours())
        return
    await update.effective_message.reply_text(
        words.stock_set(outcome.medication, outcome.stock, outcome.run_out, outcome.lead_days)
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


def add_entry_points() -> list[BaseHandler[Update, MedContext, object]]:
    """What starts the guided /add: the command, or the menu's button."""
    return [
        CommandHandler("add", cmd_add, filters=PRIVATE),
        MessageHandler(PRIVATE & filters.Text(words.menu_button(words.MENU_ADD)), cmd_add),
    ]


def handlers() -> list[BaseHandler[Update, MedContext, object]]:
    cancel: list[BaseHandler[Update, MedContext, object]] = [
        CommandHandler("cancel", cmd_cancel, filters=PRIVATE),
        CommandHandler("skip", cmd_skip, filters=PRIVATE),
    ]
    add_flow: ConversationHandler[MedContext] = ConversationHandler(
        entry_points=add_entry_points(),
        states={
            ASK_NAME: [MessageHandler(_ANSWER, on_add_name)],
            ASK_DOSE: [MessageHandler(_ANSWER, on_add_dose)],
            ASK_TIMES: [MessageHandler(_ANSWER, on_add_times)],
            ASK_STOCK: [MessageHandler(_ANSWER, on_add_stock)],
        },
        fallbacks=cancel,
        allow_reentry=True,
    )
    with warnings.catch_warnings():
        # A button starts the guided edit, and the answer is the chat's next message: per
        # chat is the tracking wanted (PTB warns that callbacks are then not per message).
        warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
        edit_flow: ConversationHandler[MedContext] = ConversationHandler(
            entry_points=[
                CommandHandler("edit", cmd_edit, filters=PRIVATE),
                CallbackQueryHandler(on_edit_button, pattern=buttons.EDIT_BUTTON_PATTERN),
            ],
            states={
                EDIT_DOSE: [MessageHandler(_ANSWER, on_edit_dose)],
                EDIT_TIMES: [MessageHandler(_ANSWER, on_edit_times)],
            },
            fallbacks=cancel,
            allow_reentry=True,
        )
    return [
        add_flow,
        edit_flow,
        CallbackQueryHandler(on_word_schedule_button, pattern=buttons.WORD_SCHEDULE_PATTERN),
        CommandHandler("delete", cmd_delete, filters=PRIVATE),
        CommandHandler("stock", cmd_stock, filters=PRIVATE),
        CommandHandler("refill", cmd_refill, filters=PRIVATE),
        CommandHandler("meds", cmd_meds, filters=PRIVATE),
        MessageHandler(PRIVATE & filters.Text(words.menu_button(words.MENU_MEDS)), cmd_meds),
        *cancel,
    ]
