"""Alembic upgrade/downgrade on a database URL, for `medbot migrate`, `medbot run` and tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

# Inside the package (package data), so `medbot migrate` works from any folder and install.
MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
