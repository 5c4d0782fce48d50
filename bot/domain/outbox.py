"""Messages the bot owes (anything but the immediate reply to an update): what, to whom, how
urgent. Each is a row written in the transaction that causes it, so it is never lost."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import IntEnum, StrEnum
from typing import Any

from bot.domain.model import DoseStatus, NoticeKind, SafetyNotice


class Priority(IntEnum):
    """Sent in this order: a reminder never waits behind a routine alert."""

    URGENT = 0  # emergencies and red-flag alerts
    REMINDER = 1  # dose reminders and their repeats
    NOTICE = 2  # safety notices, taper announcements, messages to another person
    ROUTINE = 3  # routine caregiver alerts


class OwedKind(StrEnum):
    NOTICE = "notice"  # a SafetyNotice for a patient
    REPEAT = "repeat"  # a dose's reminder again (a nag); not sent if answered meanwhile
    DOSE_STATUS = "dose_status"  # edit a delivered reminder to show what became of the dose
    LINK_NOTE = "link_note"  # about a caregiver link, to the patient or the caregiver
    SUMMARY = "summary"  # the weekly summary, counted when it is sent


class LinkNoteKind(StrEnum):
    REQUEST = "request"  # to the patient: someone used your invite; Allow or Decline
    ALLOWED = "allowed"  # to the caregiver
    DECLINED = "declined"  # to the caregiver
    REVOKED = "revoked"  # to the caregiver: the patient removed them
    LEFT = "left"  # to the patient: the caregiver unfollowed
    ENDED = "ended"  # to the caregiver: the patient deleted their data


@dataclass(frozen=True, slots=True)
class LinkNote:
    kind: LinkNoteKind
    link_id: int
    name: str  # the other person's first name


@dataclass(frozen=True, slots=True)
class Owed:
    """A message to write to the outbox."""

    chat_id: int
    kind: OwedKind
    priority: Priority
    body: dict[str, Any]
    patient_id: int | None = None  # whose data it is about (deleted with the patient)
    dose_id: int | None = None


@dataclass(frozen=True, slots=True)
class OwedMessage:
    """A claimed outbox row, to send now."""

    id: int
    chat_id: int
    kind: OwedKind
    priority: Priority
    body: dict[str, Any]
    attempts: int
    dose_id: int | None = None


# A failed send waits 30 s, then 1, 2, 4... minutes, at most an hour, and is never given up.
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    doubled: timedelta = FIRST_RETRY * 2 ** max(attempts - 1, 0)
    return min(doubled, LONGEST_RETRY)


def notice_owed(
    chat_id: int, notice: SafetyNotice, *, patient_id: int | None, dose_id: int | None = None
) -> Owed:
    body = {k: _plain(v) for k, v in dataclasses.asdict(notice).items()}
    return Owed(chat_id, OwedKind.NOTICE, Priority.NOTICE, body, patient_id, dose_id)


def notice_of(body: dict[str, Any]) -> SafetyNotice:
    values = dict(body)
    values["kind"] = NoticeKind(values["kind"])
    for name in ("symptoms", "danger_signs"):
        values[name] = tuple(values.get(name) or ())
    if values.get("on"):
        values["on"] = date.fromisoformat(values["on"])
    if values.get("at"):
        values["at"] = time.fromisoformat(values["at"])
    return SafetyNotice(**values)


def link_note_owed(chat_id: int, note: LinkNote, *, patient_id: int | None) -> Owed:
    body = {"kind": note.kind.value, "link_id": note.link_id, "name": note.name}
    return Owed(chat_id, OwedKind.LINK_NOTE, Priority.NOTICE, body, patient_id)


def link_note_of(body: dict[str, Any]) -> LinkNote:
    return LinkNote(LinkNoteKind(body["kind"]), int(body["link_id"]), str(body["name"]))


def summary_owed(
    chat_id: int,
    *,
    patient_id: int,
    link_id: int | None,
    zone: str,
    start: datetime,
    end: datetime,
) -> Owed:
    """A weekly summary of the doses scheduled in [start, end), shown in `zone`, for the
    patient (no link) or a caregiver (their link); counted when it is sent."""
    body = {
        "patient_id": patient_id,
        "link_id": link_id,
        "zone": zone,
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    return Owed(chat_id, OwedKind.SUMMARY, Priority.ROUTINE, body, patient_id)


def repeat_owed(chat_id: int, *, patient_id: int, dose_id: int) -> Owed:
    return Owed(chat_id, OwedKind.REPEAT, Priority.REMINDER, {}, patient_id, dose_id)


def dose_status_owed(
    chat_id: int,
    status: DoseStatus,
    *,
    patient_id: int,
    dose_id: int,
    message_id: int | None = None,
) -> Owed:
    """Edit a reminder to show the dose's state: `message_id`, or the dose's latest reminder.
    `SENT` on an earlier reminder: it was repeated, the repeat has the buttons now."""
    body: dict[str, Any] = {"status": status.value}
    if message_id is not None:
        body["message_id"] = message_id
    return Owed(chat_id, OwedKind.DOSE_STATUS, Priority.NOTICE, body, patient_id, dose_id)


def _plain(value: object) -> object:
    """A JSON-ready value: dates as ISO text, tuples as lists."""
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value
