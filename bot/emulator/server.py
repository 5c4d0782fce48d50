"""The aiohttp application: routes /bot<token>/<method> to the method handlers like Telegram."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.emulator import forwarding, messaging, settings, updates
from bot.emulator.faults import BAD_GATEWAY_HTML, FaultKind
from bot.emulator.params import decode, read_raw
from bot.emulator.records import ApiError

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator

Handler = Callable[["BotApiEmulator", dict[str, Any]], Awaitable[Any]]

# Telegram method names are case-insensitive, so handlers are keyed in lowercase.
HANDLERS: dict[str, Handler] = {
    **settings.HANDLERS,
    **updates.HANDLERS,
    **messaging.HANDLERS,
    **forwarding.HANDLERS,
}

_MAX_UPLOAD = 50 * 1024 * 1024  # the Bot API's upload limit for bots
_log = logging.getLogger(__name__)


def _reply(error: ApiError) -> web.Response:
    return web.json_response(error.payload(), status=error.error_code)


def _record(emu: BotApiEmulator, method: str, params: dict[str, Any]) -> None:
    # Every received call is logged, failed ones included, except the endless polling.
    if method.lower() != "getupdates":
        emu.record(method, params)


async def _params(emu: BotApiEmulator, method: str, request: web.Request) -> dict[str, Any]:
    """Decode and record one call's parameters; raises ApiError for undecodable ones."""
    raw = await read_raw(request)
    try:
        params = decode(raw)
    except ApiError:
        _record(emu, method, raw)
        raise
    _record(emu, method, params)
    return params


def _handler(method: str) -> Handler:
    handler = HANDLERS.get(method.lower())
    if handler is None:
        # Telegram's answer to unknown methods; PTB turns a 404 into InvalidToken, so say why.
        _log.warning("Bot API emulator: method %r is not emulated", method)
        raise ApiError(404, "Not Found")
    return handler


async def _handle(emu: BotApiEmulator, request: web.Request) -> web.Response:
    if request.match_info["token"] != emu.token:
        return _reply(ApiError(401, "Unauthorized"))
    method = request.match_info["method"]
    fault: FaultKind | None = None
    delay = 0.0
    try:
        params = await _params(emu, method, request)
        handler = _handler(method)
        fault = emu.screen(method)  # before the limits: a 500 or 502 never reached the API
        delay = emu.slow_seconds if fault == "slow" else 0.0
        if fault == "502_html":
            # Bytes, so the header is nginx's bare "text/html" without a charset.
            return web.Response(
                status=502, body=BAD_GATEWAY_HTML.encode(), content_type="text/html"
            )
        emu.admit(method, params)
        result = await handler(emu, params)
    except ApiError as error:
        response = _reply(error)
    except Exception as exc:
        # A bug in the emulator must not look like a Telegram answer; tests can assert on it.
        _log.exception("emulator failed on %s", request.path)
        emu.internal_errors.append(exc)
        response = _reply(ApiError(500, f"Internal Server Error: emulator bug: {exc!r}"))
    else:
        response = web.json_response({"ok": True, "result": result})
        if fault == "slow":
            emu.lose_reply(method, params)
    if delay:
        # The work is done but the client times out first: it cannot know the call succeeded.
        await asyncio.sleep(delay)
    return response


async def _not_found(request: web.Request) -> web.Response:
    # Includes /file/bot<token>/...: file downloads are not emulated.
    return _reply(ApiError(404, "Not Found"))


def build_app(emu: BotApiEmulator) -> web.Application:
    app = web.Application(client_max_size=_MAX_UPLOAD)
    app.router.add_route("*", "/bot{token}/{method}", partial(_handle, emu))
    app.router.add_route("*", "/{tail:.*}", _not_found)
    return app
