"""An update this version of python-telegram-bot cannot read is skipped, not fatal to polling.

PTB parses a `getUpdates` batch in one go: one unreadable update makes it drop the whole batch
unconfirmed and fetch the same batch again at once, forever, logging every message in it (found
by tests/e2e/test_fuzz_e2e.py). Here each update is read on its own, and one that cannot be read
is replaced by a bare update with its id, which is confirmed and reaches no handler.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE, DefaultValue
from telegram._utils.types import JSONDict, ODVInput, TimePeriod
from telegram.ext import ExtBot

log = logging.getLogger(__name__)


class ReadableUpdatesBot(ExtBot[Any]):
    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: TimePeriod | None = None,  # noqa: ASYNC109 - PTB's own signature
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: JSONDict | None = None,
    ) -> tuple[Update, ...]:
        """PTB's own call, its updates each read once (not tried apart, then read again)."""
        data = {
            "timeout": timeout,
            "offset": offset,
            "limit": limit,
            "allowed_updates": allowed_updates,
        }
        # As PTB does: the long poll may take its whole timeout on top of the read timeout.
        if isinstance(read_timeout, DefaultValue):
            read_timeout = self._request[0].read_timeout  # the get_updates request's own
        polled = timeout.total_seconds() if isinstance(timeout, timedelta) else timeout
        result = await self._post(
            "getUpdates",
            data,
            read_timeout=(read_timeout or 0) + (polled or 0),
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
            api_kwargs=api_kwargs,
        )
        readable = (self._readable(update) for update in result)
        updates = tuple(update for update in readable if update is not None)
        for update in updates:
            self.insert_callback_data(update)
        return updates

    def _readable(self, update: Any) -> Update | None:
        try:
            return Update.de_json(update, self)
        except Exception:  # whatever PTB cannot read is skipped the same way
            update_id = update.get("update_id") if isinstance(update, dict) else None
            # Its id only: the contents may be a patient's message.
            log.warning("Skipped an update Telegram sent that could not be read (id %s)", update_id)
            return Update(update_id) if isinstance(update_id, int) else None
