"""Caregivers: /caregiver invites, /start <code>, the patient's yes, /caregivers, /revoke,
/unfollow and /alerts."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters
from telegram.helpers import create_deep_linked_url

from bot.domain.caregivers import CaregiverLink, LinkStatus
from bot.domain.model import SafetyEventKind
from bot.services.caregivers import (
    RedeemResult,
    caregivers_of,
    create_invite,
    decide_link,
    end_link,
    followed_by,
    redeem_invite,
    toggle_alert_kind,
)
from bot.tg import caregiver_texts, keyboards, texts
from bot.tg import everyday_texts as words
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, argument_text, first_name, language_of


async def cmd_caregiver(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    code = await create_invite(
        context.deps.uow_factory,
        clock=context.deps.clock,
        chat_id=update.effective_chat.id,
        language=language_of(update),
        name=first_name(update),
    )
    link = create_deep_linked_url(context.bot.username, code)
    await update.effective_message.reply_text(caregiver_texts.invite(link, code))


async def accept_invite(update: Update, context: MedContext, code: str) -> None:
    """`/start <code>` from the caregiver; the patient is asked before anything is shared."""
    assert update.effective_chat and update.effective_message
    redeemed = await redeem_invite(
        context.deps.uow_factory,
        clock=context.deps.clock,
        alarm=context.deps.alarm,
        caregiver_chat_id=update.effective_chat.id,
        caregiver_name=first_name(update),
        code=code,
    )
    if redeemed.result is not RedeemResult.WAITING_FOR_PATIENT or redeemed.link is None:
        await update.effective_message.reply_text(caregiver_texts.invite_refused(redeemed.result))
        return
    await update.effective_message.reply_text(caregiver_texts.invite_waiting())


async def on_link_button(update: Update, context: MedContext) -> None:
    query = update.callback_query
    assert query is not None
    button = keyboards.decode_link_button(query.data)
    link = None
    if button is not None:
        link = await decide_link(
            context.deps.uow_factory,
            clock=context.deps.clock,
            alarm=context.deps.alarm,
            patient_chat_id=query.from_user.id,
            link_id=button.link_id,
            allow=button.allow,
        )
    if link is None:
        await query.answer(caregiver_texts.invite_decision_stale(), show_alert=True)
        return
    allowed = link.status is LinkStatus.ACTIVE
    await query.answer()
    await query.edit_message_text(caregiver_texts.caregiver_decided(link.caregiver_name, allowed))


async def cmd_caregivers(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    links = await caregivers_of(context.deps.uow_factory, patient_chat_id=update.effective_chat.id)
    await update.effective_message.reply_text(caregiver_texts.caregiver_list(links))


async def cmd_revoke(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    links = await caregivers_of(context.deps.uow_factory, patient_chat_id=update.effective_chat.id)
    link = await _end_chosen_link(update, context, links, LinkStatus.REVOKED, by=_caregiver_name)
    if link is not None:
        await update.effective_message.reply_text(caregiver_texts.revoked(link.caregiver_name))
    else:
        await update.effective_message.reply_text(caregiver_texts.revoke_which(links))


async def cmd_unfollow(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    links = await followed_by(context.deps.uow_factory, caregiver_chat_id=update.effective_chat.id)
    link = await _end_chosen_link(update, context, links, LinkStatus.LEFT, by=_patient_name)
    if link is not None:
        await update.effective_message.reply_text(caregiver_texts.unfollowed())
    else:
        await update.effective_message.reply_text(caregiver_texts.unfollow_which(links))


async def _end_chosen_link(
    update: Update,
    context: MedContext,
    links: list[CaregiverLink],
    status: LinkStatus,
    *,
    by: Callable[[CaregiverLink], str],
) -> CaregiverLink | None:
    """/revoke and /unfollow: ends the link the command's argument picks (by number, or `by`
    name) and returns it; None, and nothing ended, when the argument picks none."""
    link = _pick(links, argument_text(update), by=by)
    if link is not None:
        await end_link(
            context.deps.uow_factory,
            clock=context.deps.clock,
            alarm=context.deps.alarm,
            link=link,
            status=status,
        )
    return link


def _caregiver_name(link: CaregiverLink) -> str:
    return link.caregiver_name


def _patient_name(link: CaregiverLink) -> str:
    return link.patient_name


async def cmd_alerts(update: Update, context: MedContext) -> None:
    assert update.effective_chat and update.effective_message
    links = await followed_by(context.deps.uow_factory, caregiver_chat_id=update.effective_chat.id)
    if not links:
        await update.effective_message.reply_text(caregiver_texts.follows_nobody())
    for link in links:
        await update.effective_message.reply_text(
            caregiver_texts.alert_choices(link), reply_markup=keyboards.alert_kinds_keyboard(link)
        )


async def on_alert_kind_button(update: Update, context: MedContext) -> None:
    query = update.callback_query
    assert query is not None
    button = keyboards.decode_alert_kind_button(query.data)
    link = None
    if button is not None:
        link = await toggle_alert_kind(
            context.deps.uow_factory,
            caregiver_chat_id=query.from_user.id,
            link_id=button[0],
            kind=SafetyEventKind(button[1]),
        )
    if link is None:
        await query.answer(texts.stale_button())
        return
    await query.answer()
    await query.edit_message_text(
        caregiver_texts.alert_choices(link), reply_markup=keyboards.alert_kinds_keyboard(link)
    )


def _pick(
    links: list[CaregiverLink], choice: str, *, by: Callable[[CaregiverLink], str]
) -> CaregiverLink | None:
    """By number in the list (1, 2, ...) or by name; the only one when there is one."""
    if not choice:
        return links[0] if len(links) == 1 else None
    if choice.isdigit() and 1 <= int(choice) <= len(links):
        return links[int(choice) - 1]
    named = [link for link in links if by(link).casefold() == choice.casefold()]
    return named[0] if len(named) == 1 else None


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [
        CommandHandler("caregiver", cmd_caregiver, filters=PRIVATE),
        CommandHandler("caregivers", cmd_caregivers, filters=PRIVATE),
        MessageHandler(
            PRIVATE & filters.Text(words.menu_button(words.MENU_CAREGIVERS)), cmd_caregivers
        ),
        CommandHandler("revoke", cmd_revoke, filters=PRIVATE),
        CommandHandler("unfollow", cmd_unfollow, filters=PRIVATE),
        CommandHandler("alerts", cmd_alerts, filters=PRIVATE),
        CallbackQueryHandler(on_link_button, pattern=keyboards.LINK_BUTTON_PATTERN),
        CallbackQueryHandler(on_alert_kind_button, pattern=keyboards.ALERT_KIND_BUTTON_PATTERN),
    ]
