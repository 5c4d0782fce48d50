"""A patient's day with the real bot: set up, get reminded, answer with the buttons."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db.tables import DoseRow
from bot.domain.model import DoseStatus
from tests.e2e.conftest import first_reminder, say, set_up_baclofen_at_next_minute


async def dose_statuses(medbot) -> list[str]:
    async with medbot.engine.connect() as connection:
        rows = await connection.execute(select(DoseRow.status).order_by(DoseRow.scheduled_at))
        return [status for (status,) in rows]


async def test_reminder_arrives_and_taken_shows_in_meds(medbot, alice, clock, emulator):
    await set_up_baclofen_at_next_minute(alice)
    assert await medbot.dispatch_tick() == 0  # not due yet

    clock.advance(timedelta(seconds=30))
    assert await medbot.dispatch_tick() == 1
    reminder = await alice.wait_for_new_message()
    assert "Baclofen 5 mg" in reminder.text
    assert "08:01" in reminder.text
    assert len(alice.buttons(reminder)) == 3
    assert [label.split()[-1] for label in alice.buttons(reminder)] == ["Taken", "Snooze", "Skip"]

    clock.advance(timedelta(minutes=2))
    await alice.press(reminder, "Taken")
    edited = await alice.wait_for(lambda m: "taken at 08:03" in m.text)
    assert edited.message_id == reminder.message_id
    assert edited.buttons == []
    assert "taken" in (await alice.wait_for_answer()).text

    meds = await say(alice, "/meds")
    assert "Baclofen 5 mg at 08:01" in meds.text
    assert "08:01 Baclofen: ✅ taken" in meds.text
    assert (await dose_statuses(medbot))[0] == DoseStatus.TAKEN
    assert [c["command"] for c in emulator.commands][:3] == ["start", "menu", "add"]


async def test_snooze_reminds_again_after_the_snooze_window(medbot, alice, clock):
    reminder = await first_reminder(medbot, alice, clock)

    await alice.press(reminder, "Snooze")
    await alice.wait_for(lambda m: "snoozed until 08:11" in m.text)
    clock.advance(timedelta(minutes=9))
    assert await medbot.dispatch_tick() == 0
    clock.advance(timedelta(minutes=1))
    assert await medbot.dispatch_tick() == 1
    again = await alice.wait_for(
        lambda m: m.message_id != reminder.message_id and "Baclofen" in m.text
    )
    assert len(again.buttons[0]) == 3


async def test_skip_records_and_warns_not_to_double(medbot, alice, clock):
    reminder = await first_reminder(medbot, alice, clock)

    await alice.press(reminder, "Skip")
    warning = await alice.wait_for(lambda m: "Do not double" in m.text)
    assert "prescriber" in warning.text
    edited = await alice.wait_for(
        lambda m: m.message_id == reminder.message_id and "skipped" in m.text
    )
    assert edited.buttons == []
    assert (await dose_statuses(medbot))[0] == DoseStatus.SKIPPED


async def test_unanswered_reminder_nags_once_then_is_missed(medbot, alice, clock):
    reminder = await first_reminder(medbot, alice, clock)

    clock.advance(timedelta(minutes=14))
    assert await medbot.sweep_tick() == (0, 0)
    clock.advance(timedelta(minutes=1))
    assert await medbot.sweep_tick() == (1, 0)
    nag = await alice.wait_for_new_message()
    assert "Reminder again: Baclofen 5 mg (08:01)" in nag.text
    assert len(nag.buttons[0]) == 3
    await medbot.alarm.settle()  # the repeat's bookkeeping: it is the reminder to edit now
    clock.advance(timedelta(minutes=20))
    assert await medbot.sweep_tick() == (0, 0)  # repeated once only

    clock.advance(timedelta(minutes=25))  # 60 minutes after the reminder
    assert await medbot.sweep_tick() == (0, 1)
    missed = await alice.wait_for(lambda m: "marked missed" in m.text)
    assert missed.message_id == nag.message_id
    assert (await dose_statuses(medbot))[0] == DoseStatus.MISSED
    # One live keyboard per dose: the first reminder points to its repeat; the missed one
    # can still be taken or skipped late, not snoozed.
    first = next(m for m in alice.messages if m.message_id == reminder.message_id)
    assert "reminded again below" in first.text
    assert first.buttons == []
    assert [button.text for button in missed.buttons[0]] == ["✅ Taken", "⏭ Skip"]


async def test_the_command_menu_is_announced(medbot, emulator):
    names = [command["command"] for command in emulator.commands]
    assert {"start", "add", "meds", "timezone", "pause", "resume", "help"} <= set(names)


async def test_guided_add_asks_step_by_step_and_can_be_cancelled(medbot, alice):
    assert "Which medication?" in (await say(alice, "/add")).text
    assert "How much Tizanidine" in (await say(alice, "Tizanidine")).text
    bad = await say(alice, "a spoonful")
    assert "is not a dose" in bad.text
    assert "At what times" in (await say(alice, "2 mg")).text
    assert "25:99 is not a time of day" in (await say(alice, "08:00 25:99")).text
    saved = await say(alice, "08:00 20:00")
    assert "Added Tizanidine 2 mg at 08:00 20:00" in saved.text
    await alice.wait_for(lambda m: "How many Tizanidine do you have" in m.text)
    assert "Send a number" in (await say(alice, "plenty")).text
    counted = await say(alice, "30")
    # Twice a day from 08:00 on Monday 2 March: 30 tablets cover the doses up to Sun 16 Mar.
    assert "Tizanidine: 30 on hand" in counted.text
    assert "lasts until" in counted.text

    await say(alice, "/add")
    assert "Cancelled, nothing was saved" in (await say(alice, "/cancel")).text
    meds = await say(alice, "/meds")
    assert "• Tizanidine 2 mg at 08:00 20:00" in meds.text
    assert meds.text.count("• ") == 1
