"""The simulated world: users' actions and waits, entities, parse modes, message lifecycle."""

from __future__ import annotations

import aiohttp
import pytest

from bot.emulator import ApiError, BotApiEmulator
from bot.emulator.markup import render
from bot.emulator.objects import command_entities

from .conftest import call

KEYBOARD = {
    "inline_keyboard": [
        [
            {"text": "✅ Taken", "callback_data": "taken"},
            {"text": "⏰ Snooze 10", "callback_data": "s10"},
        ],
        [
            {"text": "⏰ Snooze 30", "callback_data": "s30"},
            {"text": "Help", "url": "https://x.org"},
        ],
    ]
}


def test_command_entities_use_utf16_offsets() -> None:
    # 💊 is 2 UTF-16 units: offsets must count it twice, like Telegram does.
    assert command_entities("💊 /start now") == [{"type": "bot_command", "offset": 3, "length": 6}]
    assert command_entities("/start@medbot_demo_bot x /help") == [
        {"type": "bot_command", "offset": 0, "length": 22},
        {"type": "bot_command", "offset": 25, "length": 5},
    ]
    assert command_entities("5/2 and a/b") == []


def test_parse_modes_render_and_reject_like_telegram() -> None:
    assert render("<b>Aspirin</b> &lt;5&gt; &amp; <i>more</i>", "HTML") == "Aspirin <5> & more"
    assert render(r"*Dose* 1\.5 mg \- ok", "MarkdownV2") == "Dose 1.5 mg - ok"
    assert render("[site](https://x.org) _it_", "Markdown") == "site it"
    assert render("<b>raw</b>", None) == "<b>raw</b>"
    for text, mode in [
        ("<b>unclosed", "HTML"),
        ("<blink>x</blink>", "HTML"),
        ("<b><i>x</b></i>", "HTML"),
        ("1.5 mg", "MarkdownV2"),
        ("*bold", "MarkdownV2"),
        ("take_dose", "Markdown"),  # one "_" opens italics that never close
    ]:
        with pytest.raises(ApiError, match="can't parse entities") as caught:
            render(text, mode)
        assert caught.value.error_code == 400


async def test_press_picks_buttons_and_refuses_bad_ones(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    alice = emu.user(1001, "Alice")
    await call(http, emu, "sendMessage", chat_id=1001, text="Dose?", reply_markup=KEYBOARD)
    msg = alice.last_message

    await alice.press(msg, "Taken")
    await alice.press(msg, "⏰ Snooze 30")  # exact label
    await alice.press(msg.message_id, 1)  # flat index across rows
    for bad in ("Snooze", "Nope", 9, "Help"):  # ambiguous, missing, out of range, url button
        with pytest.raises(LookupError):
            await alice.press(msg, bad)

    data = [u["callback_query"]["data"] for u in emu.pending_updates]
    assert data == ["taken", "s30", "s10"]
    assert alice.buttons() == ["✅ Taken", "⏰ Snooze 10", "⏰ Snooze 30", "Help"]


async def test_wait_for_new_message_walks_the_chat_in_order(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    alice = emu.user(1001, "Alice")
    await call(http, emu, "sendMessage", chat_id=1001, text="before")
    await alice.send("hi")
    for text in ("one", "two"):
        await call(http, emu, "sendMessage", chat_id=1001, text=text)

    assert (await alice.wait_for_new_message()).text == "one"
    assert (await alice.wait_for_new_message()).text == "two"
    with pytest.raises(TimeoutError, match="no a new message within"):
        await alice.wait_for_new_message(timeout=0.05)
    assert [m.text for m in await alice.wait_for_messages(3)] == ["before", "one", "two"]


async def test_edits_deletes_and_errors_on_the_message_lifecycle(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    alice = emu.user(1001, "Alice")
    _, sent = await call(http, emu, "sendMessage", chat_id=1001, text="v1", reply_markup=KEYBOARD)
    message_id = sent["result"]["message_id"]
    mine = await alice.send("my own words")

    _, edit = await call(http, emu, "editMessageReplyMarkup", chat_id=1001, message_id=message_id)
    same = await call(http, emu, "editMessageReplyMarkup", chat_id=1001, message_id=message_id)
    not_mine = await call(
        http, emu, "editMessageText", chat_id=1001, message_id=mine["message_id"], text="x"
    )
    await call(http, emu, "deleteMessage", chat_id=1001, message_id=message_id)
    gone = await call(http, emu, "deleteMessage", chat_id=1001, message_id=message_id)

    assert "reply_markup" not in edit["result"]
    assert same[0] == 400 and "message is not modified" in same[1]["description"]
    assert not_mine[1]["description"] == "Bad Request: message can't be edited"
    assert gone[1]["description"] == "Bad Request: message to delete not found"
    assert alice.messages == []
    assert emu.sent_to(1001, include_deleted=True)[0].deleted


async def test_writing_again_unblocks_and_queues_member_updates(emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    emu.block(1001)
    assert 1001 in emu.blocked

    await alice.send("/start")

    assert 1001 not in emu.blocked
    kinds = [next(k for k in u if k != "update_id") for u in emu.pending_updates]
    assert kinds == ["my_chat_member", "my_chat_member", "message"]
    statuses = [u["my_chat_member"]["new_chat_member"]["status"] for u in emu.pending_updates[:2]]
    assert statuses == ["kicked", "member"]


async def test_user_edit_queues_edited_message(emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    first = await alice.send("200 mg")

    edited = await alice.edit(first, "/dose 100 mg")

    update = emu.pending_updates[-1]["edited_message"]
    assert update == edited
    assert (update["message_id"], update["text"]) == (first["message_id"], "/dose 100 mg")
    assert update["entities"][0]["type"] == "bot_command"
    assert "edit_date" in update
    with pytest.raises(LookupError):
        await alice.edit(999, "no such message")
