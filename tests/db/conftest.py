"""PostgreSQL-only fixtures: row locks are a PostgreSQL matter (SQLite locks the whole file)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tests.conftest import empty_tables


@pytest.fixture
async def impatient_postgres(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    """The session's PostgreSQL database, where waiting for a row lock fails after 2 s: a query
    that should skip a locked row but waits for it fails the test instead of hanging it."""
    engine = create_async_engine(
        postgres_url, connect_args={"server_settings": {"lock_timeout": "2s"}}
    )
    yield engine
    await empty_tables(engine)
    await engine.dispose()
