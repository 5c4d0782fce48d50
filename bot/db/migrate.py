"""Alembic upgrade/downgrade on a database URL, for `medbot migrate`, `medbot run` and tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config


def _migrations_dir() -> Path:
    # Beside the package in a checkout (editable install); in the working directory in the
    # Docker image, where the package is installed into site-packages.
    for root in (Path(__file__).resolve().parents[2], Path.cwd()):
        if (root / "migrations" / "env.py").is_file():
            return root / "migrations"
    raise FileNotFoundError("migrations/ not found: run medbot from the project folder")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_migrations_dir()))
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
