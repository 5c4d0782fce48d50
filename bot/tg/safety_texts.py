"""What the patient reads about safety: notices, stop and pause warnings, tapers, /log, /ask."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.domain.ask import AskResult, DrugAnswer
from bot.domain.journal import LOG_EXAMPLE
from bot.domain.knowledge import DrugInfo, Topic
from bot.domain.model import NoticeKind, SafetyNotice
from bot.domain.parsing import ParseError
from bot.domain.rules import OveruseRule
from bot.domain.taper import TAPER_EXAMPLE, TaperPlan, Unusual, UnusualStep
from bot.services.journal import LogOutcome, LogResult
from bot.tg.i18n import N_, _, current_language, day, day_month, facts_in_english, ngettext
from bot.tg.i18n import hhmm as clock
from bot.tg.i18n import number as _count
from bot.tg.texts import parse_problem

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
    text = ngettext(
        "⚠️ {count} dose of {name} was missed or skipped. Stopping {name} suddenly "
        "can cause withdrawal. Watch for: {symptoms}. Call your prescriber today about what to "
        "do next; do not take extra doses to catch up.",
        "⚠️ {count} doses of {name} in a row were missed or skipped. Stopping {name} suddenly "
        "can cause withdrawal. Watch for: {symptoms}. Call your prescriber today about what to "
        "do next; do not take extra doses to catch up.",
        item.streak,
    ).format(count=item.streak, name=item.medication, symptoms=", ".join(item.symptoms))
    return text + " " + when_to_call(item.danger_signs)


def when_to_call(danger_signs: tuple[str, ...]) -> str:
    """The drug's own danger signs; a drug without any (sertraline) gets no emergency list."""
    if not danger_signs:
        return _(
            "These symptoms usually settle, but tell your prescriber if they are hard to bear."
        )
    return _("If you have {signs}, call emergency services now.").format(
        signs=", ".join(danger_signs)
    )


def _overuse(item: SafetyNotice) -> str:
    return (
        "⚠️ "
        + _overuse_rule(item)
        + " "
        + _(
            "Taking more, or more often, than prescribed can be harmful. If you feel very "
            "drowsy, confused or your breathing is slow, call emergency services. Otherwise ask "
            "your pharmacist or prescriber before your next dose."
        )
    )


def _overuse_rule(item: SafetyNotice) -> str:
    """The rule that fired, in plain words: "that is a 4th dose today; your plan has 3"."""
    name = item.medication
    if item.rule == OveruseRule.TOO_SOON:
        return _(
            "That dose of {name} came {gap} after the one before; your plan spaces doses "
            "{spacing} apart."
        ).format(
            name=name,
            gap=_duration(item.since_last_minutes),
            spacing=_duration(item.min_gap_minutes),
        )
    if item.rule == OveruseRule.OVER_DAILY_MAX:
        # TRANSLATORS: {count} is an ordinal ("4th"), {max} a number.
        return _(
            "That is the {count} dose of {name} today; your prescriber set at most {max} a day."
        ).format(count=ordinal(item.taken_today), name=name, max=item.max_per_day)
    if item.rule == OveruseRule.UNDER_MIN_GAP:
        return _(
            "That dose of {name} came {gap} after the one before; your prescriber set at least "
            "{spacing} between doses."
        ).format(
            name=name,
            gap=_duration(item.since_last_minutes),
            spacing=_duration(item.min_gap_minutes),
        )
    if item.prescribed_per_day == 0:
        return _("That is a dose of {name} on a day your plan has none.").format(name=name)
    # TRANSLATORS: {count} is an ordinal ("4th"), {planned} a number.
    return _("That is a {count} dose of {name} today; your plan has {planned}.").format(
        count=ordinal(item.taken_today), name=name, planned=item.prescribed_per_day
    )


def ordinal(number: int) -> str:
    if current_language() != "en":
        # TRANSLATORS: an ordinal number, as in "the 4th dose" (a dose: "Dosis", "доза"):
        # German "{number}.", Spanish "{number}.ª", Russian "{number}-я".
        return _("{number}.").format(number=number)
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _duration(minutes: int) -> str:
    if minutes < 1:
        # TRANSLATORS: how long after the last dose this one came: "came less than a minute after".
        return _("less than a minute")
    hours, rest = divmod(minutes, 60)
    # TRANSLATORS: short units of a time span: "90 min", "2 h", "1 h 30 min".
    if not hours:
        return _("{minutes} min").format(minutes=rest)
    if not rest:
        return _("{hours} h").format(hours=hours)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)


def _as_needed_limit(item: SafetyNotice) -> str:
    return (
        "⚠️ "
        + _overuse_rule(item)
        + " "
        + _(
            "Taking more, or sooner, than your prescriber set can be harmful. Ask your "
            "pharmacist or prescriber before you take more; if you feel very unwell, call "
            "emergency services."
        )
    )


def _heads_up(item: SafetyNotice) -> str:
    at = clock(item.at) if item.at else ""
    return _("🔔 Coming up at {time}: {name} {amount}.").format(
        time=at, name=item.medication, amount=item.amount
    )


def _refill(item: SafetyNotice) -> str:
    when = day(item.on) if item.on else ""
    # TRANSLATORS: "/refill {name} <count>" is a command: keep "/refill" and "<count>" as is.
    text = _(
        "📦 {name}: about {left} left, enough until {day}. Time to order a refill from your "
        "pharmacy or prescriber. Send /refill {name} <count> when you have it."
    ).format(name=item.medication, left=_count(item.stock or 0), day=when)
    if item.withdrawal_risk:
        text += " " + _("{name} must not stop suddenly, so please do not let it run out.").format(
            name=item.medication
        )
    return text


def _ran_out(item: SafetyNotice) -> str:
    if not item.withdrawal_risk:
        return _(
            "📦 Your stock of {name} is used up. Get a refill from your pharmacy or prescriber, "
            "then send /refill {name} <count>."
        ).format(name=item.medication)
    text = _(
        "⚠️ Your stock of {name} is used up. Running out means stopping {name} suddenly, which "
        "can cause withdrawal ({symptoms}). Get a refill today: call your pharmacy or "
        "prescriber now. Then send /refill {name} <count>."
    ).format(name=item.medication, symptoms=", ".join(item.symptoms))
    return text + " " + when_to_call(item.danger_signs)


def _taper_step(item: SafetyNotice) -> str:
    when = day(item.on) if item.on else ""
    return _(
        "📉 Taper plan for {name}: from tomorrow ({day}) the dose is {amount} "
        "(step {step} of {steps}), as in the plan you entered. Your reminders will say so."
    ).format(name=item.medication, day=when, amount=item.amount, step=item.step, steps=item.steps)


def _taper_end(item: SafetyNotice) -> str:
    return _(
        "📉 The taper plan for {name} has ended. Did your prescriber say to stop it now? "
        "The plan does not say what comes next: ask them if you are not sure. Until you tell "
        "me, I keep reminding you of {amount}, the plan's last dose; that is my default, not "
        "part of your prescriber's plan."
    ).format(name=item.medication, amount=item.amount)


def _caregiver_unreachable(item: SafetyNotice) -> str:
    return _(
        "Your caregiver {name} has blocked me, so they get no alerts now. You may want to "
        "tell them, or /revoke them and invite someone else."
    ).format(name=item.who)


_NOTICE_TEXTS: dict[NoticeKind, Callable[[SafetyNotice], str]] = {
    NoticeKind.SKIP_WARNING: _skip_warning,
    NoticeKind.WITHDRAWAL_RISK: _withdrawal_risk,
    NoticeKind.OVERUSE: _overuse,
    NoticeKind.TAPER_STEP: _taper_step,
    NoticeKind.TAPER_END: _taper_end,
    NoticeKind.CAREGIVER_UNREACHABLE: _caregiver_unreachable,
    NoticeKind.HEADS_UP: _heads_up,
    NoticeKind.REFILL: _refill,
    NoticeKind.RAN_OUT: _ran_out,
    NoticeKind.AS_NEEDED_LIMIT: _as_needed_limit,
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


def stopped(name: str, drug: DrugInfo | None) -> str:
    text = _(
        "Reminders for {name} are stopped; your history is kept. If you feel unwell after "
        "stopping, call your prescriber."
    ).format(name=name)
    return text + (" " + when_to_call(drug.danger_signs) if drug and drug.danger_signs else "")


def kept_plain() -> str:
    return _("Good: nothing changed, the reminders go on.")


def kept_after_taper(name: str) -> str:
    return _("Reminders for {name} go on at the plan's last dose.").format(name=name)


def confirm_label(action: str) -> str:
    # TRANSLATORS: two buttons side by side under a stop or pause warning: keep them short.
    return {
        "stop": _("🛑 Yes, stop reminders"),
        "pause": _("⏸ Yes, pause reminders"),
        "keep": _("✅ Keep reminders"),
        "tkeep": _("✅ Keep reminding"),
    }[action]


def taper_saved(name: str, plan: TaperPlan) -> str:
    lines = [_("Taper plan for {name}, from today:").format(name=name)]
    first = plan.start
    for number, step in enumerate(plan.steps, start=1):
        last = first + timedelta(days=step.days - 1)
        days = ngettext("{days} day", "{days} days", step.days).format(days=step.days)
        lines.append(f"{number}. {step.dose}: {day_month(first)} – {day_month(last)} ({days})")
        first = last + timedelta(days=1)
    lines.append(
        _(
            "Reminders follow it, and I'll tell you the day before each change. At the end I'll "
            "ask before stopping anything. If this is not what your prescriber wrote, send "
            "/taper again."
        )
    )
    return "\n".join(lines)


def taper_unusual(name: str, unusual: tuple[UnusualStep, ...]) -> str:
    what = "; ".join(
        (
            _("it goes up from {before} to {after}")
            if step.kind is Unusual.INCREASE
            else _("it drops by more than half, from {before} to {after}")
        ).format(before=step.before, after=step.after)
        for step in unusual
    )
    return _(
        "⚠️ This plan for {name} is unusual for a taper: {what}. Tapers usually go down "
        "slowly, and changing a dose on your own can be dangerous.\n\n"
        "Is this exactly what your prescriber wrote? Nothing changes until you say so."
    ).format(name=name, what=what)


def taper_confirm_label() -> str:
    return _("✅ Yes, my prescriber wrote this plan")


def taper_check_label() -> str:
    return _("✖️ No, I'll check with them first")


def taper_confirmed(name: str) -> str:
    return _("Thank you: the plan for {name} is your prescriber's. Saving it.").format(name=name)


def taper_not_confirmed() -> str:
    return _(
        "Nothing was changed. When you have the plan from your prescriber or pharmacist, "
        "send /taper again."
    )


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
                time=f"{day_month(dose.taken_local)} {clock(dose.taken_local)}",
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


# TRANSLATORS: topic buttons, two a row under /ask, and the title of an answer: keep short.
_TOPIC_LABELS = {
    Topic.ALCOHOL: N_("🍺 Alcohol"),
    Topic.DRIVING: N_("🚗 Driving and machines"),
    Topic.MISSED_DOSE: N_("⏰ A missed dose"),
    Topic.STOPPING: N_("🛑 Stopping and tapering"),
    Topic.WITHDRAWAL: N_("⚠️ Withdrawal"),
    Topic.OVERDOSE: N_("🚨 Overdose and misuse"),
    Topic.SIDE_EFFECTS: N_("💤 Side effects"),
    Topic.PREGNANCY: N_("🤰 Pregnancy"),
    Topic.BREASTFEEDING: N_("🍼 Breastfeeding"),
    Topic.INTERACTIONS: N_("💊 Other medicines"),
    Topic.DEPENDENCE: N_("🔁 Dependence and tolerance"),
    Topic.KIDNEY: N_("🫘 Kidney problems"),
    Topic.OLDER_AGE: N_("👵 Older age"),
    Topic.EPILEPSY: N_("⚡ Epilepsy and seizures"),
    Topic.SURGERY: N_("🏥 Surgery and fasting"),
    Topic.PUMP: N_("🔧 Baclofen pump"),
}


def topic_label(topic: Topic) -> str:
    return _(_TOPIC_LABELS[topic])


def ask_pick_topic() -> str:
    return _(
        "What would you like to know? Pick a topic, or ask in your own words: /ask can I drive?"
    )


def ask_unknown() -> str:
    return _(
        "I don't know the answer to that, and I'd rather not guess. Please ask your "
        "pharmacist or prescriber. I can answer questions about alcohol, driving, missed "
        "doses, stopping, withdrawal, overdose, side effects, pregnancy, breastfeeding, "
        "other medicines, dependence, kidney problems, older age, epilepsy, surgery and "
        "baclofen pumps: /ask with no question shows the common ones."
    )


def ask_which_topic() -> str:
    return _(
        "I'm not sure which of these you are asking about, and I'd rather not guess. Tap "
        "one, or ask your pharmacist or prescriber."
    )


def answers(results: list[AskResult]) -> list[str]:
    """One message per medicine, with every topic asked about and the sources to look up."""
    by_drug: dict[str, list[tuple[Topic, DrugAnswer]]] = {}
    for result in results:
        if result.topic is not None:
            for answer in result.answers:
                key = answer.drug.key if answer.drug else ""
                by_drug.setdefault(key, []).append((result.topic, answer))
    return [_answer_message(parts) for parts in by_drug.values()]


def _answer_message(parts: list[tuple[Topic, DrugAnswer]]) -> str:
    drug = parts[0][1].drug
    about = drug.display_name if drug else _("any medicine")
    titles = " · ".join(topic_label(topic) for topic, _answer in parts)
    lines = [f"{titles} ({about})", ""]
    for _topic, answer in parts:
        if answer.general and drug is not None:
            lines.append(
                _("I have no facts specific to {name} on this; the general advice:").format(
                    name=drug.display_name
                )
            )
        lines += [f"• {fact.text}" for fact in answer.facts]
    facts = [fact for _topic, answer in parts for fact in answer.facts]
    # A source may name several documents ("label; article"): each is listed once.
    sources = list(dict.fromkeys(ref.strip() for f in facts for ref in f.source.split("; ")))
    lines += ["", _("Sources: {sources}").format(sources="; ".join(sources))]
    lines += [_("This is general information: your prescriber or pharmacist knows your case.")]
    if note := facts_in_english():
        lines.append(note)
    return "\n".join(lines)
