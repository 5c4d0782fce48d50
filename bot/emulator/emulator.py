"""BotApiEmulator: runs the fake Bot API server and is the test-facing handle to the world."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from bot.emulator.objects import private_chat_json, user_json
from bot.emulator.records import ApiCall, ApiError, Fault, UploadedFile
from bot.emulator.server import build_app
from bot.emulator.users import SimUser
from bot.emulator.world import World

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class BotApiEmulator(World):
    """A local Telegram Bot API. PTB talks HTTP to it; tests drive simulated users."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",  # noqa: S107 - a fake token for a fake server
        bot_username: str = "medbot_demo_bot",
        *,
        bot_name: str = "MedBot",
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        bot_id = int(token.split(":")[0]) if token.split(":")[0].isdigit() else 1
        super().__init__(user_json(bot_id, bot_name, username=bot_username, is_bot=True), clock)
        self.token = token
        self.host = host
        self.port = port
        self.requests: list[ApiCall] = []  # every call but getUpdates, in arrival order
        self.commands: list[dict[str, str]] = []  # the last setMyCommands list, any scope
        self.commands_by_scope: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.menu_button: dict[str, Any] = {"type": "default"}
        self.profile: dict[tuple[str, str], str] = {}  # (name|description|..., language)
        self.webhook_url = ""
        self.files: dict[str, UploadedFile] = {}  # by file_id, so the bot can re-send them
        self.internal_errors: list[BaseException] = []  # emulator bugs (answered with 500)
        self.closing = False
        self.poll_generation = 0
        self._faults: list[Fault] = []
        self._users: dict[int, SimUser] = {}
        self._runner: web.AppRunner | None = None

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        self.closing = False
        # handler_cancellation: a long poll whose client went away (PTB stopping) ends at once.
        runner = web.AppRunner(build_app(self), handler_cancellation=True, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        self.port = runner.addresses[0][1]

    async def stop(self) -> None:
        self.closing = True
        self.updates_changed.fire()  # release waiting getUpdates calls with []
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """The API root, e.g. http://127.0.0.1:PORT (PTB base_url is this + "/bot")."""
        if self._runner is None:
            raise RuntimeError("BotApiEmulator is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """Value for PTB's ApplicationBuilder().base_url(...)."""
        return f"{self.base_url}/bot"

    @property
    def file_url(self) -> str:
        """Value for PTB's ApplicationBuilder().base_file_url(...)."""
        return f"{self.base_url}/file/bot"

    # -- the simulated people -----------------------------------------------------------

    def user(
        self,
        user_id: int = 1001,
        first_name: str = "Alice",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> SimUser:
        """The simulated person `user_id` (created on first call); their chat id is user_id."""
        if user_id not in self._users:
            person = user_json(
                user_id,
                first_name,
                last_name=last_name,
                username=username,
                language_code=language_code,
            )
            self.add_person(person, private_chat_json(person))
            self._users[user_id] = SimUser(self, person)
        return self._users[user_id]

    def block(self, user_id: int, *, notify: bool = True) -> None:
        """The person blocks the bot: sends to them fail with 403 from now on."""
        if user_id not in self.blocked:
            self.blocked.add(user_id)
            if notify and user_id in self.people:
                self._member_update(user_id, "member", "kicked")
            self.changed.fire()

    def unblock(self, user_id: int, *, notify: bool = True) -> None:
        if user_id in self.blocked:
            self.blocked.discard(user_id)
            if notify and user_id in self.people:
                self._member_update(user_id, "kicked", "member")
            self.changed.fire()

    def _member_update(self, user_id: int, old: str, new: str) -> None:
        # Telegram tells the bot about blocks with a my_chat_member update.
        def member(status: str) -> dict[str, Any]:
            extra = {"until_date": 0} if status == "kicked" else {}
            return {"user": self.bot_user, "status": status, **extra}

        self.enqueue(
            "my_chat_member",
            {
                "chat": self.chats[user_id],
                "from": self.people[user_id],
                "date": self.now(),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )

    # -- fault injection and the request log ---------------------------------------------

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail with `error_code` (429: RetryAfter)."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if error_code == 429
                else _DEFAULT_DESCRIPTIONS.get(error_code, "Bad Request: injected failure")
            )
        error = ApiError(error_code, description, retry_after)
        self._faults.append(Fault(method.lower(), error, times))

    def take_fault(self, method: str) -> ApiError | None:
        for fault in self._faults:
            if fault.method == method.lower():
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault.error
        return None

    def record(self, method: str, params: dict[str, Any]) -> None:
        self.requests.append(ApiCall(method, params))

    def calls(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every received call of `method` (case-insensitive), in order."""
        return [call.params for call in self.requests if call.method.lower() == method.lower()]

    async def wait_delivered(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has fetched and confirmed every queued update."""
        await self.updates_changed.wait_until(
            lambda: True if not self.pending_updates else None, timeout
        )
