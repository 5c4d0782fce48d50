"""Caregivers: consent-based invites, links the patient controls, and alert delivery."""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.caregivers import (
    ALL_KINDS,
    FAILED_CODE_WINDOW,
    INVITE_VALID_FOR,
    MAX_FAILED_CODES,
    AlertItem,
    CaregiverAlert,
    CaregiverLink,
    LinkStatus,
    PendingAlert,
    code_hash,
    missed_batch_due,
)
from bot.domain.model import NoticeKind, SafetyEventKind, SafetyNotice
from bot.domain.outbox import LinkNote, LinkNoteKind, link_note_owed, notice_owed
from bot.domain.schedule import to_local, zone_named
from bot.services.patients import register_patient
from bot.services.ports import (
    Alarm,
    Clock,
    DeliveryFailed,
    Messenger,
    RecipientUnreachable,
    UnitOfWork,
    UnitOfWorkFactory,
)
from bot.services.reminders import STALE_CLAIM

log = logging.getLogger(__name__)

# 16 random bytes = 128 bits; URL-safe base64 gives 22 characters, fit for a deep link.
CODE_BYTES = 16
ALERT_BATCH = 100
RETRY_AFTER = timedelta(minutes=1)


async def create_invite(
    uow_factory: UnitOfWorkFactory, *, clock: Clock, chat_id: int, language: str, name: str
) -> str:
    """A fresh one-time code; earlier unused codes of this patient stop working."""
    patient = await register_patient(uow_factory, chat_id=chat_id, language=language, name=name)
    code = secrets.token_urlsafe(CODE_BYTES)
    now = clock.now()
    async with uow_factory() as uow:
        await uow.invites.revoke_unused(patient.id, now)
        await uow.invites.add(
            patient_id=patient.id,
            code_hash=code_hash(code),
            created_at=now,
            expires_at=now + INVITE_VALID_FOR,
        )
        await uow.commit()
    return code


class RedeemResult(StrEnum):
    WAITING_FOR_PATIENT = "waiting_for_patient"
    INVALID = "invalid"  # unknown, used, expired or revoked: the same answer for all
    THROTTLED = "throttled"
    OWN_CODE = "own_code"


@dataclass(frozen=True, slots=True)
class Redeemed:
    result: RedeemResult
    link: CaregiverLink | None = None


async def redeem_invite(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    caregiver_chat_id: int,
    caregiver_name: str,
    code: str,
) -> Redeemed:
    """The caregiver's side: a valid code makes a link that waits for the patient's yes; the
    patient is owed the question, with Allow and Decline."""
    now = clock.now()
    async with uow_factory() as uow:
        failures = await uow.invites.failures_since(caregiver_chat_id, now - FAILED_CODE_WINDOW)
        if failures >= MAX_FAILED_CODES:
            return Redeemed(RedeemResult.THROTTLED)
        patient_id = await uow.invites.redeem(code_hash(code), now)
        if patient_id is None:
            await uow.invites.note_failure(caregiver_chat_id, now)
            await uow.commit()
            return Redeemed(RedeemResult.INVALID)
        patient = await uow.patients.by_chat(caregiver_chat_id)
        if patient is not None and patient.id == patient_id:
            return Redeemed(RedeemResult.OWN_CODE)  # rolled back: the code stays usable
        link = await uow.links.put_pending(
            patient_id=patient_id,
            caregiver_chat_id=caregiver_chat_id,
            caregiver_name=caregiver_name,
            kinds=ALL_KINDS,
            at=now,
        )
        note = LinkNote(LinkNoteKind.REQUEST, link.id, link.caregiver_name)
        await _owe(uow, link.patient_chat_id, note, link, now)
        await uow.commit()
    alarm.arm(now)
    return Redeemed(RedeemResult.WAITING_FOR_PATIENT, link)


async def decide_link(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    patient_chat_id: int,
    link_id: int,
    allow: bool,
) -> CaregiverLink | None:
    """The patient's yes or no; only the patient the link belongs to, only while pending.
    The caregiver is owed the answer."""
    now = clock.now()
    async with uow_factory() as uow:
        link = await uow.links.get(link_id)
        if link is None or link.patient_chat_id != patient_chat_id:
            return None
        if link.status is not LinkStatus.PENDING:
            return None
        status = LinkStatus.ACTIVE if allow else LinkStatus.DECLINED
        await uow.links.set_status(link.id, status, now)
        kind = LinkNoteKind.ALLOWED if allow else LinkNoteKind.DECLINED
        await _owe(
            uow, link.caregiver_chat_id, LinkNote(kind, link.id, link.patient_name), link, now
        )
        await uow.commit()
    alarm.arm(now)
    return replace(link, status=status)


async def caregivers_of(
    uow_factory: UnitOfWorkFactory, *, patient_chat_id: int
) -> list[CaregiverLink]:
    """The patient's caregivers, active and waiting, in the order they joined."""
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(patient_chat_id)
        links = await uow.links.of_patient(patient.id) if patient else []
    return [link for link in links if link.status in (LinkStatus.ACTIVE, LinkStatus.PENDING)]


async def followed_by(
    uow_factory: UnitOfWorkFactory, *, caregiver_chat_id: int
) -> list[CaregiverLink]:
    async with uow_factory() as uow:
        links = await uow.links.of_caregiver(caregiver_chat_id)
    return [link for link in links if link.status is LinkStatus.ACTIVE]


async def end_link(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    link: CaregiverLink,
    status: LinkStatus,
) -> None:
    """Revoked by the patient or left by the caregiver: at once, with no alert after it; the
    other side is owed a word of it."""
    now = clock.now()
    if status is LinkStatus.REVOKED:
        told, note = link.caregiver_chat_id, LinkNote(LinkNoteKind.REVOKED, link.id, "")
    else:
        told, note = link.patient_chat_id, LinkNote(LinkNoteKind.LEFT, link.id, link.caregiver_name)
    async with uow_factory() as uow:
        await uow.links.set_status(link.id, status, now)
        await uow.alerts.drop_for_link(link.id)
        await _owe(uow, told, note, link, now)
        await uow.commit()
    alarm.arm(now)


async def _owe(
    uow: UnitOfWork, chat_id: int, note: LinkNote, link: CaregiverLink, now: datetime
) -> None:
    await uow.outbox.add(link_note_owed(chat_id, note, patient_id=link.patient_id), due_at=now)


async def toggle_alert_kind(
    uow_factory: UnitOfWorkFactory, *, caregiver_chat_id: int, link_id: int, kind: SafetyEventKind
) -> CaregiverLink | None:
    async with uow_factory() as uow:
        link = await uow.links.get(link_id)
        if link is None or link.caregiver_chat_id != caregiver_chat_id:
            return None
        if link.status is not LinkStatus.ACTIVE:
            return None
        kinds = link.kinds ^ {kind}
        await uow.links.set_kinds(link.id, kinds)
        await uow.commit()
    return replace(link, kinds=kinds)


async def deliver_alerts(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    messenger: Messenger,
    default_zone: str,
    missed_window: timedelta,
    claimer: str,
    urgent_only: bool = False,
) -> int:
    """Send due alerts: red flags first (only those, with `urgent_only`: the dispatcher sends
    them before the reminders); missed doses at most one message per window."""
    now = clock.now()
    async with uow_factory() as uow:
        claimed = await uow.alerts.claim_due(
            now=now,
            stale_before=now - STALE_CLAIM,
            claimer=claimer,
            limit=ALERT_BATCH,
            urgent_only=urgent_only,
        )
        batches = await _batches(uow, claimed, now, missed_window)
        await uow.commit()
    sent = 0
    for batch in batches:
        sent += await _send(uow_factory, clock, messenger, default_zone, batch)
    return sent


async def _batches(
    uow: UnitOfWork, claimed: list[PendingAlert], now: datetime, window: timedelta
) -> list[list[PendingAlert]]:
    """One message per alert, but one per caregiver and patient for missed doses; a missed
    batch inside the window of the last one waits for the window to end."""
    missed: dict[int, list[PendingAlert]] = defaultdict(list)
    batches: list[list[PendingAlert]] = []
    for alert in claimed:
        if alert.kind is SafetyEventKind.MISSED_DOSE:
            missed[alert.link.id].append(alert)
        else:
            batches.append([alert])
    for link_id, alerts in missed.items():
        last = await uow.alerts.last_sent(link_id, SafetyEventKind.MISSED_DOSE)
        due = missed_batch_due(last, now, window)
        if due > now:
            await uow.alerts.retry_at([a.id for a in alerts], due)
        else:
            batches.append(alerts)
    return batches


async def _send(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    messenger: Messenger,
    default_zone: str,
    batch: list[PendingAlert],
) -> int:
    ids = [alert.id for alert in batch]
    link = batch[0].link
    try:
        await messenger.send_alert(_message(batch, default_zone))
    except DeliveryFailed:
        async with uow_factory() as uow:
            await uow.alerts.retry_at(ids, clock.now() + RETRY_AFTER)
            await uow.commit()
        log.warning("alerts %s not delivered; will retry", ids)
        return 0
    except RecipientUnreachable:
        await _unreachable(uow_factory, clock, link, ids)
        return 0
    async with uow_factory() as uow:
        await uow.alerts.mark_sent(ids, clock.now())
        await uow.commit()
    return 1


async def _unreachable(
    uow_factory: UnitOfWorkFactory, clock: Clock, link: CaregiverLink, ids: list[int]
) -> None:
    """The caregiver blocked the bot: stop trying, and owe the patient word of it, once."""
    now = clock.now()
    async with uow_factory() as uow:
        await uow.alerts.drop(ids)
        if await uow.links.mark_unreachable(link.id, now):
            notice = SafetyNotice(NoticeKind.CAREGIVER_UNREACHABLE, who=link.caregiver_name)
            owed = notice_owed(link.patient_chat_id, notice, patient_id=link.patient_id)
            await uow.outbox.add(owed, due_at=now)
        await uow.commit()


def _message(batch: list[PendingAlert], default_zone: str) -> CaregiverAlert:
    first = batch[0]
    zone_name = first.caregiver_zone or default_zone
    zone = zone_named(zone_name)
    items = tuple(
        AlertItem(
            to_local(alert.occurred_at, zone),
            alert.medication,
            alert.detail,
            to_local(alert.dose_at, zone) if alert.dose_at else None,
        )
        for alert in batch
    )
    return CaregiverAlert(
        caregiver_chat_id=first.link.caregiver_chat_id,
        patient_name=first.patient_name,
        patient_chat_id=first.link.patient_chat_id,
        kind=first.kind,
        items=items,
        zone=zone_name,
    )
