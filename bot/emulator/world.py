"""The simulated Telegram state: chats, their messages, the update queue and change signals."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from bot.emulator.objects import message_json
from bot.emulator.records import ApiError, CallbackAnswer, ChatEvent, ChatMessage
from bot.emulator.waiting import Signal

# Telegram's default when allowed_updates was never set: everything but these.
_NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class World:
    """State shared by the HTTP methods (bot side) and the simulated users (person side)."""

    def __init__(self, bot_user: dict[str, Any], clock: Callable[[], float] = time.time) -> None:
        self.bot_user = bot_user
        self._clock = clock
        self.chats: dict[int, dict[str, Any]] = {}  # Chat JSON by chat id
        self.people: dict[int, dict[str, Any]] = {}  # User JSON by user id
        self.blocked: set[int] = set()
        self.callback_answers: dict[str, CallbackAnswer] = {}
        self._pending_queries: dict[str, int] = {}  # callback query id -> chat id
        self._last_query_id = 0
        self._messages: dict[int, list[ChatMessage]] = {}
        self._last_message_id: dict[int, int] = {}
        self._updates: list[dict[str, Any]] = []
        self._last_update_id = 0
        self.allowed_updates: list[str] | None = None
        self._subscribers: dict[int, list[asyncio.Queue[ChatEvent]]] = {}
        self.changed = Signal()  # bot-side changes: messages, edits, answers, blocks
        self.updates_changed = Signal()  # new updates, confirmations, shutdown

    def now(self) -> int:
        return int(self._clock())

    # -- chats and messages -------------------------------------------------------------

    def add_person(self, user: dict[str, Any], chat: dict[str, Any]) -> None:
        self.people[user["id"]] = user
        self.chats.setdefault(chat["id"], chat)

    def chat(self, chat_id: Any) -> dict[str, Any]:
        """Chat JSON for a chat the bot can write to, or the API error Telegram gives."""
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        if chat_id in (None, ""):
            raise ApiError(400, "Bad Request: chat_id is empty")
        if not isinstance(chat_id, int) or chat_id not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return self.chats[chat_id]

    def history(self, chat_id: int) -> list[ChatMessage]:
        """Every message of a chat in order, from both sides, deleted ones included."""
        return self._messages.get(chat_id, [])

    def sent_to(self, chat_id: int, *, include_deleted: bool = False) -> list[ChatMessage]:
        """Messages the bot sent to a chat, in order, in their current (edited) state."""
        return [
            m for m in self.history(chat_id) if m.from_bot and (include_deleted or not m.deleted)
        ]

    def find_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        for msg in self.history(chat_id):
            if msg.message_id == message_id:
                return msg
        return None

    def new_message_id(self, chat_id: int) -> int:
        # Message ids count up per chat, shared by both sides, as in private chats.
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def add_message(self, msg: ChatMessage) -> None:
        self._messages.setdefault(msg.chat_id, []).append(msg)
        if msg.from_bot:
            self.emit(msg.chat_id, ChatEvent("message", message=msg))

    def message_json(self, msg: ChatMessage) -> dict[str, Any]:
        sender = self.bot_user if msg.from_bot else self.people[msg.sender_id]
        return message_json(msg, self.chats[msg.chat_id], sender)

    # -- events for waiters and subscribers ---------------------------------------------

    def subscribe(self, chat_id: int) -> asyncio.Queue[ChatEvent]:
        """A queue receiving every ChatEvent (bot messages, edits, deletes, answers) of a chat."""
        queue: asyncio.Queue[ChatEvent] = asyncio.Queue()
        self._subscribers.setdefault(chat_id, []).append(queue)
        return queue

    def unsubscribe(self, chat_id: int, queue: asyncio.Queue[ChatEvent]) -> None:
        queues = self._subscribers.get(chat_id, [])
        if queue in queues:
            queues.remove(queue)

    def emit(self, chat_id: int, event: ChatEvent) -> None:
        for queue in self._subscribers.get(chat_id, []):
            queue.put_nowait(event)
        self.changed.fire()

    # -- callback queries ---------------------------------------------------------------

    def open_query(self, chat_id: int) -> str:
        """A fresh callback query id, awaiting exactly one answerCallbackQuery."""
        self._last_query_id += 1
        query_id = str(4_000_000_000_000 + self._last_query_id)
        self._pending_queries[query_id] = chat_id
        return query_id

    def answer_query(self, answer: CallbackAnswer) -> None:
        chat_id = self._pending_queries.pop(answer.query_id, None)
        if chat_id is None:
            # Unknown and already-answered ids get the same reply from Telegram.
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self.callback_answers[answer.query_id] = answer
        self.emit(chat_id, ChatEvent("answer", answer=answer))

    # -- the update queue ---------------------------------------------------------------

    def enqueue(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue an update unless allowed_updates filters it out (as Telegram does)."""
        allowed = self.allowed_updates
        if allowed is None:
            if kind in _NOT_DELIVERED_BY_DEFAULT:
                return None
        elif kind not in allowed:
            return None
        self._last_update_id += 1
        update = {"update_id": self._last_update_id, kind: payload}
        self._updates.append(update)
        self.updates_changed.fire()
        return update

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates the bot has not confirmed yet (via a getUpdates offset past them)."""
        return list(self._updates)

    def confirm(self, offset: int) -> None:
        """Apply getUpdates offset semantics: drop confirmed updates."""
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self.updates_changed.fire()

    def drop_pending_updates(self) -> None:
        self._updates.clear()
        self.updates_changed.fire()
