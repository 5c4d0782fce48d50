"""Patients, medications, schedules and doses written straight into the database in bulk.

The bench (and anyone measuring the bot at scale) needs 100,000 patients in seconds, not the
hours the chat would take: rows go in with SQLAlchemy Core executemany batches, and on
PostgreSQL with asyncpg's COPY (several times faster). Ids are given explicitly, following
the largest already there, so schedules and doses can name their medication without a
round trip; PostgreSQL's id sequences are moved past them afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import time as time_of_day
from itertools import islice
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.db.tables import DoseRow, MedicationRow, PatientRow, ScheduleRow
from bot.domain.model import DoseStatus, MedicationStatus, Schedule
from bot.domain.schedule import occurrences, zone_named

BATCH = 5_000  # rows per executemany: big enough to amortise, small enough for SQLite
# Medications the knowledge base knows, so /log and /ask about them work as for a real patient.
MEDICATIONS = (
    ("Baclofen", "10 mg"),
    ("Sertraline", "50 mg"),
    ("Metoprolol", "25 mg"),
    ("Gabapentin", "300 mg"),
    ("Prednisone", "5 mg"),
    ("Clonidine", "0.1 mg"),
)


@dataclass(frozen=True, slots=True)
class Cohort:
    """`patients` people alike but for their chat, zone, language and name: each takes
    `medications` medications (at most six) daily at `times` (in their own zone)."""

    patients: int
    times: tuple[time_of_day, ...] = (time_of_day(8, 0),)
    medications: int = 1
    zones: tuple[str, ...] = ("UTC",)
    languages: tuple[str, ...] = ("en",)
    first_chat: int = 100_000

    @property
    def chats(self) -> range:
        return range(self.first_chat, self.first_chat + self.patients)


@dataclass(frozen=True, slots=True)
class Seeded:
    """What was written: the chats, each table's row count, and how long it took."""

    chats: range
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    first_dose_id: int = 1  # the doses written have ids first_dose_id .. first_dose_id + n - 1


async def seed(
    engine: AsyncEngine,
    cohort: Cohort,
    *,
    doses_from: datetime | None = None,
    doses_until: datetime | None = None,
) -> Seeded:
    """Write the cohort; with a window, also every dose in [doses_from, doses_until) as
    pending rows, exactly as the materialiser would (without one, it is left to the bot)."""
    if not 1 <= cohort.medications <= len(MEDICATIONS):
        raise ValueError(f"1 to {len(MEDICATIONS)} medications a patient")
    started = time.perf_counter()
    now = datetime.now(UTC)
    async with engine.begin() as connection:
        first = {name: await _next_id(connection, table) for name, table in _TABLES.items()}
        patients = _patients(cohort, first["patient"], now)
        meds = list(_medications(cohort, first["patient"], first["medication"], now))
        rows = {
            "patient": await _write(connection, "patient", patients),
            "medication": await _write(connection, "medication", iter(meds)),
            "schedule": await _write(
                connection, "schedule", _schedules(cohort, meds, first["schedule"])
            ),
        }
        if doses_from is not None and doses_until is not None:
            doses = _doses(cohort, meds, first["dose"], doses_from, doses_until)
            rows["dose"] = await _write(connection, "dose", doses)
        if connection.dialect.name == "postgresql":
            for name in rows:
                # The bot's own inserts (a new patient's /start) must not reuse these ids.
                await connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {name}))"
                    )
                )
    return Seeded(cohort.chats, rows, time.perf_counter() - started, first["dose"])


def dose_instants(cohort: Cohort, start: datetime, end: datetime) -> dict[str, list[datetime]]:
    """Each zone's dose instants in [start, end), as the materialiser computes them."""
    schedule = Schedule(times=cohort.times)
    return {
        zone: [at for at, _ in occurrences(schedule, zone_named(zone), start, end)]
        for zone in cohort.zones
    }


_TABLES: dict[str, Table] = {
    "patient": PatientRow.__table__,  # type: ignore[attr-defined]
    "medication": MedicationRow.__table__,  # type: ignore[attr-defined]
    "schedule": ScheduleRow.__table__,  # type: ignore[attr-defined]
    "dose": DoseRow.__table__,  # type: ignore[attr-defined]
}
_COLUMNS = {
    "patient": (
        "id",
        "chat_id",
        "timezone",
        "language",
        "language_chosen",
        "name",
        "created_at",
        "weekly_summary",
    ),
    "medication": (
        "id",
        "patient_id",
        "name",
        "name_key",
        "dose",
        "status",
        "created_at",
        "every_days",
        "weekdays",
        "as_needed",
        "ran_out_noticed",
    ),
    "schedule": ("id", "medication_id", "time_of_day"),
    "dose": (
        "id",
        "medication_id",
        "patient_id",
        "scheduled_at",
        "due_at",
        "status",
        "repeats",
        "amount",
    ),
}
Row = tuple[Any, ...]


async def _next_id(connection: AsyncConnection, table: Table) -> int:
    largest = await connection.scalar(select(func.max(table.c.id)))
    return int(largest or 0) + 1


def _patients(cohort: Cohort, first_id: int, now: datetime) -> Iterator[Row]:
    zones, languages = cohort.zones, cohort.languages
    for index, chat_id in enumerate(cohort.chats):
        zone, language = zones[index % len(zones)], languages[index % len(languages)]
        yield (first_id + index, chat_id, zone, language, True, f"Patient {chat_id}", now, False)


def _medications(cohort: Cohort, first_patient: int, first_id: int, now: datetime) -> Iterator[Row]:
    active = MedicationStatus.ACTIVE.value
    med_id = first_id
    for index in range(cohort.patients):
        for name, dose in MEDICATIONS[: cohort.medications]:
            yield (
                med_id,
                first_patient + index,
                name,
                name.casefold(),
                dose,
                active,
                now,
                1,
                "",
                False,
                False,
            )
            med_id += 1


def _schedules(cohort: Cohort, meds: Sequence[Row], first_id: int) -> Iterator[Row]:
    schedule_id = first_id
    for med in meds:
        for at in cohort.times:
            yield (schedule_id, med[0], at)
            schedule_id += 1


def _doses(
    cohort: Cohort, meds: Sequence[Row], first_id: int, start: datetime, end: datetime
) -> Iterator[Row]:
    instants = dose_instants(cohort, start, end)
    zones = cohort.zones
    pending = DoseStatus.PENDING.value
    dose_id = first_id
    first_patient = meds[0][1] if meds else 0
    for med in meds:
        patient_index = med[1] - first_patient
        for at in instants[zones[patient_index % len(zones)]]:
            yield (dose_id, med[0], med[1], at, at, pending, 0, med[4])
            dose_id += 1


async def _write(connection: AsyncConnection, name: str, rows: Iterable[Row]) -> int:
    columns = _COLUMNS[name]
    written = 0
    if connection.dialect.name == "postgresql":
        raw = await connection.get_raw_connection()
        copy = raw.driver_connection
        assert copy is not None
        for batch in _batches(rows, BATCH * 10):
            await copy.copy_records_to_table(name, records=batch, columns=columns)
            written += len(batch)
        return written
    statement = insert(_TABLES[name])
    for batch in _batches(rows, BATCH):
        await connection.execute(statement, [dict(zip(columns, row, strict=True)) for row in batch])
        written += len(batch)
    return written


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch
