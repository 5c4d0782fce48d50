"""The fakes keep the promises the use-case tests rely on: real rollback, SQL's claim rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest

from bot.domain.model import DoseStatus
from tests.fakes import FakeStore, IntegrityError, ManualClock
from tests.services.harness import START, utc


async def test_unit_of_work_without_commit_leaves_no_trace():
    store = FakeStore()
    async with store.uow_factory() as uow:
        patient = await uow.patients.add(chat_id=1, language="en", timezone=None)
        await uow.medications.add(patient_id=patient.id, name="Baclofen", dose="5 mg", times=[])
    assert store.patient(1) is None
    assert store.medications() == []
    assert store.commits == 0
    assert store.rollbacks == 1


async def test_committed_writes_are_seen_by_the_next_unit_of_work():
    store = FakeStore()
    async with store.uow_factory() as uow:
        await uow.patients.add(chat_id=1, language="en", timezone=None)
        await uow.commit()
    async with store.uow_factory() as uow:
        patient = await uow.patients.by_chat(1)
    assert patient is not None
    assert patient.timezone is None
    assert store.commits == 1


async def test_writes_after_commit_are_rolled_back_on_exit():
    store = FakeStore()
    patient = store.add_patient(chat_id=1)
    async with store.uow_factory() as uow:
        await uow.patients.set_timezone(patient.id, "Europe/Berlin")
        await uow.commit()
        await uow.patients.set_timezone(patient.id, "Asia/Kolkata")
    assert store.patient(1).timezone == "Europe/Berlin"


async def test_units_of_work_touching_different_rows_do_not_overwrite_each_other():
    store = FakeStore()
    medication = store.add_medication(store.add_patient(chat_id=1))
    first = store.add_dose(medication, utc(2026, 3, 2, 8, 0))
    second = store.add_dose(medication, utc(2026, 3, 2, 20, 0))
    one, two = store.uow_factory(), store.uow_factory()
    async with one, two:
        await one.doses.save(replace(first, status=DoseStatus.TAKEN), was=first.status)
        await two.doses.save(replace(second, status=DoseStatus.SKIPPED), was=second.status)
        await one.commit()
        await two.commit()
    assert [d.status for d in store.doses()] == [DoseStatus.TAKEN, DoseStatus.SKIPPED]


async def test_repository_outside_its_unit_of_work_refuses():
    uow = FakeStore().uow_factory()
    with pytest.raises(RuntimeError, match="outside"):
        await uow.patients.by_chat(1)


async def test_medication_names_are_unique_per_patient_case_insensitively():
    store = FakeStore()
    patient = store.add_patient(chat_id=1)
    async with store.uow_factory() as uow:
        await uow.medications.add(patient_id=patient.id, name="Baclofen", dose="5 mg", times=[])
        with pytest.raises(IntegrityError):
            await uow.medications.add(patient_id=patient.id, name="BACLOFEN", dose="5 mg", times=[])
        assert await uow.medications.by_name(patient.id, "  bAcLoFeN ") is not None


async def test_claim_due_takes_waiting_doses_and_stale_claims_in_due_order_up_to_limit():
    store = FakeStore()
    medication = store.add_medication(store.add_patient(chat_id=1), times=(time(8, 0),))
    late = store.add_dose(medication, utc(2026, 3, 2, 7, 0))
    snoozed = store.add_dose(
        medication, utc(2026, 3, 1, 8, 0), status=DoseStatus.SNOOZED, due_at=utc(2026, 3, 2, 7, 30)
    )
    store.add_dose(medication, utc(2026, 3, 2, 9, 0))  # not due yet
    store.add_dose(medication, utc(2026, 2, 28, 8, 0), status=DoseStatus.SENT)
    async with store.uow_factory() as uow:
        claimed = await uow.doses.claim_due(
            until=START, now=START, stale_before=START, claimer="a", limit=10
        )
        await uow.commit()
    assert [c.dose.id for c in claimed] == [late.id, snoozed.id]
    assert all(c.dose.status is DoseStatus.SENDING for c in claimed)
    assert store.claim(late.id) == ("a", START)

    clock = ManualClock(START)
    async with store.uow_factory() as uow:
        fresh = await uow.doses.claim_due(
            until=START, now=START, stale_before=START - timedelta(minutes=2), claimer="b", limit=10
        )
        stale = await uow.doses.claim_due(
            until=START,
            now=clock.advance(timedelta(minutes=3)),
            stale_before=START + timedelta(seconds=1),
            claimer="b",
            limit=1,
        )
    assert fresh == []
    assert [c.dose.id for c in stale] == [late.id]
