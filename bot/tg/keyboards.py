"""Inline keyboards and the callback-data codec ("d:<answer>:<dose id>", well under 64 bytes)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.model import DoseAnswer
from bot.tg import texts

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


def dose_keyboard(dose_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.answer_label(answer), callback_data=encode_dose_button(answer, dose_id)
                )
                for answer in (DoseAnswer.TAKEN, DoseAnswer.SNOOZE, DoseAnswer.SKIP)
            ]
        ]
    )
