"""Queries for the patient's data rights and the weekly summary: the full history for /export,
deleting everything about a patient, the summary opt-ins and the week last summarised.
They never commit (the unit of work does)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, ScalarSelect, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from bot.db.tables import (
    AlertRow,
    CaregiverLinkRow,
    DoseRow,
    IntakeRow,
    InviteAttemptRow,
    InviteRow,
    MedicationRow,
    OutboxRow,
    PatientRow,
    SafetyEventRow,
    ScheduleRow,
    SymptomRow,
    TaperRow,
)
from bot.domain.caregivers import LinkStatus
from bot.domain.history import (
    DoseLine,
    EventLine,
    History,
    IntakeLine,
    MedicationLine,
    SymptomLine,
)
from bot.domain.model import DoseStatus, MedicationStatus
from bot.domain.weekly import SummaryRecipient

_ACTIVE = LinkStatus.ACTIVE.value


class SqlPatientData:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def history(self, patient_id: int, *, zone: str, until: datetime) -> History:
        return History(
            zone=zone,
            medications=await self._medications(patient_id),
            doses=await self._doses(patient_id, until),
            intakes=await self._intakes(patient_id),
            symptoms=await self._symptoms(patient_id),
            events=await self._events(patient_id),
        )

    async def _medications(self, patient_id: int) -> tuple[MedicationLine, ...]:
        rows = await self._session.scalars(
            select(MedicationRow)
            .where(col(MedicationRow.patient_id) == patient_id)
            .order_by(col(MedicationRow.created_at), col(MedicationRow.id))
        )
        return tuple(
            MedicationLine(
                row.id or 0, row.name, row.dose, MedicationStatus(row.status), row.created_at
            )
            for row in rows
        )

    async def _doses(self, patient_id: int, until: datetime) -> tuple[DoseLine, ...]:
        # How a taken dose was recorded is its intake's source.
        source: ScalarSelect[str | None] = (
            select(func.min(col(IntakeRow.source)))
            .where(col(IntakeRow.dose_id) == col(DoseRow.id))
            .scalar_subquery()
        )
        rows = await self._session.execute(
            select(DoseRow, col(MedicationRow.name), col(MedicationRow.dose), source)
            .join(MedicationRow, col(MedicationRow.id) == col(DoseRow.medication_id))
            .where(col(DoseRow.patient_id) == patient_id, col(DoseRow.scheduled_at) <= until)
            .order_by(col(DoseRow.scheduled_at), col(DoseRow.id))
        )
        return tuple(
            DoseLine(
                id=dose.id or 0,
                medication=name,
                amount=dose.amount or planned,
                scheduled_at=dose.scheduled_at,
                status=DoseStatus(dose.status),
                answered_at=dose.answered_at,
                source=how or "",
            )
            for dose, name, planned, how in rows
        )

    async def _intakes(self, patient_id: int) -> tuple[IntakeLine, ...]:
        rows = await self._session.execute(
            select(IntakeRow, col(MedicationRow.name), col(MedicationRow.dose))
            .join(MedicationRow, col(MedicationRow.id) == col(IntakeRow.medication_id))
            .where(col(IntakeRow.patient_id) == patient_id)
            .order_by(col(IntakeRow.taken_at), col(IntakeRow.id))
        )
        return tuple(
            IntakeLine(
                row.id or 0, name, row.amount or planned, row.taken_at, row.source, row.dose_id
            )
            for row, name, planned in rows
        )

    async def _symptoms(self, patient_id: int) -> tuple[SymptomLine, ...]:
        rows = await self._session.scalars(
            select(SymptomRow)
            .where(col(SymptomRow.patient_id) == patient_id)
            .order_by(col(SymptomRow.noted_at), col(SymptomRow.id))
        )
        return tuple(
            SymptomLine(row.id or 0, row.text, row.severity, row.red_flag, row.noted_at)
            for row in rows
        )

    async def _events(self, patient_id: int) -> tuple[EventLine, ...]:
        rows = await self._session.execute(
            select(SafetyEventRow, col(MedicationRow.name))
            .outerjoin(MedicationRow, col(MedicationRow.id) == col(SafetyEventRow.medication_id))
            .where(col(SafetyEventRow.patient_id) == patient_id)
            .order_by(col(SafetyEventRow.occurred_at), col(SafetyEventRow.id))
        )
        return tuple(
            EventLine(row.id or 0, row.kind, name, row.detail, row.occurred_at, row.dose_at)
            for row, name in rows
        )

    async def delete_patient(self, patient_id: int, chat_id: int) -> None:
        # Children before parents, each table named: the cascades would do most of it, but
        # what is removed should not depend on a backend enforcing foreign keys.
        links = select(col(CaregiverLinkRow.id)).where(
            or_(
                col(CaregiverLinkRow.patient_id) == patient_id,
                col(CaregiverLinkRow.caregiver_chat_id) == chat_id,
            )
        )
        events = select(col(SafetyEventRow.id)).where(col(SafetyEventRow.patient_id) == patient_id)
        medications = select(col(MedicationRow.id)).where(
            col(MedicationRow.patient_id) == patient_id
        )
        doses = select(col(DoseRow.id)).where(col(DoseRow.patient_id) == patient_id)
        owned: list[tuple[type, ColumnElement[bool]]] = [
            (AlertRow, or_(col(AlertRow.link_id).in_(links), col(AlertRow.event_id).in_(events))),
            (
                OutboxRow,
                or_(
                    col(OutboxRow.chat_id) == chat_id,
                    col(OutboxRow.patient_id) == patient_id,
                    col(OutboxRow.dose_id).in_(doses),
                ),
            ),
            (CaregiverLinkRow, col(CaregiverLinkRow.id).in_(links)),
            (InviteRow, col(InviteRow.patient_id) == patient_id),
            (InviteAttemptRow, col(InviteAttemptRow.chat_id) == chat_id),
            (IntakeRow, col(IntakeRow.patient_id) == patient_id),
            (SymptomRow, col(SymptomRow.patient_id) == patient_id),
            (SafetyEventRow, col(SafetyEventRow.patient_id) == patient_id),
            (TaperRow, col(TaperRow.medication_id).in_(medications)),
            (ScheduleRow, col(ScheduleRow.medication_id).in_(medications)),
            (DoseRow, col(DoseRow.patient_id) == patient_id),
            (MedicationRow, col(MedicationRow.patient_id) == patient_id),
            (PatientRow, col(PatientRow.id) == patient_id),
        ]
        for table, condition in owned:
            await self._session.execute(
                delete(table).where(condition).execution_options(synchronize_session=False)
            )


class SqlSummaries:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def patient_opted_in(self, patient_id: int) -> bool:
        wanted = await self._session.scalar(
            select(col(PatientRow.weekly_summary)).where(col(PatientRow.id) == patient_id)
        )
        return bool(wanted)

    async def links_opted_in(self, caregiver_chat_id: int) -> frozenset[int]:
        ids = await self._session.scalars(
            select(col(CaregiverLinkRow.id)).where(
                col(CaregiverLinkRow.caregiver_chat_id) == caregiver_chat_id,
                col(CaregiverLinkRow.weekly_summary),
            )
        )
        return frozenset(link_id for link_id in ids if link_id is not None)

    async def set_patient(self, patient_id: int, wanted: bool, *, passed: date) -> None:
        await self._opt(PatientRow, col(PatientRow.id) == patient_id, wanted, passed)

    async def set_link(self, link_id: int, wanted: bool, *, passed: date) -> None:
        await self._opt(CaregiverLinkRow, col(CaregiverLinkRow.id) == link_id, wanted, passed)

    async def _opt(
        self,
        table: type[PatientRow] | type[CaregiverLinkRow],
        chosen: ColumnElement[bool],
        wanted: bool,
        passed: date,
    ) -> None:
        await self._session.execute(update(table).where(chosen).values(weekly_summary=wanted))
        if wanted:  # never moves back: a week already summarised stays summarised
            week = col(table.summarised_week)
            await self._session.execute(
                update(table)
                .where(chosen, or_(week.is_(None), week < passed))
                .values(summarised_week=passed)
            )

    async def recipients(self) -> list[SummaryRecipient]:
        patients = await self._session.execute(
            select(
                col(PatientRow.id),
                col(PatientRow.chat_id),
                col(PatientRow.timezone),
            ).where(col(PatientRow.weekly_summary))
        )
        found = [
            SummaryRecipient(chat_id, patient_id or 0, None, zone)
            for patient_id, chat_id, zone in patients
        ]
        caregiver = aliased(PatientRow, name="caregiver")
        links = await self._session.execute(
            select(
                col(CaregiverLinkRow.id),
                col(CaregiverLinkRow.patient_id),
                col(CaregiverLinkRow.caregiver_chat_id),
                func.coalesce(col(caregiver.timezone), col(PatientRow.timezone)),
            )
            .join(PatientRow, col(PatientRow.id) == col(CaregiverLinkRow.patient_id))
            .outerjoin(caregiver, col(caregiver.chat_id) == col(CaregiverLinkRow.caregiver_chat_id))
            .where(col(CaregiverLinkRow.weekly_summary), col(CaregiverLinkRow.status) == _ACTIVE)
        )
        found += [
            SummaryRecipient(chat_id, patient_id, link_id, zone)
            for link_id, patient_id, chat_id, zone in links
        ]
        return found

    async def claim_week(self, recipient: SummaryRecipient, monday: date) -> bool:
        # One statement: two dispatchers (or two ticks) cannot both claim the same week.
        if recipient.link_id is None:
            table: type[PatientRow] | type[CaregiverLinkRow] = PatientRow
            chosen = col(PatientRow.id) == recipient.patient_id
        else:
            table = CaregiverLinkRow
            chosen = (col(CaregiverLinkRow.id) == recipient.link_id) & (
                col(CaregiverLinkRow.status) == _ACTIVE
            )
        week = col(table.summarised_week)
        result = await self._session.execute(
            update(table)
            .where(
                chosen,
                col(table.weekly_summary),
                or_(week.is_(None), week < monday),
            )
            .values(summarised_week=monday)
        )
        return bool(getattr(result, "rowcount", 0))

    async def still_wanted(self, patient_id: int, link_id: int | None) -> str | None:
        query = select(col(PatientRow.name)).where(col(PatientRow.id) == patient_id)
        if link_id is None:
            query = query.where(col(PatientRow.weekly_summary))
        else:
            query = query.join(
                CaregiverLinkRow, col(CaregiverLinkRow.patient_id) == col(PatientRow.id)
            ).where(
                col(CaregiverLinkRow.id) == link_id,
                col(CaregiverLinkRow.weekly_summary),
                col(CaregiverLinkRow.status) == _ACTIVE,
            )
        return await self._session.scalar(query)
