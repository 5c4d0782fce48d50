"""The typed handler context: what every handler gets from the composition root."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.domain.flood import FloodGate
from bot.domain.knowledge import KnowledgeBase
from bot.domain.reminding import ReminderDefaults
from bot.services.medications import medication_names
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
    # PTB builds one context an update and hands it to every group's handler, so what the
    # language hook (handlers/language.py) read with the language is here for the others.
    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id, user_id)
        self.known_medication_names: Sequence[str] | None = None

    @property
    def deps(self) -> BotDeps:
        deps: BotDeps = self.application.bot_data["deps"]
        return deps

    async def medication_names(self, chat_id: int) -> Sequence[str]:
        """The chat's medication names, read once an update."""
        if self.known_medication_names is None:
            self.known_medication_names = await medication_names(self.deps.uow_factory, chat_id)
        return self.known_medication_names


def install_deps(application: Application[Any, Any, Any, Any, Any, Any], deps: BotDeps) -> None:
    application.bot_data["deps"] = deps
