"""Alembic upgrade/downgrade on a database URL, for `medbot migrate`, `medbot run` and tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

# The migrations folder sits beside the package, in a checkout and in the Docker image.
_ROOT = Path(__file__).resolve().parents[2]


def alembic_config(url: str) -> Config:
    config = Config(str(_ROOT / "alembic.ini"))
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
