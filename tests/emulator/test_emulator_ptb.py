"""Real python-telegram-bot (HTTP, httpx, polling) against the emulator: the full round trip."""

from __future__ import annotations

import time

import pytest
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    MessageId,
    MessageOriginUser,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.ext import ApplicationBuilder

from bot.emulator import BotApiEmulator

from .conftest import REPORT, App, Seen, build_app

ALICE = 1001
BOB = 1002


async def test_start_command_reaches_the_bot_and_reply_has_buttons(
    app: App, emu: BotApiEmulator, seen: Seen
) -> None:
    alice = emu.user(ALICE, "Alice")
    await alice.send("/start")

    reply = await alice.wait_for_new_message()

    assert reply.text == "💊 Time for Aspirin 100 mg"  # HTML rendered as the person sees it
    assert reply.raw_text == "💊 Time for <b>Aspirin</b> 100 mg"
    assert reply.parse_mode == "HTML"
    assert [[b.text for b in row] for row in reply.buttons] == [
        ["✅ Taken", "⏰ Snooze"],
        ["⏭ Skip"],
    ]
    assert reply.buttons[0][0].callback_data == "dose:7:taken"
    # PTB parsed our update: the command entity and the sender survived the round trip.
    update = seen.updates[0]
    assert update.effective_user is not None and update.effective_chat is not None
    assert update.effective_user.id == ALICE
    assert update.effective_chat.type == "private"
    # ...and the Message we returned for sendMessage parsed into PTB objects.
    await seen.wait(lambda: seen.sent)
    assert seen.sent[0].message_id == reply.message_id
    assert seen.sent[0].reply_markup.inline_keyboard[1][0].callback_data == "dose:7:skip"
    assert seen.sent[0].from_user.is_bot


async def test_pressing_a_button_answers_and_edits(
    app: App, emu: BotApiEmulator, seen: Seen
) -> None:
    alice = emu.user(ALICE, "Alice")
    await alice.send("/start")
    reminder = await alice.wait_for_new_message()

    await alice.press(reminder, "Snooze")
    edited = await alice.wait_for(lambda m: m.text.startswith("✅ Aspirin"))
    answer = await alice.wait_for_answer()

    assert seen.callback_data == ["dose:7:snooze"]
    assert edited.message_id == reminder.message_id
    assert edited.text == "✅ Aspirin: snooze"
    assert edited.history == ["💊 Time for Aspirin 100 mg"]
    assert edited.buttons == []  # edited without reply_markup: keyboard removed
    assert answer.text == "Noted: snooze"
    assert alice.callback_answers == ["Noted: snooze"]
    assert len(alice.messages) == 1
    assert len(emu.calls("editMessageText")) == 1


async def test_send_document_round_trip(app: App, emu: BotApiEmulator, seen: Seen) -> None:
    alice = emu.user(ALICE, "Alice")
    await alice.send("/report")

    doc = await alice.wait_for_new_message()

    assert doc.kind == "document"
    assert doc.filename == "report.csv"
    assert doc.content == REPORT
    assert doc.caption == "Your adherence report"
    await seen.wait(lambda: seen.sent)
    assert seen.sent[0].document.file_name == "report.csv"
    assert seen.sent[0].document.file_size == len(REPORT)
    # A file_id we handed out can be re-sent without uploading again.
    again = await app.bot.send_document(ALICE, seen.sent[0].document.file_id)
    assert again.document.file_name == "report.csv"
    assert alice.messages[-1].content == REPORT


async def test_set_my_commands_is_recorded(app: App, emu: BotApiEmulator) -> None:
    commands = [BotCommand("start", "Start"), BotCommand("today", "Today's doses")]

    assert await app.bot.set_my_commands(commands)

    assert emu.commands == [
        {"command": "start", "description": "Start"},
        {"command": "today", "description": "Today's doses"},
    ]
    assert await app.bot.get_my_commands() == tuple(commands)
    # PTB's str.capitalize() turns "BOT_COMMAND_INVALID" into "Bot_command_invalid".
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await app.bot.set_my_commands([BotCommand("Today", "uppercase is invalid")])


async def test_blocked_user_gives_forbidden_and_a_member_update(
    app: App, emu: BotApiEmulator, seen: Seen
) -> None:
    alice = emu.user(ALICE, "Alice")
    alice.block()

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await app.bot.send_message(ALICE, "Time for your dose")
    await seen.wait(lambda: seen.updates)
    member = seen.updates[0].my_chat_member
    assert member is not None
    assert member.new_chat_member.status == "kicked"
    assert alice.messages == []

    alice.unblock()
    await app.bot.send_message(ALICE, "Welcome back")
    assert alice.last_message.text == "Welcome back"


# PTB itself reads the deprecated int-valued retry_after while building the exception.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_429_surfaces_as_retry_after(app: App, emu: BotApiEmulator) -> None:
    emu.fail_next("sendMessage", 429, retry_after=3)
    alice = emu.user(ALICE, "Alice")

    # Matching the message avoids PTB 22's deprecation warning on RetryAfter.retry_after.
    with pytest.raises(RetryAfter, match=r"Retry in (3 seconds|0:00:03)"):
        await app.bot.send_message(ALICE, "first try")

    await app.bot.send_message(ALICE, "second try")  # only the next call failed
    assert [m.text for m in alice.messages] == ["second try"]
    assert [p["text"] for p in emu.calls("sendMessage")] == ["first try", "second try"]


async def test_bad_requests_match_telegram(app: App, emu: BotApiEmulator) -> None:
    alice = emu.user(ALICE, "Alice")
    with pytest.raises(BadRequest, match="Chat not found"):
        await app.bot.send_message(424242, "nobody here")

    sent = await app.bot.send_message(ALICE, "Same")
    with pytest.raises(BadRequest, match="Message is not modified"):
        await app.bot.edit_message_text("Same", chat_id=ALICE, message_id=sent.message_id)

    with pytest.raises(BadRequest, match="Can't parse entities"):
        await app.bot.send_message(ALICE, "dose < 5 mg", parse_mode="HTML")

    long_data = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await app.bot.send_message(ALICE, "too much data", reply_markup=long_data)
    assert [m.text for m in alice.messages] == ["Same"]


async def test_group_command_with_mention_and_other_updates(
    app: App, emu: BotApiEmulator, seen: Seen
) -> None:
    alice = emu.user(ALICE, "Alice")
    await alice.send_in_group(-100123, "/start@medbot_demo_bot")
    group_reply = await emu.changed.wait_until(lambda: emu.sent_to(-100123) or None, 5)
    assert group_reply[0].buttons

    first = await alice.send("hello")
    await alice.wait_for(lambda m: m.text == "You said: hello")
    await alice.edit(first, "hello again")
    await alice.send_location(52.52, 13.40)
    await alice.send_sticker()
    await seen.wait(lambda: len(seen.updates) >= 5)

    group, _hello, edit, location, sticker = seen.updates[:5]
    assert group.effective_chat is not None and group.effective_chat.type == "supergroup"
    assert edit.edited_message is not None and edit.edited_message.text == "hello again"
    assert location.message is not None and location.message.location is not None
    assert location.message.location.longitude == pytest.approx(13.40)
    assert sticker.message is not None and sticker.message.sticker is not None
    assert sticker.message.sticker.emoji == "👍"


async def test_unknown_token_is_rejected(emu: BotApiEmulator) -> None:
    app = ApplicationBuilder().token("999:WRONG").base_url(emu.api_url).build()
    with pytest.raises(InvalidToken):
        await app.initialize()


async def test_long_poll_shutdown_is_fast(emu: BotApiEmulator, seen: Seen) -> None:
    app = build_app(emu, seen)
    assert app.updater is not None
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=30)
    await emu.updates_changed.wait_until(lambda: emu.poll_generation or None, 2)  # polling

    started = time.monotonic()
    await app.updater.stop()
    await app.stop()
    await app.shutdown()

    assert time.monotonic() - started < 2
    assert emu.poll_generation >= 2  # the final confirming getUpdates(timeout=0) arrived


async def test_forward_and_copy_put_a_message_in_another_chat(
    app: App, emu: BotApiEmulator
) -> None:
    alice, bob = emu.user(ALICE, "Alice"), emu.user(BOB, "Bob")
    note = await alice.send("BP 120/80 this morning")
    report = await app.bot.send_document(ALICE, InputFile(REPORT, filename="report.csv"))

    forwarded = await app.bot.forward_message(BOB, ALICE, note["message_id"])
    copied = await app.bot.copy_message(
        BOB, ALICE, report.message_id, caption="Alice's <b>report</b>", parse_mode="HTML"
    )

    assert isinstance(forwarded.forward_origin, MessageOriginUser)
    assert forwarded.forward_origin.sender_user.id == ALICE
    assert forwarded.text == "BP 120/80 this morning"
    assert isinstance(copied, MessageId)
    assert [m.message_id for m in bob.messages] == [forwarded.message_id, copied.message_id]
    copy = bob.last_message
    assert (copy.kind, copy.content, copy.caption) == ("document", REPORT, "Alice's report")
    with pytest.raises(BadRequest, match="Message to copy not found"):
        await app.bot.copy_message(BOB, ALICE, 999)
    with pytest.raises(BadRequest, match="Chat not found"):
        await app.bot.forward_message(BOB, 424242, 1)
