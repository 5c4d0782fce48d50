"""Time zone: a new zone moves every upcoming reminder to the new local clock."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.domain.model import DoseAnswer, DoseStatus
from bot.domain.schedule import UnknownZone
from tests.services.harness import ALICE, BOB, SNOOZE, utc


async def test_an_unknown_zone_raises_and_changes_nothing(medbot):
    alice = medbot.patient(ALICE, timezone="Europe/Berlin")
    medbot.medication(alice, time(8, 0))
    await medbot.materialise()
    doses, commits, armed = medbot.store.doses(), medbot.store.commits, list(medbot.alarm.armed)

    with pytest.raises(UnknownZone):
        await medbot.set_zone("Mars/Olympus_Mons")

    assert medbot.store.patient(ALICE).timezone == "Europe/Berlin"
    assert medbot.store.doses() == doses
    assert medbot.store.commits == commits
    assert medbot.alarm.armed == armed


async def test_an_unknown_zone_does_not_register_a_new_chat(medbot):
    with pytest.raises(UnknownZone):
        await medbot.set_zone("Nowhere/Atlantis", chat_id=BOB)

    assert medbot.store.patient(BOB) is None


async def test_a_new_zone_moves_pending_doses_to_the_new_local_times(medbot):
    alice = medbot.patient(ALICE)  # no zone yet: the default, UTC
    medbot.medication(alice, time(8, 0))
    await medbot.materialise()
    assert medbot.store.due_times() == [utc(2026, 3, 2, 8, 0), utc(2026, 3, 3, 8, 0)]

    zone = await medbot.set_zone("asia/kolkata")

    assert zone == "Asia/Kolkata"
    assert medbot.store.patient(ALICE).timezone == "Asia/Kolkata"
    # 08:00 in Kolkata is 02:30 UTC; today's has passed (it is 13:29 there).
    assert medbot.store.due_times(status=DoseStatus.PENDING) == [
        utc(2026, 3, 3, 2, 30),
        utc(2026, 3, 4, 2, 30),
    ]
    assert all(d.scheduled_at == d.due_at for d in medbot.store.doses())
    assert medbot.alarm.last == utc(2026, 3, 3, 2, 30)


async def test_a_new_zone_keeps_sent_and_answered_doses(medbot):
    alice = medbot.patient(ALICE)
    baclofen = medbot.medication(alice, time(8, 0))
    taken = medbot.store.add_dose(baclofen, utc(2026, 3, 1, 8, 0), status=DoseStatus.TAKEN)
    await medbot.materialise()
    medbot.clock.set(utc(2026, 3, 2, 8, 0))
    assert await medbot.dispatch() == 1
    sent = medbot.store.doses(status=DoseStatus.SENT)

    await medbot.set_zone("Asia/Kolkata")

    assert medbot.store.doses(status=DoseStatus.TAKEN) == [taken]
    assert medbot.store.doses(status=DoseStatus.SENT) == sent
    assert medbot.store.due_times(status=DoseStatus.PENDING) == [
        utc(2026, 3, 3, 2, 30),
        utc(2026, 3, 4, 2, 30),
    ]


async def test_a_new_zone_leaves_other_patients_doses_alone(medbot):
    medbot.medication(medbot.patient(ALICE), time(8, 0))
    medbot.medication(medbot.patient(BOB), time(8, 0), name="Tizanidine")
    await medbot.materialise()
    bobs = [d for d in medbot.store.doses() if d.patient_id == medbot.store.patient(BOB).id]

    await medbot.set_zone("Asia/Kolkata")

    assert [d for d in medbot.store.doses() if d.patient_id == bobs[0].patient_id] == bobs


async def test_setting_a_zone_registers_a_new_chat(medbot):
    assert await medbot.set_zone("Europe/Berlin", chat_id=BOB) == "Europe/Berlin"

    assert medbot.store.patient(BOB).timezone == "Europe/Berlin"
    assert medbot.store.doses() == []


async def test_a_new_zone_keeps_a_snoozed_dose(medbot):
    alice = medbot.patient(ALICE)
    dose = medbot.store.add_dose(medbot.medication(alice, time(8, 0)), utc(2026, 3, 2, 8, 0))
    medbot.clock.set(utc(2026, 3, 2, 8, 0))
    await medbot.dispatch()
    medbot.clock.advance(timedelta(minutes=1))
    await medbot.answer(dose.id, DoseAnswer.SNOOZE)
    medbot.clock.advance(timedelta(minutes=2))

    await medbot.set_zone("Europe/London")

    medbot.clock.set(utc(2026, 3, 2, 8, 1) + SNOOZE)
    assert await medbot.dispatch() == 1
    assert len(medbot.messenger.reminders_of(dose.id)) == 2
