"""Sweep: an unanswered reminder is repeated once, then the dose counts as missed."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.domain.model import DoseAnswer, DoseStatus
from bot.services.reminders import CLAIM_BATCH
from tests.fakes import ShownStatus
from tests.services.harness import ALICE, MISSED_AFTER, NAG_AFTER, utc

EIGHT = utc(2026, 3, 2, 8, 0)


async def reminded_dose(medbot):
    """Alice's 08:00 dose, sent at 08:00 by the dispatcher."""
    dose = medbot.store.add_dose(medbot.medication(medbot.patient(ALICE), time(8, 0)), EIGHT)
    medbot.clock.set(EIGHT)
    assert await medbot.dispatch() == 1
    return medbot.store.dose(dose.id)


async def sweep_at(medbot, at):
    medbot.clock.set(at)
    return await medbot.sweep()


async def test_an_unanswered_reminder_is_repeated_once_after_nag_after(medbot):
    dose = await reminded_dose(medbot)

    assert await sweep_at(medbot, EIGHT + NAG_AFTER - timedelta(seconds=1)) == (0, 0)
    assert await sweep_at(medbot, EIGHT + NAG_AFTER) == (1, 0)
    assert await sweep_at(medbot, EIGHT + NAG_AFTER + timedelta(minutes=1)) == (0, 0)
    assert await sweep_at(medbot, EIGHT + timedelta(minutes=45)) == (0, 0)

    first, repeat = medbot.messenger.reminders_of(dose.id)
    assert (first.repeat, repeat.repeat) == (False, True)
    assert repeat.scheduled_local == EIGHT
    stored = medbot.store.dose(dose.id)
    assert stored.repeats == 1 and stored.next_repeat_at is None
    assert stored.status is DoseStatus.SENT
    assert stored.message_id == medbot.messenger.message_id_of_last(dose.id)
    assert stored.reminded_at == EIGHT  # the missed timer still counts from the first reminder


async def test_an_unanswered_dose_becomes_missed_after_missed_after_and_its_message_says_so(
    medbot,
):
    dose = await reminded_dose(medbot)
    await sweep_at(medbot, EIGHT + NAG_AFTER)

    assert await sweep_at(medbot, EIGHT + MISSED_AFTER - timedelta(seconds=1)) == (0, 0)
    assert medbot.store.dose(dose.id).status is DoseStatus.SENT
    assert await sweep_at(medbot, EIGHT + MISSED_AFTER) == (0, 1)

    assert medbot.store.dose(dose.id).status is DoseStatus.MISSED
    # The first reminder pointed to its repeat; the repeat is the one shown missed.
    retired, shown = medbot.messenger.statuses_for(ALICE)
    assert (retired.status, retired.message_id) == (DoseStatus.SENT, dose.message_id)
    assert shown.status is DoseStatus.MISSED
    assert shown.reminder.dose_id == dose.id
    assert shown.message_id == medbot.messenger.message_id_of_last(dose.id)
    assert await sweep_at(medbot, EIGHT + 2 * MISSED_AFTER) == (0, 0)
    assert len(medbot.messenger.shown) == 2


async def test_a_dose_first_swept_after_missed_after_is_missed_without_a_repeat(medbot):
    dose = await reminded_dose(medbot)

    assert await sweep_at(medbot, EIGHT + MISSED_AFTER) == (0, 1)

    assert len(medbot.messenger.reminders_of(dose.id)) == 1
    assert medbot.messenger.shown == [
        ShownStatus(medbot.messenger.reminders_of(dose.id)[0], dose.message_id, DoseStatus.MISSED)
    ]


@pytest.mark.parametrize("answer", [DoseAnswer.TAKEN, DoseAnswer.SKIP])
async def test_an_answered_dose_is_never_nagged_nor_missed(medbot, answer):
    dose = await reminded_dose(medbot)
    medbot.clock.set(EIGHT + timedelta(minutes=5))
    await medbot.answer(dose.id, answer)
    answered = medbot.store.dose(dose.id)

    for minutes in (15, 30, 60, 120, 24 * 60):
        assert await sweep_at(medbot, EIGHT + timedelta(minutes=minutes)) == (0, 0)

    assert len(medbot.messenger.reminders_of(dose.id)) == 1
    assert medbot.messenger.shown == []
    assert medbot.store.dose(dose.id) == answered


async def test_a_dose_never_sent_is_neither_nagged_nor_missed(medbot):
    dose = medbot.store.add_dose(medbot.medication(medbot.patient(ALICE)), EIGHT)

    assert await sweep_at(medbot, EIGHT + 2 * MISSED_AFTER) == (0, 0)

    assert medbot.store.dose(dose.id).status is DoseStatus.PENDING
    assert medbot.messenger.sent == []


async def test_a_snoozed_doses_timers_restart_from_its_resend(medbot):
    dose = await reminded_dose(medbot)
    assert await sweep_at(medbot, EIGHT + NAG_AFTER) == (1, 0)
    medbot.clock.set(EIGHT + timedelta(minutes=50))
    await medbot.answer(dose.id, DoseAnswer.SNOOZE)  # due again at 09:00
    assert await sweep_at(medbot, EIGHT + timedelta(minutes=55)) == (0, 0)

    resent_at = EIGHT + timedelta(hours=1)
    medbot.clock.set(resent_at)
    assert await medbot.dispatch() == 1
    assert await medbot.sweep() == (0, 0)  # 60 min after the first reminder, 0 after the resend

    assert await sweep_at(medbot, resent_at + NAG_AFTER) == (1, 0)
    assert await sweep_at(medbot, resent_at + MISSED_AFTER - timedelta(seconds=1)) == (0, 0)
    assert await sweep_at(medbot, resent_at + MISSED_AFTER) == (0, 1)

    assert medbot.store.dose(dose.id).status is DoseStatus.MISSED
    assert [r.repeat for r in medbot.messenger.reminders_of(dose.id)] == [False, True, False, True]


async def test_a_repeat_that_fails_is_tried_again_but_not_once_the_dose_went_missed(medbot):
    dose = await reminded_dose(medbot)
    medbot.messenger.fail_next(ALICE, times=2)

    assert await sweep_at(medbot, EIGHT + NAG_AFTER) == (1, 0)  # fails; owed again in 30 s
    medbot.clock.advance(timedelta(seconds=30))
    assert await medbot.deliver() == 0  # fails again; owed again in 60 s
    assert await sweep_at(medbot, EIGHT + MISSED_AFTER) == (0, 1)
    assert await medbot.deliver() == 0  # the retry is due, but there is nothing to repeat

    assert len(medbot.messenger.reminders_of(dose.id)) == 1
    assert len(medbot.messenger.failed) == 2
    assert medbot.store.dose(dose.id).message_id == dose.message_id
    assert medbot.store.dose(dose.id).status is DoseStatus.MISSED


def unanswered_doses(medbot, count):
    """`count` reminders sent at 08:00 to as many patients, none answered."""
    doses = []
    for number in range(count):
        patient = medbot.patient(ALICE + number)
        doses.append(medbot.store.add_dose(medbot.medication(patient), EIGHT))
    return doses


async def test_more_unanswered_doses_than_one_claim_batch_all_become_missed_in_one_sweep(medbot):
    doses = unanswered_doses(medbot, CLAIM_BATCH + 50)
    medbot.clock.set(EIGHT)
    assert await medbot.dispatch() == CLAIM_BATCH + 50

    assert await sweep_at(medbot, EIGHT + MISSED_AFTER) == (0, CLAIM_BATCH + 50)

    assert {medbot.store.dose(d.id).status for d in doses} == {DoseStatus.MISSED}
    assert len(medbot.messenger.shown) == CLAIM_BATCH + 50


async def test_more_unanswered_doses_than_one_claim_batch_are_all_repeated_in_one_sweep(medbot):
    doses = unanswered_doses(medbot, CLAIM_BATCH + 50)
    medbot.clock.set(EIGHT)
    assert await medbot.dispatch() == CLAIM_BATCH + 50

    assert await sweep_at(medbot, EIGHT + NAG_AFTER) == (CLAIM_BATCH + 50, 0)

    assert all(medbot.store.dose(d.id).repeats == 1 for d in doses)
