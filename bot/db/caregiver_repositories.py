"""Queries for caregivers: invites, links and the alert outbox; they never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from bot.db import claims
from bot.db.tables import (
    AlertRow,
    CaregiverLinkRow,
    InviteAttemptRow,
    InviteRow,
    MedicationRow,
    PatientRow,
    SafetyEventRow,
)
from bot.domain.caregivers import (
    CaregiverLink,
    LinkStatus,
    PendingAlert,
    format_kinds,
    parse_kinds,
)
from bot.domain.model import SafetyEventKind

_PENDING, _SENDING, _SENT, _DROPPED = "pending", "sending", "sent", "dropped"


class SqlInvites:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, *, patient_id: int, code_hash: str, created_at: datetime, expires_at: datetime
    ) -> None:
        self._session.add(
            InviteRow(
                patient_id=patient_id,
                code_hash=code_hash,
                created_at=created_at,
                expires_at=expires_at,
            )
        )
        await self._session.flush()

    async def revoke_unused(self, patient_id: int, at: datetime) -> int:
        result = await self._session.execute(
            update(InviteRow)
            .where(
                col(InviteRow.patient_id) == patient_id,
                col(InviteRow.used_at).is_(None),
                col(InviteRow.revoked_at).is_(None),
            )
            .values(revoked_at=at)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def redeem(self, code_hash: str, at: datetime) -> int | None:
        # One statement: two people racing with the same code cannot both use it.
        return await self._session.scalar(
            update(InviteRow)
            .where(
                col(InviteRow.code_hash) == code_hash,
                col(InviteRow.used_at).is_(None),
                col(InviteRow.revoked_at).is_(None),
                col(InviteRow.expires_at) > at,
            )
            .values(used_at=at)
            .returning(col(InviteRow.patient_id))
        )

    async def note_failure(self, chat_id: int, at: datetime) -> None:
        self._session.add(InviteAttemptRow(chat_id=chat_id, attempted_at=at))
        await self._session.flush()

    async def failures_since(self, chat_id: int, since: datetime) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(InviteAttemptRow)
            .where(
                col(InviteAttemptRow.chat_id) == chat_id,
                col(InviteAttemptRow.attempted_at) >= since,
            )
        )
        return int(count or 0)


class SqlCaregiverLinks:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put_pending(
        self,
        *,
        patient_id: int,
        caregiver_chat_id: int,
        caregiver_name: str,
        kinds: frozenset[SafetyEventKind],
        at: datetime,
    ) -> CaregiverLink:
        row = await self._session.scalar(
            select(CaregiverLinkRow).where(
                col(CaregiverLinkRow.patient_id) == patient_id,
                col(CaregiverLinkRow.caregiver_chat_id) == caregiver_chat_id,
            )
        )
        if row is None:
            row = CaregiverLinkRow(
                patient_id=patient_id,
                caregiver_chat_id=caregiver_chat_id,
                caregiver_name=caregiver_name,
                status=LinkStatus.PENDING.value,
                kinds=format_kinds(kinds),
                created_at=at,
            )
            self._session.add(row)
        row.caregiver_name = caregiver_name
        row.status = LinkStatus.PENDING.value
        row.kinds = format_kinds(kinds)
        row.decided_at = None
        row.unreachable_at = None
        await self._session.flush()
        link = await self.get(row.id or 0)
        assert link is not None
        return link

    async def get(self, link_id: int) -> CaregiverLink | None:
        found = await self._links(col(CaregiverLinkRow.id) == link_id)
        return found[0] if found else None

    async def of_patient(self, patient_id: int) -> list[CaregiverLink]:
        return await self._links(col(CaregiverLinkRow.patient_id) == patient_id)

    async def of_caregiver(self, caregiver_chat_id: int) -> list[CaregiverLink]:
        return await self._links(col(CaregiverLinkRow.caregiver_chat_id) == caregiver_chat_id)

    async def set_status(self, link_id: int, status: LinkStatus, at: datetime) -> None:
        await self._session.execute(
            update(CaregiverLinkRow)
            .where(col(CaregiverLinkRow.id) == link_id)
            .values(status=status.value, decided_at=at)
        )

    async def set_kinds(self, link_id: int, kinds: frozenset[SafetyEventKind]) -> None:
        await self._session.execute(
            update(CaregiverLinkRow)
            .where(col(CaregiverLinkRow.id) == link_id)
            .values(kinds=format_kinds(kinds))
        )

    async def set_missed_alert_delay(self, link_id: int, delay: timedelta) -> None:
        await self._session.execute(
            update(CaregiverLinkRow)
            .where(col(CaregiverLinkRow.id) == link_id)
            .values(missed_alert_delay_minutes=int(delay.total_seconds() // 60))
        )

    async def mark_unreachable(self, link_id: int, at: datetime) -> bool:
        result = await self._session.execute(
            update(CaregiverLinkRow)
            .where(
                col(CaregiverLinkRow.id) == link_id, col(CaregiverLinkRow.unreachable_at).is_(None)
            )
            .values(unreachable_at=at)
        )
        return bool(getattr(result, "rowcount", 0))

    async def _links(self, condition: ColumnElement[bool]) -> list[CaregiverLink]:
        rows = (
            await self._session.execute(
                select(CaregiverLinkRow, PatientRow)
                .join(PatientRow, col(PatientRow.id) == col(CaregiverLinkRow.patient_id))
                .where(condition)
                .order_by(col(CaregiverLinkRow.created_at), col(CaregiverLinkRow.id))
            )
        ).all()
        return [_link(row, patient) for row, patient in rows]


def _link(row: CaregiverLinkRow, patient: PatientRow) -> CaregiverLink:
    assert row.id is not None
    return CaregiverLink(
        id=row.id,
        patient_id=row.patient_id,
        patient_chat_id=patient.chat_id,
        caregiver_chat_id=row.caregiver_chat_id,
        caregiver_name=row.caregiver_name,
        status=LinkStatus(row.status),
        kinds=parse_kinds(row.kinds),
        unreachable=row.unreachable_at is not None,
        patient_name=patient.name,
        missed_alert_delay=timedelta(minutes=row.missed_alert_delay_minutes),
    )


class SqlAlerts:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.earliest_added: datetime | None = None  # the first due of what this one added

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    async def add(
        self, *, link_id: int, event_id: int, kind: SafetyEventKind, due_at: datetime
    ) -> None:
        self.earliest_added = min(due_at, self.earliest_added or due_at)
        self._session.add(
            AlertRow(
                link_id=link_id, event_id=event_id, kind=kind.value, status=_PENDING, due_at=due_at
            )
        )
        await self._session.flush()

    async def claim_due(
        self,
        *,
        now: datetime,
        stale_before: datetime,
        claimer: str,
        limit: int,
        urgent_only: bool = False,
    ) -> list[PendingAlert]:
        urgent = col(AlertRow.kind) == SafetyEventKind.RED_FLAG.value
        urgent_first = case((urgent, 0), else_=1)
        candidates = (
            select(col(AlertRow.id))
            .join(CaregiverLinkRow, col(CaregiverLinkRow.id) == col(AlertRow.link_id))
            .where(
                col(CaregiverLinkRow.status) == LinkStatus.ACTIVE.value,
                or_(
                    and_(col(AlertRow.status) == _PENDING, col(AlertRow.due_at) <= now),
                    and_(
                        col(AlertRow.status) == _SENDING,
                        col(AlertRow.claimed_at) < stale_before,
                    ),
                ),
            )
            .order_by(urgent_first, col(AlertRow.due_at))
            .limit(limit)
        )
        if urgent_only:
            candidates = candidates.where(urgent)
        if self._dialect == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True, of=AlertRow)
        claimed = [
            alert_id
            for alert_id in await self._session.scalars(
                update(AlertRow)
                .where(col(AlertRow.id).in_(candidates.scalar_subquery()))
                .values(
                    status=_SENDING,
                    claimed_by=claimer,
                    claimed_at=now,
                    attempts=col(AlertRow.attempts) + 1,
                )
                .returning(col(AlertRow.id))
                .execution_options(synchronize_session=False)
            )
            if alert_id is not None  # a stored id never is; the model types it "int | None"
        ]
        return await self._pending(claimed)

    async def refresh_claims(self, claimer: str, at: datetime) -> int:
        return await claims.refresh_claims(self._session, AlertRow, claimer=claimer, at=at)

    async def oldest_claim_at(self) -> datetime | None:
        return await claims.oldest_claim_at(self._session, AlertRow)

    async def _pending(self, alert_ids: list[int]) -> list[PendingAlert]:
        if not alert_ids:
            return []
        caregiver = aliased(PatientRow, name="caregiver")
        rows = (
            await self._session.execute(
                select(
                    AlertRow,
                    CaregiverLinkRow,
                    PatientRow,
                    SafetyEventRow,
                    col(MedicationRow.name),
                    col(caregiver.timezone),
                )
                .join(CaregiverLinkRow, col(CaregiverLinkRow.id) == col(AlertRow.link_id))
                .join(PatientRow, col(PatientRow.id) == col(CaregiverLinkRow.patient_id))
                .join(SafetyEventRow, col(SafetyEventRow.id) == col(AlertRow.event_id))
                .outerjoin(
                    MedicationRow, col(MedicationRow.id) == col(SafetyEventRow.medication_id)
                )
                .outerjoin(
                    caregiver, col(caregiver.chat_id) == col(CaregiverLinkRow.caregiver_chat_id)
                )
                .where(col(AlertRow.id).in_(alert_ids))
                .order_by(col(AlertRow.due_at), col(AlertRow.id))
            )
        ).all()
        return [
            PendingAlert(
                id=alert.id or 0,
                kind=SafetyEventKind(alert.kind),
                link=_link(link, patient),
                patient_name=patient.name,
                occurred_at=event.occurred_at,
                medication=medication,
                detail=event.detail,
                caregiver_zone=zone,
                dose_at=event.dose_at,
            )
            for alert, link, patient, event, medication, zone in rows
        ]

    async def mark_sent(self, alert_ids: Sequence[int], at: datetime) -> None:
        await self._set(alert_ids, status=_SENT, sent_at=at)

    async def retry_at(self, alert_ids: Sequence[int], due_at: datetime) -> None:
        await self._set(alert_ids, status=_PENDING, due_at=due_at)

    async def drop(self, alert_ids: Sequence[int]) -> None:
        await self._set(alert_ids, status=_DROPPED)

    async def drop_for_link(self, link_id: int) -> None:
        await self._session.execute(
            update(AlertRow)
            .where(col(AlertRow.link_id) == link_id, col(AlertRow.status).in_((_PENDING, _SENDING)))
            .values(status=_DROPPED)
        )

    async def last_sent(self, link_id: int, kind: SafetyEventKind) -> datetime | None:
        return await self._session.scalar(
            select(func.max(col(AlertRow.sent_at))).where(
                col(AlertRow.link_id) == link_id, col(AlertRow.kind) == kind.value
            )
        )

    async def _set(self, alert_ids: Sequence[int], **values: object) -> None:
        if alert_ids:
            await self._session.execute(
                update(AlertRow)
                .where(col(AlertRow.id).in_(list(alert_ids)))
                .values(**values)
                .execution_options(synchronize_session=False)
            )
