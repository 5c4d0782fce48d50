"""Bad input gets a clear reply with an example, and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db.tables import MedicationRow, PatientRow
from bot.emulator import BotApiEmulator
from tests.e2e.conftest import first_reminder, say

TWO_HUNDRED_TIMES = " ".join(f"{h % 24:02d}:{h // 24:02d}" for h in range(200))


async def medication_names(medbot) -> list[str]:
    async with medbot.engine.connect() as connection:
        return list(await connection.scalars(select(MedicationRow.name)))


@pytest.mark.parametrize(
    ("command", "reply_says"),
    [
        ("/add Baclofen 5 mg at 25:99", "25:99 is not a time of day"),
        ("/add Baclofen 5 mg at " + TWO_HUNDRED_TIMES, "200 times a day is more than the 12"),
        ("/add " + "B" * 4000 + " 5 mg at 08:00", "the name is 4000 characters long"),
        ("/add 💊🙂 5 mg at 08:00", "the name has no letters"),
        ("/add Bac\u202eofen 5 mg at 08:00", "invisible control character (U+202E)"),
        ("/add x'); DROP TABLE patient;-- 5 mg at 08:00", "the name contains “;”"),
        ("/add Baclofen five mg at 08:00", "I could not find the dose"),
        ("/add Baclofen 5 mg", "I could not find “at”"),
    ],
)
async def test_bad_add_is_explained_and_saves_nothing(medbot, alice, command, reply_says):
    reply = await say(alice, command)
    assert reply_says in reply.text
    assert "e.g." in reply.text
    assert await medication_names(medbot) == []


async def test_unknown_time_zone_gets_an_example(medbot, alice):
    reply = await say(alice, "/timezone Mars/Base")
    assert "I don't know the time zone “Mars/Base”" in reply.text
    assert "/timezone Europe/Berlin" in reply.text
    missing = await say(alice, "/timezone")
    assert "/timezone Europe/Berlin" in missing.text


async def test_right_to_left_names_are_welcome(medbot, alice):
    reply = await say(alice, "/add באקלופן 5 mg at 08:00")
    assert "Added באקלופן 5 mg at 08:00" in reply.text
    assert await medication_names(medbot) == ["באקלופן"]


async def test_sql_like_text_is_only_text(medbot, alice):
    await say(alice, "/start")
    reply = await say(alice, "/pause x'); DROP TABLE patient;--")
    assert "I can't find “x'); DROP TABLE patient;--”" in reply.text
    async with medbot.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(PatientRow)) == 1


async def test_another_patients_dose_cannot_be_answered(medbot, alice, bob, clock):
    alice_reminder = await first_reminder(medbot, alice, clock)
    alice_data = alice_reminder.buttons[0][0].callback_data

    await say(bob, "/timezone Asia/Kolkata")
    await say(bob, "/add Aspirin 100 mg at 08:01")
    await medbot.dispatch_tick()
    bob_reminder = await bob.wait_for(lambda m: "Aspirin" in m.text and bool(m.buttons))
    # Bob's client sends Alice's dose id with his own reminder.
    await bob.press(bob_reminder, "Taken", forged_data=alice_data)
    answer = await bob.wait_for_answer()
    assert "not yours" in answer.text
    assert answer.show_alert
    assert alice.messages[-1].text == alice_reminder.text  # Alice's reminder untouched
    meds = await say(alice, "/meds")
    assert "08:01 Baclofen: waiting for your answer" in meds.text


async def test_a_second_press_changes_nothing_and_says_so(medbot, alice, clock):
    reminder = await first_reminder(medbot, alice, clock)
    # A double tap: both presses leave before the bot has answered either.
    first = await alice.press(reminder, "Taken")
    second = await alice.press(reminder, "Skip")
    answers = [
        (await alice.wait_for_answer(first)).text,
        (await alice.wait_for_answer(second)).text,
    ]
    recorded = [text for text in answers if "Already recorded" not in text]
    assert len(recorded) == 1, answers
    meds = await say(alice, "/meds")
    winner = "✅ taken" if "taken" in recorded[0] else "⏭ skipped"
    assert f"08:01 Baclofen: {winner}" in meds.text
    assert f"Already recorded as {winner}" in " ".join(answers)


async def test_garbage_callback_data_is_refused(medbot, alice, clock):
    reminder = await first_reminder(medbot, alice, clock)
    for data in ("d:t:99999999", "d:x:1", "DROP TABLE dose"):
        await alice.press(reminder, "Taken", forged_data=data)
        answer = await alice.wait_for_answer()
        assert "no longer" in answer.text
    assert "Time for Baclofen" in reminder.text


async def test_group_chat_is_told_to_use_a_private_chat(medbot, alice, emulator: BotApiEmulator):
    await alice.send_in_group(-100123, "/add Baclofen 5 mg at 08:00")
    replies = await emulator.changed.wait_until(
        lambda: emulator.sent_to(-100123) or None, timeout=5
    )
    assert "private chats only" in replies[-1].text
    assert await medication_names(medbot) == []


async def test_edited_command_is_not_applied_again(medbot, alice):
    await say(alice, "/add Baclofen 5 mg at 08:00")
    await alice.wait_for_new_message()  # the safety tip
    sent = await alice.send("/add Tizanidine 2 mg at 09:00")
    await alice.wait_for_new_message()
    await alice.edit(sent["message_id"], "/add Tizanidine 4 mg at 09:00")
    reply = await alice.wait_for_new_message()
    assert "Edits don't change" in reply.text
    assert sorted(await medication_names(medbot)) == ["Baclofen", "Tizanidine"]


async def test_sticker_and_unknown_command_get_a_pointer_to_help(medbot, alice):
    await alice.send_sticker()
    assert "/help" in (await alice.wait_for_new_message()).text
    reply = await say(alice, "/fly_to_the_moon")
    assert "I don't know that command" in reply.text
    help_text = await say(alice, "/help")
    assert "/add Baclofen 5 mg at 08:00 14:00 20:00" in help_text.text
