"""What caregivers and patients read about caregiver links and alerts."""

from __future__ import annotations

from bot.domain.caregivers import CaregiverAlert, CaregiverLink, LinkStatus
from bot.domain.emergencies import Emergency
from bot.domain.model import SafetyEventKind
from bot.domain.outbox import LinkNote, LinkNoteKind
from bot.services.caregivers import RedeemResult
from bot.tg import data_texts
from bot.tg.emergency_texts import emergency_label
from bot.tg.i18n import N_, _, day, hhmm, ngettext

# Caregivers.

# TRANSLATORS: what a caregiver gets alerts about: a list in /caregivers, and one switch
# button each in /alerts ("✅ missed doses").
_KIND_LABELS = {
    SafetyEventKind.MISSED_DOSE: N_("missed doses"),
    SafetyEventKind.REPEATED_SKIP: N_("repeated skips"),
    SafetyEventKind.WITHDRAWAL_RISK: N_("withdrawal risk"),
    SafetyEventKind.OVERUSE: N_("overuse"),
    SafetyEventKind.RED_FLAG: N_("emergencies and red-flag symptoms"),
    SafetyEventKind.STOPPED: N_("a stopped medication"),
    SafetyEventKind.PAUSED: N_("a paused medication"),
    SafetyEventKind.RAN_OUT: N_("running out of a medicine that must not stop suddenly"),
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
        "overuse, emergencies, stopped medications). Allow?"
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


def link_note(note: LinkNote) -> str:
    """What one side of a link is told of the other's step (owed, sent by the dispatcher)."""
    if note.kind is LinkNoteKind.REQUEST:
        return confirm_caregiver(note.name)
    if note.kind in (LinkNoteKind.ALLOWED, LinkNoteKind.DECLINED):
        return told_caregiver(note.kind is LinkNoteKind.ALLOWED, note.name)
    if note.kind is LinkNoteKind.REVOKED:
        return told_revoked()
    if note.kind is LinkNoteKind.ENDED:
        return data_texts.link_ended(note.name)
    return told_left(note.name)


def told_caregiver(allowed: bool, patient_name: str = "") -> str:
    if allowed:
        who = patient_name or _("this patient")
        return _(
            "You now get alerts from {who}. /alerts chooses which; /unfollow stops them."
        ).format(who=who)
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


# The first line of a caregiver's alert; missed doses count them (see caregiver_alert).
_ALERT_HEADS = {
    SafetyEventKind.REPEATED_SKIP: N_("⚠️ {patient} skipped doses again and again:"),
    SafetyEventKind.WITHDRAWAL_RISK: N_("⚠️ Withdrawal risk for {patient}:"),
    SafetyEventKind.OVERUSE: N_("⚠️ {patient} may be taking more than prescribed:"),
    SafetyEventKind.RED_FLAG: N_("🚨 {patient} may be having an emergency:"),
    SafetyEventKind.STOPPED: N_("🛑 {patient} stopped reminders for a medication:"),
    SafetyEventKind.PAUSED: N_("⏸ {patient} paused reminders for a medication:"),
    SafetyEventKind.RAN_OUT: N_(
        "📦 {patient} has run out of a medicine that must not stop suddenly:"
    ),
}
_ALERT_ADVICE = {
    SafetyEventKind.MISSED_DOSE: N_("Check in with them. They should not double the next dose."),
    SafetyEventKind.REPEATED_SKIP: N_(
        "Check in with them; their prescriber can help if doses are hard to keep."
    ),
    SafetyEventKind.WITHDRAWAL_RISK: N_(
        "Missing doses of this medicine can cause withdrawal. "
        "Help them call their prescriber today; if they seem very unwell, confused or have a fit, "
        "call emergency services."
    ),
    SafetyEventKind.OVERUSE: N_(
        "Check in with them. If they are very drowsy, confused or "
        "breathing slowly, call emergency services."
    ),
    SafetyEventKind.RED_FLAG: N_(
        "If it is happening now, call emergency services or get them to emergency care at once."
    ),
    SafetyEventKind.STOPPED: N_(
        "Stopping some medicines suddenly is dangerous: make sure their prescriber knows."
    ),
    SafetyEventKind.PAUSED: N_(
        "Stopping some medicines suddenly is dangerous: make sure their prescriber knows."
    ),
    SafetyEventKind.RAN_OUT: N_(
        "Running out means stopping suddenly, which can cause withdrawal. "
        "Help them get a refill from their pharmacy or prescriber today."
    ),
}


_CRISIS_ADVICE = N_(
    "They wrote about thoughts of suicide or self-harm. Contact them now and stay with them "
    "if you can; if they are in danger, call emergency services."
)


def _detail(alert: CaregiverAlert, detail: str) -> str:
    """An emergency's detail is the kinds it found ("seizure, crisis"): shown in words."""
    if alert.kind is not SafetyEventKind.RED_FLAG:
        return detail
    kinds = [part.strip() for part in detail.split(",") if part.strip()]
    return ", ".join(
        emergency_label(Emergency(kind)) if kind in Emergency.__members__.values() else kind
        for kind in kinds
    )


def _advice(alert: CaregiverAlert) -> str:
    crisis = any(Emergency.CRISIS.value in item.detail for item in alert.items)
    if alert.kind is SafetyEventKind.RED_FLAG and crisis:
        return _(_CRISIS_ADVICE)
    return _(_ALERT_ADVICE[alert.kind])


def caregiver_alert(alert: CaregiverAlert) -> str:
    patient = alert.patient_name or _("Your patient")
    count = len(alert.items)
    if alert.kind is SafetyEventKind.MISSED_DOSE:
        head = ngettext("⚠️ {patient} missed a dose:", "⚠️ {patient} missed {count} doses:", count)
    else:
        head = _(_ALERT_HEADS[alert.kind])
    lines = [head.format(patient=patient, count=count)]
    for item in alert.items:
        what = ", ".join(part for part in (item.medication, _detail(alert, item.detail)) if part)
        moment = item.dose_local or item.occurred_local
        when = f"{day(moment)} {hhmm(moment)}"
        if item.dose_local is not None:
            when = _("due {time}").format(time=when)
        lines.append(f"• {when}: {what}" if what else f"• {when}")
    lines.append(_("(times in {zone})").format(zone=alert.zone))
    lines.append(_advice(alert))
    return "\n".join(lines)
