"""In-memory fakes of the ports that are not storage (clock, alarm, messenger), which record.

Storage is never faked: the use-case tests run on the real SQL unit of work over a SQLite file
of their own (tests/services/store.py), so a guard dropped from the SQL fails a test.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.domain.caregivers import CaregiverAlert
from bot.domain.model import DoseStatus, Reminder, SafetyNotice
from bot.domain.outbox import LinkNote
from bot.domain.weekly import WeeklySummary
from bot.services.ports import DeliveryFailed, RecipientUnreachable


def _utc(instant: datetime) -> datetime:
    # The SQL columns refuse naive datetimes: a clock that handed one out would hide the bug.
    if instant.tzinfo is None:
        raise ValueError(f"naive datetime given as an instant: {instant!r}")
    return instant.astimezone(UTC)


# --------------------------------------------------------------------------- time


class ManualClock:
    """A clock that moves only when the test says so."""

    def __init__(self, start: datetime) -> None:
        self._now = _utc(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now

    def set(self, instant: datetime) -> None:
        self._now = _utc(instant)


class RecordingAlarm:
    """Records every instant the dispatcher was asked to wake at."""

    def __init__(self) -> None:
        self.armed: list[datetime] = []

    def arm(self, at: datetime) -> None:
        self.armed.append(at)

    @property
    def last(self) -> datetime | None:
        return self.armed[-1] if self.armed else None


# --------------------------------------------------------------------------- messenger


@dataclass(frozen=True, slots=True)
class SentReminder:
    reminder: Reminder
    message_id: int


@dataclass(frozen=True, slots=True)
class ShownStatus:
    reminder: Reminder
    message_id: int
    status: DoseStatus


class RecordingMessenger:
    """Records every reminder delivered and every status shown; can be told to fail sends."""

    def __init__(self, first_message_id: int = 5001) -> None:
        self.sent: list[SentReminder] = []
        self.failed: list[tuple[Reminder, Exception]] = []
        self.shown: list[ShownStatus] = []
        self.notices: list[tuple[int, SafetyNotice]] = []
        self.link_notes: list[tuple[int, LinkNote]] = []
        self.alerts: list[CaregiverAlert] = []
        self.summaries: list[tuple[int, WeeklySummary]] = []
        # Runs inside send_reminder before it returns: what happens while a send is in flight.
        self.during_send: Callable[[Reminder], Awaitable[None]] | None = None
        self._message_ids = itertools.count(first_message_id)
        self._failures: dict[int, list[type[Exception]]] = {}

    def fail_next(
        self,
        chat_id: int,
        times: int = 1,
        error: type[DeliveryFailed | RecipientUnreachable] = DeliveryFailed,
    ) -> None:
        self._failures.setdefault(chat_id, []).extend([error] * times)

    async def send_reminder(self, reminder: Reminder) -> int:
        failures = self._failures.get(reminder.chat_id)
        if failures:
            error = failures.pop(0)(f"chat {reminder.chat_id}")
            self.failed.append((reminder, error))
            raise error
        if self.during_send is not None:
            await self.during_send(reminder)
        message_id = next(self._message_ids)
        self.sent.append(SentReminder(reminder, message_id))
        return message_id

    async def show_dose_status(
        self,
        reminder: Reminder,
        message_id: int,
        status: DoseStatus,
        at_local: datetime | None = None,
    ) -> None:
        self.shown.append(ShownStatus(reminder, message_id, status))

    async def send_notice(self, chat_id: int, notice: SafetyNotice) -> int:
        self.notices.append((chat_id, notice))
        return next(self._message_ids)

    async def send_link_note(self, chat_id: int, note: LinkNote) -> int:
        self.link_notes.append((chat_id, note))
        return next(self._message_ids)

    async def send_alert(self, alert: CaregiverAlert) -> int:
        self.alerts.append(alert)
        return next(self._message_ids)

    async def send_summary(self, chat_id: int, summary: WeeklySummary) -> int:
        self.summaries.append((chat_id, summary))
        return next(self._message_ids)

    # Assertion helpers.

    def notices_for(self, chat_id: int) -> list[SafetyNotice]:
        return [notice for chat, notice in self.notices if chat == chat_id]

    def reminders_for(self, chat_id: int) -> list[Reminder]:
        return [s.reminder for s in self.sent if s.reminder.chat_id == chat_id]

    def reminders_of(self, dose_id: int) -> list[Reminder]:
        return [s.reminder for s in self.sent if s.reminder.dose_id == dose_id]

    def sent_dose_ids(self) -> list[int]:
        return [s.reminder.dose_id for s in self.sent]

    def message_id_of_last(self, dose_id: int) -> int:
        return [s.message_id for s in self.sent if s.reminder.dose_id == dose_id][-1]

    def statuses_for(self, chat_id: int) -> list[ShownStatus]:
        return [s for s in self.shown if s.reminder.chat_id == chat_id]
