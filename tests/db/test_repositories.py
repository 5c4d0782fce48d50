"""Repositories on a real SQLite file and the local PostgreSQL: what the rows say."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from bot.db.engine import create_engine, session_factory
from bot.db.tables import DoseRow, PatientRow
from bot.db.uow import SqlUnitOfWork
from bot.domain.model import DoseStatus, MedicationStatus
from tests.conftest import TABLES

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def uow_factory(engine):
    sessions = session_factory(engine)
    return lambda: SqlUnitOfWork(sessions)


async def add_doses(factory, count: int, *, chat_id: int = 1, due_at: datetime = NOW):
    async with factory() as uow:
        patient = await uow.patients.add(chat_id=chat_id, language="en", timezone="Europe/Berlin")
        medication = await uow.medications.add(
            patient_id=patient.id, name="Baclofen", dose="5 mg", times=[time(9, 0)]
        )
        instants = [due_at - timedelta(minutes=i) for i in range(count)]
        assert await uow.doses.add_missing(medication, instants) == count
        await uow.commit()
    return patient, medication


async def test_uncommitted_unit_of_work_leaves_nothing(engine):
    factory = uow_factory(engine)
    async with factory() as uow:
        await uow.patients.add(chat_id=5, language="en", timezone=None)
    async with engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(PatientRow)) == 0


async def test_times_round_trip_as_aware_utc(engine):
    factory = uow_factory(engine)
    await add_doses(factory, 1)
    async with factory() as uow:
        (context,) = await uow.doses.claim_due(
            until=NOW, now=NOW, stale_before=NOW, claimer="a", limit=10
        )
    assert context.dose.due_at == NOW
    assert context.dose.due_at.tzinfo is not None
    assert context.medication.times == (time(9, 0),)
    assert context.patient.timezone == "Europe/Berlin"


async def test_add_missing_is_idempotent_per_medication_and_instant(engine):
    factory = uow_factory(engine)
    _, medication = await add_doses(factory, 3)
    async with factory() as uow:
        again = await uow.doses.add_missing(medication, [NOW, NOW + timedelta(hours=1)])
        await uow.commit()
    assert again == 1
    async with engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(DoseRow)) == 4


async def test_claim_takes_due_doses_once_and_leaves_future_ones(engine):
    factory = uow_factory(engine)
    await add_doses(factory, 3)
    await add_doses(factory, 1, chat_id=2, due_at=NOW + timedelta(minutes=5))
    async with factory() as uow:
        first = await uow.doses.claim_due(
            until=NOW, now=NOW, stale_before=NOW - timedelta(minutes=2), claimer="a", limit=10
        )
        await uow.commit()
    async with factory() as uow:
        second = await uow.doses.claim_due(
            until=NOW, now=NOW, stale_before=NOW - timedelta(minutes=2), claimer="b", limit=10
        )
        await uow.commit()
    assert len(first) == 3
    assert {c.dose.status for c in first} == {DoseStatus.SENDING}
    assert second == []


async def test_stale_claim_is_taken_over_by_another_dispatcher(engine):
    factory = uow_factory(engine)
    await add_doses(factory, 1)
    async with factory() as uow:
        await uow.doses.claim_due(until=NOW, now=NOW, stale_before=NOW, claimer="dead", limit=10)
        await uow.commit()
    later = NOW + timedelta(minutes=3)
    async with factory() as uow:
        taken = await uow.doses.claim_due(
            until=later, now=later, stale_before=later - timedelta(minutes=2), claimer="b", limit=9
        )
        await uow.commit()
    assert len(taken) == 1


async def test_two_dispatchers_at_once_never_claim_the_same_dose(database_url):
    """Two engines, as two processes would have, race for 200 due doses."""
    engines = [create_engine(database_url), create_engine(database_url)]
    try:
        factories = [uow_factory(e) for e in engines]
        await add_doses(factories[0], 200)

        async def drain(factory, claimer):
            ids = []
            while True:
                async with factory() as uow:
                    batch = await uow.doses.claim_due(
                        until=NOW,
                        now=NOW,
                        stale_before=NOW - timedelta(minutes=2),
                        claimer=claimer,
                        limit=7,
                    )
                    await uow.commit()
                if not batch:
                    return ids
                ids += [c.dose.id for c in batch]

        a, b = await asyncio.gather(drain(factories[0], "a"), drain(factories[1], "b"))
        assert len(a) + len(b) == 200
        assert not set(a) & set(b)
    finally:
        async with engines[0].begin() as connection:
            for table in TABLES:
                await connection.exec_driver_sql(f"DELETE FROM {table}")  # noqa: S608
        for engine in engines:
            await engine.dispose()


async def test_drop_unsent_keeps_history(engine):
    factory = uow_factory(engine)
    _, medication = await add_doses(factory, 2)
    async with factory() as uow:
        (context,) = await uow.doses.claim_due(
            until=NOW, now=NOW, stale_before=NOW, claimer="a", limit=1
        )
        taken = replace(context.dose, status=DoseStatus.TAKEN, answered_at=NOW)
        assert await uow.doses.save(taken, was=DoseStatus.SENDING)
        await uow.commit()
    async with factory() as uow:
        dropped = await uow.doses.drop_unsent(after=None, medication_id=medication.id)
        await uow.medications.set_status(medication.id, MedicationStatus.PAUSED)
        await uow.commit()
    assert dropped == 1
    async with factory() as uow:
        remaining = await uow.doses.of_patient_between(
            medication.patient_id, NOW - timedelta(days=1), NOW + timedelta(days=1)
        )
        assert [c.dose.status for c in remaining] == [DoseStatus.TAKEN]
        assert (await uow.medications.by_name(medication.patient_id, "  BACLOFEN ")).status is (
            MedicationStatus.PAUSED
        )


async def test_sql_like_text_is_stored_as_plain_data(engine):
    factory = uow_factory(engine)
    name = "Robert'); DROP TABLE patient;--"
    async with factory() as uow:
        patient = await uow.patients.add(chat_id=9, language="en", timezone=None)
        await uow.medications.add(patient_id=patient.id, name=name, dose="1 mg", times=[time(8)])
        await uow.commit()
    async with factory() as uow:
        assert (await uow.medications.by_name(patient.id, name)).name == name


async def test_save_only_applies_to_the_status_it_read(engine):
    """Two presses of one reminder, each in its own transaction: one answer is recorded."""
    factory = uow_factory(engine)
    await add_doses(factory, 1)
    async with factory() as uow:
        (context,) = await uow.doses.claim_due(
            until=NOW, now=NOW, stale_before=NOW, claimer="a", limit=1
        )
        await uow.commit()
    dose = context.dose
    async with factory() as uow:
        assert await uow.doses.save(replace(dose, status=DoseStatus.TAKEN), was=dose.status)
        await uow.commit()
    async with factory() as uow:
        assert not await uow.doses.save(replace(dose, status=DoseStatus.SKIPPED), was=dose.status)
        await uow.commit()
    async with factory() as uow:
        assert (await uow.doses.context(dose.id)).dose.status is DoseStatus.TAKEN
