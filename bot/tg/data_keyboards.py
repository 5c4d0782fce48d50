"""The /delete_my_data confirmation and its callback data:

  x:del:<patient id> | x:keep:<patient id>

The id names the data the confirmation was shown for; it is checked against the presser's own
patient before anything is deleted, so a stale or forged button deletes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.tg import data_texts

DELETE_BUTTON_PATTERN = r"^x:(del|keep):\d{1,18}$"
_DELETE_BUTTON = re.compile(DELETE_BUTTON_PATTERN)


@dataclass(frozen=True, slots=True)
class DeleteButton:
    confirmed: bool
    patient_id: int


def delete_confirm(patient_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    data_texts.label_delete_everything(), callback_data=f"x:del:{patient_id}"
                )
            ],
            [
                InlineKeyboardButton(
                    data_texts.label_keep_data(), callback_data=f"x:keep:{patient_id}"
                )
            ],
        ]
    )


def decode_delete(data: str | None) -> DeleteButton | None:
    if data is None or not _DELETE_BUTTON.match(data):
        return None
    _, choice, patient_id = data.split(":")
    return DeleteButton(choice == "del", int(patient_id))
