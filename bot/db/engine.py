"""The async engine and session factory: a pool of the same size on either database; SQLite
gets WAL and a busy timeout, PostgreSQL a check at each checkout that the connection is open."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
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
    engine = create_async_engine(url, **pool)
    event.listen(engine.sync_engine, "checkout", _refuse_closed)
    return engine


def _refuse_closed(connection: Any, _record: object, _proxy: object) -> None:
    # A connection the server or the network closed while it sat in the pool is replaced
    # (the pool takes another on DisconnectionError). pool_pre_ping would find it too, but
    # with three round trips (BEGIN, a ping, ROLLBACK) for every unit of work: about 6 % of
    # an update's CPU (docs/performance.md). A broken connection not yet seen as closed fails
    # its statement once and the pool is renewed, as after any disconnect.
    if connection.driver_connection.is_closed():
        raise DisconnectionError


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
