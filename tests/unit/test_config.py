"""Settings: SPEC's variables with their defaults; a malformed one is named, with the reason."""

import pytest

from bot.config import SettingsError, load_settings

TOKEN = "123456:ABCDEFGH-secret-part"


def test_defaults_are_the_specs(monkeypatch):
    for name in ("DATABASE_URL", "DEFAULT_TIMEZONE", "NAG_AFTER_MINUTES", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(_env_file=None)
    assert settings.telegram_bot_token is None
    assert settings.api_root == "https://api.telegram.org"
    assert settings.database_url == "sqlite+aiosqlite:///medbot.db"
    assert settings.default_timezone == "UTC"
    assert (settings.nag_after_minutes, settings.missed_after_minutes) == (15, 60)
    assert settings.snooze_minutes == 10
    assert settings.webhook_url is None


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("TELEGRAM_API_URL", "not a url", "TELEGRAM_API_URL: Input should be a valid URL"),
        ("DEFAULT_TIMEZONE", "Mars/Base", "DEFAULT_TIMEZONE: Value error, not an IANA time zone"),
        (
            "NAG_AFTER_MINUTES",
            "-5",
            "NAG_AFTER_MINUTES: Input should be greater than or equal to 1",
        ),
        ("MISSED_AFTER_MINUTES", "soon", "MISSED_AFTER_MINUTES: Input should be a valid integer"),
        ("SNOOZE_MINUTES", "0", "SNOOZE_MINUTES: Input should be greater than or equal to 1"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL: Value error, use sqlite+aiosqlite"),
        ("WEBHOOK_URL", "ftp//x", "WEBHOOK_URL: Input should be a valid URL"),
        ("WEBHOOK_SECRET", "has spaces!", "WEBHOOK_SECRET: Value error, 1-256 characters"),
        ("WEBHOOK_LISTEN", "everywhere", "WEBHOOK_LISTEN: Value error, an IP address"),
        ("WEBHOOK_PORT", "80443", "WEBHOOK_PORT: Input should be less than or equal to 65535"),
        (
            "TELEGRAM_BOT_TOKEN",
            "no-colon-token",
            "TELEGRAM_BOT_TOKEN: Value error, expected the form",
        ),
    ],
)
def test_malformed_setting_is_named_with_the_reason(monkeypatch, variable, value, reason):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None)
    assert reason in str(caught.value)
    assert value not in str(caught.value) or value in reason


def test_the_token_is_never_shown(monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("NAG_AFTER_MINUTES", "-1")
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None)
    assert "secret-part" not in str(caught.value)
    monkeypatch.setenv("NAG_AFTER_MINUTES", "5")
    settings = load_settings(_env_file=None)
    assert "secret-part" not in repr(settings)
    assert "secret-part" not in str(settings.model_dump())
