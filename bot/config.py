"""Settings: every variable of SPEC.md, read from the environment and `.env`, validated once."""

from __future__ import annotations

import ipaddress
import re
from datetime import timedelta
from typing import Literal

from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.domain.schedule import UnknownZone, zone_named

# The placeholder in .env.example: it has a token's shape, so `medbot run` names it instead.
EXAMPLE_TOKEN = "123456789:replace-with-the-token-from-BotFather"  # noqa: S105
# What @BotFather's tokens are made of after the colon.
TOKEN_SECRET = re.compile(r"[A-Za-z0-9_-]{8,}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", hide_input_in_errors=True
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: AnyHttpUrl = AnyHttpUrl("https://api.telegram.org")
    database_url: str = "sqlite+aiosqlite:///medbot.db"
    default_timezone: str = "UTC"
    nag_after_minutes: int = Field(default=15, ge=1, le=24 * 60)
    missed_after_minutes: int = Field(default=60, ge=1, le=24 * 60)
    snooze_minutes: int = Field(default=10, ge=1, le=24 * 60)
    # A person sending FLOOD_LIMIT messages within FLOOD_WINDOW_SECONDS gets one "slow down"
    # and no answer for FLOOD_PAUSE_SECONDS (emergencies are still answered).
    flood_limit: int = Field(default=50, ge=2, le=10_000)
    flood_window_seconds: int = Field(default=10, ge=1, le=3600)
    flood_pause_seconds: int = Field(default=30, ge=1, le=3600)
    # Reminders with Telegram's allow_paid_broadcast: up to 1,000 a second, charged per
    # message above 30 a second; replies stay on the free path.
    paid_broadcast: bool = False
    # false: immediate replies go out at once, not spaced to Telegram's 30 a second, for a
    # Bot API that does not limit them (the bench's emulator); owed messages stay spaced.
    limit_replies: bool = True
    webhook_url: AnyHttpUrl | None = None
    webhook_secret: SecretStr | None = None
    # Several processes on one host (behind a load balancer) each listen on their own port.
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # Plain HTTP behind the TLS reverse proxy: 127.0.0.1 when the proxy runs on the same host.
    webhook_listen: str = "0.0.0.0"  # noqa: S104
    # Serve /healthz and Prometheus /metrics on this port (bot/monitoring.py); unset: off.
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    # "json": one JSON object a line, for a log shipper (bot/logging_setup.py).
    log_format: Literal["text", "json"] = "text"

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        bot_id, _, secret = value.get_secret_value().strip().partition(":")
        if not bot_id.isdigit() or not TOKEN_SECRET.fullmatch(secret):
            raise ValueError("expected the form 123456789:ABC... that @BotFather gives")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as error:
            raise ValueError("not a SQLAlchemy URL, e.g. sqlite+aiosqlite:///medbot.db") from error
        if url.drivername not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
            raise ValueError("use sqlite+aiosqlite:///file.db or postgresql+asyncpg://user@host/db")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            return zone_named(value).key
        except UnknownZone as error:
            raise ValueError("not an IANA time zone, e.g. Europe/Berlin") from error

    @field_validator("metrics_port", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        # `METRICS_PORT=` in .env means off, as leaving it out does.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        try:
            return str(ipaddress.ip_address(value.strip()))
        except ValueError as error:
            raise ValueError("an IP address, e.g. 127.0.0.1 or 0.0.0.0") from error

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - in the secret token header.
        if value is not None:
            secret = value.get_secret_value()
            if not 1 <= len(secret) <= 256 or not all(c.isalnum() or c in "_-" for c in secret):
                raise ValueError("1-256 characters: letters, digits, _ and -")
        return value

    @property
    def api_root(self) -> str:
        return str(self.telegram_api_url).rstrip("/")

    @property
    def nag_after(self) -> timedelta:
        return timedelta(minutes=self.nag_after_minutes)

    @property
    def missed_after(self) -> timedelta:
        return timedelta(minutes=self.missed_after_minutes)

    @property
    def snooze(self) -> timedelta:
        return timedelta(minutes=self.snooze_minutes)

    @property
    def flood_window(self) -> timedelta:
        return timedelta(seconds=self.flood_window_seconds)

    @property
    def flood_pause(self) -> timedelta:
        return timedelta(seconds=self.flood_pause_seconds)


class SettingsError(Exception):
    """Settings that cannot be used, explained per variable (never echoing values)."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        lines = []
        for problem in error.errors(include_input=False, include_url=False):
            variable = str(problem["loc"][0]).upper() if problem["loc"] else "settings"
            lines.append(f"{variable}: {problem['msg']}")
        raise SettingsError("\n".join(lines)) from None
