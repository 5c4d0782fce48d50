"""The async engine and session factory: a pool of the same size on either database; SQLite
gets WAL and a busy timeout, PostgreSQL a ping before each checkout."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# Connections kept open, and how many more a peak may open, on either database.
POOL_SIZE = 10
POOL_OVERFLOW = 10


def create_engine(url: str) -> AsyncEngine:
    pool = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_async_engine(url, connect_args={"timeout": 30}, **pool)
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **pool)


def _tune_sqlite(connection: Any, _record: object) -> None:
    # WAL lets readers work while the dispatcher writes; the busy timeout makes a second
    # writer (another process) wait instead of failing; cascades need foreign keys on.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
