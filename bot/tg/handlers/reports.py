"""/report [7|30] [patient]: adherence with a chart, for the patient or an active caregiver."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.services.reports import REPORT_DAYS, ReportResult, adherence_report
from bot.tg import charts, report_texts
from bot.tg import everyday_texts as words
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, argument_text


async def cmd_report(update: Update, context: MedContext) -> None:
    await send_report(update, context, argument_text(update))


async def on_menu_report(update: Update, context: MedContext) -> None:
    await send_report(update, context, "")


async def send_report(update: Update, context: MedContext, arguments: str) -> None:
    assert update.effective_chat and update.effective_message
    days, patient = _arguments(arguments)
    report = await adherence_report(
        context.deps.uow_factory,
        clock=context.deps.clock,
        chat_id=update.effective_chat.id,
        days=days,
        patient=patient,
        default_zone=context.deps.default_zone,
    )
    if report.result is not ReportResult.READY:
        await update.effective_message.reply_text(report_texts.report_refused(report.result))
        return
    await update.effective_message.reply_text(report_texts.report(report))
    if report.daily:
        chart = charts.adherence_chart(report.daily, report_texts.report_title(report))
        await update.effective_message.reply_photo(InputFile(chart, filename="adherence.png"))


def _arguments(text: str) -> tuple[int, str]:
    """`30 Alice` → (30, "Alice"); the period defaults to 7 days."""
    first, _, rest = text.partition(" ")
    if first.isdigit() and int(first) in REPORT_DAYS:
        return int(first), rest.strip()
    return REPORT_DAYS[0], text.strip()


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [
        CommandHandler("report", cmd_report, filters=PRIVATE),
        MessageHandler(PRIVATE & filters.Text([words.MENU_REPORT]), on_menu_report),
    ]
