"""The emulator's wire protocol, spoken with a plain HTTP client: encodings, errors, polling."""

from __future__ import annotations

import asyncio
import time

import aiohttp

from bot.emulator import BotApiEmulator

from .conftest import TOKEN, call


async def test_unknown_token_and_unknown_method(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    assert await call(http, emu, "getMe", token="1:NOPE") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert await call(http, emu, "sendTelepathy") == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    status, body = await call(http, emu, "GETME")  # method names are case-insensitive
    assert (status, body["result"]["is_bot"], body["result"]["id"]) == (200, True, 123456)


async def test_json_body_and_query_string_are_accepted(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    alice = emu.user(1001, "Alice")
    url = f"{emu.base_url}/bot{TOKEN}/sendMessage"
    markup = {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]}
    async with http.post(url, json={"chat_id": 1001, "text": "json", "reply_markup": markup}):
        pass
    async with http.get(url, params={"chat_id": "1001", "text": "query"}) as response:
        body = await response.json()

    assert [m.text for m in alice.messages] == ["json", "query"]
    assert alice.messages[0].buttons[0][0].callback_data == "ok"
    assert body["result"]["chat"] == {"id": 1001, "type": "private", "first_name": "Alice"}
    assert emu.calls("sendMessage")[0]["reply_markup"] == markup


async def test_get_updates_offset_and_limit(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    alice = emu.user(1001, "Alice")
    for text in ("one", "two", "three"):
        await alice.send(text)

    _, first = await call(http, emu, "getUpdates", limit=2)
    ids = [u["update_id"] for u in first["result"]]
    _, again = await call(http, emu, "getUpdates", offset=ids[1])  # confirms the first
    _, rest = await call(http, emu, "getUpdates", offset=ids[1] + 2, timeout=0)

    assert [u["message"]["text"] for u in first["result"]] == ["one", "two"]
    assert [u["message"]["text"] for u in again["result"]] == ["two", "three"]
    assert rest["result"] == []
    assert emu.pending_updates == []


async def test_long_poll_returns_early_when_an_update_arrives(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    alice = emu.user(1001, "Alice")
    started = time.monotonic()
    poll = asyncio.create_task(call(http, emu, "getUpdates", timeout=10))
    await emu.updates_changed.wait_until(lambda: emu.poll_generation or None, 2)

    await alice.send("/start")
    _, body = await poll

    assert time.monotonic() - started < 2
    message = body["result"][0]["message"]
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]


async def test_long_poll_times_out_empty_and_newer_poll_conflicts(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    started = time.monotonic()
    assert (await call(http, emu, "getUpdates", timeout=0.2))[1]["result"] == []
    assert 0.15 < time.monotonic() - started < 1.5

    older = asyncio.create_task(call(http, emu, "getUpdates", timeout=10))
    await emu.updates_changed.wait_until(lambda: emu.poll_generation == 2 or None, 2)
    await call(http, emu, "getUpdates", timeout=0)
    status, body = await older
    assert status == 409
    assert "terminated by other getUpdates request" in body["description"]


async def test_stop_releases_a_pending_long_poll(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    poll = asyncio.create_task(call(http, emu, "getUpdates", timeout=30))
    await emu.updates_changed.wait_until(lambda: emu.poll_generation or None, 2)
    started = time.monotonic()

    await emu.stop()

    assert time.monotonic() - started < 1
    assert (await poll)[1]["result"] == []


async def test_multipart_upload_and_fault_injection_log(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    alice = emu.user(1001, "Alice")
    emu.fail_next("sendDocument", 500, times=2)
    form = aiohttp.FormData()
    form.add_field("chat_id", "1001")
    form.add_field("caption", "scan")
    form.add_field("document", b"%PDF-1.4", filename="rx.pdf", content_type="application/pdf")
    statuses = []
    for _ in range(3):
        async with http.post(f"{emu.base_url}/bot{TOKEN}/sendDocument", data=form) as response:
            statuses.append(response.status)
            body = await response.json()

    assert statuses == [500, 500, 200]
    assert body["result"]["document"]["file_name"] == "rx.pdf"
    assert body["result"]["caption"] == "scan"
    assert (alice.last_message.content, alice.last_message.mime_type) == (
        b"%PDF-1.4",
        "application/pdf",
    )
    assert len(emu.calls("sendDocument")) == 3  # failed attempts are logged too


async def test_callback_answers_are_single_use(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    alice = emu.user(1001, "Alice")
    markup = {"inline_keyboard": [[{"text": "✅ Taken", "callback_data": "t"}]]}
    await call(http, emu, "sendMessage", chat_id=1001, text="Dose?", reply_markup=markup)
    query_id = await alice.press(alice.last_message, 0)
    _, updates = await call(http, emu, "getUpdates")
    query = updates["result"][0]["callback_query"]

    first = await call(http, emu, "answerCallbackQuery", callback_query_id=query_id, text="ok")
    second = await call(http, emu, "answerCallbackQuery", callback_query_id=query_id)

    assert (query["id"], query["data"], query["from"]["id"]) == (query_id, "t", 1001)
    assert query["message"]["reply_markup"] == markup
    assert query["chat_instance"]
    assert first == (200, {"ok": True, "result": True})
    assert second[0] == 400 and "query is too old" in second[1]["description"]
    assert alice.callback_answers == ["ok"]


async def test_allowed_updates_filter_new_updates(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    alice = emu.user(1001, "Alice")
    await call(http, emu, "getUpdates", allowed_updates=["callback_query"], timeout=0)
    await alice.send("not delivered")
    assert emu.pending_updates == []

    await call(http, emu, "getUpdates", allowed_updates=[], timeout=0)  # back to default
    await alice.send("delivered")
    assert [u["message"]["text"] for u in emu.pending_updates] == ["delivered"]


async def test_every_logged_call_has_its_arrival_time(
    http: aiohttp.ClientSession, emu: BotApiEmulator
) -> None:
    before = time.monotonic()
    await call(http, emu, "getMe")
    await call(http, emu, "getUpdates", timeout=0)  # polling stays out of the log
    await call(http, emu, "sendMessage", chat_id=424242, text="nobody")
    after = time.monotonic()

    assert [c.method for c in emu.requests] == ["getMe", "sendMessage"]
    method, params, at = emu.requests[-1]
    assert (method, params["chat_id"]) == ("sendMessage", 424242)
    assert before <= emu.requests[0].at <= at <= after
