"""What the bot counts for Prometheus (served by bot/monitoring.py): counts and durations only,
never a name, a medication, a symptom or a message's text."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime
from typing import TypeVar

from prometheus_client import Counter, Gauge, Histogram
from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.domain.caregivers import CaregiverAlert
from bot.domain.emergencies import Emergency
from bot.domain.model import DoseStatus, Reminder, SafetyNotice
from bot.domain.outbox import LinkNote, Priority
from bot.domain.weekly import WeeklySummary
from bot.services.ports import Clock, DeliveryFailed, Messenger, RecipientUnreachable
from bot.tg.context import MedContext

FAILURE_KINDS = ("network", "5xx", "timeout", "blocked", "429", "refused", "other")
UPDATE_KINDS = ("command", "callback", "text", "other")
ASK_OUTCOMES = ("answered", "referred")
T = TypeVar("T")

REMINDERS_SENT = Counter("medbot_reminders_sent", "Dose reminders delivered (first sends)")
REMINDER_LATENESS = Histogram(
    "medbot_reminder_lateness_seconds",
    "A first reminder's delivery minus the time its dose fell due",
    buckets=(1, 5, 15, 30, 60, 120, 300, 900, 3600, 6 * 3600),
)
SEND_FAILURES = Counter(
    "medbot_send_failures", "Owed messages Telegram did not take, by kind", ["kind"]
)
LAST_SEND = Gauge(
    "medbot_last_send_timestamp_seconds", "When an owed message was last delivered (Unix time)"
)
OWED = Gauge(
    "medbot_owed_messages", "Messages due and not yet delivered, by priority", ["priority"]
)
UPDATES = Counter("medbot_updates_handled", "Updates from Telegram, by kind", ["kind"])
ASKED = Counter("medbot_ask_questions", "/ask questions answered or referred", ["outcome"])
EMERGENCIES = Counter(
    "medbot_emergencies_detected", "Emergencies recognised in messages, by category", ["category"]
)

# Every series exists from the start at 0, so a rate over it needs no first event.
for _kind in FAILURE_KINDS:
    SEND_FAILURES.labels(kind=_kind)
for _kind in UPDATE_KINDS:
    UPDATES.labels(kind=_kind)
for _outcome in ASK_OUTCOMES:
    ASKED.labels(outcome=_outcome)
for _emergency in Emergency:
    EMERGENCIES.labels(category=_emergency.value)
for _priority in Priority:
    OWED.labels(priority=_priority.name.lower())


async def count_update(update: Update, _context: MedContext) -> None:
    """Runs before every handler (a group of its own) and lets the update go on."""
    UPDATES.labels(kind=update_kind(update)).inc()


def update_kind(update: Update) -> str:
    if update.callback_query is not None:
        return "callback"
    message = update.message or update.edited_message
    if message is None or message.text is None:
        return "other"
    return "command" if message.text.startswith("/") else "text"


def count_ask(*, answered: bool) -> None:
    ASKED.labels(outcome="answered" if answered else "referred").inc()


def count_emergency(kind: Emergency) -> None:
    EMERGENCIES.labels(category=kind.value).inc()


def failure_kind(error: Exception) -> str:
    """The kind of a failed send, from the messenger's error and the Telegram error behind it."""
    if isinstance(error, RecipientUnreachable):
        return "blocked"
    cause = error.__cause__
    if isinstance(cause, TimedOut):
        return "timeout"
    if isinstance(cause, RetryAfter):
        return "429"
    if isinstance(cause, BadRequest):
        return "refused"
    if isinstance(cause, NetworkError):
        # PTB says "httpx.<Error>" or "Unknown error in HTTP" when no answer came; an HTTP
        # error status (500, 502, 503...) is a NetworkError with Telegram's description.
        text = cause.message
        no_answer = text.startswith(("httpx.", "Unknown error in HTTP"))
        return "network" if no_answer else "5xx"
    return "other"


class CountingMessenger:
    """The messenger as the dispatcher uses it, counting what goes out and what fails, and
    remembering the last delivery (for /healthz)."""

    def __init__(self, messenger: Messenger, clock: Clock) -> None:
        self._messenger = messenger
        self._clock = clock
        self.last_sent_at: datetime | None = None

    async def send_reminder(self, reminder: Reminder) -> int:
        message_id = await self._counted(self._messenger.send_reminder(reminder))
        if not reminder.repeat:
            REMINDERS_SENT.inc()
            due_at = reminder.due_at or reminder.scheduled_local
            REMINDER_LATENESS.observe(max(0.0, (self._clock.now() - due_at).total_seconds()))
        return message_id

    async def show_dose_status(
        self,
        reminder: Reminder,
        message_id: int,
        status: DoseStatus,
        at_local: datetime | None = None,
    ) -> None:
        await self._counted(
            self._messenger.show_dose_status(reminder, message_id, status, at_local)
        )

    async def send_notice(self, chat_id: int, notice: SafetyNotice) -> int:
        return await self._counted(self._messenger.send_notice(chat_id, notice))

    async def send_link_note(self, chat_id: int, note: LinkNote) -> int:
        return await self._counted(self._messenger.send_link_note(chat_id, note))

    async def send_alert(self, alert: CaregiverAlert) -> int:
        return await self._counted(self._messenger.send_alert(alert))

    async def send_summary(self, chat_id: int, summary: WeeklySummary) -> int:
        return await self._counted(self._messenger.send_summary(chat_id, summary))

    async def _counted(self, sending: Awaitable[T]) -> T:
        try:
            result = await sending
        except (DeliveryFailed, RecipientUnreachable) as error:
            SEND_FAILURES.labels(kind=failure_kind(error)).inc()
            raise
        self.last_sent_at = self._clock.now()
        LAST_SEND.set(self.last_sent_at.timestamp())
        return result
