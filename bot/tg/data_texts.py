"""User-facing strings of the patient's data rights and the weekly summary: /export,
/delete_my_data, a caregiver told the link ended, and the summary and its setting."""

from __future__ import annotations

from bot.domain.history import History
from bot.domain.weekly import WeeklySummary
from bot.services.data_rights import DeletionPreview
from bot.tg.i18n import _, day, ngettext

EXPORT_FORMATS = ("csv", "json")

# --- /export


def export_nothing() -> str:
    return _("There is nothing to export yet: MedBot stores no medications, doses or logs for you.")


def export_bad_format() -> str:
    return _(
        "/export sends your history as a CSV file (the default) or a JSON file: "
        "send /export csv or /export json."
    )


def export_caption(history: History) -> str:
    doses = ngettext("{count} dose", "{count} doses", len(history.doses)).format(
        count=len(history.doses)
    )
    logged = len(history.intakes) + len(history.symptoms) + len(history.events)
    entries = ngettext("{count} log entry", "{count} log entries", logged).format(count=logged)
    return _("Your MedBot history: {doses}, {entries}. Times are in {zone}.").format(
        doses=doses, entries=entries, zone=history.zone
    )


# --- /delete_my_data


def delete_nothing() -> str:
    return _("MedBot stores nothing about you: there is nothing to delete.")


def delete_confirm(preview: DeletionPreview) -> str:
    lines = [
        _(
            "⚠️ This deletes everything MedBot stores about you: your medications and their "
            "schedules, every dose and reminder, what you logged (doses and symptoms), safety "
            "events, taper plans, caregiver invites and links. It cannot be undone."
        )
    ]
    if preview.caregivers:
        lines.append(
            ngettext(
                "Your caregiver will be told the link ended.",
                "Your {count} caregivers will be told the link ended.",
                preview.caregivers,
            ).format(count=preview.caregivers)
        )
    if preview.followed:
        lines.append(
            ngettext(
                "You will stop following the patient you follow as a caregiver.",
                "You will stop following the {count} patients you follow as a caregiver.",
                preview.followed,
            ).format(count=preview.followed)
        )
    if preview.withdrawal_risk:
        names = ", ".join(preview.withdrawal_risk)
        lines.append(
            _(
                "Deleting your data ends your reminders for {names}, not your need for it: keep "
                "taking {names} as prescribed. Stopping it suddenly can be dangerous; talk to "
                "your prescriber before any change."
            ).format(names=names)
        )
    lines.append(_("To keep a copy, send /export first."))
    return "\n\n".join(lines)


def label_delete_everything() -> str:
    return _("🗑 Delete everything")


def label_keep_data() -> str:
    return _("Keep my data")


def deleted() -> str:
    return _(
        "Done: everything MedBot stored about you is deleted and your reminders have ended. "
        "Send /start if you ever want to begin again."
    )


def kept() -> str:
    return _("Nothing was deleted: your data and reminders stay as they are.")


def delete_refused() -> str:
    return _("This button is no longer valid, so nothing was deleted.")


def link_ended(patient_name: str) -> str:
    who = patient_name or _("A patient you followed")
    return _(
        "{who} deleted their MedBot data: you no longer follow them and will get nothing "
        "more about them."
    ).format(who=who)


# --- the weekly summary


def weekly_summary(summary: WeeklySummary) -> str:
    period = _("{first} to {last}").format(first=day(summary.first_day), last=day(summary.last_day))
    if summary.for_caregiver:
        head = _("📬 {name}'s week, {period}").format(name=summary.patient_name, period=period)
    else:
        head = _("📬 Your week, {period}").format(period=period)
    lines = [head]
    for item in summary.medications:
        counts = _("{taken} taken, {skipped} skipped, {missed} missed").format(
            taken=item.taken, skipped=item.skipped, missed=item.missed
        )
        lines.append(
            _("• {medication}: {counts} ({percent}%)").format(
                medication=item.medication, counts=counts, percent=item.percent
            )
        )
    if not summary.medications:
        lines.append(_("• No doses fell due this week."))
    lines.append(
        ngettext("• {count} symptom logged", "• {count} symptoms logged", summary.symptoms).format(
            count=summary.symptoms
        )
    )
    lines.append(
        ngettext("• {count} safety event", "• {count} safety events", summary.safety_events).format(
            count=summary.safety_events
        )
    )
    lines.append(_("/report 7 shows the details. /settings turns this summary off."))
    return "\n".join(lines)


def weekly_setting(wanted: bool) -> str:
    state = _("Sundays at 19:00") if wanted else _("off")
    return _("• Weekly summary: {state}").format(state=state)


def caregiver_weekly_setting(patient_name: str, wanted: bool) -> str:
    state = _("Sundays at 19:00") if wanted else _("off")
    return _("📬 Weekly summary about {name}: {state}.").format(name=patient_name, state=state)


def label_weekly(wanted: bool) -> str:
    return _("📬 Weekly summary: on") if wanted else _("📭 Weekly summary: off")


def label_caregiver_weekly(patient_name: str, wanted: bool) -> str:
    if wanted:
        return _("📬 {name}'s week: on").format(name=patient_name)
    return _("📭 {name}'s week: off").format(name=patient_name)
