"""Alembic environment: async engine on DATABASE_URL, batch mode so SQLite can alter tables."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from bot.db.engine import create_engine
from bot.db.tables import metadata

DEFAULT_URL = "sqlite+aiosqlite:///medbot.db"


def _url() -> str:
    return context.config.attributes.get("url") or os.environ.get("DATABASE_URL", DEFAULT_URL)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
        # bot/db/migrate.py counts the revisions applied, for its one line.
        on_version_apply=context.config.attributes.get("on_version_apply"),
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_engine(_url())
    async with engine.connect() as connection:
        await connection.run_sync(_configure)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
