"""Materialise: the next 48 h of doses exist as rows before anyone is reminded of them."""

from __future__ import annotations

from datetime import time, timedelta

from bot.domain.model import DoseStatus, MedicationStatus
from bot.services import reminders
from bot.services.reminders import materialise_doses
from tests.services.harness import ALICE, BOB, utc


async def test_materialise_writes_48_hours_of_doses_in_the_patients_zone(medbot):
    # 07:59 UTC is 08:59 in Berlin (CET, UTC+1): today's 08:00 has passed, 20:00 has not.
    alice = medbot.patient(timezone="Europe/Berlin")
    baclofen = medbot.medication(alice, time(8, 0), time(20, 0))

    assert await medbot.materialise() == 4

    doses = medbot.store.doses(medication_id=baclofen.id)
    assert [d.scheduled_at for d in doses] == [
        utc(2026, 3, 2, 19, 0),
        utc(2026, 3, 3, 7, 0),
        utc(2026, 3, 3, 19, 0),
        utc(2026, 3, 4, 7, 0),
    ]
    assert all(d.due_at == d.scheduled_at for d in doses)
    assert {d.status for d in doses} == {DoseStatus.PENDING}
    assert {d.patient_id for d in doses} == {alice.id}


async def test_materialise_is_idempotent_on_a_second_run(medbot):
    baclofen = medbot.medication(medbot.patient(), time(8, 0), time(20, 0))
    assert await medbot.materialise() == 4
    first = medbot.store.doses()

    assert await medbot.materialise() == 0

    assert medbot.store.doses() == first
    assert len(medbot.store.doses(medication_id=baclofen.id)) == 4


async def test_materialise_later_adds_only_the_doses_that_entered_the_horizon(medbot):
    medbot.medication(medbot.patient(), time(8, 0), time(20, 0))
    await medbot.materialise()

    medbot.clock.advance(timedelta(hours=12))  # 19:59: the horizon now reaches 03-04 19:59
    assert await medbot.materialise() == 1

    assert medbot.store.due_times()[-2:] == [utc(2026, 3, 3, 20, 0), utc(2026, 3, 4, 8, 0)]
    assert len(medbot.store.doses()) == 5


async def test_materialise_skips_paused_and_stopped_medications(medbot):
    alice = medbot.patient()
    active = medbot.medication(alice, time(8, 0), name="Baclofen")
    medbot.medication(alice, time(9, 0), name="Tizanidine", status=MedicationStatus.PAUSED)
    medbot.medication(alice, time(10, 0), name="Ibuprofen", status=MedicationStatus.STOPPED)

    assert await medbot.materialise() == 2

    assert {d.medication_id for d in medbot.store.doses()} == {active.id}


async def test_materialise_arms_the_alarm_with_the_next_due_instant(medbot):
    medbot.medication(medbot.patient(timezone="Asia/Kolkata"), time(8, 0), time(20, 0))
    # 07:59 UTC is 13:29 in Kolkata: the next dose is 20:00 IST = 14:30 UTC.
    await medbot.materialise()

    assert medbot.alarm.armed == [utc(2026, 3, 2, 14, 30)]


async def test_materialise_with_nothing_active_arms_no_alarm(medbot):
    medbot.medication(medbot.patient(), status=MedicationStatus.PAUSED)

    assert await medbot.materialise() == 0

    assert medbot.alarm.armed == []
    assert medbot.store.doses() == []


async def test_materialise_uses_the_default_zone_for_a_patient_without_one(medbot):
    medbot.medication(medbot.patient(timezone=None), time(8, 0))

    created = await materialise_doses(
        medbot.store.uow_factory,
        clock=medbot.clock,
        alarm=medbot.alarm,
        default_zone="America/New_York",
        patient_id=None,
    )

    # 08:00 in New York (EST, UTC-5) is 13:00 UTC.
    assert created == 2
    assert medbot.store.due_times() == [utc(2026, 3, 2, 13, 0), utc(2026, 3, 3, 13, 0)]


async def test_materialise_for_one_patient_leaves_the_others_alone(medbot):
    alice, bob = medbot.patient(ALICE), medbot.patient(BOB)
    medbot.medication(alice, time(8, 0))
    bobs = medbot.medication(bob, time(9, 0))

    assert await medbot.materialise(patient_id=bob.id) == 2

    assert {d.medication_id for d in medbot.store.doses()} == {bobs.id}


async def test_materialise_pages_through_every_patient_a_batch_at_a_time(medbot, monkeypatch):
    monkeypatch.setattr(reminders, "MATERIALISE_BATCH", 2)
    medications = [
        medbot.medication(medbot.patient(chat_id=7000 + i), time(8, 0), time(20, 0))
        for i in range(5)
    ]
    paused = medbot.medication(
        medbot.patient(chat_id=7100), time(9, 0), status=MedicationStatus.PAUSED
    )

    assert await medbot.materialise() == 5 * 4

    for medication in medications:
        assert len(medbot.store.doses(medication_id=medication.id)) == 4
    assert medbot.store.doses(medication_id=paused.id) == []
    assert await medbot.materialise() == 0
