"""/start, /help, /menu and /timezone (names, places, offsets, a shared location, travel):
getting a patient set up."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.schedule import UnknownZone, to_local, zone_named
from bot.services.patients import choose_travel_clock, register_patient, set_timezone
from bot.tg import everyday_keyboards as buttons
from bot.tg import everyday_texts as words
from bot.tg import texts
from bot.tg.context import MedContext
from bot.tg.handlers.caregivers import accept_invite
from bot.tg.handlers.common import PRIVATE, argument_text, first_name, language_of
from bot.tg.zone_lookup import zone_of_place, zones_for


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
        ),
        reply_markup=buttons.main_menu(),
    )


async def cmd_help(update: Update, context: MedContext) -> None:
    assert update.effective_message
    await update.effective_message.reply_text(texts.help_text())


async def cmd_timezone(update: Update, context: MedContext) -> None:
    """An IANA name, a city, a country or an offset: one match is set, several are offered."""
    assert update.effective_message
    message = update.effective_message
    text = argument_text(update)
    if not text:
        await message.reply_text(words.timezone_ask())
        return
    try:
        zone_named(text)
        choices = [text]
    except UnknownZone:
        choices = zones_for(text, context.deps.clock.now())
    if not choices:
        await message.reply_text(words.timezone_no_match(text))
    elif len(choices) == 1:
        await message.reply_text(**await _set_zone(update, context, choices[0]))
    else:
        await message.reply_text(
            words.timezone_suggestions(text), reply_markup=buttons.zone_suggestions(choices)
        )


async def on_location(update: Update, context: MedContext) -> None:
    """A shared location sets the zone (looked up offline; the place itself is not kept)."""
    assert update.effective_message and update.effective_message.location
    location = update.effective_message.location
    zone = zone_of_place(location.latitude, location.longitude)
    if zone is None:
        await update.effective_message.reply_text(words.location_unknown())
        return
    await update.effective_message.reply_text(**await _set_zone(update, context, zone))


async def on_zone_button(update: Update, context: MedContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    if query.data.startswith("z:set:"):
        await query.edit_message_text(**await _set_zone(update, context, query.data[6:]))
        return
    deps = context.deps
    chosen = await choose_travel_clock(
        deps.uow_factory,
        clock=deps.clock,
        alarm=deps.alarm,
        chat_id=query.from_user.id,
        keep_home=query.data == "z:home",
        default_zone=deps.default_zone,
    )
    if chosen is None:
        await query.edit_message_text(texts.stale_button())
        return
    home, here = chosen
    await query.edit_message_text(
        words.travel_home_kept(home) if query.data == "z:home" else words.travel_local(here)
    )


async def _set_zone(update: Update, context: MedContext, name: str) -> dict[str, Any]:
    """The reply (text and buttons) to setting a zone, as keyword arguments for a send."""
    assert update.effective_chat
    deps = context.deps
    try:
        change = await set_timezone(
            deps.uow_factory,
            clock=deps.clock,
            alarm=deps.alarm,
            chat_id=update.effective_chat.id,
            language=language_of(update),
            zone_name=name,
            default_zone=deps.default_zone,
        )
    except UnknownZone:
        return {"text": texts.timezone_unknown(name)}
    now = deps.clock.now()
    if change.ask_home is not None:
        return {
            "text": words.travel_question(
                change.ask_home,
                change.zone,
                to_local(now, zone_named(change.ask_home)),
                to_local(now, zone_named(change.zone)),
            ),
            "reply_markup": buttons.travel(change.ask_home, change.zone),
        }
    return {"text": texts.timezone_set(change.zone, to_local(now, zone_named(change.zone)))}


async def cmd_menu(update: Update, context: MedContext) -> None:
    assert update.effective_message
    await update.effective_message.reply_text(words.menu(), reply_markup=buttons.main_menu())


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [
        CommandHandler("start", cmd_start, filters=PRIVATE),
        CommandHandler("help", cmd_help, filters=PRIVATE),
        CommandHandler("menu", cmd_menu, filters=PRIVATE),
        CommandHandler("timezone", cmd_timezone, filters=PRIVATE),
        MessageHandler(PRIVATE & filters.LOCATION, on_location),
        CallbackQueryHandler(on_zone_button, pattern=buttons.ZONE_BUTTON_PATTERN),
    ]
