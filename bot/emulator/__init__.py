"""A local Telegram Bot API emulator: real PTB talks HTTP to it, tests drive simulated users.

The emulator speaks the Bot API's wire format (``/bot<token>/<method>`` with query, form,
multipart or JSON parameters; replies ``{"ok": true, "result": ...}`` or ``{"ok": false,
"error_code": N, "description": ...}``) and never imports ``telegram``.

Usage::

    async with BotApiEmulator(token="123:ABC", bot_username="medbot_demo_bot") as emu:
        app = (ApplicationBuilder().token("123:ABC")
               .base_url(emu.api_url).base_file_url(emu.file_url).build())
        ...  # add handlers; app.initialize(); app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        alice = emu.user(1001, "Alice", language_code="en")    # private chat id == user id
        await alice.send("/start")                              # queues a message update
        reply = await alice.wait_for_new_message()              # ChatMessage, current state
        await alice.press(reply, "Taken")                       # label, substring or index
        edited = await alice.wait_for(lambda m: "✅" in m.text)  # sees edits
        answer = await alice.wait_for_answer()                  # CallbackAnswer
        emu.block(1001)                  # sends to Alice now fail with 403 Forbidden
        emu.fail_next("sendMessage", 429, retry_after=1)        # -> PTB RetryAfter
        emu.calls("sendMessage"), emu.requests, emu.commands     # what the bot did

Pieces: ``BotApiEmulator`` (server lifecycle, users, block/unblock, fail_next, request log,
commands, pending_updates, wait_delivered, subscribe); ``SimUser`` (send, send_location,
send_sticker, send_custom, send_in_group, edit, press, block) built on ``ChatView`` (messages,
last_message, buttons(), answers, callback_answers, wait_for, wait_for_new_message,
wait_for_messages, wait_for_answer); ``ChatMessage`` records hold the current text, buttons,
edit history, kind and file name/bytes of each message. ``bot.emulator.terminal`` has
``run_terminal_chat`` for ``medbot demo``, fed by ``emu.subscribe(chat_id)`` events.
"""

from bot.emulator.chatview import ChatView
from bot.emulator.emulator import BotApiEmulator
from bot.emulator.records import (
    ApiCall,
    ApiError,
    Button,
    CallbackAnswer,
    ChatEvent,
    ChatMessage,
    UploadedFile,
)
from bot.emulator.users import SimUser

__all__ = [
    "ApiCall",
    "ApiError",
    "BotApiEmulator",
    "Button",
    "CallbackAnswer",
    "ChatEvent",
    "ChatMessage",
    "ChatView",
    "SimUser",
    "UploadedFile",
]
