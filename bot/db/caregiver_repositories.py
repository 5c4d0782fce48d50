"""Queries for caregivers: invites, links and the alert outbox; they never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

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
                InviteRow.patient_id == patient_id,
                InviteRow.used_at.is_(None),
                InviteRow.revoked_at.is_(None),
            )
            .values(revoked_at=at)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def redeem(self, code_hash: str, at: datetime) -> int | None:
        # One statement: two people racing with the same code cannot both use it.
        return await self._session.scalar(
            update(InviteRow)
            .where(
                InviteRow.code_hash == code_hash,
                InviteRow.used_at.is_(None),
                InviteRow.revoked_at.is_(None),
                InviteRow.expires_at > at,
            )
            .values(used_at=at)
            .returning(InviteRow.patient_id)
        )

    async def note_failure(self, chat_id: int, at: datetime) -> None:
        self._session.add(InviteAttemptRow(chat_id=chat_id, attempted_at=at))
        await self._session.flush()

    async def failures_since(self, chat_id: int, since: datetime) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(InviteAttemptRow)
            .where(InviteAttemptRow.chat_id == chat_id, InviteAttemptRow.attempted_at >= since)
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
                CaregiverLinkRow.patient_id == patient_id,
                CaregiverLinkRow.caregiver_chat_id == caregiver_chat_id,
            )
        )
        if row is None:
            row = CaregiverLinkRow(
                patient_id=patient_id, caregiver_chat_id=caregiver_chat_id, created_at=at
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
        found = await self._links(CaregiverLinkRow.id == link_id)
        return found[0] if found else None

    async def of_patient(self, patient_id: int) -> list[CaregiverLink]:
        return await self._links(CaregiverLinkRow.patient_id == patient_id)

    async def of_caregiver(self, caregiver_chat_id: int) -> list[CaregiverLink]:
        return await self._links(CaregiverLinkRow.caregiver_chat_id == caregiver_chat_id)

    async def set_status(self, link_id: int, status: LinkStatus, at: datetime) -> None:
        await self._session.execute(
            update(CaregiverLinkRow)
            .where(CaregiverLinkRow.id == link_id)
            .values(status=status.value, decided_at=at)
        )

    async def set_kinds(self, link_id: int, kinds: frozenset[SafetyEventKind]) -> None:
        await self._session.execute(
            update(CaregiverLinkRow)
            .where(CaregiverLinkRow.id == link_id)
            .values(kinds=format_kinds(kinds))
        )

    async def mark_unreachable(self, link_id: int, at: datetime) -> bool:
        result = await self._session.execute(
            update(CaregiverLinkRow)
            .where(CaregiverLinkRow.id == link_id, CaregiverLinkRow.unreachable_at.is_(None))
            .values(unreachable_at=at)
        )
        return bool(getattr(result, "rowcount", 0))

    async def _links(self, condition: object) -> list[CaregiverLink]:
        rows = (
            await self._session.execute(
                select(CaregiverLinkRow, PatientRow)
                .join(PatientRow, PatientRow.id == CaregiverLinkRow.patient_id)
                .where(condition)  # type: ignore[arg-type]
                .order_by(CaregiverLinkRow.created_at, CaregiverLinkRow.id)
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
    )


class SqlAlerts:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    async def add(
        self, *, link_id: int, event_id: int, kind: SafetyEventKind, due_at: datetime
    ) -> None:
        self._session.add(
            AlertRow(
                link_id=link_id, event_id=event_id, kind=kind.value, status=_PENDING, due_at=due_at
            )
        )
        await self._session.flush()

    async def claim_due(
        self, *, now: datetime, stale_before: datetime, limit: int
    ) -> list[PendingAlert]:
        urgent_first = case((AlertRow.kind == SafetyEventKind.RED_FLAG.value, 0), else_=1)
        candidates = (
            select(AlertRow.id)
            .join(CaregiverLinkRow, CaregiverLinkRow.id == AlertRow.link_id)
            .where(
                CaregiverLinkRow.status == LinkStatus.ACTIVE.value,
                or_(
                    and_(AlertRow.status == _PENDING, AlertRow.due_at <= now),
                    and_(AlertRow.status == _SENDING, AlertRow.claimed_at < stale_before),
                ),
            )
            .order_by(urgent_first, AlertRow.due_at)
            .limit(limit)
        )
        if self._dialect == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True, of=AlertRow)
        claimed = list(
            await self._session.scalars(
                update(AlertRow)
                .where(AlertRow.id.in_(candidates.scalar_subquery()))
                .values(status=_SENDING, claimed_at=now, attempts=AlertRow.attempts + 1)
                .returning(AlertRow.id)
                .execution_options(synchronize_session=False)
            )
        )
        return await self._pending(claimed)

    async def _pending(self, alert_ids: list[int]) -> list[PendingAlert]:
        if not alert_ids:
            return []
        caregiver = PatientRow.__table__.alias("caregiver")
        rows = (
            await self._session.execute(
                select(
                    AlertRow,
                    CaregiverLinkRow,
                    PatientRow,
                    SafetyEventRow,
                    MedicationRow.name,
                    caregiver.c.timezone,
                )
                .join(CaregiverLinkRow, CaregiverLinkRow.id == AlertRow.link_id)
                .join(PatientRow, PatientRow.id == CaregiverLinkRow.patient_id)
                .join(SafetyEventRow, SafetyEventRow.id == AlertRow.event_id)
                .outerjoin(MedicationRow, MedicationRow.id == SafetyEventRow.medication_id)
                .outerjoin(caregiver, caregiver.c.chat_id == CaregiverLinkRow.caregiver_chat_id)
                .where(AlertRow.id.in_(alert_ids))
                .order_by(AlertRow.due_at, AlertRow.id)
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
            .where(AlertRow.link_id == link_id, AlertRow.status.in_((_PENDING, _SENDING)))
            .values(status=_DROPPED)
        )

    async def last_sent(self, link_id: int, kind: SafetyEventKind) -> datetime | None:
        return await self._session.scalar(
            select(func.max(AlertRow.sent_at)).where(
                AlertRow.link_id == link_id, AlertRow.kind == kind.value
            )
        )

    async def _set(self, alert_ids: Sequence[int], **values: object) -> None:
        if alert_ids:
            await self._session.execute(
                update(AlertRow)
                .where(AlertRow.id.in_(list(alert_ids)))
                .values(**values)
                .execution_options(synchronize_session=False)
            )
