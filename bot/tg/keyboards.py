"""Inline keyboards and the callback-data codec ("d:<answer>:<dose id>", well under 64 bytes)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.caregivers import CaregiverAlert, CaregiverLink
from bot.domain.knowledge import Topic
from bot.domain.model import DoseAnswer, SafetyEventKind
from bot.tg import caregiver_texts, safety_texts, texts
from bot.tg.i18n import LANGUAGES

DOSE_BUTTON_PATTERN = r"^d:[tzs]:\d{1,18}$"
_DOSE_BUTTON = re.compile(DOSE_BUTTON_PATTERN)


@dataclass(frozen=True, slots=True)
class DoseButton:
    answer: DoseAnswer
    dose_id: int


def encode_dose_button(answer: DoseAnswer, dose_id: int) -> str:
    return f"d:{answer.value}:{dose_id}"


def decode_dose_button(data: str | None) -> DoseButton | None:
    """The press, or None for data we never sent (it is not trusted either way)."""
    if data is None or not _DOSE_BUTTON.match(data):
        return None
    _, answer, dose_id = data.split(":")
    return DoseButton(DoseAnswer(answer), int(dose_id))


def dose_keyboard(dose_id: int, *, snooze: bool = True) -> InlineKeyboardMarkup:
    """Taken, Snooze, Skip; a missed dose can still be taken or skipped, not snoozed."""
    answers = (DoseAnswer.TAKEN, DoseAnswer.SNOOZE, DoseAnswer.SKIP)
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.answer_label(answer), callback_data=encode_dose_button(answer, dose_id)
                )
                for answer in answers
                if snooze or answer is not DoseAnswer.SNOOZE
            ]
        ]
    )


# Medication confirmations: "m:<action>:<medication id>". The id is checked against the
# presser's own medications before anything changes.
MEDICATION_BUTTON_PATTERN = r"^m:(stop|pause|keep|tkeep|delete|askdel|apply):\d{1,18}$"
_MEDICATION_BUTTON = re.compile(MEDICATION_BUTTON_PATTERN)


@dataclass(frozen=True, slots=True)
class MedicationButton:
    action: str
    medication_id: int


def decode_medication_button(data: str | None) -> MedicationButton | None:
    if data is None or not _MEDICATION_BUTTON.match(data):
        return None
    _, action, medication_id = data.split(":")
    return MedicationButton(action, int(medication_id))


def confirm_keyboard(
    action: str, medication_id: int, *, keep: str = "keep"
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    safety_texts.confirm_label(action), callback_data=f"m:{action}:{medication_id}"
                ),
                InlineKeyboardButton(
                    safety_texts.confirm_label(keep), callback_data=f"m:{keep}:{medication_id}"
                ),
            ]
        ]
    )


# Knowledge buttons: "k:<drug key or general>:<topic>", answered from the knowledge base.
TOPIC_BUTTON_PATTERN = r"^k:[a-z_]{1,30}:[a-z_]{1,20}$"
SAFETY_TIP = "tip"  # alcohol and driving together, after a sedating drug is added


def read_more(drug_key: str) -> InlineKeyboardMarkup:
    data = f"k:{drug_key}:{SAFETY_TIP}"
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(safety_texts.read_more_label(), callback_data=data)]]
    )


# The topics offered as buttons when /ask comes without a question.
COMMON_TOPICS = (
    Topic.ALCOHOL,
    Topic.DRIVING,
    Topic.MISSED_DOSE,
    Topic.STOPPING,
    Topic.SIDE_EFFECTS,
    Topic.INTERACTIONS,
    Topic.PREGNANCY,
    Topic.SURGERY,
)


def topic_keyboard(subject: str, topics: Sequence[Topic] = COMMON_TOPICS) -> InlineKeyboardMarkup:
    """Topic buttons about a drug (its key), the patient's own medicines ("mine") or any."""
    buttons = [
        InlineKeyboardButton(
            safety_texts.topic_label(topic), callback_data=f"k:{subject}:{topic.value}"
        )
        for topic in topics
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def decode_topic_button(data: str | None) -> tuple[str, list[Topic]] | None:
    """(subject, topics) of a knowledge button, or None for anything we never sent."""
    if data is None or not re.match(TOPIC_BUTTON_PATTERN, data):
        return None
    _, drug_key, topic = data.split(":")
    if topic == SAFETY_TIP:
        return drug_key, [Topic.ALCOHOL, Topic.DRIVING]
    if topic not in Topic.__members__.values():
        return None
    return drug_key, [Topic(topic)]


# "My prescriber wrote this plan": the unusual taper waits in the patient's conversation data.
TAPER_CONFIRMED, TAPER_NOT_CONFIRMED = "t:ok", "t:no"
TAPER_CONFIRM_PATTERN = r"^t:(ok|no)$"


def taper_confirm_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    safety_texts.taper_confirm_label(), callback_data=TAPER_CONFIRMED
                )
            ],
            [
                InlineKeyboardButton(
                    safety_texts.taper_check_label(), callback_data=TAPER_NOT_CONFIRMED
                )
            ],
        ]
    )


# A patient's answer to a caregiver's request: "c:<ok|no>:<link id>"; checked against the
# presser's own links.
LINK_BUTTON_PATTERN = r"^c:(ok|no):\d{1,18}$"


@dataclass(frozen=True, slots=True)
class LinkButton:
    allow: bool
    link_id: int


def decode_link_button(data: str | None) -> LinkButton | None:
    if data is None or not re.match(LINK_BUTTON_PATTERN, data):
        return None
    _, answer, link_id = data.split(":")
    return LinkButton(answer == "ok", int(link_id))


def link_keyboard(link_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    caregiver_texts.allow_label(), callback_data=f"c:ok:{link_id}"
                ),
                InlineKeyboardButton(
                    caregiver_texts.decline_label(), callback_data=f"c:no:{link_id}"
                ),
            ]
        ]
    )


# A caregiver's choice of alerts: "a:<link id>:<kind>", toggled one at a time.
ALERT_KIND_BUTTON_PATTERN = r"^a:\d{1,18}:[a-z_]{1,32}$"


def decode_alert_kind_button(data: str | None) -> tuple[int, str] | None:
    if data is None or not re.match(ALERT_KIND_BUTTON_PATTERN, data):
        return None
    _, link_id, kind = data.split(":")
    if kind not in SafetyEventKind.__members__.values():
        return None
    return int(link_id), kind


def alert_kinds_keyboard(link: CaregiverLink) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    caregiver_texts.alert_kind_label(kind, on=kind in link.kinds),
                    callback_data=f"a:{link.id}:{kind.value}",
                )
            ]
            for kind in SafetyEventKind
        ]
    )


def message_patient(alert: CaregiverAlert) -> InlineKeyboardMarkup:
    # tg://user opens the patient's profile in the caregiver's Telegram app.
    url = f"tg://user?id={alert.patient_chat_id}"
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(caregiver_texts.message_patient_label(alert.patient_name), url=url)]]
    )


# /language: "lang:<code>", one button per language the bot speaks.
LANGUAGE_BUTTON_PATTERN = r"^lang:(en|de|es|ru)$"


def language_keyboard() -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(texts.LANGUAGE_NAMES[code], callback_data=f"lang:{code}")
        for code in LANGUAGES
    ]
    return InlineKeyboardMarkup([buttons[:2], buttons[2:]])
