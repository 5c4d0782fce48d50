"""Queries for patients, medications and doses; they flush, the unit of work commits."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.db import claims
from bot.db.tables import (
    DoseRow,
    MedicationRow,
    PatientRow,
    ScheduleRow,
)
from bot.domain.model import (
    Dose,
    DoseContext,
    DoseStatus,
    Medication,
    MedicationStatus,
    Patient,
    ReminderPrefs,
    Schedule,
)
from bot.services.ports import FinishedSend, UpcomingDoses

_WAITING = (DoseStatus.PENDING.value, DoseStatus.SNOOZED.value)
_UNANSWERED = (
    DoseStatus.PENDING.value,
    DoseStatus.SENDING.value,
    DoseStatus.SENT.value,
    DoseStatus.SNOOZED.value,
    DoseStatus.MISSED.value,
)


def _now() -> datetime:
    return datetime.now(UTC)


# The statements every /log and /ask runs, built once with their parameters left open:
# building a statement anew each time cost about as much CPU as running it.
_PATIENT_BY_CHAT = select(PatientRow).where(col(PatientRow.chat_id) == bindparam("chat_id"))
_NOT_DELETED = col(MedicationRow.status) != MedicationStatus.DELETED.value
_MEDICATIONS_OF_PATIENT = (
    select(MedicationRow)
    .where(col(MedicationRow.patient_id) == bindparam("patient_id"), _NOT_DELETED)
    .order_by(col(MedicationRow.name_key))
)
# The patient of an update's chat with their medications' names: one read an update (the
# language of every reply, the names /log, /ask and plain words are read against).
_PATIENT_AND_NAMES_BY_CHAT = (
    select(PatientRow, col(MedicationRow.name))
    .outerjoin(
        MedicationRow, and_(col(MedicationRow.patient_id) == col(PatientRow.id), _NOT_DELETED)
    )
    .where(col(PatientRow.chat_id) == bindparam("chat_id"))
    .order_by(col(MedicationRow.name_key))
)
_TIMES_OF_MEDICATIONS = select(ScheduleRow).where(
    col(ScheduleRow.medication_id).in_(bindparam("ids", expanding=True))
)
_DOSE_CONTEXTS = (
    select(DoseRow, MedicationRow, PatientRow)
    .join(MedicationRow, col(MedicationRow.id) == col(DoseRow.medication_id))
    .join(PatientRow, col(PatientRow.id) == col(DoseRow.patient_id))
    .order_by(col(DoseRow.due_at), col(DoseRow.id))
    .execution_options(populate_existing=True)
)
_DOSE_CONTEXT = _DOSE_CONTEXTS.where(col(DoseRow.id) == bindparam("dose_id"))
# The reminders an intake may answer: the medication's, not yet answered, in a span.
# The doses only: whoever asks holds the medication and the patient already.
_OPEN_BETWEEN = (
    select(DoseRow)
    .where(
        col(DoseRow.medication_id) == bindparam("medication_id"),
        col(DoseRow.status).in_(_UNANSWERED),
        col(DoseRow.scheduled_at) >= bindparam("start"),
        col(DoseRow.scheduled_at) <= bindparam("end"),
    )
    .order_by(col(DoseRow.due_at), col(DoseRow.id))
    .execution_options(populate_existing=True)
)


class SqlPatients:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_chat(self, chat_id: int) -> Patient | None:
        row = await self._session.scalar(_PATIENT_BY_CHAT, {"chat_id": chat_id})
        return row.to_domain() if row else None

    async def with_medication_names(self, chat_id: int) -> tuple[Patient, list[str]] | None:
        rows = (await self._session.execute(_PATIENT_AND_NAMES_BY_CHAT, {"chat_id": chat_id})).all()
        if not rows:
            return None
        return rows[0][0].to_domain(), [name for _, name in rows if name is not None]

    async def add(
        self, *, chat_id: int, language: str, timezone: str | None, name: str = ""
    ) -> Patient:
        row = PatientRow(
            chat_id=chat_id, language=language, timezone=timezone, name=name, created_at=_now()
        )
        self._session.add(row)
        await self._session.flush()
        return row.to_domain()

    async def set_name(self, patient_id: int, name: str) -> None:
        await self._session.execute(
            update(PatientRow).where(col(PatientRow.id) == patient_id).values(name=name)
        )

    async def set_language(self, patient_id: int, language: str, *, chosen: bool) -> None:
        # The client's language (chosen=False) never overwrites a choice made meanwhile.
        kept = col(PatientRow.id) == patient_id
        if not chosen:
            kept = kept & col(PatientRow.language_chosen).is_(False)
        await self._session.execute(
            update(PatientRow).where(kept).values(language=language, language_chosen=chosen)
        )

    async def set_timezone(
        self, patient_id: int, timezone: str, *, schedule_zone: str | None = None
    ) -> None:
        await self._session.execute(
            update(PatientRow)
            .where(col(PatientRow.id) == patient_id)
            .values(timezone=timezone, schedule_zone=schedule_zone)
        )

    async def set_schedule_zone(self, patient_id: int, schedule_zone: str | None) -> None:
        await self._session.execute(
            update(PatientRow)
            .where(col(PatientRow.id) == patient_id)
            .values(schedule_zone=schedule_zone)
        )

    async def set_prefs(self, patient_id: int, prefs: ReminderPrefs) -> None:
        await self._session.execute(
            update(PatientRow)
            .where(col(PatientRow.id) == patient_id)
            .values(
                repeat_count=prefs.repeats,
                repeat_every_minutes=_whole_minutes(prefs.repeat_every),
                heads_up_minutes=_whole_minutes(prefs.heads_up),
            )
        )


# The guards of finish_send, for many doses: only the claimer records its claim (a stale
# claim taken over is the other dispatcher's now), and only while the dose is still
# `sending` (a Taken pressed while the send was in flight must survive). A first reminder
# starts the repeat and miss clocks; a resend after a lost reply (reminded_at already set)
# keeps them. SET reads the row as it was, so `reminded_at IS NULL` means "first".
_FINISH_SETS = """
    status = v.status,
    message_id = coalesce(v.message_id, dose.message_id),
    reminded_at = coalesce(dose.reminded_at, v.at),
    next_repeat_at = CASE WHEN dose.reminded_at IS NULL THEN v.next_repeat_at
                          ELSE dose.next_repeat_at END,
    miss_at = CASE WHEN dose.reminded_at IS NULL THEN v.miss_at ELSE dose.miss_at END
"""
_FINISH_GUARD = """
WHERE dose.id = v.id AND dose.status = :sending AND dose.claimed_by = :claimer
RETURNING dose.id
"""
_FINISH_SENDS_SQLITE = text(
    f"UPDATE dose SET {_FINISH_SETS} FROM ("  # noqa: S608 - fixed text, values are bound
    "SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS status,"
    " json_extract(value, '$[2]') AS message_id, json_extract(value, '$[3]') AS at,"
    " json_extract(value, '$[4]') AS next_repeat_at, json_extract(value, '$[5]') AS miss_at"
    f" FROM json_each(:sends)) AS v {_FINISH_GUARD}"
)
_FINISH_SENDS_POSTGRES = text(
    f"UPDATE dose SET {_FINISH_SETS} FROM unnest("  # noqa: S608 - fixed text, values are bound
    "CAST(:ids AS bigint[]), CAST(:statuses AS varchar[]), CAST(:message_ids AS bigint[]),"
    " CAST(:ats AS timestamptz[]), CAST(:repeats AS timestamptz[]),"
    " CAST(:misses AS timestamptz[]))"
    f" AS v(id, status, message_id, at, next_repeat_at, miss_at) {_FINISH_GUARD}"
)


def _bind_processor(session: AsyncSession, postgres: bool) -> Callable[[datetime | None], object]:
    """A UTC instant as the dose columns store it (SQLite: SQLAlchemy's text form)."""
    if postgres:
        return lambda value: value
    dialect = session.get_bind().dialect
    column_type = DoseRow.__table__.c.due_at.type  # type: ignore[attr-defined]
    process = column_type.dialect_impl(dialect).bind_processor(dialect)
    return lambda value: None if value is None else process(value) if process else value


def _whole_minutes(span: timedelta | None) -> int | None:
    return int(span.total_seconds() // 60) if span is not None else None


class SqlMedications:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, *, patient_id: int, name: str, dose: str, schedule: Schedule) -> Medication:
        row = MedicationRow(
            patient_id=patient_id,
            name=name,
            name_key=name.casefold(),
            dose=dose,
            created_at=_now(),
        )
        for column, value in MedicationRow.schedule_values(schedule).items():
            setattr(row, column, value)
        self._session.add(row)
        await self._session.flush()
        assert row.id is not None
        self._session.add_all(_schedule_rows(row.id, schedule))
        await self._session.flush()
        return row.to_domain(schedule.times, schedule.amounts)

    async def replace_schedule(self, medication_id: int, *, dose: str, schedule: Schedule) -> None:
        await self._session.execute(
            update(MedicationRow)
            .where(col(MedicationRow.id) == medication_id)
            .values(dose=dose, **MedicationRow.schedule_values(schedule))
        )
        await self._session.execute(
            delete(ScheduleRow).where(col(ScheduleRow.medication_id) == medication_id)
        )
        self._session.add_all(_schedule_rows(medication_id, schedule))
        await self._session.flush()

    async def set_stock(self, medication_id: int, stock: float | None) -> None:
        """A new count (/stock, /refill): the refill and run-out notices may come again."""
        await self._session.execute(
            update(MedicationRow)
            .where(col(MedicationRow.id) == medication_id)
            .values(stock=stock, refill_noticed_for=None, ran_out_noticed=False)
        )

    async def take_from_stock(self, medication_id: int, units: float) -> float | None:
        """Lower a counted stock (never below zero); the new count, None when not counted."""
        remaining = await self._session.scalar(
            update(MedicationRow)
            .where(col(MedicationRow.id) == medication_id, col(MedicationRow.stock).is_not(None))
            .values(
                stock=case(
                    (col(MedicationRow.stock) > units, col(MedicationRow.stock) - units), else_=0.0
                )
            )
            .returning(col(MedicationRow.stock))
            .execution_options(synchronize_session=False)
        )
        return None if remaining is None else float(remaining)

    async def note_refill_owed(self, medication_id: int, run_out: date) -> bool:
        """Claim the refill reminder for this run-out day: once, whoever asks first."""
        result = await self._session.execute(
            update(MedicationRow)
            .where(
                col(MedicationRow.id) == medication_id,
                or_(
                    col(MedicationRow.refill_noticed_for).is_(None),
                    col(MedicationRow.refill_noticed_for) != run_out,
                ),
            )
            .values(refill_noticed_for=run_out)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def note_ran_out(self, medication_id: int) -> bool:
        """Claim the one "you have run out" notice of this count."""
        result = await self._session.execute(
            update(MedicationRow)
            .where(
                col(MedicationRow.id) == medication_id,
                col(MedicationRow.ran_out_noticed).is_(False),
            )
            .values(ran_out_noticed=True)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def counted(self) -> list[tuple[Medication, Patient]]:
        """Active medications whose stock the patient counts: the refill check reads these."""
        return await self._with_patients(
            and_(
                col(MedicationRow.status) == MedicationStatus.ACTIVE.value,
                col(MedicationRow.stock).is_not(None),
            )
        )

    async def of_patient(self, patient_id: int) -> list[Medication]:
        """The patient's medications, except the ones they deleted."""
        rows = await self._session.scalars(_MEDICATIONS_OF_PATIENT, {"patient_id": patient_id})
        return await self._with_times(list(rows))

    async def by_name(self, patient_id: int, name: str) -> Medication | None:
        row = await self._session.scalar(
            select(MedicationRow).where(
                col(MedicationRow.patient_id) == patient_id,
                col(MedicationRow.name_key) == " ".join(name.split()).casefold(),
            )
        )
        return (await self._with_times([row]))[0] if row else None

    async def by_id(self, patient_id: int, medication_id: int) -> Medication | None:
        row = await self._session.scalar(
            select(MedicationRow).where(
                col(MedicationRow.patient_id) == patient_id, col(MedicationRow.id) == medication_id
            )
        )
        return (await self._with_times([row]))[0] if row else None

    async def set_dose(self, medication_id: int, dose: str) -> None:
        await self._session.execute(
            update(MedicationRow).where(col(MedicationRow.id) == medication_id).values(dose=dose)
        )

    async def set_status(self, medication_id: int, status: MedicationStatus) -> None:
        await self._session.execute(
            update(MedicationRow)
            .where(col(MedicationRow.id) == medication_id)
            .values(status=status)
        )

    async def active(
        self, patient_id: int | None = None, *, after_id: int = 0, limit: int | None = None
    ) -> list[tuple[Medication, Patient]]:
        condition = col(MedicationRow.status) == MedicationStatus.ACTIVE.value
        if patient_id is not None:
            condition = and_(condition, col(MedicationRow.patient_id) == patient_id)
        if limit is not None:
            condition = and_(condition, col(MedicationRow.id) > after_id)
        return await self._with_patients(condition, limit=limit)

    async def _with_patients(
        self, condition: ColumnElement[bool], *, limit: int | None = None
    ) -> list[tuple[Medication, Patient]]:
        query = (
            select(MedicationRow, PatientRow)
            .join(PatientRow, col(PatientRow.id) == col(MedicationRow.patient_id))
            .where(condition)
        )
        if limit is not None:
            query = query.order_by(col(MedicationRow.id)).limit(limit)
        pairs = (await self._session.execute(query)).all()
        medications = await self._with_times([medication for medication, _ in pairs])
        return [
            (medication, patient.to_domain())
            for medication, (_, patient) in zip(medications, pairs, strict=True)
        ]

    async def _with_times(self, rows: list[MedicationRow]) -> list[Medication]:
        return await medications_with_times(self._session, rows)


def _schedule_rows(medication_id: int, schedule: Schedule) -> list[ScheduleRow]:
    return [
        ScheduleRow(medication_id=medication_id, time_of_day=at, amount=schedule.amount_at(at))
        for at in schedule.times
    ]


async def medications_with_times(
    session: AsyncSession, rows: list[MedicationRow]
) -> list[Medication]:
    """Medication rows as domain values, with their times of day (one query for all)."""
    ids = [row.id for row in rows]
    entries: dict[int, list[ScheduleRow]] = {
        medication_id: [] for medication_id in ids if medication_id
    }
    if ids:
        schedule = await session.scalars(_TIMES_OF_MEDICATIONS, {"ids": ids})
        for entry in schedule:
            entries[entry.medication_id].append(entry)
    medications = []
    for row in rows:
        times = sorted(entries[row.id or 0], key=lambda entry: entry.time_of_day)
        amounts = tuple(entry.amount or row.dose for entry in times)
        some_set = any(entry.amount for entry in times)
        medications.append(
            row.to_domain(tuple(entry.time_of_day for entry in times), amounts if some_set else ())
        )
    return medications


class SqlDoses:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    async def add_missing(
        self,
        medication: Medication,
        instants: Sequence[datetime],
        amounts: Sequence[str | None] | None = None,
        heads_up: timedelta | None = None,
    ) -> int:
        amounts = amounts or [None] * len(instants)
        return await self.add_missing_many([UpcomingDoses(medication, instants, amounts, heads_up)])

    async def add_missing_many(self, upcoming: Sequence[UpcomingDoses]) -> int:
        upcoming = [doses for doses in upcoming if doses.instants]
        if not upcoming:
            return 0
        ids = [doses.medication.id for doses in upcoming]
        found = await self._session.execute(
            select(col(DoseRow.medication_id), col(DoseRow.scheduled_at)).where(
                col(DoseRow.medication_id).in_(ids),
                col(DoseRow.scheduled_at) >= min(min(d.instants) for d in upcoming),
                col(DoseRow.scheduled_at) <= max(max(d.instants) for d in upcoming),
            )
        )
        existing = {(medication_id, at) for medication_id, at in found}
        rows = [
            {
                "medication_id": doses.medication.id,
                "patient_id": doses.medication.patient_id,
                "scheduled_at": at,
                "due_at": at,
                "status": DoseStatus.PENDING.value,
                "amount": amount,
                "heads_up_at": at - doses.heads_up if doses.heads_up else None,
            }
            for doses in upcoming
            for at, amount in zip(doses.instants, doses.amounts, strict=True)
            if (doses.medication.id, at) not in existing
        ]
        if not rows:
            return 0
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        # Another process may materialise the same doses at the same moment: the unique
        # key (medication, scheduled_at) keeps one row, the other insert does nothing.
        await self._session.execute(
            insert(DoseRow.__table__).on_conflict_do_nothing(  # type: ignore[attr-defined]
                index_elements=["medication_id", "scheduled_at"]
            ),
            rows,
        )
        return len(rows)

    async def drop_unsent(
        self,
        *,
        after: datetime | None,
        medication_id: int | None = None,
        patient_id: int | None = None,
        include_snoozed: bool = False,
    ) -> int:
        statuses = _WAITING if include_snoozed else (DoseStatus.PENDING.value,)
        conditions: list[ColumnElement[bool]] = [col(DoseRow.status).in_(statuses)]
        if after is not None:
            conditions.append(col(DoseRow.due_at) > after)
        if medication_id is not None:
            conditions.append(col(DoseRow.medication_id) == medication_id)
        if patient_id is not None:
            conditions.append(col(DoseRow.patient_id) == patient_id)
        result = await self._session.execute(delete(DoseRow).where(*conditions))
        return int(getattr(result, "rowcount", 0) or 0)

    async def claim_due(
        self, *, until: datetime, now: datetime, stale_before: datetime, claimer: str, limit: int
    ) -> list[DoseContext]:
        waiting = and_(col(DoseRow.status).in_(_WAITING), col(DoseRow.due_at) <= until)
        stale = and_(
            col(DoseRow.status) == DoseStatus.SENDING.value,
            col(DoseRow.claimed_at) < stale_before,
        )
        candidates = (
            select(col(DoseRow.id))
            .where(or_(waiting, stale))
            .order_by(col(DoseRow.due_at))
            .limit(limit)
        )
        if self._dialect == "postgresql":
            # Two dispatchers never wait on each other nor take the same row.
            candidates = candidates.with_for_update(skip_locked=True)
        claimed = await self._session.scalars(
            update(DoseRow)
            .where(col(DoseRow.id).in_(candidates.scalar_subquery()))
            .values(status=DoseStatus.SENDING.value, claimed_by=claimer, claimed_at=now)
            .returning(col(DoseRow.id))
            .execution_options(synchronize_session=False)
        )
        return await self._contexts(col(DoseRow.id).in_(list(claimed)))

    async def finish_send(
        self,
        dose_id: int,
        *,
        claimer: str,
        status: DoseStatus,
        message_id: int | None,
        at: datetime,
        next_repeat_at: datetime | None = None,
        miss_at: datetime | None = None,
    ) -> bool:
        send = FinishedSend(dose_id, status, message_id, at, next_repeat_at, miss_at)
        return dose_id in await self.finish_sends([send], claimer=claimer)

    async def finish_sends(self, sends: Sequence[FinishedSend], *, claimer: str) -> set[int]:
        if not sends:
            return set()
        # One fixed statement whatever the number of doses (the sends travel as one JSON
        # text on SQLite, as arrays on PostgreSQL): nothing to compile per batch.
        postgres = self._dialect == "postgresql"
        at = _bind_processor(self._session, postgres)
        params: dict[str, object]
        if postgres:
            params = {
                "ids": [s.dose_id for s in sends],
                "statuses": [s.status.value for s in sends],
                "message_ids": [s.message_id for s in sends],
                "ats": [s.at for s in sends],
                "repeats": [s.next_repeat_at for s in sends],
                "misses": [s.miss_at for s in sends],
            }
        else:
            rows = [
                [
                    s.dose_id,
                    s.status.value,
                    s.message_id,
                    *map(at, (s.at, s.next_repeat_at, s.miss_at)),
                ]
                for s in sends
            ]
            params = {"sends": json.dumps(rows)}
        statement = _FINISH_SENDS_POSTGRES if postgres else _FINISH_SENDS_SQLITE
        recorded = await self._session.execute(
            statement, {**params, "sending": DoseStatus.SENDING.value, "claimer": claimer}
        )
        return set(recorded.scalars())

    async def waiting_per_minute(self, *, until: datetime) -> list[tuple[datetime, int]]:
        if self._dialect == "postgresql":
            utc = func.timezone("UTC", col(DoseRow.due_at))
            minute = func.to_char(utc, "YYYY-MM-DD HH24:MI")
        else:  # stored as "YYYY-MM-DD HH:MM:SS.ffffff", UTC
            minute = func.substr(col(DoseRow.due_at), 1, 16)
        counted = await self._session.execute(
            select(minute, func.count(col(DoseRow.id)))
            .where(col(DoseRow.status).in_(_WAITING), col(DoseRow.due_at) <= until)
            .group_by(minute)
            .order_by(minute)
        )
        return [
            (datetime.fromisoformat(str(at)).replace(tzinfo=UTC), int(str(count)))
            for at, count in counted
        ]

    async def release(self, claimer: str) -> int:
        result = await self._session.execute(
            update(DoseRow)
            .where(
                col(DoseRow.status) == DoseStatus.SENDING.value,
                col(DoseRow.claimed_by) == claimer,
            )
            .values(status=DoseStatus.PENDING.value, claimed_by=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def refresh_claims(self, claimer: str, at: datetime) -> int:
        return await claims.refresh_claims(self._session, DoseRow, claimer=claimer, at=at)

    async def oldest_claim_at(self) -> datetime | None:
        return await claims.oldest_claim_at(self._session, DoseRow)

    async def settled_statuses(self, medication_id: int, *, limit: int) -> list[DoseStatus]:
        settled = (DoseStatus.TAKEN.value, DoseStatus.SKIPPED.value, DoseStatus.MISSED.value)
        rows = await self._session.scalars(
            select(col(DoseRow.status))
            .where(col(DoseRow.medication_id) == medication_id, col(DoseRow.status).in_(settled))
            .order_by(col(DoseRow.scheduled_at).desc())
            .limit(limit)
        )
        return [DoseStatus(status) for status in reversed(list(rows))]

    async def open_between(self, medication_id: int, start: datetime, end: datetime) -> list[Dose]:
        params = {"medication_id": medication_id, "start": start, "end": end}
        return [row.to_domain() for row in await self._session.scalars(_OPEN_BETWEEN, params)]

    async def next_due_at(self) -> datetime | None:
        return await self._session.scalar(
            select(col(DoseRow.due_at))
            .where(col(DoseRow.status).in_(_WAITING))
            .order_by(col(DoseRow.due_at))
            .limit(1)
        )

    async def context(self, dose_id: int) -> DoseContext | None:
        found = await self._contexts_of(_DOSE_CONTEXT, {"dose_id": dose_id})
        return found[0] if found else None

    async def save(self, dose: Dose, *, was: DoseStatus) -> bool:
        result = await self._session.execute(
            update(DoseRow)
            .where(col(DoseRow.id) == dose.id, col(DoseRow.status) == was.value)
            .values(
                status=dose.status.value,
                due_at=dose.due_at,
                reminded_at=dose.reminded_at,
                repeats=dose.repeats,
                next_repeat_at=dose.next_repeat_at,
                miss_at=dose.miss_at,
                heads_up_at=dose.heads_up_at,
                message_id=dose.message_id,
                answered_at=dose.answered_at,
            )
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def claim_repeats(self, *, now: datetime, limit: int) -> list[DoseContext]:
        return await self._claim_due_at(
            DoseStatus.SENT,
            col(DoseRow.next_repeat_at),
            now=now,
            limit=limit,
            values={"repeats": col(DoseRow.repeats) + 1, "next_repeat_at": None},
        )

    async def set_next_repeat(self, dose_id: int, at: datetime) -> None:
        await self._session.execute(
            update(DoseRow)
            .where(col(DoseRow.id) == dose_id, col(DoseRow.status) == DoseStatus.SENT.value)
            .values(next_repeat_at=at)
            .execution_options(synchronize_session=False)
        )

    async def due_to_miss(self, *, now: datetime) -> list[DoseContext]:
        # An undeliverable reminder (the patient blocked the bot) is missed all the same:
        # the dose was not confirmed, and caregivers should hear of it.
        waiting = col(DoseRow.status).in_((DoseStatus.SENT.value, DoseStatus.UNDELIVERABLE.value))
        return await self._contexts(and_(waiting, col(DoseRow.miss_at) <= now))

    async def claim_heads_ups(self, *, now: datetime, limit: int) -> list[DoseContext]:
        return await self._claim_due_at(
            DoseStatus.PENDING,
            col(DoseRow.heads_up_at),
            now=now,
            limit=limit,
            values={"heads_up_at": None},
        )

    async def _claim_due_at(
        self,
        status: DoseStatus,
        due_at: Any,
        *,
        now: datetime,
        limit: int,
        values: dict[str, Any],
    ) -> list[DoseContext]:
        """Doses in `status` whose `due_at` column has come, oldest first, claimed in one
        statement by writing `values` (which clear `due_at`, so none is claimed twice)."""
        candidates = (
            select(col(DoseRow.id))
            .where(col(DoseRow.status) == status.value, due_at <= now)
            .order_by(due_at)
            .limit(limit)
        )
        if self._dialect == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        claimed = await self._session.scalars(
            update(DoseRow)
            .where(col(DoseRow.id).in_(candidates.scalar_subquery()))
            .values(**values)
            .returning(col(DoseRow.id))
            .execution_options(synchronize_session=False)
        )
        return await self._contexts(col(DoseRow.id).in_(list(claimed)))

    async def of_patient_between(
        self, patient_id: int, start: datetime, end: datetime
    ) -> list[DoseContext]:
        return await self._contexts(
            and_(
                col(DoseRow.patient_id) == patient_id,
                col(DoseRow.scheduled_at) >= start,
                col(DoseRow.scheduled_at) < end,
            )
        )

    async def _contexts(self, condition: ColumnElement[bool]) -> list[DoseContext]:
        """The doses a condition picks, each with its medication and patient."""
        return await self._contexts_of(_DOSE_CONTEXTS.where(condition))

    async def _contexts_of(
        self,
        query: Select[DoseRow, MedicationRow, PatientRow],
        params: dict[str, Any] | None = None,
    ) -> list[DoseContext]:
        """The doses a statement built from _DOSE_CONTEXTS picks, with its parameters."""
        rows = (await self._session.execute(query, params)).all()
        medications = await medications_with_times(self._session, [m for _, m, _ in rows])
        return [
            DoseContext(dose.to_domain(), medication, patient.to_domain())
            for (dose, _, patient), medication in zip(rows, medications, strict=True)
        ]
