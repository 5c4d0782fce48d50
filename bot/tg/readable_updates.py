"""An update this version of python-telegram-bot cannot read is skipped, not fatal to polling.

PTB parses a `getUpdates` batch in one go: one unreadable update makes it drop the whole batch
unconfirmed and fetch the same batch again at once, forever, logging every message in it (found
by tests/e2e/test_fuzz_e2e.py). Here each update is read on its own, and one that cannot be read
is replaced by a bare update with its id, which is confirmed and reaches no handler.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import ExtBot

log = logging.getLogger(__name__)


class ReadableUpdatesBot(ExtBot[Any]):
    async def _post(self, endpoint: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, *args, **kwargs)
        if endpoint == "getUpdates" and isinstance(result, list):
            readable = (self._readable(update) for update in result)
            return [update for update in readable if update is not None]
        return result

    def _readable(self, update: Any) -> Any:
        try:
            Update.de_json(update, self)
        except Exception:  # whatever PTB cannot read is skipped the same way
            update_id = update.get("update_id") if isinstance(update, dict) else None
            # Its id only: the contents may be a patient's message.
            log.warning("Skipped an update Telegram sent that could not be read (id %s)", update_id)
            return {"update_id": update_id} if isinstance(update_id, int) else None
        return update
