"""Caregivers: invite codes, links and which safety events each caregiver is alerted about."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.model import SafetyEventKind

INVITE_VALID_FOR = timedelta(hours=24)
# Guessing codes: this many wrong codes per chat within the window, then a pause.
MAX_FAILED_CODES = 5
FAILED_CODE_WINDOW = timedelta(minutes=15)


class LinkStatus(StrEnum):
    PENDING = "pending"  # the caregiver used a code; the patient has not confirmed yet
    ACTIVE = "active"
    DECLINED = "declined"
    REVOKED = "revoked"  # by the patient
    LEFT = "left"  # the caregiver unfollowed


@dataclass(frozen=True, slots=True)
class CaregiverLink:
    id: int
    patient_id: int
    patient_chat_id: int
    caregiver_chat_id: int
    caregiver_name: str
    status: LinkStatus
    kinds: frozenset[SafetyEventKind]
    unreachable: bool = False
    patient_name: str = ""
    # The caregiver's choice: a missed dose alerts them this long after it was missed.
    missed_alert_delay: timedelta = timedelta(0)


def code_hash(code: str) -> str:
    """Codes are stored hashed: a leaked table does not let anyone join."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


def parse_kinds(text: str) -> frozenset[SafetyEventKind]:
    return frozenset(SafetyEventKind(kind) for kind in text.split(",") if kind)


def format_kinds(kinds: frozenset[SafetyEventKind]) -> str:
    return ",".join(sorted(kind.value for kind in kinds))


ALL_KINDS = frozenset(SafetyEventKind)


def missed_batch_due(last_sent: datetime | None, now: datetime, window: timedelta) -> datetime:
    """When the next missed-dose alert to a caregiver may go: at most one per window."""
    if last_sent is None or now - last_sent >= window:
        return now
    return last_sent + window


@dataclass(frozen=True, slots=True)
class PendingAlert:
    """A stored alert with what its message needs."""

    id: int
    kind: SafetyEventKind
    link: CaregiverLink
    patient_name: str
    occurred_at: datetime
    medication: str | None
    detail: str
    caregiver_zone: str | None
    dose_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AlertItem:
    occurred_local: datetime
    medication: str | None
    detail: str
    dose_local: datetime | None = None


@dataclass(frozen=True, slots=True)
class CaregiverAlert:
    """One message to one caregiver: one event, or a batch of missed doses."""

    caregiver_chat_id: int
    patient_name: str
    patient_chat_id: int
    kind: SafetyEventKind
    items: tuple[AlertItem, ...]
    zone: str
