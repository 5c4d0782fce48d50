"""Queries for /report: a patient's doses, symptoms and safety events over a period, as the
report's records (only the columns it shows). They never write."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.db.tables import DoseRow, MedicationRow, SafetyEventRow, SymptomRow
from bot.domain.adherence import DoseRecord, EventRecord, SymptomEntry
from bot.domain.model import DoseStatus, SafetyEventKind


class SqlReports:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def doses_between(
        self, patient_id: int, start: datetime, end: datetime
    ) -> list[DoseRecord]:
        rows = await self._session.execute(
            select(
                col(MedicationRow.name),
                col(DoseRow.scheduled_at),
                col(DoseRow.status),
                col(DoseRow.answered_at),
            )
            .join(MedicationRow, col(MedicationRow.id) == col(DoseRow.medication_id))
            .where(
                col(DoseRow.patient_id) == patient_id,
                col(DoseRow.scheduled_at) >= start,
                col(DoseRow.scheduled_at) < end,
            )
            .order_by(col(DoseRow.scheduled_at), col(DoseRow.id))
        )
        return [
            DoseRecord(name, scheduled_at, DoseStatus(status), answered_at)
            for name, scheduled_at, status, answered_at in rows
        ]

    async def symptoms_between(
        self, patient_id: int, start: datetime, end: datetime
    ) -> list[SymptomEntry]:
        rows = await self._session.scalars(
            select(SymptomRow)
            .where(
                col(SymptomRow.patient_id) == patient_id,
                col(SymptomRow.noted_at) >= start,
                col(SymptomRow.noted_at) < end,
            )
            .order_by(col(SymptomRow.noted_at), col(SymptomRow.id))
        )
        return [SymptomEntry(row.noted_at, row.text, row.severity, row.red_flag) for row in rows]

    async def events_between(
        self, patient_id: int, start: datetime, end: datetime
    ) -> list[EventRecord]:
        rows = await self._session.execute(
            select(
                col(SafetyEventRow.kind),
                col(SafetyEventRow.occurred_at),
                col(MedicationRow.name),
                col(SafetyEventRow.detail),
            )
            .outerjoin(MedicationRow, col(MedicationRow.id) == col(SafetyEventRow.medication_id))
            .where(
                col(SafetyEventRow.patient_id) == patient_id,
                col(SafetyEventRow.occurred_at) >= start,
                col(SafetyEventRow.occurred_at) < end,
            )
            .order_by(col(SafetyEventRow.occurred_at), col(SafetyEventRow.id))
        )
        return [
            EventRecord(SafetyEventKind(kind), occurred_at, medication, detail)
            for kind, occurred_at, medication, detail in rows
        ]
