"""/report [pdf] [7|30|90] [patient]: adherence as a text and a chart, or a PDF for a clinic
visit; for the patient or, while the link is active, their caregiver."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.domain.adherence import BadPeriod, parse_report_request
from bot.services.reports import Report, ReportResult, adherence_report
from bot.tg import charts, pdf_report, report_texts
from bot.tg import everyday_texts as words
from bot.tg.context import MedContext
from bot.tg.handlers.common import PRIVATE, argument_text


async def cmd_report(update: Update, context: MedContext) -> None:
    await send_report(update, context, argument_text(update))


async def on_menu_report(update: Update, context: MedContext) -> None:
    await send_report(update, context, "")


async def send_report(update: Update, context: MedContext, arguments: str) -> None:
    """`arguments` as after /report: "", "30", "pdf 90", "7 Alice"."""
    assert update.effective_chat and update.effective_message
    try:
        request = parse_report_request(arguments)
    except BadPeriod as error:
        await update.effective_message.reply_text(report_texts.bad_period(str(error)))
        return
    report = await adherence_report(
        context.deps.uow_factory,
        clock=context.deps.clock,
        chat_id=update.effective_chat.id,
        days=request.days,
        patient=request.patient,
        default_zone=context.deps.default_zone,
        asker_name=update.effective_user.first_name if update.effective_user else "",
    )
    message = update.effective_message
    if report.result is not ReportResult.READY:
        await message.reply_text(report_texts.report_refused(report.result))
        return
    # Drawn in a worker thread (a 90-day PDF takes a moment): reminders keep going meanwhile.
    if request.pdf:
        document = await asyncio.to_thread(pdf_report.report_pdf, report)
        name = report_texts.pdf_filename(report)
        await message.reply_document(
            InputFile(document, filename=name), caption=report_texts.report_title(report)
        )
        return
    await message.reply_text(report_texts.report(report))
    chart = await asyncio.to_thread(_chart, report)
    await message.reply_photo(InputFile(chart, filename="report.png"))


def _chart(report: Report) -> bytes:
    return charts.report_chart(report, report_texts.chart_words(report))


def handlers() -> list[BaseHandler[Update, MedContext, None]]:
    return [
        CommandHandler("report", cmd_report, filters=PRIVATE),
        MessageHandler(
            PRIVATE & filters.Text(words.menu_button(words.MENU_REPORT)), on_menu_report
        ),
    ]
