"""`medbot backup PATH`: a consistent copy of a SQLite database, safe while the bot runs."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupRefused(Exception):
    """No copy made: PostgreSQL, an in-memory or missing database, or the copy failed."""


def backup_sqlite(url: str, target: Path) -> int:
    """Copy the database at `url` to `target` through SQLite's online backup API; the size
    of the copy in bytes. The copy is one self-contained file (no -wal beside it), written
    under a temporary name first so that a failed backup never leaves half a file at
    `target` (an older backup there is replaced only by a complete one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise BackupRefused("PostgreSQL is backed up with pg_dump (README.md, Backup and restore)")
    if not parsed.database or parsed.database == ":memory:":
        raise BackupRefused("an in-memory database has nothing to back up")
    source_path = Path(parsed.database)
    if not source_path.is_file():
        raise BackupRefused(f"no database at {source_path}")
    partial = target.with_name(f".{target.name}.partial")
    try:
        _copy(source_path, partial)
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as error:
        partial.unlink(missing_ok=True)
        raise BackupRefused(f"could not write {target} ({error}); nothing changed there") from None
    return target.stat().st_size


def _copy(source_path: Path, partial: Path) -> None:
    # Read-only: a backup never creates or changes the source.
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        partial.unlink(missing_ok=True)
        copy = sqlite3.connect(partial)
        try:
            # One step (pages=-1): every page under one read transaction, so the copy is one
            # moment of the database even while the dispatcher writes (WAL lets it go on).
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            (verdict,) = copy.execute("PRAGMA quick_check").fetchone()
        finally:
            copy.close()
    finally:
        source.close()
    if verdict != "ok":
        raise sqlite3.DatabaseError(f"the copy failed SQLite's quick_check: {verdict}")
