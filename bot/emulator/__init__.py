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
        emu.requests[-1].at                      # ApiCall(method, params, at): monotonic s

Telegram's limits, strictly (off by default)::

    emu.limit_rate(per_second=30, per_chat_per_second=1.0, paid_per_second=1000)
    emu.limit_rate(None)                     # off again
    emu.rate_limited, emu.sent_times("sendMessage")   # 429s given; accepted-at times

Rate-limited (and timed by sent_times): sendMessage, sendPhoto, sendDocument,
editMessageText, editMessageCaption, editMessageReplyMarkup, copyMessage, forwardMessage.
Each limit is a sliding window: a call that would make more than `per_second` of them in
any 1.0 s (or more than `per_chat_per_second` to its chat_id) gets HTTP 429 "Too Many
Requests: retry after N", N = whole seconds until the window has room, at least 1, and is
not counted. A rate r < 1 means one call in any 1/r seconds. allow_paid_broadcast=true
calls count against `paid_per_second` instead of `per_second`; the chat limit still holds.
Accepted calls count even if the method then fails (400, 403): Telegram counts requests.
Times come from the ``monotonic`` constructor argument (default time.monotonic), so a test
can pass a clock it moves by hand.

Random faults, reproducible with a seed (off by default)::

    emu.inject_faults(0.1, kinds=("500", "502_html", "slow"), seed=7,
                      methods=None, slow_seconds=7.0)   # methods=None: all but getUpdates
    emu.inject_faults(0)                     # off again
    emu.injected["500"], emu.lost_replies, emu.lost_reply_calls   # [(method, chat_id)]

"500": JSON Internal Server Error; "502_html": nginx's HTML 502 page (both: nothing done,
not counted by the limits). "slow": the call is carried out, then the reply (whatever it
is) waits `slow_seconds`, past PTB's 5 s read timeout; lost_replies counts those whose call
succeeded, i.e. the sends a retry would duplicate. fail_next() still comes first.

Outages::

    await emu.go_offline()   # new connections refused, open ones (long polls) cut
    await alice.send("hi")   # users still write; the update waits in the queue
    await emu.go_online()    # same port: PTB's polling reconnects and gets "hi"
    emu.online

Pieces: ``BotApiEmulator`` (server lifecycle and outages, users, block/unblock, fail_next,
inject_faults, limit_rate, request log, sent_times, commands, pending_updates,
wait_delivered, subscribe); ``SimUser`` (send, send_location, send_sticker, send_custom,
send_in_group, edit, press, block) built on ``ChatView`` (messages, last_message, buttons(),
answers, callback_answers, wait_for, wait_for_new_message, wait_for_messages,
wait_for_answer); ``ChatMessage`` records hold the current text, buttons, edit history, kind
and file name/bytes of each message. Methods live in ``settings``, ``updates``, ``messaging``
and ``forwarding`` (forwardMessage, copyMessage); ``traffic``, ``limits`` and ``faults`` decide
how each call is answered. ``bot.emulator.terminal`` has ``run_terminal_chat`` for ``medbot
demo``, fed by ``emu.subscribe(chat_id)`` events.
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
