"""User-facing strings of /report: the text, the chart's words, the PDF's words, refusals.

Dates and times are shown in the patient's zone, formatted for the reader's language (Babel).
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_skeleton

from bot.domain.adherence import LATE_AFTER, REPORT_DAYS, Adherence, Outcome, SymptomSummary
from bot.domain.model import MedicationStatus, SafetyEventKind
from bot.domain.schedule import to_local, zone_named
from bot.domain.taper import TaperPlan
from bot.services.reports import Report, ReportResult
from bot.tg.charts import ChartWords
from bot.tg.i18n import N_, _, current_language, ngettext

LATE_MINUTES = int(LATE_AFTER.total_seconds() // 60)

_OUTCOMES = {
    Outcome.ON_TIME: N_("On time"),
    Outcome.LATE: N_("Late"),
    Outcome.SKIPPED: N_("Skipped"),
    Outcome.MISSED: N_("Missed"),
}
_EVENTS = {
    SafetyEventKind.MISSED_DOSE: N_("Missed dose"),
    SafetyEventKind.REPEATED_SKIP: N_("Several skipped in a row"),
    SafetyEventKind.WITHDRAWAL_RISK: N_("Withdrawal risk"),
    SafetyEventKind.OVERUSE: N_("More than prescribed"),
    SafetyEventKind.RED_FLAG: N_("Red-flag symptom or emergency"),
    SafetyEventKind.STOPPED: N_("Medication stopped"),
    SafetyEventKind.PAUSED: N_("Medication paused"),
    SafetyEventKind.RAN_OUT: N_("Ran out"),
}
_SEVERITIES = {"mild": N_("mild"), "moderate": N_("moderate"), "severe": N_("severe")}
_STATES = {
    MedicationStatus.ACTIVE: N_("active"),
    MedicationStatus.PAUSED: N_("paused"),
    MedicationStatus.STOPPED: N_("stopped"),
    MedicationStatus.DELETED: N_("deleted"),
}


def day(value: date) -> str:
    """ "Dec 2" (en), "2. Dez." (de), "2 дек." (ru)."""
    return format_skeleton("MMMd", value, locale=current_language())


def long_day(value: date) -> str:
    return format_skeleton("yMMMd", value, locale=current_language())


def weekday(value: date) -> str:
    return format_skeleton("EEE", value, locale=current_language())


def local_time(report: Report, at: datetime, *, with_year: bool = False) -> str:
    """A moment in the patient's zone, for the PDF: "Dec 2, 14:05"."""
    local = to_local(at, zone_named(report.zone))
    clock = format_skeleton("Hm", local, locale=current_language())
    return f"{(long_day if with_year else day)(local.date())}, {clock}"


def outcome_label(outcome: Outcome) -> str:
    return _(_OUTCOMES[outcome])


def event_label(kind: SafetyEventKind) -> str:
    return _(_EVENTS[kind])


def severity_label(severity: str | None) -> str:
    if severity is None:
        return ""
    return _(_SEVERITIES[severity]) if severity in _SEVERITIES else severity


def state_label(status: MedicationStatus) -> str:
    return _(_STATES[status])


def last_days(days: int) -> str:
    return ngettext("last {days} day", "last {days} days", days).format(days=days)


def report_title(report: Report) -> str:
    first, last = report.first_day, report.last_day
    span = f"{day(first)} – {day(last)}" if first and last else ""
    if report.for_caregiver:
        return _("📊 {name}, {period} ({span})").format(
            name=report.patient_name, period=last_days(report.days), span=span
        )
    return _("📊 Your report, {period} ({span})").format(period=last_days(report.days), span=span)


def taken_of_due(item: Adherence) -> str:
    return ngettext(
        "{taken} of {due} dose taken ({percent}%)",
        "{taken} of {due} doses taken ({percent}%)",
        item.due,
    ).format(taken=item.taken, due=item.due, percent=item.percent)


def counts(item: Adherence) -> str:
    return _("on time {on_time} · late {late} · skipped {skipped} · missed {missed}").format(
        on_time=item.on_time, late=item.late, skipped=item.skipped, missed=item.missed
    )


def longest_run(item: Adherence) -> str:
    return ngettext(
        "longest run: {run} dose taken in a row",
        "longest run: {run} doses taken in a row",
        item.longest_run,
    ).format(run=item.longest_run)


def no_doses(days: int) -> str:
    return ngettext(
        "No doses recorded in the last {days} day",
        "No doses recorded in the last {days} days",
        days,
    ).format(days=days)


def late_means() -> str:
    return ngettext(
        "Late: taken more than {minutes} minute after the scheduled time.",
        "Late: taken more than {minutes} minutes after the scheduled time.",
        LATE_MINUTES,
    ).format(minutes=LATE_MINUTES)


def symptom_line(item: SymptomSummary) -> str:
    worst = severity_label(item.worst)
    flag = " 🚩" if item.red_flag else ""
    if worst:
        return _("{symptom} ×{count} (worst: {worst}){flag}").format(
            symptom=item.symptom, count=item.count, worst=worst, flag=flag
        )
    return f"{item.symptom} ×{item.count}{flag}"


def event_counts(report: Report) -> str:
    return ", ".join(f"{event_label(kind)} ×{n}" for kind, n in report.event_counts.items())


def report(report: Report) -> str:
    """The chat reply: overall, then per medication, symptoms and safety events."""
    lines = [report_title(report)]
    everything = report.total
    if not everything.due:
        lines.append(no_doses(report.days) + ".")
    else:
        lines.append(
            _("All medications: {taken}; on time {on_time}, late {late}.").format(
                taken=taken_of_due(everything), on_time=everything.on_time, late=everything.late
            )
        )
    for item in report.medications:
        lines += ["", f"💊 {item.medication}: {taken_of_due(item)}", counts(item)]
        lines.append(longest_run(item))
    lines.append("")
    symptoms = "; ".join(symptom_line(item) for item in report.symptoms) or _("none logged")
    lines.append(_("🩺 Symptoms: {symptoms}").format(symptoms=symptoms))
    events = event_counts(report) or _("none")
    lines.append(_("⚠️ Safety events: {events}").format(events=events))
    if everything.late:
        lines.append(late_means())
    lines.append(_("For your doctor: /report pdf {days}").format(days=report.days))
    return "\n".join(lines)


def report_refused(result: ReportResult) -> str:
    if result is ReportResult.NOT_FOLLOWED:
        return _(
            "You can see a report only of a patient who shares their alerts with you now. "
            "e.g. /report 7 Alice"
        )
    return _("No medications yet, so there is nothing to report. e.g. /add Baclofen 5 mg at 08:00")


def bad_period(given: str) -> str:
    periods = REPORT_DAYS
    return _(
        "A report covers {first}, {second} or {third} days, not {given}. "
        "e.g. /report 30, or /report pdf 30 for your doctor"
    ).format(first=periods[0], second=periods[1], third=periods[2], given=given)


def chart_words(report: Report, *, in_pdf: bool = False) -> ChartWords:
    """The chart's words; in the PDF, whose header and tables say it, without title and sums."""
    everything = report.total
    if everything.due and not in_pdf:
        summary = _("{percent}% taken · {on_time} on time · {late} late").format(
            percent=everything.percent, on_time=everything.on_time, late=everything.late
        )
    else:
        summary = ""
    outcomes = {outcome: outcome_label(outcome) for outcome in Outcome}
    outcomes[Outcome.LATE] = _("Late (over {minutes} min)").format(minutes=LATE_MINUTES)
    return ChartWords(
        title="" if in_pdf else report_title(report).removeprefix("📊 "),
        summary=summary,
        outcomes=outcomes,
        no_dose=_("No dose"),
        symptoms=_("Symptoms"),
        symptom=_("Symptom"),
        red_flag=_("Red-flag symptom"),
        empty=no_doses(report.days),
        day=day,
        weekday=weekday,
    )


# The PDF for a clinic visit.


def pdf_filename(report: Report) -> str:
    return f"medbot-report-{report.last_day or 'empty'}.pdf"


def pdf_title() -> str:
    return _("Medication report")


def pdf_facts(report: Report) -> list[tuple[str, str]]:
    """The header's label–value pairs: who, which period, which zone, when made."""
    assert report.first_day and report.last_day and report.made_at
    period = _("{first} – {last} ({period})").format(
        first=long_day(report.first_day),
        last=long_day(report.last_day),
        period=last_days(report.days),
    )
    made = to_local(report.made_at, zone_named(report.zone))
    return [
        (_("Patient"), report.patient_name or "—"),
        (_("Period"), period),
        (_("Times in"), report.zone),
        (
            _("Made"),
            f"{long_day(made.date())}, {format_skeleton('Hm', made, locale=current_language())}",
        ),
    ]


def pdf_headings() -> dict[str, str]:
    return {
        "medications": _("Medications"),
        "adherence": _("Adherence"),
        "symptoms": _("Symptoms"),
        "events": _("Safety events"),
    }


def medication_columns() -> tuple[str, ...]:
    return (_("Medication"), _("Dose"), _("Schedule"), _("Taper plan"))


def adherence_columns() -> tuple[str, ...]:
    return (
        _("Medication"),
        _("Due"),
        _("On time"),
        _("Late"),
        _("Skipped"),
        _("Missed"),
        _("Taken"),
        _("Longest run"),
    )


def symptom_columns() -> tuple[str, ...]:
    return (_("When"), _("Symptom"), _("Severity"))


def event_columns() -> tuple[str, ...]:
    return (_("When"), _("Event"), _("Medication"), _("Detail"))


def all_medications() -> str:
    return _("All")


def medication_name(name: str, status: MedicationStatus) -> str:
    if status is MedicationStatus.ACTIVE:
        return name
    return f"{name} ({state_label(status)})"


def taper_plan(plan: TaperPlan | None) -> str:
    if plan is None:
        return "—"
    steps = " → ".join(
        ngettext("{dose} for {days} day", "{dose} for {days} days", step.days).format(
            dose=step.dose.replace(" ", "\N{NO-BREAK SPACE}"), days=step.days
        )
        for step in plan.steps
    )
    return _("from {start}: {steps}").format(start=long_day(plan.start), steps=steps)


def none_recorded() -> str:
    return _("None recorded in this period.")


def more_rows(count: int) -> str:
    return ngettext(
        "… and {count} more (/export has them all)",
        "… and {count} more (/export has them all)",
        count,
    ).format(count=count)


def not_counted() -> str:
    return _("Doses not yet due or still waiting for an answer are not counted.")


def red_flag_mark() -> str:
    return _("red flag")


def pdf_footer(report: Report, page: int, pages: str) -> str:
    return _(
        "MedBot · {name} · page {page} of {pages} · recorded by the patient, not a medical record"
    ).format(name=report.patient_name or "—", page=page, pages=pages)
