"""Every user-facing string, as small functions of domain values, through gettext `_()`."""

from __future__ import annotations

import gettext
from datetime import datetime, timedelta

from bot.domain.ask import AskResult
from bot.domain.caregivers import CaregiverAlert, CaregiverLink, LinkStatus
from bot.domain.journal import LOG_EXAMPLE
from bot.domain.knowledge import DrugInfo, Fact, Topic
from bot.domain.model import (
    DoseAnswer,
    DoseOfDay,
    DoseStatus,
    Medication,
    NoticeKind,
    Reminder,
    SafetyEventKind,
    SafetyNotice,
)
from bot.domain.parsing import ADD_EXAMPLE, ParseError
from bot.domain.taper import TAPER_EXAMPLE, TaperPlan
from bot.services.caregivers import RedeemResult
from bot.services.journal import LogOutcome, LogResult

# English is the source language; catalogs for other languages plug in here.
_ = gettext.NullTranslations().gettext

ZONE_EXAMPLE = "/timezone Europe/Berlin"

COMMANDS: list[tuple[str, str, str]] = [
    ("start", "Welcome and setup", "/start"),
    ("add", "Add a medication and its times", ADD_EXAMPLE),
    ("meds", "Your medications and today's doses", "/meds"),
    ("timezone", "Set your time zone", ZONE_EXAMPLE),
    ("log", "Record a dose taken or a symptom", "/log took baclofen 5 mg at 8:15"),
    ("ask", "Ask a safety question", "/ask can I drink alcohol?"),
    ("taper", "Enter your prescriber's taper plan", TAPER_EXAMPLE),
    ("caregiver", "Invite a caregiver to get your alerts", "/caregiver"),
    ("caregivers", "Your caregivers and what each receives", "/caregivers"),
    ("revoke", "Remove a caregiver at once", "/revoke 1"),
    ("alerts", "For caregivers: choose which alerts you get", "/alerts"),
    ("unfollow", "For caregivers: stop following a patient", "/unfollow 1"),
    ("stop", "Stop a medication's reminders (with a safety check)", "/stop Baclofen"),
    ("pause", "Pause reminders for a medication", "/pause Baclofen"),
    ("resume", "Resume paused reminders", "/resume Baclofen"),
    ("cancel", "Cancel the current step-by-step flow", "/cancel"),
    ("help", "Every command with an example", "/help"),
]

_ANSWER_LABELS = {
    DoseAnswer.TAKEN: "✅ Taken",
    DoseAnswer.SNOOZE: "⏰ Snooze",
    DoseAnswer.SKIP: "⏭ Skip",
}
_STATUS_LABELS = {
    DoseStatus.PENDING: "upcoming",
    DoseStatus.SENDING: "reminding now",
    DoseStatus.SENT: "waiting for your answer",
    DoseStatus.SNOOZED: "snoozed",
    DoseStatus.TAKEN: "✅ taken",
    DoseStatus.SKIPPED: "⏭ skipped",
    DoseStatus.MISSED: "⚠️ missed",
    DoseStatus.UNDELIVERABLE: "not delivered",
}
DISCLAIMER = _(
    "MedBot reminds you of your doses and shares safety information. It does not replace "
    "your doctor or pharmacist: ask them before changing or stopping any medication. "
    "In an emergency, call your local emergency number."
)


def hhmm(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def answer_label(answer: DoseAnswer) -> str:
    return _(_ANSWER_LABELS[answer])


def welcome(first_name: str, timezone: str | None, default_zone: str) -> str:
    lines = [_("Hello {name}! I'm MedBot, I'll remind you of every dose.").format(name=first_name)]
    lines += ["", DISCLAIMER, ""]
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
    lines += [f"/{name}: {_(what)}\n   e.g. {example}" for name, what, example in COMMANDS]
    lines += ["", DISCLAIMER]
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
    times = " ".join(t.strftime("%H:%M") for t in medication.times)
    text = _("Added {name} {dose} at {times} ({zone}).").format(
        name=medication.name, dose=medication.dose, times=times, zone=zone
    )
    if next_local is not None:
        text += "\n" + _("Next reminder: {day} at {time}.").format(
            day=next_local.strftime("%a %d %b"), time=hhmm(next_local)
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
        times = " ".join(t.strftime("%H:%M") for t in medication.times)
        state = "" if medication.status == "active" else f" ({_(medication.status.value)})"
        lines.append(f"• {medication.name} {medication.dose} at {times}{state}")
    if today:
        lines += ["", _("Today:")]
        lines += [
            f"{hhmm(dose.scheduled_local)} {dose.medication}: {_(_STATUS_LABELS[dose.status])}"
            for dose in today
        ]
    return "\n".join(lines)


def reminder(item: Reminder) -> str:
    scheduled = hhmm(item.scheduled_local)
    text = _("💊 Time for {name} {dose} ({time}).").format(
        name=item.medication, dose=item.dose, time=scheduled
    )
    if item.late:
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
    if status is DoseStatus.SNOOZED:
        return _("⏰ {head}: snoozed until {time}.").format(
            head=head, time=hhmm(at_local or item.scheduled_local)
        )
    return _("⚠️ {head}: marked missed. If you took it, press Taken.").format(head=head)


def answer_not_yours() -> str:
    return _("This reminder is not yours or no longer exists; nothing was changed.")


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


def already(name: str, state: str) -> str:
    return _("{name} is already {state}.").format(name=name, state=_(state))


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


# Safety notices. Clinical wording follows the knowledge base's sources; the bot never
# tells a patient to change a dose, only whom to ask and when to get emergency help.


def notice(item: SafetyNotice) -> str:
    return _NOTICE_TEXTS[item.kind](item)


def _skip_warning(item: SafetyNotice) -> str:
    text = _("Skipped. Do not double your next dose to make up for it.")
    if item.withdrawal_risk:
        text += " " + _(
            "{name} should not be stopped suddenly: skipping doses again and again can bring "
            "on withdrawal ({symptoms}). If you want to take less, ask your prescriber for a "
            "plan."
        ).format(name=item.medication, symptoms=", ".join(item.symptoms))
    else:
        text += " " + _("If you skip doses often, talk to your prescriber or pharmacist.")
    return text


def _withdrawal_risk(item: SafetyNotice) -> str:
    return _(
        "⚠️ {count} doses of {name} in a row were missed or skipped. Stopping {name} suddenly "
        "can cause withdrawal. Watch for: {symptoms}. Call your prescriber today about what to "
        "do next; do not take extra doses to catch up. If you have a seizure, hallucinations "
        "or a high fever, call emergency services now."
    ).format(count=item.streak, name=item.medication, symptoms=", ".join(item.symptoms))


def _overuse(item: SafetyNotice) -> str:
    return _(
        "⚠️ That is {taken} doses of {name} today, or one soon after the last; your schedule "
        "has {prescribed} a day. Taking more, or more often, than prescribed can be harmful. "
        "If you feel very drowsy, confused or your breathing is slow, call emergency services. "
        "Otherwise ask your pharmacist or prescriber before your next dose."
    ).format(taken=item.taken_today, name=item.medication, prescribed=item.prescribed_per_day)


def _red_flag(item: SafetyNotice) -> str:
    return _(
        "🚨 {symptoms}: if this is happening now, get emergency care at once: call your local "
        "emergency number (112 in Europe, 911 in the US) or have someone take you. "
        "Do not wait for this chat."
    ).format(symptoms=", ".join(item.symptoms).capitalize())


def _taper_step(item: SafetyNotice) -> str:
    day = item.on.strftime("%a %d %b") if item.on else ""
    return _(
        "📉 Taper plan for {name}: from tomorrow ({day}) the dose is {amount} "
        "(step {step} of {steps}), as your prescriber planned. Your reminders will say so."
    ).format(name=item.medication, day=day, amount=item.amount, step=item.step, steps=item.steps)


def _taper_end(item: SafetyNotice) -> str:
    return _(
        "📉 The taper plan for {name} has ended. Did your prescriber say to stop it now? "
        "Until you confirm, I keep reminding you of {amount}."
    ).format(name=item.medication, amount=item.amount)


_NOTICE_TEXTS = {
    NoticeKind.SKIP_WARNING: _skip_warning,
    NoticeKind.WITHDRAWAL_RISK: _withdrawal_risk,
    NoticeKind.OVERUSE: _overuse,
    NoticeKind.RED_FLAG: _red_flag,
    NoticeKind.TAPER_STEP: _taper_step,
    NoticeKind.TAPER_END: _taper_end,
}


def stop_warning(name: str, drug: DrugInfo | None) -> str:
    if drug is not None and drug.withdrawal_risk:
        return _(
            "⚠️ Stopping {name} suddenly can be dangerous: it can cause withdrawal ({symptoms}). "
            "It should be reduced slowly, with a plan from your prescriber (/taper records one). "
            "Please talk to your prescriber before stopping.\n\n"
            "Do you still want me to stop the reminders for {name}?"
        ).format(name=name, symptoms=", ".join(drug.withdrawal_symptoms))
    return _(
        "Stop reminders for {name}? Please check with your prescriber first: some medicines "
        "must not be stopped suddenly."
    ).format(name=name)


def pause_warning(name: str, drug: DrugInfo) -> str:
    return _(
        "⚠️ Pausing reminders does not make it safe to pause {name}: stopping it suddenly can "
        "cause withdrawal ({symptoms}). Keep taking it as prescribed unless your prescriber "
        "says otherwise.\n\nPause the reminders anyway?"
    ).format(name=name, symptoms=", ".join(drug.withdrawal_symptoms))


def stopped(name: str) -> str:
    return _(
        "Reminders for {name} are stopped; your history is kept. If you feel unwell after "
        "stopping, call your prescriber; for a seizure or hallucinations, call emergency "
        "services."
    ).format(name=name)


def kept_plain() -> str:
    return _("Good: nothing changed, the reminders go on.")


def kept_after_taper(name: str) -> str:
    return _("Reminders for {name} go on at the plan's last dose.").format(name=name)


def confirm_label(action: str) -> str:
    return {
        "stop": _("🛑 Yes, stop reminders"),
        "pause": _("⏸ Yes, pause reminders"),
        "keep": _("✅ Keep reminders"),
        "tkeep": _("✅ Keep reminding"),
    }[action]


def taper_saved(name: str, plan: TaperPlan) -> str:
    lines = [_("Taper plan for {name}, from today:").format(name=name)]
    day = plan.start
    for number, step in enumerate(plan.steps, start=1):
        last = day + timedelta(days=step.days - 1)
        lines.append(f"{number}. {step.dose}: {day:%d %b} – {last:%d %b} ({step.days} d)")
        day = last + timedelta(days=1)
    lines.append(
        _(
            "Reminders follow it, and I'll tell you the day before each change. At the end I'll "
            "ask before stopping anything. If this is not what your prescriber wrote, send "
            "/taper again."
        )
    )
    return "\n".join(lines)


def taper_ask_name() -> str:
    return _("Which medication is the plan for? e.g. Baclofen. /cancel stops.")


def taper_ask_steps(name: str) -> str:
    return _("Send the steps of the plan for {name}, e.g. 10 mg x7d, 5 mg x7d, 2.5 mg x7d").format(
        name=name
    )


def taper_problem(error: ParseError) -> str:
    return parse_problem(error) + "\n" + _("For example: {example}").format(example=TAPER_EXAMPLE)


def logged(outcome: LogOutcome) -> str:
    if outcome.symptom is not None:
        severity = f" ({outcome.symptom.severity})" if outcome.symptom.severity else ""
        return _("Recorded symptom: {text}{severity}.").format(
            text=outcome.symptom.text, severity=severity
        )
    lines = []
    for dose in outcome.doses:
        settled = _(" (reminder answered)") if dose.settled_reminder else ""
        lines.append(
            _("Recorded: {name} {amount} taken at {time}{settled}.").format(
                name=dose.medication,
                amount=dose.amount,
                time=dose.taken_local.strftime("%d %b %H:%M"),
                settled=settled,
            )
        )
    return "\n".join(lines)


def log_problem(outcome: LogOutcome) -> str:
    known = ", ".join(outcome.candidates) or _("none yet")
    if outcome.result is LogResult.IN_THE_FUTURE:
        return _(
            "That time is in the future; nothing was recorded. e.g. /log took baclofen at 8:15"
        )
    if outcome.result is LogResult.UNKNOWN_MEDICATION:
        return _(
            "I can't find that medication; nothing was recorded. Your medications: {known}. "
            "e.g. /log took baclofen 5 mg"
        ).format(known=known)
    return _(
        "Which medication did you take? Your medications: {known}. e.g. /log took baclofen 5 mg"
    ).format(known=known)


def log_problem_text(error: ParseError) -> str:
    return parse_problem(error) + "\n" + _("For example: {example}").format(example=LOG_EXAMPLE)


def log_missing() -> str:
    return _("What should I record? e.g. {example}").format(example=LOG_EXAMPLE)


def safety_tip(name: str, drug: DrugInfo) -> str:
    parts = []
    if drug.sedating:
        parts.append(
            _(
                "{name} can make you drowsy or dizzy: avoid alcohol, and don't drive or use "
                "machines until you know how it affects you."
            ).format(name=name)
        )
    if drug.withdrawal_risk:
        parts.append(
            _("Never stop {name} suddenly: ask your prescriber for a plan first.").format(name=name)
        )
    return "💡 " + " ".join(parts)


def read_more_label() -> str:
    return _("📖 Read more")


_TOPIC_LABELS = {
    Topic.ALCOHOL: "🍺 Alcohol",
    Topic.DRIVING: "🚗 Driving and machines",
    Topic.MISSED_DOSE: "⏰ A missed dose",
    Topic.STOPPING: "🛑 Stopping and tapering",
    Topic.WITHDRAWAL: "⚠️ Withdrawal",
    Topic.OVERDOSE: "🚨 Overdose and misuse",
    Topic.SIDE_EFFECTS: "💤 Side effects",
    Topic.PREGNANCY: "🤰 Pregnancy",
    Topic.BREASTFEEDING: "🍼 Breastfeeding",
    Topic.INTERACTIONS: "💊 Other medicines",
    Topic.DEPENDENCE: "🔁 Dependence and tolerance",
}


def topic_label(topic: Topic) -> str:
    return _(_TOPIC_LABELS[topic])


def ask_pick_topic() -> str:
    return _(
        "What would you like to know? Pick a topic, or ask in your own words: /ask can I drive?"
    )


def ask_answer(result: AskResult) -> str:
    if not result.understood or result.topic is None:
        return _(
            "I don't know the answer to that, and I'd rather not guess. Please ask your "
            "pharmacist or prescriber. I can answer questions about alcohol, driving, missed "
            "doses, stopping, withdrawal, overdose, side effects, pregnancy, breastfeeding, "
            "other medicines and dependence: /ask with no question shows them."
        )
    name = result.drug.display_name if result.drug else ""
    return topic_answer(name, [result.topic], list(result.facts))


def topic_answer(name: str, topics: list[Topic], facts: list[Fact]) -> str:
    about = name or _("any medicine")
    titles = " · ".join(topic_label(topic) for topic in topics)
    lines = [f"{titles} ({about})", ""]
    lines += [f"• {fact.text}" for fact in facts]
    sources = list(dict.fromkeys(fact.source for fact in facts))
    lines += ["", _("Sources: {sources}").format(sources="; ".join(sources))]
    lines += [_("This is general information: your prescriber or pharmacist knows your case.")]
    return "\n".join(lines)


# Caregivers.

_KIND_LABELS = {
    SafetyEventKind.MISSED_DOSE: "missed doses",
    SafetyEventKind.REPEATED_SKIP: "repeated skips",
    SafetyEventKind.WITHDRAWAL_RISK: "withdrawal risk",
    SafetyEventKind.OVERUSE: "overuse",
    SafetyEventKind.RED_FLAG: "red-flag symptoms",
    SafetyEventKind.STOPPED: "a stopped medication",
    SafetyEventKind.PAUSED: "a paused medication",
}


def _kinds(kinds: frozenset[SafetyEventKind]) -> str:
    return ", ".join(_(_KIND_LABELS[kind]) for kind in SafetyEventKind if kind in kinds) or _(
        "nothing"
    )


def invite(link: str, code: str) -> str:
    return _(
        "Invite someone you trust (family, a nurse) to get alerts about you: missed doses, "
        "withdrawal risk, overuse, red-flag symptoms and stopped medications.\n\n"
        "Send them this link (valid 24 hours, works once):\n{link}\n\n"
        "or have them send me: /start {code}\n\n"
        "You will be asked to confirm before anything is shared. A new /caregiver cancels "
        "this invite."
    ).format(link=link, code=code)


def invite_refused(result: RedeemResult) -> str:
    if result is RedeemResult.THROTTLED:
        return _("Too many wrong codes. Please wait 15 minutes, then try again.")
    if result is RedeemResult.OWN_CODE:
        return _("That is your own invite: send it to the person who should get your alerts.")
    return _(
        "This invite is not valid: it may be mistyped, expired, already used or cancelled. "
        "Please ask for a new one."
    )


def invite_waiting() -> str:
    return _(
        "Thank you. The person who invited you will confirm first; I'll tell you when you "
        "start getting their alerts."
    )


def confirm_caregiver(name: str) -> str:
    return _(
        "{name} used your invite and wants to get your alerts (missed doses, withdrawal risk, "
        "overuse, red-flag symptoms, stopped medications). Allow?"
    ).format(name=name)


def allow_label() -> str:
    return _("✅ Allow")


def decline_label() -> str:
    return _("✖️ Decline")


def invite_decision_stale() -> str:
    return _("This request is no longer open; nothing was changed. /caregivers lists yours.")


def caregiver_decided(name: str, allowed: bool) -> str:
    if allowed:
        return _(
            "{name} now gets your alerts. /caregivers lists who does; /revoke {name} stops it."
        ).format(name=name)
    return _("Declined: {name} gets nothing.").format(name=name)


def told_caregiver(allowed: bool) -> str:
    if allowed:
        return _(
            "You now get alerts from this patient. /alerts chooses which; /unfollow stops them."
        )
    return _("Your request was declined; you will get no alerts.")


def caregiver_list(links: list[CaregiverLink]) -> str:
    if not links:
        return _("No caregivers yet. /caregiver makes an invite.")
    lines = [_("Your caregivers:")]
    for number, link in enumerate(links, start=1):
        state = "" if link.status is LinkStatus.ACTIVE else _(" (waiting for your answer)")
        unreachable = _(" (has blocked me: gets nothing)") if link.unreachable else ""
        lines.append(f"{number}. {link.caregiver_name}{state}{unreachable}: {_kinds(link.kinds)}")
    lines.append(_("/revoke <number or name> removes one at once."))
    return "\n".join(lines)


def revoke_which(links: list[CaregiverLink]) -> str:
    return caregiver_list(links) if links else _("You have no caregivers to remove.")


def revoked(name: str) -> str:
    return _("{name} no longer gets anything about you.").format(name=name)


def told_revoked() -> str:
    return _("A patient you followed has removed you: you will get no more alerts from them.")


def unfollow_which(links: list[CaregiverLink]) -> str:
    if not links:
        return follows_nobody()
    names = "\n".join(f"{n}. {link.patient_name}" for n, link in enumerate(links, start=1))
    return _("Whom do you want to stop following? e.g. /unfollow 1\n{names}").format(names=names)


def unfollowed() -> str:
    return _("Done: you will get no more alerts from them.")


def told_left(name: str) -> str:
    return _("{name} stopped following your alerts.").format(name=name)


def follows_nobody() -> str:
    return _("You do not follow anyone's alerts.")


def alert_choices(link: CaregiverLink) -> str:
    return _("Alerts about {patient}: press to switch each one on or off.").format(
        patient=link.patient_name
    )


def alert_kind_label(kind: SafetyEventKind, *, on: bool) -> str:
    return ("✅ " if on else "⬜ ") + _(_KIND_LABELS[kind])


def message_patient_label(name: str) -> str:
    return _("💬 Message {name}").format(name=name)


_ALERT_HEADS = {
    SafetyEventKind.MISSED_DOSE: "⚠️ {patient} missed {count} dose(s):",
    SafetyEventKind.REPEATED_SKIP: "⚠️ {patient} skipped doses again and again:",
    SafetyEventKind.WITHDRAWAL_RISK: "⚠️ Withdrawal risk for {patient}:",
    SafetyEventKind.OVERUSE: "⚠️ {patient} may be taking more than prescribed:",
    SafetyEventKind.RED_FLAG: "🚨 {patient} reported a red-flag symptom:",
    SafetyEventKind.STOPPED: "🛑 {patient} stopped reminders for a medication:",
    SafetyEventKind.PAUSED: "⏸ {patient} paused reminders for a medication:",
}
_ALERT_ADVICE = {
    SafetyEventKind.MISSED_DOSE: "Check in with them. They should not double the next dose.",
    SafetyEventKind.REPEATED_SKIP: "Check in with them; their prescriber can help if doses "
    "are hard to keep.",
    SafetyEventKind.WITHDRAWAL_RISK: "Missing doses of this medicine can cause withdrawal. "
    "Help them call their prescriber today; for a seizure, hallucinations or high fever, "
    "call emergency services.",
    SafetyEventKind.OVERUSE: "Check in with them. If they are very drowsy, confused or "
    "breathing slowly, call emergency services.",
    SafetyEventKind.RED_FLAG: "If it is happening now, call emergency services or get them "
    "to emergency care at once.",
    SafetyEventKind.STOPPED: "Stopping some medicines suddenly is dangerous: make sure "
    "their prescriber knows.",
    SafetyEventKind.PAUSED: "Stopping some medicines suddenly is dangerous: make sure "
    "their prescriber knows.",
}


def caregiver_alert(alert: CaregiverAlert) -> str:
    patient = alert.patient_name or _("Your patient")
    lines = [_(_ALERT_HEADS[alert.kind]).format(patient=patient, count=len(alert.items))]
    for item in alert.items:
        what = ", ".join(part for part in (item.medication, item.detail) if part)
        when = (item.dose_local or item.occurred_local).strftime("%a %d %b %H:%M")
        if item.dose_local is not None:
            when = _("due {time}").format(time=when)
        lines.append(f"• {when}: {what}" if what else f"• {when}")
    lines.append(_("(times in {zone})").format(zone=alert.zone))
    lines.append(_(_ALERT_ADVICE[alert.kind]))
    return "\n".join(lines)


def _caregiver_unreachable(item: SafetyNotice) -> str:
    return _(
        "Your caregiver {name} has blocked me, so they get no alerts now. You may want to "
        "tell them, or /revoke them and invite someone else."
    ).format(name=item.who)


_NOTICE_TEXTS[NoticeKind.CAREGIVER_UNREACHABLE] = _caregiver_unreachable
