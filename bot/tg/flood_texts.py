"""The one reply to a person sending messages faster than anyone types, through gettext `_()`."""

from __future__ import annotations

from bot.tg.i18n import _


def slow_down() -> str:
    return _(
        "You are sending messages very fast, so I am taking a short pause. Wait a little, "
        "then write again. An emergency still gets an answer at once."
    )
