"""Adding, pausing and resuming medications: the schedule and its doses change together."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.db.repositories import SqlDoses
from bot.domain.model import DoseStatus, MedicationStatus, SafetyEventKind, Schedule
from bot.domain.parsing import AddRequest, parse_add
from bot.services.medications import MAX_MEDICATIONS, AddResult, Change, ChangeResult
from bot.services.ports import StorageUnavailable
from tests.services.harness import ALICE, BOB, START, utc

EIGHT = utc(2026, 3, 2, 8, 0)


async def test_add_saves_the_medication_and_its_times_and_writes_its_doses(medbot):
    outcome = await medbot.add(parse_add("Baclofen 5 mg at 08:00 14:00 20:00"))

    assert outcome.result is AddResult.ADDED
    alice = medbot.store.patient(ALICE)
    assert alice is not None  # registered on the way
    assert alice.timezone is None
    (saved,) = medbot.store.medications(alice.id)
    assert saved == outcome.medication
    assert (saved.name, saved.dose, saved.status) == ("Baclofen", "5 mg", MedicationStatus.ACTIVE)
    assert saved.times == (time(8, 0), time(14, 0), time(20, 0))
    # Default zone UTC, 07:59: three a day for 48 h, the first one a minute away.
    assert medbot.store.due_times(status=DoseStatus.PENDING) == [
        utc(2026, 3, 2, 8, 0),
        utc(2026, 3, 2, 14, 0),
        utc(2026, 3, 2, 20, 0),
        utc(2026, 3, 3, 8, 0),
        utc(2026, 3, 3, 14, 0),
        utc(2026, 3, 3, 20, 0),
    ]
    assert medbot.alarm.last == utc(2026, 3, 2, 8, 0)
    assert outcome.timezone == "UTC"
    assert outcome.next_dose_local == utc(2026, 3, 2, 8, 0)


async def test_add_reports_the_next_dose_in_the_patients_zone(medbot):
    medbot.patient(ALICE, timezone="Asia/Kolkata")  # 07:59 UTC is 13:29 there

    outcome = await medbot.add(parse_add("Baclofen 5 mg at 08:00 14:00 20:00"))

    assert outcome.timezone == "Asia/Kolkata"
    local = outcome.next_dose_local
    assert (local.day, local.hour, local.minute) == (2, 14, 0)
    assert local.utcoffset() == timedelta(hours=5, minutes=30)
    assert local == utc(2026, 3, 2, 8, 30)
    assert medbot.store.due_times()[:3] == [
        utc(2026, 3, 2, 8, 30),
        utc(2026, 3, 2, 14, 30),
        utc(2026, 3, 3, 2, 30),
    ]


async def test_adding_a_name_the_patient_already_has_is_a_duplicate_and_saves_nothing(medbot):
    alice = medbot.patient(ALICE)
    existing = medbot.medication(alice, time(8, 0), name="Baclofen")
    commits = medbot.store.commits

    outcome = await medbot.add(AddRequest("bACLOFEN", "10 mg", (time(9, 0), time(21, 0))))

    assert outcome.result is AddResult.DUPLICATE
    assert outcome.medication == existing  # the bot offers to replace its schedule
    assert medbot.store.medications(alice.id) == [existing]
    assert medbot.store.doses() == []
    assert medbot.store.commits == commits
    assert medbot.alarm.armed == []


async def test_another_patient_may_add_the_same_name(medbot):
    medbot.medication(medbot.patient(BOB), name="Baclofen")

    outcome = await medbot.add(parse_add("Baclofen 5 mg at 08:00"))

    assert outcome.result is AddResult.ADDED
    assert len(medbot.store.medications()) == 2


async def test_adding_beyond_the_maximum_number_of_medications_saves_nothing(medbot):
    alice = medbot.patient(ALICE)
    for number in range(MAX_MEDICATIONS):
        medbot.medication(alice, name=f"Drug {number}")

    outcome = await medbot.add(parse_add("Baclofen 5 mg at 08:00"))

    assert outcome.result is AddResult.TOO_MANY
    assert len(medbot.store.medications(alice.id)) == MAX_MEDICATIONS
    assert medbot.store.doses() == []


async def test_pause_drops_unsent_doses_and_keeps_the_history(medbot):
    alice = medbot.patient(ALICE)
    baclofen = medbot.medication(alice, time(8, 0), name="Baclofen")
    other = medbot.medication(alice, time(9, 0), name="Tizanidine")
    add = medbot.store.add_dose
    taken = add(baclofen, utc(2026, 2, 28, 8, 0), status=DoseStatus.TAKEN)
    missed = add(baclofen, utc(2026, 3, 1, 8, 0), status=DoseStatus.MISSED)
    add(baclofen, utc(2026, 3, 1, 20, 0), status=DoseStatus.SNOOZED, due_at=START)
    add(baclofen, utc(2026, 3, 2, 8, 0))
    add(baclofen, utc(2026, 3, 3, 8, 0))
    others = add(other, utc(2026, 3, 2, 9, 0))

    result, medication = await medbot.pause("baclofen")

    assert result is ChangeResult.CHANGED
    assert medication.id == baclofen.id
    assert medbot.store.medications(alice.id)[0].status is MedicationStatus.PAUSED
    assert medbot.store.doses(medication_id=baclofen.id) == [taken, missed]
    assert medbot.store.doses(medication_id=other.id) == [others]
    medbot.clock.set(utc(2026, 3, 4, 9, 0))
    assert await medbot.dispatch() == 1
    assert medbot.messenger.sent_dose_ids() == [others.id]


async def test_resume_writes_the_upcoming_doses_again(medbot):
    alice = medbot.patient(ALICE)
    baclofen = medbot.medication(alice, time(8, 0), time(20, 0))
    await medbot.materialise()
    await medbot.pause("Baclofen")
    assert medbot.store.doses() == []
    medbot.clock.set(utc(2026, 3, 2, 12, 0))
    medbot.alarm.armed.clear()

    result, _ = await medbot.pause("Baclofen", paused=False)

    assert result is ChangeResult.CHANGED
    assert medbot.store.medications(alice.id)[0].status is MedicationStatus.ACTIVE
    assert medbot.store.due_times(status=DoseStatus.PENDING) == [
        utc(2026, 3, 2, 20, 0),
        utc(2026, 3, 3, 8, 0),
        utc(2026, 3, 3, 20, 0),
        utc(2026, 3, 4, 8, 0),
    ]
    assert {d.medication_id for d in medbot.store.doses()} == {baclofen.id}
    assert medbot.alarm.armed == [utc(2026, 3, 2, 20, 0)]


async def test_pausing_twice_or_resuming_an_active_medication_is_unchanged(medbot):
    alice = medbot.patient(ALICE)
    medbot.medication(alice, time(8, 0))
    await medbot.materialise()
    assert (await medbot.pause("Baclofen"))[0] is ChangeResult.CHANGED
    commits = medbot.store.commits

    result, medication = await medbot.pause("Baclofen")

    assert result is ChangeResult.UNCHANGED
    assert medication.status is MedicationStatus.PAUSED
    assert medbot.store.commits == commits
    assert (await medbot.pause("Baclofen", paused=False))[0] is ChangeResult.CHANGED
    assert (await medbot.pause("Baclofen", paused=False))[0] is ChangeResult.UNCHANGED
    assert len(medbot.store.doses()) == 2


async def test_pause_finds_the_name_ignoring_case_and_extra_spaces(medbot):
    medbot.medication(medbot.patient(ALICE), name="Baclofen XR")

    result, _ = await medbot.pause("  baclofen   xr ")

    assert result is ChangeResult.CHANGED


async def test_pausing_an_unknown_name_or_for_an_unknown_chat_is_not_found(medbot):
    medbot.medication(medbot.patient(ALICE), name="Baclofen")

    assert await medbot.pause("Tizanidine") == (ChangeResult.NOT_FOUND, None)
    assert await medbot.pause("Baclofen", chat_id=BOB) == (ChangeResult.NOT_FOUND, None)
    assert medbot.store.medications()[0].status is MedicationStatus.ACTIVE
    assert medbot.store.patient(BOB) is None


async def test_a_stopped_medication_is_not_paused_but_can_be_resumed(medbot):
    """A Stop pressed by mistake can be undone: /resume takes a stopped medication up again."""
    medbot.medication(medbot.patient(ALICE), status=MedicationStatus.STOPPED)

    assert (await medbot.pause("Baclofen"))[0] is ChangeResult.UNCHANGED
    assert medbot.store.doses() == []
    result, before = await medbot.pause("Baclofen", paused=False)

    assert result is ChangeResult.CHANGED
    assert before is not None and before.status is MedicationStatus.STOPPED
    assert medbot.store.medications()[0].status is MedicationStatus.ACTIVE
    assert [d.due_at for d in medbot.store.doses()] == [EIGHT, EIGHT + timedelta(days=1)]


async def test_an_edit_rewrites_the_doses_not_yet_sent_and_leaves_a_sent_one_alone(medbot):
    alice = medbot.patient(ALICE)
    medication = medbot.medication(alice, time(8, 0), time(20, 0))
    await medbot.materialise()
    medbot.clock.set(EIGHT)
    await medbot.dispatch()  # 08:00 is sent, waiting for an answer

    outcome = await medbot.edit(
        medication.id, dose="10 mg", schedule=Schedule(times=(time(9, 0), time(21, 0)))
    )

    assert outcome.result is ChangeResult.CHANGED
    assert outcome.medication is not None and outcome.medication.dose == "10 mg"
    doses = medbot.store.doses()
    sent = [d for d in doses if d.status is DoseStatus.SENT]
    assert [(d.scheduled_at, d.amount) for d in sent] == [(EIGHT, "5 mg")]  # its meaning stays
    pending = sorted((d.scheduled_at, d.amount) for d in doses if d.status is DoseStatus.PENDING)
    assert [(at.hour, amount) for at, amount in pending] == [
        (9, "10 mg"),
        (21, "10 mg"),
        (9, "10 mg"),
        (21, "10 mg"),
    ]


async def test_an_edit_of_another_patients_medication_changes_nothing(medbot):
    medication = medbot.medication(medbot.patient(ALICE))
    medbot.patient(BOB)

    outcome = await medbot.edit(medication.id, dose="50 mg", chat_id=BOB)

    assert outcome.result is ChangeResult.NOT_FOUND
    assert medbot.store.medications()[0].dose == "5 mg"


async def test_an_edit_to_as_needed_drops_the_reminders_to_come(medbot):
    medication = medbot.medication(medbot.patient(ALICE))
    await medbot.materialise()

    as_needed = Schedule(as_needed=True, max_per_day=3, min_gap=timedelta(hours=6))
    outcome = await medbot.edit(medication.id, schedule=as_needed)

    assert outcome.result is ChangeResult.CHANGED
    assert medbot.store.doses() == []
    assert medbot.store.medications()[0].schedule == as_needed


async def test_a_deleted_medication_is_hidden_keeps_its_history_and_can_be_added_again(medbot):
    alice = medbot.patient(ALICE)
    medication = medbot.medication(alice)
    taken = medbot.store.add_dose(medication, EIGHT - timedelta(days=1), status=DoseStatus.TAKEN)
    await medbot.materialise()

    result, _ = await medbot.change("Baclofen", Change.DELETE)

    assert result is ChangeResult.CHANGED
    assert medbot.store.medications(alice.id)[0].status is MedicationStatus.DELETED
    assert [d.id for d in medbot.store.doses()] == [taken.id]  # history stays
    assert [e.kind for e in medbot.store.events()] == [SafetyEventKind.STOPPED]
    assert await medbot.pause("Baclofen", paused=False) == (ChangeResult.NOT_FOUND, None)

    again = await medbot.add(parse_add("Baclofen 10 mg at 09:00"))
    assert again.result is AddResult.ADDED
    assert again.medication is not None and again.medication.id == medication.id
    assert medbot.store.medications(alice.id)[0].status is MedicationStatus.ACTIVE


async def test_adding_a_stopped_medication_offers_to_resume_it_and_saves_nothing(medbot):
    existing = medbot.medication(medbot.patient(ALICE), status=MedicationStatus.STOPPED)

    outcome = await medbot.add(parse_add("Baclofen 10 mg at 09:00"))

    assert outcome.result is AddResult.STOPPED
    assert outcome.medication == existing
    assert medbot.store.doses() == []


async def test_a_failure_while_writing_doses_leaves_no_half_written_schedule(medbot, monkeypatch):
    async def broken_add_missing(self, medication, instants, amounts=None, heads_up=None):
        raise ConnectionError("database went away")

    monkeypatch.setattr(SqlDoses, "add_missing", broken_add_missing)

    with pytest.raises(StorageUnavailable):  # the one error the handlers answer kindly
        await medbot.add(parse_add("Baclofen 5 mg at 08:00 20:00"))

    alice = medbot.store.patient(ALICE)
    assert medbot.store.medications(alice.id if alice else None) == []
    assert medbot.store.doses() == []
