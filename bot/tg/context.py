"""The typed handler context: what every handler gets from the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.domain.flood import FloodGate
from bot.domain.knowledge import KnowledgeBase
from bot.domain.reminding import ReminderDefaults
from bot.services.ports import Alarm, Clock, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class BotDeps:
    uow_factory: UnitOfWorkFactory
    clock: Clock
    alarm: Alarm  # wakes the dispatcher: a message is owed now, or a dose falls due
    kb: KnowledgeBase
    default_zone: str
    snooze: timedelta
    reminders: ReminderDefaults  # the operator's repeat and missed-dose timing
    flood: FloodGate  # who is sending too fast, per person


class MedContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def deps(self) -> BotDeps:
        deps: BotDeps = self.application.bot_data["deps"]
        return deps


def install_deps(application: Application[Any, Any, Any, Any, Any, Any], deps: BotDeps) -> None:
    application.bot_data["deps"] = deps
