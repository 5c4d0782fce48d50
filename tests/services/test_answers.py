"""Answers: a Taken/Snooze/Skip press is checked against its owner and state, then recorded."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.domain.model import DoseAnswer, DoseStatus
from bot.services.answers import AnswerResult
from tests.services.harness import ALICE, BOB, SNOOZE, utc

EIGHT = utc(2026, 3, 2, 8, 0)


async def reminded_dose(medbot, timezone=None):
    """Alice's 08:00 dose, sent at 08:00 by the dispatcher."""
    alice = medbot.patient(ALICE, timezone=timezone)
    dose = medbot.store.add_dose(medbot.medication(alice, time(8, 0)), EIGHT)
    medbot.clock.set(EIGHT)
    assert await medbot.dispatch() == 1
    return medbot.store.dose(dose.id)


async def test_taken_records_the_time_it_was_pressed(medbot):
    dose = await reminded_dose(medbot, timezone="Asia/Kolkata")
    medbot.clock.set(EIGHT + timedelta(minutes=3))

    outcome = await medbot.answer(dose.id, DoseAnswer.TAKEN)

    assert outcome.result is AnswerResult.RECORDED
    assert outcome.status is DoseStatus.TAKEN
    assert outcome.message_id == dose.message_id
    assert outcome.reminder.dose_id == dose.id
    assert outcome.at_local == EIGHT + timedelta(minutes=3)
    assert outcome.at_local.utcoffset() == timedelta(hours=5, minutes=30)
    stored = medbot.store.dose(dose.id)
    assert stored.status is DoseStatus.TAKEN
    assert stored.answered_at == EIGHT + timedelta(minutes=3)
    assert stored.due_at == EIGHT


async def test_skip_records_the_skip_and_when(medbot):
    dose = await reminded_dose(medbot)
    medbot.clock.set(EIGHT + timedelta(minutes=5))

    outcome = await medbot.answer(dose.id, DoseAnswer.SKIP)

    assert (outcome.result, outcome.status) == (AnswerResult.RECORDED, DoseStatus.SKIPPED)
    stored = medbot.store.dose(dose.id)
    assert stored.status is DoseStatus.SKIPPED
    assert stored.answered_at == EIGHT + timedelta(minutes=5)


@pytest.mark.parametrize("first", [DoseAnswer.TAKEN, DoseAnswer.SKIP])
@pytest.mark.parametrize("second", list(DoseAnswer))
async def test_a_second_press_on_an_answered_dose_changes_nothing(medbot, first, second):
    dose = await reminded_dose(medbot)
    await medbot.answer(dose.id, first)
    answered = medbot.store.dose(dose.id)
    commits, armed = medbot.store.commits, list(medbot.alarm.armed)
    medbot.clock.advance(timedelta(minutes=1))

    outcome = await medbot.answer(dose.id, second)

    assert outcome.result is AnswerResult.ALREADY_ANSWERED
    assert outcome.status is answered.status
    assert medbot.store.dose(dose.id) == answered
    assert medbot.store.commits == commits
    assert medbot.alarm.armed == armed


@pytest.mark.parametrize("answer", list(DoseAnswer))
async def test_a_press_from_another_patients_chat_is_not_theirs_and_changes_nothing(medbot, answer):
    dose = await reminded_dose(medbot)
    medbot.patient(BOB)
    commits = medbot.store.commits

    outcome = await medbot.answer(dose.id, answer, chat_id=BOB)

    assert outcome.result is AnswerResult.NOT_YOURS
    assert outcome.reminder is None  # nothing about Alice's dose leaks to Bob
    assert outcome.status is None
    assert medbot.store.dose(dose.id).status is DoseStatus.SENT
    assert medbot.store.commits == commits


async def test_an_unknown_dose_id_gets_the_same_answer_as_a_foreign_one(medbot):
    dose = await reminded_dose(medbot)

    outcome = await medbot.answer(dose.id + 10_000, DoseAnswer.TAKEN)

    assert outcome.result is AnswerResult.NOT_YOURS
    assert medbot.store.dose(dose.id).status is DoseStatus.SENT


async def test_snooze_moves_the_due_time_and_resets_the_reminder_state(medbot):
    dose = await reminded_dose(medbot)
    medbot.clock.set(EIGHT + timedelta(minutes=20))
    assert await medbot.sweep() == (1, 0)  # nagged once already
    medbot.clock.set(EIGHT + timedelta(minutes=23))

    outcome = await medbot.answer(dose.id, DoseAnswer.SNOOZE)

    until = EIGHT + timedelta(minutes=23) + SNOOZE
    assert (outcome.result, outcome.status) == (AnswerResult.RECORDED, DoseStatus.SNOOZED)
    assert outcome.at_local == until
    stored = medbot.store.dose(dose.id)
    assert stored.status is DoseStatus.SNOOZED
    assert stored.due_at == until
    assert stored.scheduled_at == EIGHT
    assert stored.reminded_at is None
    assert (stored.repeats, stored.next_repeat_at, stored.miss_at) == (0, None, None)
    assert stored.answered_at is None
    assert medbot.alarm.last == until


async def test_snoozed_dose_is_sent_again_after_the_snooze_window_and_not_before(medbot):
    dose = await reminded_dose(medbot)
    medbot.clock.set(EIGHT + timedelta(minutes=3))
    await medbot.answer(dose.id, DoseAnswer.SNOOZE)
    until = EIGHT + timedelta(minutes=3) + SNOOZE

    medbot.clock.set(until - timedelta(seconds=1))
    assert await medbot.dispatch() == 0
    medbot.clock.set(until)
    assert await medbot.dispatch() == 1
    medbot.clock.advance(timedelta(minutes=5))
    assert await medbot.dispatch() == 0

    first, again = medbot.messenger.reminders_of(dose.id)
    assert first.scheduled_local == again.scheduled_local
    assert again.scheduled_local == EIGHT  # still the 08:00 dose
    assert again.late is False
    assert again.repeat is False
    stored = medbot.store.dose(dose.id)
    assert stored.status is DoseStatus.SENT
    assert stored.reminded_at == until
    assert stored.message_id == medbot.messenger.message_id_of_last(dose.id)
    assert stored.message_id != dose.message_id


async def test_taken_after_snooze_cancels_the_snoozed_reminder(medbot):
    dose = await reminded_dose(medbot)
    medbot.clock.set(EIGHT + timedelta(minutes=3))
    await medbot.answer(dose.id, DoseAnswer.SNOOZE)
    medbot.clock.set(EIGHT + timedelta(minutes=5))

    outcome = await medbot.answer(dose.id, DoseAnswer.TAKEN)

    assert outcome.result is AnswerResult.RECORDED
    medbot.clock.set(EIGHT + timedelta(hours=1))
    assert await medbot.dispatch() == 0
    assert len(medbot.messenger.reminders_of(dose.id)) == 1
    assert medbot.store.dose(dose.id).status is DoseStatus.TAKEN
    assert medbot.store.dose(dose.id).answered_at == EIGHT + timedelta(minutes=5)


async def test_taken_on_a_missed_dose_is_recorded_as_a_late_take(medbot):
    dose = await reminded_dose(medbot)
    medbot.clock.set(EIGHT + timedelta(hours=1))
    assert await medbot.sweep() == (0, 1)
    assert medbot.store.dose(dose.id).status is DoseStatus.MISSED
    medbot.clock.set(EIGHT + timedelta(hours=2))

    outcome = await medbot.answer(dose.id, DoseAnswer.TAKEN)

    assert (outcome.result, outcome.status) == (AnswerResult.RECORDED, DoseStatus.TAKEN)
    stored = medbot.store.dose(dose.id)
    assert stored.status is DoseStatus.TAKEN
    assert stored.answered_at == EIGHT + timedelta(hours=2)


async def test_snooze_cannot_reopen_a_missed_dose(medbot):
    dose = await reminded_dose(medbot)
    medbot.clock.set(EIGHT + timedelta(hours=1))
    assert await medbot.sweep() == (0, 1)

    outcome = await medbot.answer(dose.id, DoseAnswer.SNOOZE)

    assert (outcome.result, outcome.status) == (AnswerResult.ALREADY_ANSWERED, DoseStatus.MISSED)
    assert medbot.store.dose(dose.id).status is DoseStatus.MISSED
    medbot.clock.set(EIGHT + timedelta(hours=2))
    assert await medbot.dispatch() == 0
