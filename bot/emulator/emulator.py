"""BotApiEmulator: runs the fake Bot API server and is the test-facing handle to the world."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from bot.emulator.objects import private_chat_json, user_json
from bot.emulator.records import UploadedFile
from bot.emulator.server import build_app
from bot.emulator.traffic import Traffic
from bot.emulator.users import SimUser
from bot.emulator.world import World


class BotApiEmulator(World, Traffic):
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
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        bot_id = int(token.split(":")[0]) if token.split(":")[0].isdigit() else 1
        World.__init__(self, user_json(bot_id, bot_name, username=bot_username, is_bot=True), clock)
        Traffic.__init__(self, monotonic)
        self.token = token
        self.host = host
        self.port = port
        self.commands: list[dict[str, str]] = []  # the last setMyCommands list, any scope
        self.commands_by_scope: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.menu_button: dict[str, Any] = {"type": "default"}
        self.profile: dict[tuple[str, str], str] = {}  # (name|description|..., language)
        self.webhook_url = ""
        self.files: dict[str, UploadedFile] = {}  # by file_id, so the bot can re-send them
        self.internal_errors: list[BaseException] = []  # emulator bugs (answered with 500)
        self.closing = False
        self.poll_generation = 0
        self._users: dict[int, SimUser] = {}
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None  # None while offline

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        self.closing = False
        # handler_cancellation: a long poll whose client went away (PTB stopping) ends at once.
        runner = web.AppRunner(build_app(self), handler_cancellation=True, shutdown_timeout=1.0)
        await runner.setup()
        self._runner = runner
        await self.go_online()
        self.port = runner.addresses[0][1]  # the port chosen for port=0, kept for go_online

    async def stop(self) -> None:
        self.closing = True
        self.updates_changed.fire()  # release waiting getUpdates calls with []
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._site = None

    async def go_offline(self) -> None:
        """An outage: refuse new connections and cut open ones; all state is kept.

        Calls in flight (a long poll, a slow reply) end with a broken connection, as when
        Telegram drops off the network. Users can still send; their updates wait in the queue.
        """
        if self._runner is None:
            raise RuntimeError("BotApiEmulator is not started")
        if self._site is None:
            return
        site, self._site = self._site, None
        await site.stop()  # closes the listening socket
        server = self._runner.server
        for connection in server.connections if server is not None else []:
            # handler_cancellation: closing the transport also cancels the call it serves.
            connection.force_close()

    async def go_online(self) -> None:
        """Listen again on the same port, so a bot with the old base URL reconnects."""
        if self._runner is None:
            raise RuntimeError("BotApiEmulator is not started")
        if self._site is None:
            site = web.TCPSite(self._runner, self.host, self.port)
            await site.start()
            self._site = site

    @property
    def online(self) -> bool:
        return self._site is not None

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

    async def wait_delivered(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has fetched and confirmed every queued update."""
        await self.updates_changed.wait_until(
            lambda: True if not self.pending_updates else None, timeout
        )
