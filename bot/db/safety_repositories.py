"""Queries for what the patient records and the safety rules keep: intakes, symptoms, safety
events and taper plans. They never commit (the unit of work does)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, delete, func, literal, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.db.repositories import medications_with_times
from bot.db.tables import (
    IntakeRow,
    MedicationRow,
    PatientRow,
    SafetyEventRow,
    SymptomRow,
    TaperRow,
)
from bot.domain.model import (
    Medication,
    MedicationStatus,
    Patient,
    SafetyEvent,
    SafetyEventKind,
)
from bot.domain.taper import TaperPlan, parse_taper_steps

_OF_MEDICATION = col(IntakeRow.medication_id) == bindparam("medication_id")
_TAKEN_IN_SPAN = (
    _OF_MEDICATION,
    col(IntakeRow.taken_at) >= bindparam("start"),
    col(IntakeRow.taken_at) < bindparam("end"),
)
_TAKEN_BETWEEN = (
    select(col(IntakeRow.taken_at)).where(*_TAKEN_IN_SPAN).order_by(col(IntakeRow.taken_at))
)
# What the overuse check reads after every intake, in one round trip: the intakes of its day
# (flagged true) and the last one before it (flagged false; NULL when there is none).
_DAY_AND_LAST_BEFORE = union_all(
    select(literal(True).label("of_the_day"), col(IntakeRow.taken_at)).where(*_TAKEN_IN_SPAN),
    select(literal(False), func.max(col(IntakeRow.taken_at))).where(
        _OF_MEDICATION, col(IntakeRow.taken_at) < bindparam("before")
    ),
)


class SqlIntakes:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        patient_id: int,
        medication_id: int,
        taken_at: datetime,
        amount: str | None,
        source: str,
        dose_id: int | None = None,
    ) -> None:
        self._session.add(
            IntakeRow(
                patient_id=patient_id,
                medication_id=medication_id,
                dose_id=dose_id,
                taken_at=taken_at,
                amount=amount,
                source=source,
            )
        )
        await self._session.flush()

    async def taken_between(
        self, medication_id: int, start: datetime, end: datetime
    ) -> list[datetime]:
        rows = await self._session.scalars(
            _TAKEN_BETWEEN, {"medication_id": medication_id, "start": start, "end": end}
        )
        return list(rows)

    async def day_and_last_before(
        self, medication_id: int, start: datetime, end: datetime, before: datetime
    ) -> tuple[list[datetime], datetime | None]:
        params = {"medication_id": medication_id, "start": start, "end": end, "before": before}
        rows = (await self._session.execute(_DAY_AND_LAST_BEFORE, params)).all()
        day = sorted(taken_at for of_the_day, taken_at in rows if of_the_day)
        last = next((taken_at for of_the_day, taken_at in rows if not of_the_day), None)
        return day, last


class SqlSymptoms:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        patient_id: int,
        text: str,
        severity: str | None,
        red_flag: bool,
        noted_at: datetime,
    ) -> None:
        self._session.add(
            SymptomRow(
                patient_id=patient_id,
                text=text,
                severity=severity,
                red_flag=red_flag,
                noted_at=noted_at,
            )
        )
        await self._session.flush()


class SqlSafetyEvents:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, event: SafetyEvent) -> SafetyEvent:
        row = SafetyEventRow(
            patient_id=event.patient_id,
            medication_id=event.medication_id,
            kind=event.kind.value,
            detail=event.detail,
            occurred_at=event.occurred_at,
            dose_at=event.dose_at,
        )
        self._session.add(row)
        await self._session.flush()
        return _event(row)

    async def of_patient(self, patient_id: int) -> list[SafetyEvent]:
        rows = await self._session.scalars(
            select(SafetyEventRow)
            .where(col(SafetyEventRow.patient_id) == patient_id)
            .order_by(col(SafetyEventRow.occurred_at), col(SafetyEventRow.id))
        )
        return [_event(row) for row in rows]


def _event(row: SafetyEventRow) -> SafetyEvent:
    return SafetyEvent(
        kind=SafetyEventKind(row.kind),
        patient_id=row.patient_id,
        occurred_at=row.occurred_at,
        medication_id=row.medication_id,
        detail=row.detail,
        id=row.id,
        dose_at=row.dose_at,
    )


class SqlTapers:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put(self, medication_id: int, plan: TaperPlan, *, created_at: datetime) -> None:
        await self.remove(medication_id)
        self._session.add(
            TaperRow(
                medication_id=medication_id,
                start_on=plan.start,
                steps=", ".join(f"{step.dose} x{step.days}d" for step in plan.steps),
                created_at=created_at,
            )
        )
        await self._session.flush()

    async def of_medication(self, medication_id: int) -> TaperPlan | None:
        row = await self._session.scalar(
            select(TaperRow).where(col(TaperRow.medication_id) == medication_id)
        )
        return _plan(row.start_on, row.steps) if row else None

    async def active(self) -> list[tuple[TaperPlan, int, bool, Medication, Patient]]:
        rows = (
            await self._session.execute(
                select(TaperRow, MedicationRow, PatientRow)
                .join(MedicationRow, col(MedicationRow.id) == col(TaperRow.medication_id))
                .join(PatientRow, col(PatientRow.id) == col(MedicationRow.patient_id))
                .where(col(MedicationRow.status) == MedicationStatus.ACTIVE.value)
            )
        ).all()
        medications = await medications_with_times(self._session, [m for _, m, _ in rows])
        return [
            (
                _plan(taper.start_on, taper.steps),
                taper.announced_step,
                taper.end_asked_at is not None,
                medication,
                patient.to_domain(),
            )
            for (taper, _, patient), medication in zip(rows, medications, strict=True)
        ]

    async def announce(self, medication_id: int, step: int) -> bool:
        result = await self._session.execute(
            update(TaperRow)
            .where(
                col(TaperRow.medication_id) == medication_id, col(TaperRow.announced_step) < step
            )
            .values(announced_step=step)
        )
        return bool(getattr(result, "rowcount", 0))

    async def ask_end(self, medication_id: int, at: datetime) -> bool:
        result = await self._session.execute(
            update(TaperRow)
            .where(
                col(TaperRow.medication_id) == medication_id, col(TaperRow.end_asked_at).is_(None)
            )
            .values(end_asked_at=at)
        )
        return bool(getattr(result, "rowcount", 0))

    async def remove(self, medication_id: int) -> None:
        await self._session.execute(
            delete(TaperRow).where(col(TaperRow.medication_id) == medication_id)
        )


def _plan(start: date, steps: str) -> TaperPlan:
    return TaperPlan(start, parse_taper_steps(steps))
