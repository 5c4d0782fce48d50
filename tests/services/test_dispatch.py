"""Dispatch: due doses are claimed in a transaction, then sent; each exactly once."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.domain.model import DoseAnswer, DoseStatus, Reminder
from bot.services.ports import RecipientUnreachable
from bot.services.reminders import CLAIM_BATCH, STALE_CLAIM, claim_batch
from tests.services.harness import ALICE, BOB, MISSED_AFTER, NAG_AFTER, utc

EIGHT = utc(2026, 3, 2, 8, 0)


def due_dose(medbot, at=EIGHT, chat_id=ALICE, timezone=None):
    patient = medbot.store.patient(chat_id) or medbot.patient(chat_id, timezone=timezone)
    medication = medbot.store.medications(patient.id) or [medbot.medication(patient, time(8, 0))]
    return medbot.store.add_dose(medication[0], at)


async def test_a_due_dose_is_claimed_and_sent_once(medbot):
    dose = due_dose(medbot, timezone="Europe/Berlin")
    medbot.clock.set(EIGHT)

    assert await medbot.dispatch(claimer="dispatcher-1") == 1

    assert medbot.messenger.reminders_for(ALICE) == [
        Reminder(
            dose_id=dose.id,
            chat_id=ALICE,
            medication="Baclofen",
            dose="5 mg",
            scheduled_local=EIGHT,
            late=False,
            repeat=False,
            language="en",  # the patient's, carried so the send needs no look-up
            due_at=EIGHT,
        )
    ]
    assert medbot.messenger.reminders_for(ALICE)[0].scheduled_local.hour == 9  # Berlin time
    stored = medbot.store.dose(dose.id)
    assert stored.status is DoseStatus.SENT
    assert stored.message_id == medbot.messenger.message_id_of_last(dose.id)
    assert stored.reminded_at == EIGHT
    assert medbot.store.claim(dose.id) == ("dispatcher-1", EIGHT)


async def test_running_dispatch_twice_sends_nothing_more(medbot):
    due_dose(medbot)
    medbot.clock.set(EIGHT)
    await medbot.dispatch()

    assert await medbot.dispatch() == 0
    medbot.clock.advance(STALE_CLAIM * 10)
    assert await medbot.dispatch(claimer="dispatcher-2") == 0

    assert len(medbot.messenger.sent) == 1


async def test_a_dose_due_in_the_future_is_not_sent(medbot):
    dose = due_dose(medbot)
    medbot.clock.set(EIGHT - timedelta(seconds=1))

    assert await medbot.dispatch() == 0

    assert medbot.messenger.sent == []
    assert medbot.store.dose(dose.id).status is DoseStatus.PENDING
    assert medbot.store.claim(dose.id) == (None, None)


@pytest.mark.parametrize(
    ("overdue", "late"),
    [
        (timedelta(0), False),
        (timedelta(minutes=2), False),
        (timedelta(minutes=2, seconds=1), True),
        (timedelta(hours=7), True),  # the bot was down overnight
    ],
)
async def test_a_dose_sent_more_than_two_minutes_after_it_fell_due_is_marked_late(
    medbot, overdue, late
):
    dose = due_dose(medbot)
    medbot.clock.set(EIGHT + overdue)

    assert await medbot.dispatch() == 1

    (reminder,) = medbot.messenger.reminders_of(dose.id)
    assert reminder.late is late
    assert reminder.scheduled_local == EIGHT


async def test_late_and_on_time_doses_in_one_run_are_marked_each_on_its_own(medbot):
    overnight = due_dose(medbot, at=utc(2026, 3, 2, 1, 0))
    now = due_dose(medbot, at=EIGHT)
    medbot.clock.set(EIGHT)

    assert await medbot.dispatch() == 2

    assert [(r.dose_id, r.late) for r in medbot.messenger.reminders_for(ALICE)] == [
        (overnight.id, True),
        (now.id, False),
    ]


async def test_a_failed_send_stays_claimed_and_is_retried_after_the_stale_claim_window(medbot):
    dose = due_dose(medbot)
    medbot.clock.set(EIGHT)
    medbot.messenger.fail_next(ALICE)

    assert await medbot.dispatch(claimer="dispatcher-1") == 0
    assert medbot.store.dose(dose.id).status is DoseStatus.SENDING
    assert len(medbot.messenger.failed) == 1

    # Within the window the claim may still belong to a live sender: hands off.
    medbot.clock.set(EIGHT + STALE_CLAIM)
    assert await medbot.dispatch(claimer="dispatcher-2") == 0
    assert len(medbot.messenger.failed) == 1
    assert medbot.messenger.sent == []

    medbot.clock.set(EIGHT + STALE_CLAIM + timedelta(seconds=1))
    assert await medbot.dispatch(claimer="dispatcher-2") == 1
    assert medbot.store.claim(dose.id) == (
        "dispatcher-2",
        EIGHT + STALE_CLAIM + timedelta(seconds=1),
    )

    medbot.clock.advance(STALE_CLAIM * 5)
    assert await medbot.dispatch() == 0
    (reminder,) = medbot.messenger.reminders_of(dose.id)
    assert reminder.late is False  # retried within seconds: not yet late
    assert medbot.store.dose(dose.id).status is DoseStatus.SENT


async def test_an_unreachable_chat_marks_the_dose_undeliverable_and_never_retries_it(medbot):
    dose = due_dose(medbot, chat_id=ALICE)
    bobs = due_dose(medbot, chat_id=BOB)
    medbot.clock.set(EIGHT)
    medbot.messenger.fail_next(ALICE, error=RecipientUnreachable)

    assert await medbot.dispatch() == 1

    assert medbot.store.dose(dose.id).status is DoseStatus.UNDELIVERABLE
    assert medbot.store.dose(dose.id).message_id is None
    assert medbot.messenger.sent_dose_ids() == [bobs.id]
    medbot.clock.advance(timedelta(hours=1))
    assert await medbot.dispatch() == 0
    assert len(medbot.messenger.failed) == 1
    assert medbot.messenger.reminders_for(ALICE) == []


@pytest.mark.parametrize("count", [CLAIM_BATCH, CLAIM_BATCH + 1, 2 * CLAIM_BATCH + 50])
async def test_more_due_doses_than_one_claim_batch_are_all_sent_each_exactly_once(medbot, count):
    doses = [due_dose(medbot, at=EIGHT - timedelta(seconds=i)) for i in range(count)]
    medbot.clock.set(EIGHT)

    assert await medbot.dispatch() == count

    sent = medbot.messenger.sent_dose_ids()
    assert sorted(sent) == sorted(d.id for d in doses)
    assert len(set(sent)) == count
    # Claimed in due order: the first batch holds the most overdue doses.
    oldest = sorted(doses, key=lambda d: d.due_at)[:CLAIM_BATCH]
    assert set(sent[:CLAIM_BATCH]) == {d.id for d in oldest}
    assert await medbot.dispatch() == 0
    assert {d.status for d in medbot.store.doses()} == {DoseStatus.SENT}


async def test_a_full_batch_with_failed_sends_still_reaches_the_next_batch(medbot):
    alices = [due_dose(medbot, at=EIGHT - timedelta(minutes=10, seconds=i)) for i in range(60)]
    bobs = [
        due_dose(medbot, at=EIGHT - timedelta(seconds=i), chat_id=BOB) for i in range(CLAIM_BATCH)
    ]
    medbot.clock.set(EIGHT)
    medbot.messenger.fail_next(ALICE, times=60)

    assert await medbot.dispatch() == CLAIM_BATCH

    assert sorted(medbot.messenger.sent_dose_ids()) == sorted(d.id for d in bobs)
    assert {medbot.store.dose(d.id).status for d in alices} == {DoseStatus.SENDING}


async def test_an_answer_recorded_while_the_send_is_in_flight_is_not_overwritten(medbot):
    dose = due_dose(medbot)
    medbot.clock.set(EIGHT)

    async def patient_presses_taken(reminder):
        await medbot.answer(reminder.dose_id, DoseAnswer.TAKEN)

    medbot.messenger.during_send = patient_presses_taken
    await medbot.dispatch()

    assert medbot.store.dose(dose.id).status is DoseStatus.TAKEN
    assert medbot.store.dose(dose.id).answered_at == EIGHT


def patients_due(medbot, count, at):
    return [due_dose(medbot, at=at, chat_id=5000 + i) for i in range(count)]


async def test_a_burst_too_big_for_its_minute_at_the_rate_starts_early_and_all_at_once(medbot):
    # 120 reminders at 1 a second (planned at 90 % of it) take 133 s: to have the last out
    # within a minute of 08:00 they start at 07:58:47, however many dispatchers ask before.
    burst = patients_due(medbot, 120, EIGHT)
    medbot.clock.set(EIGHT - timedelta(minutes=1, seconds=14))
    assert await medbot.dispatch(per_second=1) == 0
    assert await medbot.dispatch() == 0  # without the rate: at the due time only

    medbot.clock.set(EIGHT - timedelta(minutes=1, seconds=13))
    assert await medbot.dispatch(per_second=1) == 120

    assert sorted(medbot.messenger.sent_dose_ids()) == sorted(d.id for d in burst)
    assert await medbot.dispatch(per_second=1) == 0


async def test_a_small_load_is_not_sent_early_at_the_rate(medbot):
    patients_due(medbot, 20, EIGHT)
    medbot.clock.set(EIGHT - timedelta(seconds=1))

    assert await medbot.dispatch(per_second=1) == 0
    medbot.clock.set(EIGHT)
    assert await medbot.dispatch(per_second=1) == 20


async def test_a_reminder_sent_early_repeats_and_is_missed_counting_from_its_time(medbot):
    dose = due_dose(medbot)
    sent_at = EIGHT - timedelta(minutes=2)
    medbot.clock.set(sent_at)
    assert await medbot.dispatch(lookahead=timedelta(minutes=3)) == 1

    stored = medbot.store.dose(dose.id)
    assert stored.reminded_at == sent_at
    assert (stored.next_repeat_at, stored.miss_at) == (EIGHT + NAG_AFTER, EIGHT + MISSED_AFTER)
    medbot.clock.set(sent_at + NAG_AFTER)
    assert await medbot.sweep() == (0, 0)
    medbot.clock.set(EIGHT + NAG_AFTER)
    assert await medbot.sweep() == (1, 0)
    medbot.clock.set(EIGHT + MISSED_AFTER - timedelta(seconds=1))
    assert await medbot.sweep() == (0, 0)
    medbot.clock.set(EIGHT + MISSED_AFTER)
    assert await medbot.sweep() == (0, 1)


def test_a_claim_holds_two_seconds_of_sends_at_the_dispatch_rate():
    # A process killed with a full claim leaves a survivor little to take over, and processes
    # sharing a burst each hold a part of it.
    assert claim_batch(29.5) == 59
    assert claim_batch(1000) == CLAIM_BATCH  # paid broadcasts: the cap
    assert claim_batch(2) == 20
    assert claim_batch(None) == CLAIM_BATCH
