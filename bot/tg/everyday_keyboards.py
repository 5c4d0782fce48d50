"""Keyboards of the everyday flows and their callback data, each well under Telegram's 64
bytes; every id in them is checked against the presser's own data before anything changes.

  w:ok | w:other            confirm the times chosen for schedule words ("twice a day")
  e:<field>:<id>            edit a medication: pick, dose, sched
  l:<id>                    "I took" this medication, from the menu
  s:<key>:<value>[:<link>]  /settings: r (repeats), e (every, min), h (heads-up, min),
                            d (a caregiver's missed-dose delay, min, for one link),
                            w (weekly summary 1/0: the patient's, or for one link)
  z:set:<zone> | z:home | z:local   time zone suggestions and the travel choice
  h:<command>               a suggestion after a message that was not clear
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.domain.caregivers import CaregiverLink
from bot.domain.model import Medication
from bot.domain.reminding import (
    HEADS_UP_CHOICES,
    MISSED_ALERT_DELAYS,
    REPEAT_COUNTS,
    REPEAT_INTERVALS,
    ReminderTiming,
)
from bot.tg import data_texts, texts
from bot.tg import everyday_texts as words
from bot.tg.i18n import _

WORD_SCHEDULE_PATTERN = r"^w:(ok|other)$"
EDIT_BUTTON_PATTERN = r"^e:(pick|dose|sched):\d{1,18}$"
TOOK_BUTTON_PATTERN = r"^l:\d{1,18}$"
SETTINGS_BUTTON_PATTERN = r"^s:(r|e|h|d|w):\d{1,3}(:\d{1,18})?$"
ZONE_BUTTON_PATTERN = r"^z:(set:[A-Za-z0-9_+\-/]{1,50}|home|local)$"
SUGGESTION_BUTTON_PATTERN = r"^h:[a-z]{1,20}$"


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def word_schedule() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(words.label_yes_times(), "w:ok"), _button(words.label_other_times(), "w:other")]]
    )


def replace_or_keep(medication_id: int, *, resume: bool) -> InlineKeyboardMarkup:
    yes = words.label_resume() if resume else words.label_replace()
    return InlineKeyboardMarkup(
        [
            [_button(yes, f"m:apply:{medication_id}")],
            [_button(words.label_keep_as_is(), f"m:keep:{medication_id}")],
        ]
    )


def medications(items: Sequence[Medication], prefix: str) -> InlineKeyboardMarkup:
    """One button per medication, two a row: "e:pick:<id>" or "l:<id>"."""
    buttons = [_button(item.name, f"{prefix}{item.id}") for item in items]
    return InlineKeyboardMarkup([buttons[at : at + 2] for at in range(0, len(buttons), 2)])


def edit_menu(medication_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(words.label_edit_dose(), f"e:dose:{medication_id}"),
                _button(words.label_edit_times(), f"e:sched:{medication_id}"),
            ],
            [_button(words.label_delete(), f"m:askdel:{medication_id}")],
        ]
    )


def delete_confirm(medication_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_button(words.label_delete_yes(), f"m:delete:{medication_id}")],
            [_button(words.label_keep_as_is(), f"m:keep:{medication_id}")],
        ]
    )


def _minutes(span: timedelta | None) -> int:
    return int(span.total_seconds() // 60) if span else 0


def _marked(label: str, chosen: bool) -> str:
    return f"• {label}" if chosen else label


def settings(
    timing: ReminderTiming,
    links: Sequence[CaregiverLink],
    *,
    weekly: bool,
    weekly_links: frozenset[int],
) -> InlineKeyboardMarkup:
    rows = [
        [
            _button(_marked(words.label_repeats(n), n == timing.repeats), f"s:r:{n}")
            for n in REPEAT_COUNTS
        ],
        [
            _button(_marked(words.label_every(e), e == timing.every), f"s:e:{_minutes(e)}")
            for e in REPEAT_INTERVALS
        ],
        [
            _button(_marked(words.label_heads_up(h), h == timing.heads_up), f"s:h:{_minutes(h)}")
            for h in (None, *HEADS_UP_CHOICES)
        ],
        [_button(data_texts.label_weekly(weekly), f"s:w:{int(not weekly)}")],
    ]
    for link in links:
        wanted = link.id in weekly_links
        label = data_texts.label_caregiver_weekly(link.patient_name, wanted)
        rows += [_delay_row(link), [_button(label, f"s:w:{int(not wanted)}:{link.id}")]]
    return InlineKeyboardMarkup(rows)


def _delay_row(link: CaregiverLink) -> list[InlineKeyboardButton]:
    return [
        _button(
            _marked(words.label_delay(delay), delay == link.missed_alert_delay),
            f"s:d:{_minutes(delay)}:{link.id}",
        )
        for delay in MISSED_ALERT_DELAYS
    ]


@dataclass(frozen=True, slots=True)
class SettingsButton:
    key: str
    minutes: int
    link_id: int | None


def decode_settings(data: str | None) -> SettingsButton | None:
    if data is None or not re.match(SETTINGS_BUTTON_PATTERN, data):
        return None
    parts = data.split(":")
    link_id = int(parts[3]) if len(parts) == 4 else None
    # A missed-dose delay is always for one link; a weekly summary may be; nothing else is.
    if (parts[1] == "d" and link_id is None) or (parts[1] not in "dw" and link_id is not None):
        return None
    return SettingsButton(parts[1], int(parts[2]), link_id)


def zone_suggestions(zones: Sequence[str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(zone, f"z:set:{zone}")] for zone in zones])


def travel(home: str, here: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_button(words.label_home_time(home), "z:home")],
            [_button(words.label_local_time(here), "z:local")],
        ]
    )


def suggestions(commands: Sequence[str]) -> InlineKeyboardMarkup:
    labels = {name: what for name, what, _example in texts.COMMANDS}
    return InlineKeyboardMarkup(
        [
            [_button(f"/{command}: {_(labels[command])}", f"h:{command}")]
            for command in commands
            if command in labels
        ]
    )


def main_menu() -> ReplyKeyboardMarkup:
    """The keyboard under the text field: every everyday action without typing a command."""
    return ReplyKeyboardMarkup(
        [[_(label) for label in row] for row in words.MENU_ROWS],
        resize_keyboard=True,
        is_persistent=True,
    )
