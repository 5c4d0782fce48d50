"""ChatView: what a simulated person sees in their chat with the bot, and waiting for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from bot.emulator.records import CallbackAnswer, ChatMessage

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator

MessageRef = ChatMessage | dict[str, Any] | int
T = TypeVar("T")


class ChatView:
    """The person's side of a private chat (chat id == user id): read-only plus waits."""

    def __init__(self, emu: BotApiEmulator, person: dict[str, Any]) -> None:
        self.emu = emu
        self.user = person
        self.id: int = person["id"]
        self.first_name: str = person["first_name"]
        self._cursor = 0  # message id after which bot messages count as "new"
        self._queries: list[str] = []  # callback query ids of this person's presses

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.id}, {self.first_name!r})"

    # -- what the person sees -----------------------------------------------------------

    @property
    def chat_id(self) -> int:
        return self.id

    @property
    def messages(self) -> list[ChatMessage]:
        """The bot's messages in this chat, in order, as they look now (edits applied)."""
        return self.emu.sent_to(self.id)

    @property
    def last_message(self) -> ChatMessage:
        """The bot's latest message here; LookupError if the bot has not written yet."""
        messages = self.messages
        if not messages:
            raise LookupError(f"{self}: the bot has sent no message to this chat")
        return messages[-1]

    def buttons(self, message: MessageRef | None = None) -> list[str]:
        """Button labels of `message` (default: the last bot message)."""
        return (self.last_message if message is None else self._resolve(message)).labels

    @property
    def answers(self) -> list[CallbackAnswer]:
        """The bot's answerCallbackQuery calls for this person's presses, in press order."""
        got = self.emu.callback_answers
        return [got[query_id] for query_id in self._queries if query_id in got]

    @property
    def callback_answers(self) -> list[str | None]:
        return [answer.text for answer in self.answers]

    # -- waiting ------------------------------------------------------------------------

    async def wait_for(
        self,
        predicate: Callable[[ChatMessage], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - a default deadline keeps tests from hanging
    ) -> ChatMessage:
        """The newest bot message that (now, edits included) satisfies `predicate`."""

        def check() -> ChatMessage | None:
            return next((m for m in reversed(self.messages) if predicate(m)), None)

        return await self._wait(check, timeout, "a message matching the predicate")

    async def wait_for_new_message(self, timeout: float = 5.0) -> ChatMessage:  # noqa: ASYNC109
        """The next bot message after this person's last send/press (or the last one returned
        here); each call returns the following one, so nothing is missed."""

        def check() -> ChatMessage | None:
            history = self.emu.history(self.id)
            return next((m for m in history if m.from_bot and m.message_id > self._cursor), None)

        msg = await self._wait(check, timeout, "a new message")
        self._cursor = msg.message_id
        return msg

    async def wait_for_messages(
        self,
        count: int,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[ChatMessage]:
        """Wait until the chat holds at least `count` bot messages; returns them all."""

        def check() -> list[ChatMessage] | None:
            return self.messages if len(self.messages) >= count else None

        return await self._wait(check, timeout, f"{count} messages")

    async def wait_for_answer(
        self,
        query_id: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> CallbackAnswer:
        """The bot's answer to the press `query_id` (default: the latest press)."""
        wanted = query_id or (self._queries[-1] if self._queries else "")
        return await self._wait(
            lambda: self.emu.callback_answers.get(wanted), timeout, f"an answer to {wanted}"
        )

    async def _wait(
        self,
        check: Callable[[], T | None],
        timeout: float,  # noqa: ASYNC109
        what: str,
    ) -> T:
        try:
            return await self.emu.changed.wait_until(check, timeout)
        except TimeoutError:
            seen = [m.text for m in self.messages]
            raise TimeoutError(f"{self}: no {what} within {timeout}s; chat has {seen}") from None

    # -- helpers ------------------------------------------------------------------------

    def _last_id(self) -> int:
        history = self.emu.history(self.id)
        return history[-1].message_id if history else 0

    def _resolve(self, ref: MessageRef, *, mine: bool = False) -> ChatMessage:
        if isinstance(ref, ChatMessage):
            chat_id, message_id = ref.chat_id, ref.message_id
        elif isinstance(ref, dict):
            chat_id, message_id = ref["chat"]["id"], ref["message_id"]
        else:
            chat_id, message_id = self.id, ref
        msg = self.emu.find_message(chat_id, message_id)
        if msg is None or msg.deleted or msg.from_bot == mine:
            raise LookupError(f"{self}: no such {'own' if mine else 'bot'} message {message_id}")
        return msg
