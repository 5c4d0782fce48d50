"""User-facing strings of onboarding, medications and reminders, through gettext `_()`.

Safety texts live in safety_texts.py, caregiver texts in caregiver_texts.py, report texts in
report_texts.py: every string the bot shows is in one of the *_texts.py modules.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.model import (
    DoseAnswer,
    DoseOfDay,
    DoseStatus,
    Medication,
    MedicationStatus,
    Reminder,
    Schedule,
)
from bot.domain.parsing import ADD_EXAMPLE, ParseError, describe_schedule
from bot.domain.taper import TAPER_EXAMPLE
from bot.tg.i18n import N_, _, day, hhmm, number

ZONE_EXAMPLE = "/timezone Europe/Berlin"

# (command, what it does, an example): /help, the command menu (one per language, at most
# 256 characters each) and the suggestions after an unclear message. The examples stay as they
# are: commands are typed in English words.
COMMANDS: list[tuple[str, str, str]] = [
    ("start", N_("Welcome and setup"), "/start"),
    ("menu", N_("Buttons for everything, no typing needed"), "/menu"),
    ("add", N_("Add a medication and its times"), ADD_EXAMPLE),
    ("edit", N_("Change a medication's dose or times"), "/edit Baclofen 10 mg at 8am 8pm"),
    ("delete", N_("Delete a medication (its history stays)"), "/delete Baclofen"),
    ("meds", N_("Your medications and today's doses"), "/meds"),
    (
        "stock",
        N_("How many you have: refill reminders come before they run out"),
        "/stock Baclofen 60",
    ),
    ("refill", N_("Add a refill to the count"), "/refill Baclofen 90"),
    ("timezone", N_("Set your time zone"), ZONE_EXAMPLE),
    ("log", N_("Record a dose taken or a symptom"), "/log took baclofen 5 mg at 8:15"),
    ("ask", N_("Ask a safety question"), "/ask can I drink alcohol?"),
    ("taper", N_("Enter your prescriber's taper plan"), TAPER_EXAMPLE),
    (
        "report",
        N_("Your adherence for 7, 30 or 90 days: a chart, or a PDF for your doctor"),
        "/report pdf 30",
    ),
    ("export", N_("Your full history as a CSV or JSON file"), "/export json"),
    ("delete_my_data", N_("Delete everything MedBot stores about you"), "/delete_my_data"),
    ("caregiver", N_("Invite a caregiver to get your alerts"), "/caregiver"),
    ("caregivers", N_("Your caregivers and what each receives"), "/caregivers"),
    ("revoke", N_("Remove a caregiver at once"), "/revoke 1"),
    ("alerts", N_("For caregivers: choose which alerts you get"), "/alerts"),
    ("unfollow", N_("For caregivers: stop following a patient"), "/unfollow 1"),
    ("stop", N_("Stop a medication's reminders (with a safety check)"), "/stop Baclofen"),
    ("pause", N_("Pause reminders for a medication"), "/pause Baclofen"),
    ("resume", N_("Resume a paused or stopped medication"), "/resume Baclofen"),
    (
        "settings",
        N_("Repeats, a heads-up before doses, a weekly summary, caregiver alert timing"),
        "/settings",
    ),
    ("language", N_("The language I speak: English, Deutsch, Español, Русский"), "/language"),
    ("cancel", N_("Cancel the current step-by-step flow"), "/cancel"),
    ("help", N_("Every command with an example"), "/help"),
]

# TRANSLATORS: the three buttons under every reminder, side by side: keep each short.
_ANSWER_LABELS = {
    DoseAnswer.TAKEN: N_("✅ Taken"),
    DoseAnswer.SNOOZE: N_("⏰ Snooze"),
    DoseAnswer.SKIP: N_("⏭ Skip"),
}
# TRANSLATORS: what became of a dose, after its time in /meds ("08:00 Baclofen: upcoming").
_STATUS_LABELS = {
    DoseStatus.PENDING: N_("upcoming"),
    DoseStatus.SENDING: N_("reminding now"),
    DoseStatus.SENT: N_("waiting for your answer"),
    DoseStatus.SNOOZED: N_("snoozed"),
    DoseStatus.TAKEN: N_("✅ taken"),
    DoseStatus.SKIPPED: N_("⏭ skipped"),
    DoseStatus.MISSED: N_("⚠️ missed"),
    DoseStatus.UNDELIVERABLE: N_("not delivered"),
}
# TRANSLATORS: the state of a medication: "Baclofen is already paused", "(paused)" in /meds.
_MEDICATION_STATES = {
    MedicationStatus.ACTIVE: N_("active"),
    MedicationStatus.PAUSED: N_("paused"),
    MedicationStatus.STOPPED: N_("stopped"),
    MedicationStatus.DELETED: N_("deleted"),
}


def disclaimer() -> str:
    return _(
        "MedBot reminds you of your doses and shares safety information. It does not replace "
        "your doctor or pharmacist: ask them before changing or stopping any medication. "
        "In an emergency, call your local emergency number."
    )


def answer_label(answer: DoseAnswer) -> str:
    return _(_ANSWER_LABELS[answer])


def medication_state(status: MedicationStatus) -> str:
    return _(_MEDICATION_STATES[status])


def _times(medication: Medication) -> str:
    return " ".join(t.strftime("%H:%M") for t in medication.times)


def welcome(first_name: str, timezone: str | None, default_zone: str) -> str:
    lines = [_("Hello {name}! I'm MedBot, I'll remind you of every dose.").format(name=first_name)]
    lines += ["", disclaimer(), ""]
    if timezone is None:
        lines.append(
            _(
                "First, which time zone are you in? Send for example {example} "
                "(until then I use {zone})."
            ).format(example=ZONE_EXAMPLE, zone=default_zone)
        )
    else:
        lines.append(_("Your time zone is {zone}.").format(zone=timezone))
    lines.append(
        _("Then add a medication: {example}. /help lists everything.").format(example=ADD_EXAMPLE)
    )
    return "\n".join(lines)


def help_text() -> str:
    lines = [_("What I can do:")]
    lines += [
        f"/{name}: {_(what)}\n   " + _("e.g. {example}").format(example=example)
        for name, what, example in COMMANDS
    ]
    lines += ["", disclaimer()]
    return "\n".join(lines)


def parse_problem(error: ParseError) -> str:
    return _("Sorry, {problem}. {hint}.").format(problem=error.problem, hint=error.hint)


def add_problem(error: ParseError) -> str:
    return parse_problem(error) + "\n" + _("For example: {example}").format(example=ADD_EXAMPLE)


def timezone_missing() -> str:
    return _("Which time zone? For example {example}").format(example=ZONE_EXAMPLE)


def timezone_unknown(name: str) -> str:
    shown = name if len(name) <= 40 else name[:39] + "…"
    return _(
        "I don't know the time zone “{name}”. Use a name like Europe/Berlin, Asia/Kolkata or "
        "America/New_York, e.g. {example}"
    ).format(name=shown, example=ZONE_EXAMPLE)


def timezone_set(zone: str, now_local: datetime) -> str:
    return _("Time zone set to {zone}. It is {time} there now; reminders follow this zone.").format(
        zone=zone, time=hhmm(now_local)
    )


def medication_added(medication: Medication, zone: str, next_local: datetime | None) -> str:
    if medication.schedule == Schedule(times=medication.times):  # plain daily times
        text = _("Added {name} {dose} at {times} ({zone}).").format(
            name=medication.name, dose=medication.dose, times=_times(medication), zone=zone
        )
    else:
        text = _("Added {name} {dose}, {schedule} ({zone}).").format(
            name=medication.name,
            dose=medication.dose,
            schedule=describe_schedule(medication.schedule),
            zone=zone,
        )
    if next_local is not None:
        text += "\n" + _("Next reminder: {day} at {time}.").format(
            day=day(next_local), time=hhmm(next_local)
        )
    return text


def medication_duplicate(name: str) -> str:
    return _("You already have {name}. /meds shows it.").format(name=name)


def too_many_medications() -> str:
    return _("You have the most medications I can track. Remove one before adding another.")


def add_ask_name() -> str:
    return _("Which medication? Send its name as on the box, e.g. Baclofen. /cancel stops.")


def add_ask_dose(name: str) -> str:
    return _("How much {name} per dose? e.g. 5 mg").format(name=name)


def add_ask_times() -> str:
    return _("At what times each day? e.g. 08:00 14:00 20:00 (your local time)")


def add_cancelled() -> str:
    return _("Cancelled, nothing was saved.")


def meds(zone: str, medications: list[Medication], today: list[DoseOfDay]) -> str:
    if not medications:
        return _("You have no medications yet. Add one: {example}").format(example=ADD_EXAMPLE)
    lines = [_("Your medications ({zone}):").format(zone=zone)]
    for medication in medications:
        state = (
            ""
            if medication.status is MedicationStatus.ACTIVE
            else f" ({medication_state(medication.status)})"
        )
        if medication.schedule == Schedule(times=medication.times):
            lines.append(
                _("• {name} {dose} at {times}").format(
                    name=medication.name, dose=medication.dose, times=_times(medication)
                )
                + state
            )
        else:
            plan = describe_schedule(medication.schedule)
            lines.append(f"• {medication.name} {medication.dose}, {plan}{state}")
        if medication.stock is not None:
            lines.append("   " + _("{count} on hand").format(count=number(medication.stock)))
    if today:
        lines += ["", _("Today:")]
        lines += [
            f"{hhmm(dose.scheduled_local)} {dose.medication}: {_(_STATUS_LABELS[dose.status])}"
            for dose in today
        ]
    return "\n".join(lines)


def reminder(item: Reminder) -> str:
    scheduled = hhmm(item.scheduled_local)
    if item.home_zone:
        city = item.home_zone.rsplit("/", 1)[-1].replace("_", " ")
        scheduled = _("{time} {city} time").format(time=scheduled, city=city)
    text = _("💊 Time for {name} {dose} ({time}).").format(
        name=item.medication, dose=item.dose, time=scheduled
    )
    if item.late:
        # TRANSLATORS: "Taken" is the button under the reminder ("✅ Taken").
        text = _(
            "⏰ Late reminder: {name} {dose} was due at {time}, while I was offline. "
            "If you have already taken it, press Taken; do not take it twice."
        ).format(name=item.medication, dose=item.dose, time=scheduled)
    elif item.repeat:
        text = _(
            "🔔 Reminder again: {name} {dose} ({time}) is still waiting for your answer."
        ).format(name=item.medication, dose=item.dose, time=scheduled)
    return text


def reminder_outcome(item: Reminder, status: DoseStatus, at_local: datetime | None = None) -> str:
    head = f"{item.medication} {item.dose} ({hhmm(item.scheduled_local)})"
    if status is DoseStatus.TAKEN:
        return _("✅ {head}: taken at {time}.").format(
            head=head, time=hhmm(at_local or item.scheduled_local)
        )
    if status is DoseStatus.SKIPPED:
        return _("⏭ {head}: skipped.").format(head=head)
    if status is DoseStatus.SENT:
        return _("🔔 {head}: reminded again below.").format(head=head)
    if status is DoseStatus.SNOOZED:
        return _("⏰ {head}: snoozed until {time}.").format(
            head=head, time=hhmm(at_local or item.scheduled_local)
        )
    return _("⚠️ {head}: marked missed. If you took it, press Taken.").format(head=head)


def answer_not_yours() -> str:
    return _("This reminder is not yours or no longer exists; nothing was changed.")


def answer_try_again() -> str:
    return _("That did not go through: nothing was recorded. Please press the button again.")


def answer_already(status: DoseStatus) -> str:
    return _("Already recorded as {status}; nothing was changed.").format(
        status=_(_STATUS_LABELS[status])
    )


def stale_button() -> str:
    return _("This button no longer works. /meds shows your doses.")


def medication_not_found(name: str) -> str:
    return _("I can't find “{name}” in your medications. /meds lists them.").format(name=name)


def name_missing(command: str) -> str:
    return _("Which medication? e.g. /{command} Baclofen").format(command=command)


def paused(name: str) -> str:
    return _(
        "Reminders for {name} are paused; your history is kept. /resume {name} restarts them."
    ).format(name=name)


def resumed(name: str) -> str:
    return _("Reminders for {name} are back on.").format(name=name)


def already(name: str, status: MedicationStatus) -> str:
    return _("{name} is already {state}.").format(name=name, state=medication_state(status))


def private_only() -> str:
    return _("I work in private chats only, to keep your health data private. Message me directly.")


def edited_ignored() -> str:
    return _("Edits don't change what I already recorded. Send a new message instead.")


def not_understood() -> str:
    return _("I understand text commands. /help lists them, with examples.")


def unknown_command() -> str:
    return _("I don't know that command. /help lists what I can do.")


def something_went_wrong() -> str:
    return _("Sorry, something went wrong on my side and nothing was changed. Please try again.")


# --- the language: each option in its own language, so anyone can find theirs.
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "es": "Español", "ru": "Русский"}


def language_ask() -> str:
    return _("Which language should I speak? Press one, or send e.g. /language de")


def language_unknown(text: str) -> str:
    shown = text if len(text) <= 20 else text[:19] + "…"
    return _("I don't speak “{text}”. Choose one: /language en, de, es or ru").format(text=shown)


def language_set() -> str:
    # TRANSLATORS: said in the language just chosen; "English" is the name of your language.
    return _("From now on I speak English.")
