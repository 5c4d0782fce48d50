"""Logging for every `medbot` command, in one place: text or JSON (LOG_FORMAT), the token never
written, and the libraries' routine chatter kept below INFO."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
QUIET = (
    "httpx",  # logs every request URL at INFO, and the URL carries the bot token
    "apscheduler",  # "Running job ..." at every tick
    "alembic",  # "Context impl ..." and each revision; `medbot migrate` says it in one line
    "aiohttp.access",  # a line per /healthz probe
)


class RedactingFormatter(logging.Formatter):
    """Another formatter's output with each secret replaced, tracebacks included: a URL with
    the token inside an exception's text is written as `[token]`."""

    def __init__(self, inner: logging.Formatter, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self._inner = inner
        self._secrets = tuple(secret for secret in secrets if secret)

    def format(self, record: logging.LogRecord) -> str:
        line = self._inner.format(record)
        for secret in self._secrets:
            line = line.replace(secret, "[token]")
        return line


def configure_logging(
    log_format: str = "text",
    *,
    secrets: tuple[str, ...] = (),
    to_file: str | None = None,
    stream: TextIO | None = None,
) -> logging.Handler:
    """INFO and above to stderr (or `to_file`, or `stream`), one record a line; returns the
    handler so that a test can take it away again."""
    handler: logging.Handler = (
        logging.FileHandler(to_file, encoding="utf-8")
        if to_file
        else logging.StreamHandler(stream or sys.stderr)
    )
    inner = (
        JsonFormatter(
            JSON_FIELDS,
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )
        if log_format == "json"
        else logging.Formatter(TEXT_FORMAT)
    )
    handler.setFormatter(RedactingFormatter(inner, secrets))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler
