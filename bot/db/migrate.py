"""Alembic upgrade/downgrade on a database URL, for `medbot migrate`, `medbot run` and tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

# Inside the package (package data), so `medbot migrate` works from any folder and install.
MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> list[str]:
    """Apply what is pending; the revisions applied, oldest first (none: it was up to date)."""
    applied: list[str] = []

    def record(*, step: Any, **_context: object) -> None:
        applied.append(step.up_revision_id)

    config = alembic_config(url)
    config.attributes["on_version_apply"] = record  # read by bot/migrations/env.py
    command.upgrade(config, revision)
    return applied


def head() -> str:
    """The newest revision this version of MedBot knows."""
    return ScriptDirectory.from_config(alembic_config("")).get_current_head() or "none"


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
