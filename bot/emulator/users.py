"""SimUser: a simulated person who writes to the bot and presses its buttons."""

from __future__ import annotations

from typing import Any

from bot.emulator.chatview import ChatView, MessageRef
from bot.emulator.objects import command_entities, group_chat_json
from bot.emulator.records import Button, ChatMessage, MessageKind


class SimUser(ChatView):
    """One person in a private chat with the bot; the actions queue updates for the bot."""

    # -- what the person does -----------------------------------------------------------

    async def send(self, text: str, *, reply_to: MessageRef | None = None) -> dict[str, Any]:
        """Write `text` to the bot; returns the Message JSON of the queued update."""
        extra: dict[str, Any] = {}
        if reply_to is not None:
            extra["reply_to_message"] = self.emu.message_json(self._resolve(reply_to))
        return self._post(self.id, "text", text, extra)

    async def send_location(self, latitude: float, longitude: float) -> dict[str, Any]:
        location = {"latitude": latitude, "longitude": longitude}
        return self._post(self.id, "location", "", {"location": location})

    async def send_sticker(self, emoji: str = "👍") -> dict[str, Any]:
        sticker = {
            "file_id": f"EMUsticker{self.id}",
            "file_unique_id": f"sticker{self.id}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._post(self.id, "sticker", "", {"sticker": sticker})

    async def send_custom(self, **fields: Any) -> dict[str, Any]:
        """A message with arbitrary extra Message fields, e.g. contact={...} or voice={...}."""
        return self._post(self.id, "other", str(fields.get("text", "")), fields)

    async def send_in_group(
        self, group_chat_id: int, text: str, *, title: str = "MedBot group"
    ) -> dict[str, Any]:
        """Write in a group chat (created on first use) that the bot is a member of."""
        self.emu.chats.setdefault(group_chat_id, group_chat_json(group_chat_id, title))
        return self._post(group_chat_id, "text", text, {})

    async def edit(self, message: MessageRef, text: str) -> dict[str, Any]:
        """Edit one of this person's own messages: the bot gets an edited_message update."""
        msg = self._resolve(message, mine=True)
        msg.history.append(msg.text)
        msg.text = msg.raw_text = text
        msg.entities = command_entities(text)
        msg.edit_date = self.emu.now()
        payload = self.emu.message_json(msg)
        self.emu.enqueue("edited_message", payload)
        return payload

    async def press(
        self, message: MessageRef, button: str | int, *, forged_data: str | None = None
    ) -> str:
        """Press an inline button by label (exact, else unique substring) or flat index.

        Queues a callback_query update and returns its id; raises LookupError when the
        message has no such callback button. `forged_data` sends other callback data, as a
        modified client can: the bot must not trust it.
        """
        msg = self._resolve(message)
        target = _pick_button(msg, button)
        if target.callback_data is None:
            raise LookupError(f"button {target.text!r} has no callback_data (url button?)")
        return self._callback(msg, target.callback_data if forged_data is None else forged_data)

    async def forge_press(self, message: MessageRef, data: str) -> str:
        """A callback query with any data on any message of this chat, buttons or not."""
        return self._callback(self._resolve(message), data)

    def _callback(self, msg: ChatMessage, data: str) -> str:
        query_id = self.emu.open_query(msg.chat_id)
        self._queries.append(query_id)
        self._cursor = self._last_id()
        self.emu.enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": self.user,
                "message": self.emu.message_json(msg),
                "chat_instance": f"{abs(msg.chat_id)}{self.emu.bot_user['id']}",
                "data": data,
            },
        )
        return query_id

    def block(self) -> None:
        self.emu.block(self.id)

    def unblock(self) -> None:
        self.emu.unblock(self.id)

    # -- helpers ------------------------------------------------------------------------

    def _post(
        self, chat_id: int, kind: MessageKind, text: str, extra: dict[str, Any]
    ) -> dict[str, Any]:
        if chat_id == self.id and self.id in self.emu.blocked:
            self.emu.unblock(self.id)  # writing again means pressing "Restart"
        msg = ChatMessage(
            chat_id=chat_id,
            message_id=self.emu.new_message_id(chat_id),
            date=self.emu.now(),
            from_bot=False,
            sender_id=self.id,
            kind=kind,
            text=text,
            raw_text=text,
            entities=command_entities(text) if kind == "text" else [],
            extra=extra,
        )
        self.emu.add_message(msg)
        if chat_id == self.id:
            self._cursor = msg.message_id
        payload = self.emu.message_json(msg)
        self.emu.enqueue("message", payload)
        return payload


def _pick_button(msg: ChatMessage, button: str | int) -> Button:
    flat = msg.flat_buttons
    if isinstance(button, int):
        if not 0 <= button < len(flat):
            raise LookupError(f"message {msg.message_id} has no button #{button}: {msg.labels}")
        return flat[button]
    exact = [b for b in flat if b.text == button]
    partial = [b for b in flat if button in b.text]
    if exact or len(partial) == 1:
        return (exact or partial)[0]
    why = "is ambiguous among" if partial else "matches none of"
    raise LookupError(f"button {button!r} {why} {msg.labels} (message {msg.message_id})")
