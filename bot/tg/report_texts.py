"""User-facing strings of /report: the adherence text, its title and refusals."""

from __future__ import annotations

from bot.services.reports import Report, ReportResult
from bot.tg.i18n import _


def report_title(report: Report) -> str:
    who = report.patient_name or _("you")
    return _("Doses taken, last {days} days: {who}").format(days=report.days, who=who)


def report(report: Report) -> str:
    first = report.first_day.strftime("%d %b") if report.first_day else ""
    last = report.last_day.strftime("%d %b") if report.last_day else ""
    lines = [report_title(report) + f" ({first} – {last})"]
    if not report.medications:
        lines.append(_("No doses fell due in this period."))
    for item in report.medications:
        lines.append(
            _(
                "• {name}: {taken} of {due} taken ({percent}%), {skipped} skipped, {missed} missed"
            ).format(
                name=item.medication,
                taken=item.taken,
                due=item.due,
                percent=item.percent,
                skipped=item.skipped,
                missed=item.missed,
            )
        )
    return "\n".join(lines)


def report_refused(result: ReportResult) -> str:
    if result is ReportResult.NOT_FOLLOWED:
        return _(
            "You can see a report only of a patient who shares their alerts with you now. "
            "e.g. /report 7 Alice"
        )
    return _("No medications yet, so there is nothing to report. e.g. /add Baclofen 5 mg at 08:00")
