"""What the patient reads about everyday things: changing a medication, stock and refills,
settings, travel, the menu and plain words."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.domain.model import Medication, MedicationStatus
from bot.domain.parsing import describe_schedule
from bot.domain.reminding import ReminderTiming
from bot.tg import data_texts
from bot.tg.i18n import N_, _, day, hhmm, in_every_language, ngettext, number
from bot.tg.texts import COMMANDS, medication_state

EDIT_EXAMPLE = "/edit Baclofen 10 mg at 08:00 12:00 16:00 20:00"
STOCK_EXAMPLE = "/stock Baclofen 60"
REFILL_EXAMPLE = "/refill Baclofen 90"


def plan(medication: Medication) -> str:
    """ "Baclofen 5 mg at 08:00 and 20:00" / "Ibuprofen 200 mg as needed, at most 3 a day"."""
    return f"{medication.name} {medication.dose}, {describe_schedule(medication.schedule)}"


# --- adding and changing


def confirm_word_schedule(name: str, dose: str, schedule_text: str) -> str:
    return _(
        "I'd remind you of {name} {dose} {schedule}. Is that right? If your prescription says "
        "other times, press “Other times”."
    ).format(name=name, dose=dose, schedule=schedule_text)


def other_times_hint(name: str, dose: str) -> str:
    return _("Send it with your times, e.g. /add {name} {dose} at 9am 9pm").format(
        name=name, dose=dose
    )


def label_yes_times() -> str:
    return _("✅ Yes, these times")


def label_other_times() -> str:
    return _("🕘 Other times")


def already_taken(existing: Medication, new_plan: str) -> str:
    return _(
        "You already have {current}. Replace it with {new}? Reminders already sent keep "
        "their buttons."
    ).format(current=plan(existing), new=new_plan)


def stopped_before(existing: Medication, new_plan: str) -> str:
    return _("You stopped {name} earlier. Take it up again as {new}?").format(
        name=existing.name, new=new_plan
    )


def label_replace() -> str:
    return _("✏️ Yes, change it")


def label_resume() -> str:
    return _("▶️ Yes, resume it")


def label_keep_as_is() -> str:
    return _("No, keep it as it is")


def kept_as_is() -> str:
    return _("Nothing was changed.")


def edited(medication: Medication, next_local: datetime | None) -> str:
    text = _("Changed: {plan}.").format(plan=plan(medication))
    if next_local is not None:
        text += "\n" + _("Next reminder: {day} at {time}.").format(
            day=day(next_local), time=hhmm(next_local)
        )
    elif medication.schedule.as_needed:
        text += "\n" + _("No reminders for an as-needed medication; /log took it when you do.")
    return text


def unchanged(medication: Medication) -> str:
    return _("{plan}: that is already so; nothing was changed.").format(plan=plan(medication))


def edit_which() -> str:
    return _("Which medication do you want to change? e.g. {example}").format(example=EDIT_EXAMPLE)


def edit_menu(medication: Medication) -> str:
    return _("{plan}. What do you want to change?").format(plan=plan(medication))


def label_edit_dose() -> str:
    return _("💊 Dose")


def label_edit_times() -> str:
    return _("🕘 Times and days")


def label_delete() -> str:
    return _("🗑 Delete")


def edit_ask_dose(name: str) -> str:
    return _("Send the new dose of {name}, e.g. 10 mg. /cancel stops.").format(name=name)


def edit_ask_times(name: str) -> str:
    return _(
        "Send the new times of {name}, e.g. 8am 8pm, twice a day, 09:00 every 2 days, "
        "08:00 on mon wed fri, or as needed max 3/day. /cancel stops."
    ).format(name=name)


def delete_confirm(medication: Medication) -> str:
    return _(
        "Delete {name}? Its reminders stop; the doses you took stay in your reports until you "
        "delete your data."
    ).format(name=medication.name)


def label_delete_yes() -> str:
    return _("🗑 Yes, delete it")


def deleted(name: str) -> str:
    return _("{name} is deleted; no more reminders. /add {name} ... takes it up again.").format(
        name=name
    )


def resume_after_stop(name: str) -> str:
    return _(
        "Reminders for {name} are back on. If you stopped it more than a few days ago, ask "
        "your prescriber before you take it again at the same dose."
    ).format(name=name)


# --- stock and refills


def stock_usage(command: str) -> str:
    example = STOCK_EXAMPLE if command == "stock" else REFILL_EXAMPLE
    return _("Send the medication and how many you have, e.g. {example}").format(example=example)


def stock_set(medication: Medication, stock: float, run_out: date | None, lead_days: int) -> str:
    text = _("{name}: {count} on hand.").format(name=medication.name, count=number(stock))
    if run_out is not None:
        text += " " + ngettext(
            "At your schedule that lasts until {day}; I'll remind you to refill {lead} day before.",
            "At your schedule that lasts until {day}; I'll remind you to refill {lead} days "
            "before.",
            lead_days,
        ).format(day=day(run_out), lead=lead_days)
    return text


def add_ask_stock(name: str) -> str:
    return _(
        "How many {name} do you have now (tablets, or ml)? I'll remind you to refill before "
        "they run out. Send a number, or /skip."
    ).format(name=name)


def stock_not_a_number() -> str:
    return _("Send a number, e.g. 30, or /skip.")


# --- settings


def settings(timing: ReminderTiming, *, weekly: bool) -> str:
    heads_up = (
        _("{minutes} min before each dose").format(minutes=_minutes(timing.heads_up))
        if timing.heads_up
        else _("off")
    )
    repeats = (
        _("{count} time(s), every {minutes} min").format(
            count=timing.repeats, minutes=_minutes(timing.every)
        )
        if timing.repeats
        else _("never")
    )
    return "\n".join(
        [
            _("⚙️ Your reminder settings"),
            _("• An unanswered reminder repeats: {repeats}").format(repeats=repeats),
            _("• It counts as missed after {minutes} min").format(
                minutes=_minutes(timing.missed_after)
            ),
            _("• Heads-up: {heads_up}").format(heads_up=heads_up),
            data_texts.weekly_setting(weekly),
            "",
            _("Press a button to change one."),
        ]
    )


def caregiver_settings(patient_name: str, delay: timedelta) -> str:
    when = _("at once") if not delay else _("{minutes} min after").format(minutes=_minutes(delay))
    return _("👥 Alerts about {name}'s missed doses: {when}.").format(name=patient_name, when=when)


def label_repeats(count: int) -> str:
    return _("🔁 {count}×").format(count=count)


def label_every(every: timedelta) -> str:
    return _("every {minutes}′").format(minutes=_minutes(every))


def label_heads_up(heads_up: timedelta | None) -> str:
    return _("🔔 {minutes}′").format(minutes=_minutes(heads_up)) if heads_up else _("🔕 off")


def label_delay(delay: timedelta) -> str:
    return _("⏱ at once") if not delay else _("⏱ {minutes}′").format(minutes=_minutes(delay))


def _minutes(span: timedelta | None) -> int:
    return int(span.total_seconds() // 60) if span else 0


# --- time zones and travel


def timezone_suggestions(text: str) -> str:
    shown = text if len(text) <= 40 else text[:39] + "…"
    return _("Which time zone do you mean by “{text}”? Press one:").format(text=shown)


def timezone_ask() -> str:
    return _(
        "Which time zone are you in? Send a city or a country, e.g. /timezone Berlin, an "
        "offset (/timezone UTC+1), a name (/timezone Europe/Berlin), or share your location "
        "with the paperclip button."
    )


def timezone_no_match(text: str) -> str:
    shown = text if len(text) <= 40 else text[:39] + "…"
    return _(
        "I don't know the time zone “{text}”. Send a city, a country or an offset, e.g. "
        "/timezone Berlin, /timezone India, /timezone UTC+1 or /timezone Europe/Berlin."
    ).format(text=shown)


def location_unknown() -> str:
    return _("I can't tell the time zone of that place. Send a city, e.g. /timezone Berlin")


def travel_question(home: str, here: str, home_now: datetime, here_now: datetime) -> str:
    return _(
        "You are now in {here} ({here_time}); your reminders follow {home} ({home_time}).\n\n"
        "• Keep home time: reminders come at the same moments as at home, so at different "
        "clock times here.\n"
        "• Local time: reminders come at the same clock times as at home, by the clock here.\n\n"
        "For a medicine taken at fixed intervals (e.g. every 8 or 12 hours), keeping home time "
        "keeps those intervals exactly; switching to local time makes one interval longer or "
        "shorter by the time difference, once. If unsure, ask your pharmacist."
    ).format(here=here, here_time=hhmm(here_now), home=home, home_time=hhmm(home_now))


def label_home_time(home: str) -> str:
    return _("🏠 Keep {home} time").format(home=home.rsplit("/", 1)[-1].replace("_", " "))


def label_local_time(here: str) -> str:
    return _("🕘 Follow {here} clock").format(here=here.rsplit("/", 1)[-1].replace("_", " "))


def travel_home_kept(home: str) -> str:
    return _("Reminders keep {home} time.").format(home=home)


def travel_local(here: str) -> str:
    return _("Reminders now follow the clock in {here}.").format(here=here)


# --- the menu and plain words

# TRANSLATORS: the main menu's buttons under the text field, two a row: keep each short.
MENU_ADD = N_("➕ Add a medication")
MENU_MEDS = N_("💊 My medications")
MENU_TOOK = N_("✅ I took a dose")
MENU_FEEL = N_("📝 How I feel")
MENU_ASK = N_("❓ Ask a question")
MENU_REPORT = N_("📊 My report")
MENU_CAREGIVERS = N_("👥 Caregivers")
MENU_SETTINGS = N_("⚙️ Settings")
MENU_ROWS = (
    (MENU_TOOK, MENU_MEDS),
    (MENU_FEEL, MENU_ASK),
    (MENU_ADD, MENU_REPORT),
    (MENU_CAREGIVERS, MENU_SETTINGS),
)


def menu_button(label: str) -> list[str]:
    """What a menu button sends, in every language (for the handler's text filter)."""
    return in_every_language(label)


def menu() -> str:
    return _("Here is the menu: press a button below, no typing needed. /help lists commands.")


def took_which() -> str:
    return _("Which one did you take? Press it:")


def took_none() -> str:
    return _("You have no medications yet. Press “{add}” to add one.").format(add=_(MENU_ADD))


def feel_ask() -> str:
    return _("How do you feel? Tell me in a few words, e.g. dizzy since lunch. /cancel stops.")


def ask_ask() -> str:
    return _("What is your question? e.g. can I drink alcohol with baclofen? /cancel stops.")


def glad_better() -> str:
    return _("Good to hear it eased! If it comes back, tell me, or /log symptom ... to note it.")


def ran_out_words() -> str:
    return _(
        "Running out means missing doses: get a refill from your pharmacy or prescriber "
        "today. Some medicines, such as baclofen, must not stop suddenly. Once you have it, "
        "send e.g. /refill Baclofen 60."
    )


def how_to(command: str) -> str:
    examples = {name: example for name, _what, example in COMMANDS}
    return _("Send it like this: {example}").format(example=examples.get(command, "/help"))


def thanks() -> str:
    return _("You're welcome! 😊")


def hello(first_name: str) -> str:
    return _("Hello {name}! Press a button below, or /help for all commands.").format(
        name=first_name
    )


def unclear(suggestions: tuple[str, ...]) -> str:
    if not suggestions:
        return _("I'm not sure what you mean. /help lists what I can do, with examples.")
    return _("I'm not sure what you mean. Did you want one of these?")


def skipped_recorded(name: str, scheduled_local: datetime) -> str:
    return _("Recorded: {name} ({time}) skipped.").format(name=name, time=hhmm(scheduled_local))


def skipped_nothing_open() -> str:
    return _(
        "I found no open reminder to mark skipped. If you missed a dose, do not double the "
        "next one; /meds shows today's doses."
    )


def status_word(status: MedicationStatus) -> str:
    return medication_state(status)
