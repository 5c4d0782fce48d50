"""Strict rate limits: sliding one-second windows overall, per chat and for paid broadcasts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram.error import RetryAfter

from bot.emulator import BotApiEmulator
from bot.emulator.limits import RateLimits, Window

from .conftest import App, Ticker, call

ALICE, BOB = 1001, 1002


def too_many(retry_after: int) -> tuple[int, dict[str, object]]:
    return 429, {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {retry_after}",
        "parameters": {"retry_after": retry_after},
    }


async def send(
    http: aiohttp.ClientSession, emu: BotApiEmulator, chat_id: int, **extra: Any
) -> tuple[int, dict[str, Any]]:
    return await call(http, emu, "sendMessage", chat_id=chat_id, text="💊 Aspirin", **extra)


async def test_limits_are_off_by_default_but_sent_times_are_recorded(
    http: aiohttp.ClientSession, ticked: BotApiEmulator, ticker: Ticker
) -> None:
    emu = ticked
    emu.user(ALICE, "Alice")
    statuses = [(await send(http, emu, ALICE))[0] for _ in range(5)]
    ticker.advance(0.25)
    _, sent = await send(http, emu, ALICE)
    message_id = sent["result"]["message_id"]
    await call(http, emu, "editMessageText", chat_id=ALICE, message_id=message_id, text="✅")
    await call(http, emu, "getMe")

    assert statuses == [200] * 5
    assert emu.rate_limited == 0
    assert emu.sent_times("sendMessage") == [1000.0] * 5 + [1000.25]
    assert emu.sent_times("EDITMESSAGETEXT") == [1000.25]
    assert len(emu.sent_times()) == 7  # getMe is not a message-sending method


async def test_per_chat_limit_refuses_a_second_message_within_a_second(
    http: aiohttp.ClientSession, ticked: BotApiEmulator, ticker: Ticker
) -> None:
    emu = ticked
    emu.user(ALICE, "Alice")
    emu.user(BOB, "Bob")
    emu.limit_rate(per_second=30, per_chat_per_second=1.0)
    _, first = await send(http, emu, ALICE)
    message_id = first["result"]["message_id"]

    ticker.advance(0.4)
    again = await send(http, emu, ALICE)
    edit = await call(http, emu, "editMessageText", chat_id=ALICE, message_id=message_id, text="x")
    other_chat = await send(http, emu, BOB)
    ticker.advance(0.6)  # exactly one second after the first: its window has passed
    later = await send(http, emu, ALICE)

    assert again == too_many(1)
    assert edit == too_many(1)  # edits land in the chat too
    assert other_chat[0] == later[0] == 200
    assert emu.rate_limited == 2
    assert emu.sent_times() == [1000.0, 1000.4, 1001.0]  # refused calls are not counted
    assert len(emu.calls("sendMessage")) == 4  # ...but they are in the request log


async def test_methods_that_send_nothing_are_never_limited(
    http: aiohttp.ClientSession, ticked: BotApiEmulator
) -> None:
    emu = ticked
    alice = emu.user(ALICE, "Alice")
    emu.limit_rate(per_second=1, per_chat_per_second=1)
    keys = {"inline_keyboard": [[{"text": "✅ Taken", "callback_data": "t"}]]}
    await send(http, emu, ALICE, reply_markup=keys)  # both windows are now full
    query_id = await alice.press(alice.last_message, "Taken")

    results = [
        await call(http, emu, "getMe"),
        await call(http, emu, "getUpdates", timeout=0),
        await call(http, emu, "answerCallbackQuery", callback_query_id=query_id, text="Noted"),
        await call(http, emu, "sendChatAction", chat_id=ALICE, action="typing"),
        await call(http, emu, "setMyCommands", commands=[{"command": "a", "description": "A"}]),
        await call(http, emu, "deleteMessage", chat_id=ALICE, message_id=1),
    ]

    assert [status for status, _ in results] == [200] * 6
    assert (await send(http, emu, ALICE))[0] == 429  # while sending is still refused
    assert emu.rate_limited == 1


async def test_overall_limit_is_a_sliding_window(
    http: aiohttp.ClientSession, ticked: BotApiEmulator, ticker: Ticker
) -> None:
    emu = ticked
    chats = iter(range(1, 20))
    for chat_id in range(1, 20):
        emu.user(chat_id, f"Patient {chat_id}")
    emu.limit_rate(per_second=3, per_chat_per_second=1)

    async def burst(count: int) -> list[int]:
        return [(await send(http, emu, next(chats)))[0] for _ in range(count)]

    at_0 = await burst(2)
    ticker.advance(0.5)
    at_05 = await burst(1)
    ticker.advance(0.1)
    refused_at_06 = await send(http, emu, next(chats))  # 3 calls in (-0.4, 0.6]
    ticker.advance(0.4)
    at_1 = await burst(3)  # the two calls at 0 have left; the refused one never counted

    assert (at_0, at_05) == ([200, 200], [200])
    assert refused_at_06 == too_many(1)  # room again at 1.0: 0.4 s, rounded up to 1
    assert at_1 == [200, 200, 429]
    assert emu.rate_limited == 2
    assert emu.sent_times() == [1000.0, 1000.0, 1000.5, 1001.0, 1001.0]


async def test_paid_broadcast_has_its_own_overall_limit_but_keeps_the_chat_limit(
    http: aiohttp.ClientSession, ticked: BotApiEmulator
) -> None:
    emu = ticked
    for chat_id in range(1, 6):
        emu.user(chat_id, f"Patient {chat_id}")
    emu.limit_rate(per_second=1, per_chat_per_second=1, paid_per_second=3)

    regular = [(await send(http, emu, chat_id))[0] for chat_id in (1, 2)]
    paid = [(await send(http, emu, c, allow_paid_broadcast=True))[0] for c in (2, 3, 4, 5, 1)]

    assert regular == [200, 429]
    assert paid == [200, 200, 200, 429, 429]  # 5: paid limit; 1: chat 1 had a message
    assert [p.get("allow_paid_broadcast") for p in emu.calls("sendMessage")] == [
        None,
        None,
        *[True] * 5,
    ]


async def test_rates_below_one_per_second_use_a_longer_window(
    http: aiohttp.ClientSession, ticked: BotApiEmulator, ticker: Ticker
) -> None:
    emu = ticked
    emu.user(ALICE, "Alice")
    emu.limit_rate(per_second=30, per_chat_per_second=0.25)  # one message in any 4 s

    first = await send(http, emu, ALICE)
    ticker.advance(1.0)
    after_1s = await send(http, emu, ALICE)
    ticker.advance(2.5)
    after_35s = await send(http, emu, ALICE)
    ticker.advance(0.5)
    after_4s = await send(http, emu, ALICE)

    assert (first[0], after_4s[0]) == (200, 200)
    assert after_1s == too_many(3)
    assert after_35s == too_many(1)


async def test_limit_rate_none_switches_off_and_a_new_setting_starts_fresh(
    http: aiohttp.ClientSession, ticked: BotApiEmulator
) -> None:
    emu = ticked
    emu.user(ALICE, "Alice")
    emu.limit_rate()  # Telegram's figures: 30/s, 1/s per chat, 1000/s paid
    limited = [(await send(http, emu, ALICE))[0] for _ in range(2)]
    emu.limit_rate(None)
    unlimited = [(await send(http, emu, ALICE))[0] for _ in range(2)]
    emu.limit_rate()
    fresh = [(await send(http, emu, ALICE))[0] for _ in range(2)]

    assert (limited, unlimited, fresh) == ([200, 429], [200, 200], [200, 429])


async def test_forward_and_copy_count_against_the_destination_chat(
    http: aiohttp.ClientSession, ticked: BotApiEmulator
) -> None:
    emu = ticked
    alice = emu.user(ALICE, "Alice")
    emu.user(BOB, "Bob")
    note = await alice.send("my readings")
    emu.limit_rate(per_second=30, per_chat_per_second=1)
    source = {"from_chat_id": ALICE, "message_id": note["message_id"]}

    forwarded = await call(http, emu, "forwardMessage", chat_id=BOB, **source)
    copied = await call(http, emu, "copyMessage", chat_id=BOB, **source)
    to_alice = await call(http, emu, "copyMessage", chat_id=ALICE, **source)

    assert (forwarded[0], copied, to_alice[0]) == (200, too_many(1), 200)
    assert emu.sent_times("forwardMessage") == emu.sent_times("copyMessage") == [1000.0]


# PTB itself reads the deprecated int-valued retry_after while building the exception.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_ptb_gets_retry_after_from_the_limits(app: App, emu: BotApiEmulator) -> None:
    alice, bob = emu.user(ALICE, "Alice"), emu.user(BOB, "Bob")
    emu.limit_rate(per_second=30, per_chat_per_second=1.0)

    await app.bot.send_message(ALICE, "Time for Aspirin")
    with pytest.raises(RetryAfter, match=r"Retry in (1 seconds?|0:00:01)"):
        await app.bot.send_message(ALICE, "Time for Aspirin, again")
    await app.bot.send_message(BOB, "Alice took Aspirin", allow_paid_broadcast=True)

    assert [m.text for m in alice.messages] == ["Time for Aspirin"]
    assert [m.text for m in bob.messages] == ["Alice took Aspirin"]
    assert emu.rate_limited == 1
    assert emu.calls("sendMessage")[-1]["allow_paid_broadcast"] is True
    times = emu.sent_times("sendMessage")
    assert len(times) == 2 and times[0] <= times[1]
    assert [call.at for call in emu.requests] == sorted(call.at for call in emu.requests)


# -- the windows themselves, against a brute-force reading of the rule ----------------------

Event = tuple[float, int, bool]  # (at, chat, paid)


def _fits(accepted: list[Event], at: float, *, rate: float, scope: Callable[[Event], bool]) -> bool:
    window = Window.for_rate(rate)
    start = at - window.seconds + 1e-9  # the window is (at - seconds, at], float noise aside
    inside = [e for e in accepted if scope(e) and start < e[0] <= at]
    return len(inside) < window.capacity


@given(
    st.lists(
        st.tuples(
            st.integers(0, 400).map(lambda tenths: tenths / 10),
            st.integers(1, 3),
            st.booleans(),
        ),
        max_size=60,
    ),
    st.sampled_from([(3.0, 1.0, 5.0), (2.0, 0.5, 2.0), (30.0, 1.0, 1000.0)]),
)
def test_windows_accept_exactly_what_the_rule_allows(
    events: list[Event], rates: tuple[float, float, float]
) -> None:
    overall, per_chat, paid_rate = rates
    limits = RateLimits(per_second=overall, per_chat_per_second=per_chat, paid_per_second=paid_rate)
    accepted: list[Event] = []
    for at, chat, paid in sorted(events):

        def fits(when: float, chat: int = chat, paid: bool = paid) -> bool:
            same_kind = _fits(
                accepted,
                when,
                rate=paid_rate if paid else overall,
                scope=lambda e: e[2] == paid,
            )
            return same_kind and _fits(accepted, when, rate=per_chat, scope=lambda e: e[1] == chat)

        retry_after = limits.admit(chat, paid=paid, now=at)
        assert (retry_after is None) == fits(at)
        if retry_after is None:
            accepted.append((at, chat, paid))
        else:
            # The smallest whole number of seconds after which this call would fit.
            assert retry_after >= 1 and fits(at + retry_after)
            assert retry_after == 1 or not fits(at + retry_after - 1)
