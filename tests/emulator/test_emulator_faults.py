"""Random faults: JSON 500s, nginx's HTML 502 and replies lost after the call was carried out."""

from __future__ import annotations

from collections import Counter

import aiohttp
import pytest
from telegram.error import NetworkError, TimedOut

from bot.emulator import BotApiEmulator
from bot.emulator.faults import BAD_GATEWAY_HTML

from .conftest import TOKEN, App, call

ALICE = 1001


async def test_injected_500_is_telegrams_json_and_nothing_is_done(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    alice = emu.user(ALICE, "Alice")
    emu.inject_faults(1.0, kinds=("500",), seed=1)

    sent = await call(http, emu, "sendMessage", chat_id=ALICE, text="Time for Aspirin")
    polled = await call(http, emu, "getUpdates", timeout=0)  # not faulted unless named

    assert sent == (500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})
    assert polled == (200, {"ok": True, "result": []})
    assert alice.messages == []
    assert emu.injected == Counter({"500": 1})
    assert len(emu.calls("sendMessage")) == 1  # the failed call is in the log
    assert emu.sent_times() == []  # and was never counted as sent


async def test_injected_502_is_an_nginx_html_page(
    http: aiohttp.ClientSession, emu: BotApiEmulator, app: App
) -> None:
    alice = emu.user(ALICE, "Alice")
    emu.inject_faults(1.0, kinds=("502_html",), methods={"sendMessage"})

    url = f"{emu.base_url}/bot{TOKEN}/sendMessage"
    async with http.post(url, data={"chat_id": str(ALICE), "text": "hi"}) as response:
        status, content_type, body = (
            response.status,
            response.headers["Content-Type"],
            await response.text(),
        )
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await app.bot.send_message(ALICE, "Time for Aspirin")

    assert (status, content_type, body) == (502, "text/html", BAD_GATEWAY_HTML)
    assert alice.messages == []
    assert emu.injected == Counter({"502_html": 2})


async def test_slow_fault_sends_the_message_but_the_reply_is_lost(
    emu: BotApiEmulator, app: App
) -> None:
    alice = emu.user(ALICE, "Alice")
    emu.inject_faults(1.0, kinds=("slow",), methods={"sendMessage"}, slow_seconds=3)

    # A short read timeout stands in for PTB's 5 s default against the 7 s default delay.
    with pytest.raises(TimedOut):
        await app.bot.send_message(ALICE, "Time for Aspirin", read_timeout=0.3)
    with pytest.raises(TimedOut):
        await app.bot.send_message(424242, "nobody here", read_timeout=0.3)

    assert [m.text for m in alice.messages] == ["Time for Aspirin"]  # it was really sent
    assert emu.injected == Counter({"slow": 2})
    assert emu.lost_replies == 1  # only the call that succeeded can cause a duplicate
    assert emu.lost_reply_calls == [("sendMessage", ALICE)]


async def test_slow_fault_delays_the_reply_by_slow_seconds(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    alice = emu.user(ALICE, "Alice")
    emu.inject_faults(1.0, kinds=("slow",), slow_seconds=0.3)

    status, body = await call(http, emu, "sendMessage", chat_id=ALICE, text="late")

    assert (status, body["result"]["text"]) == (200, "late")
    assert alice.last_message.text == "late"
    assert emu.requests[-1].at + 0.25 < emu.monotonic()  # the reply came slow_seconds later


async def statuses(http: aiohttp.ClientSession, emu: BotApiEmulator, count: int) -> list[int]:
    found = []
    for _ in range(count):
        async with http.post(f"{emu.base_url}/bot{TOKEN}/getMe") as response:
            found.append(response.status)
    return found


async def test_a_seed_makes_the_faults_reproducible(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    emu.inject_faults(0.5, kinds=("500", "502_html"), seed=42)
    first = await statuses(http, emu, 40)
    emu.inject_faults(0.5, kinds=("500", "502_html"), seed=42)
    again = await statuses(http, emu, 40)
    emu.inject_faults(0)
    off = await statuses(http, emu, 5)

    assert first == again
    assert set(first) == {200, 500, 502}
    assert emu.injected == Counter({"500": 2 * first.count(500), "502_html": 2 * first.count(502)})
    assert off == [200] * 5


async def test_methods_choose_what_fails_and_fail_next_comes_first(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    emu.user(ALICE, "Alice")
    emu.inject_faults(1.0, kinds=("500",), methods={"SENDMESSAGE", "getUpdates"})
    emu.fail_next("sendMessage", 403)

    me = await call(http, emu, "getMe")
    forbidden = await call(http, emu, "sendMessage", chat_id=ALICE, text="a")
    failed = await call(http, emu, "sendmessage", chat_id=ALICE, text="b")
    polled = await call(http, emu, "getUpdates", timeout=0)

    assert me[0] == 200
    assert forbidden[0] == 403  # fail_next takes precedence and draws no random fault
    assert (failed[0], polled[0]) == (500, 500)
    assert emu.injected == Counter({"500": 2})


def test_bad_fault_settings_are_refused(emu: BotApiEmulator) -> None:
    with pytest.raises(ValueError, match="probability"):
        emu.inject_faults(1.5)
    with pytest.raises(ValueError, match="kinds"):
        emu.inject_faults(0.5, kinds=("teapot",))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kinds"):
        emu.inject_faults(0.5, kinds=())
