"""/report pdf: one or two A4 pages for a clinic visit, made with fpdf2.

The header (patient, period, zone), the medications with schedules and taper plans, the
adherence table, the chart, the symptom log and the safety events, in the reader's language.
DejaVu Sans (shipped with matplotlib) is embedded: it covers Latin, Cyrillic and Greek.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from bot.domain.parsing import describe_schedule
from bot.services.reports import Report
from bot.tg import report_texts as texts
from bot.tg.charts import report_chart

if TYPE_CHECKING:
    from fpdf import FPDF

FONT = "DejaVu"
MARGIN = 15  # mm
# Rows of the symptom log and of the safety events, tried in turn until the report fits on
# two pages; /export has every row.
LOG_LIMITS = ((25, 15), (14, 8), (6, 4), (0, 0))
INK, MUTED, RULE = (34, 34, 34), (100, 100, 100), (200, 200, 200)


def report_pdf(report: Report) -> bytes:
    """The PDF's bytes: at most two pages, the logs shortened when they would not fit."""
    chart_png = report_chart(report, texts.chart_words(report, in_pdf=True))
    for symptoms, events in LOG_LIMITS:
        pdf = _document(report, chart_png, symptoms=symptoms, events=events)
        if pdf.pages_count <= 2:
            break
    return bytes(pdf.output())


def _fonts() -> tuple[Path, Path]:
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def _document(report: Report, chart_png: bytes, *, symptoms: int, events: int) -> FPDF:
    # Imported here, like matplotlib: only /report pdf needs it.
    from fpdf import FPDF

    class _Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, size=7.5)
            self.set_text_color(*MUTED)
            self.cell(0, 5, texts.pdf_footer(report, self.page_no(), "{nb}"), align="C")

    regular, bold = _fonts()
    pdf = _Pdf(format="A4")
    pdf.set_title(texts.pdf_title())
    pdf.set_creator("MedBot")
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    _header(pdf, report)
    headings = texts.pdf_headings()
    _heading(pdf, headings["medications"])
    _medications(pdf, report)
    _heading(pdf, headings["adherence"])
    _adherence(pdf, report)
    _chart(pdf, chart_png)
    _heading(pdf, headings["symptoms"])
    _symptoms(pdf, report, limit=symptoms)
    _heading(pdf, headings["events"])
    _events(pdf, report, limit=events)
    return pdf


def _header(pdf: FPDF, report: Report) -> None:
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 17)
    pdf.cell(0, 9, texts.pdf_title(), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    for label, value in texts.pdf_facts(report):
        pdf.set_font(FONT, "B", 10)
        pdf.cell(24, 5.5, label)
        pdf.set_font(FONT, "", 10)
        pdf.cell(0, 5.5, value, new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: FPDF, text: str) -> None:
    if pdf.will_page_break(20):  # a heading never ends a page alone
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, "B", 12.5)
    pdf.set_text_color(*INK)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*RULE)
    pdf.line(MARGIN, pdf.get_y(), pdf.w - MARGIN, pdf.get_y())
    pdf.ln(1.5)
    pdf.set_font(FONT, "", 9)


def _table(
    pdf: FPDF, rows: list[tuple[str, ...]], widths: tuple[int, ...], numeric_from: int = 99
) -> None:
    from fpdf.fonts import FontFace

    align = tuple("RIGHT" if n >= numeric_from else "LEFT" for n in range(len(widths)))
    pdf.set_font(FONT, "", 9)
    with pdf.table(
        col_widths=widths,
        text_align=align,
        line_height=4.6,
        padding=(1, 1.5),
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD", color=INK, fill_color=(238, 238, 238)),
        width=pdf.w - 2 * MARGIN,
    ) as table:
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)


def _note(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 4.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)


def _medications(pdf: FPDF, report: Report) -> None:
    if not report.plans:
        _note(pdf, texts.none_recorded())
        return
    rows = [texts.medication_columns()]
    for plan in report.plans:
        medication = plan.medication
        rows.append(
            (
                texts.medication_name(medication.name, medication.status),
                medication.dose,
                describe_schedule(medication.schedule),
                texts.taper_plan(plan.taper),
            )
        )
    _table(pdf, rows, (32, 18, 50, 80))


def _adherence(pdf: FPDF, report: Report) -> None:
    if not report.medications:
        _note(pdf, texts.no_doses(report.days) + ".")
        return
    rows = [texts.adherence_columns()]
    for item in (*report.medications, report.total):
        rows.append(
            (
                item.medication or texts.all_medications(),
                str(item.due),
                str(item.on_time),
                str(item.late),
                str(item.skipped),
                str(item.missed),
                f"{item.percent}%",
                str(item.longest_run),
            )
        )
    _table(pdf, rows, (40, 16, 18, 16, 18, 18, 18, 26), numeric_from=1)
    _note(pdf, f"{texts.late_means()} {texts.not_counted()}")


def _chart(pdf: FPDF, chart_png: bytes) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(chart_png)) as image:
        aspect = image.height / image.width
    # At most 125 mm tall; smaller (down to 80 mm) to stay on this page rather than leave
    # half of it empty.
    room = pdf.page_break_trigger - pdf.get_y() - 4
    if room < 80:
        pdf.add_page()
        room = 125
    width = min(pdf.w - 2 * MARGIN, min(125, room) / aspect)
    pdf.ln(3)
    pdf.image(io.BytesIO(chart_png), x=(pdf.w - width) / 2, w=width)


def _symptoms(pdf: FPDF, report: Report, *, limit: int) -> None:
    if not report.symptom_log:
        _note(pdf, texts.none_recorded())
        return
    _note(pdf, "; ".join(texts.symptom_line(item) for item in report.symptoms))
    pdf.ln(1)
    if not limit:
        return
    shown = report.symptom_log[-limit:]  # the latest
    rows = [texts.symptom_columns()]
    for entry in shown:
        severity = texts.severity_label(entry.severity)
        if entry.red_flag:
            severity = ", ".join(filter(None, (severity, texts.red_flag_mark())))
        rows.append((texts.local_time(report, entry.noted_at), entry.text, severity))
    _table(pdf, rows, (34, 116, 30))
    if len(report.symptom_log) > len(shown):
        _note(pdf, texts.more_rows(len(report.symptom_log) - len(shown)))


def _events(pdf: FPDF, report: Report, *, limit: int) -> None:
    if not report.events:
        _note(pdf, texts.none_recorded())
        return
    _note(pdf, texts.event_counts(report))
    pdf.ln(1)
    if not limit:
        return
    shown = report.events[-limit:]
    rows = [texts.event_columns()]
    for event in shown:
        rows.append(
            (
                texts.local_time(report, event.occurred_at),
                texts.event_label(event.kind),
                event.medication or "—",
                event.detail or "—",
            )
        )
    _table(pdf, rows, (34, 50, 36, 60))
    if len(report.events) > len(shown):
        _note(pdf, texts.more_rows(len(report.events) - len(shown)))
