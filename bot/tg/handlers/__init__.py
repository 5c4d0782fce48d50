"""Telegram handlers, one module per feature; `register` wires them all, in priority order."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.tg.handlers import (
    ask,
    caregivers,
    data,
    emergencies,
    fallbacks,
    flood,
    language,
    log,
    meds,
    onboarding,
    plain,
    reminders,
    reports,
    safety,
    settings,
    taper,
)
from bot.tg.metrics import count_update

COUNT_GROUP = -10  # before the language (-3), emergencies (-2) and the flood check (-1)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    # One group: the first handler that matches wins, so the fallbacks (groups, edits,
    # stickers, unknown commands) come last and only see what no feature took.
    features = (
        onboarding,
        meds,
        taper,
        safety,
        log,
        ask,
        reports,
        data,
        caregivers,
        settings,
        language,
        reminders,
        plain,
        fallbacks,
    )
    # Counted first, in a group of its own: whatever handles the update, or stops it.
    application.add_handler(TypeHandler(Update, count_update), group=COUNT_GROUP)
    application.add_handler(language.language_hook(), group=language.GROUP)
    application.add_handlers(emergencies.handlers(), group=emergencies.GROUP)
    application.add_handlers(flood.handlers(), group=flood.GROUP)
    for feature in features:
        application.add_handlers(feature.handlers())
    application.add_error_handler(fallbacks.on_error)
