"""The `medbot` command line: run | demo | migrate | bench. Argument parsing only."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.config import Settings, SettingsError, load_settings

MAX_DEMO_SPEED = 600


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="medbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (long polling, or webhook if WEBHOOK_URL is set)")
    demo = commands.add_parser("demo", help="chat with the bot in this terminal; no token needed")
    demo.add_argument(
        "--speed",
        type=_speed,
        default=1.0,
        help="bot time runs this many times faster (60: a bot minute each real second)",
    )
    commands.add_parser("migrate", help="apply database migrations (alembic upgrade head)")
    bench = commands.add_parser("bench", help="measure a burst of due reminders (no token)")
    bench.add_argument("--patients", type=int, default=300, help="patients due at once")
    bench.add_argument(
        "--database-url", default=None, help="database to measure (default: a temporary SQLite)"
    )
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"medbot: invalid settings\n{error}", file=sys.stderr)  # noqa: T201
        return 2
    if args.command == "migrate":
        _configure_logging()
        return _migrate(settings)
    from bot.knowledge.loader import KnowledgeError

    try:
        if args.command == "bench":
            _configure_logging(to_file="medbot-bench.log")
            from bot.bench import run_bench

            result = asyncio.run(
                run_bench(settings, patients=args.patients, database_url=args.database_url)
            )
            print("\n".join(result.lines()))  # noqa: T201
            return 0 if result.chats_reminded_once == result.patients else 1
        if args.command == "demo":
            _configure_logging(to_file="medbot-demo.log")
            from bot.demo import run_demo

            return _migrate(settings) or asyncio.run(run_demo(settings, speed=args.speed))
        _configure_logging()
        return _run(settings)
    except KnowledgeError as error:
        print(f"medbot: the knowledge base cannot be used\n{error}", file=sys.stderr)  # noqa: T201
        return 2


def _speed(text: str) -> float:
    try:
        speed = float(text)
    except ValueError:
        speed = 0.0
    # Faster than 600 the dispatcher would poll the database every few milliseconds.
    if not 1 <= speed <= MAX_DEMO_SPEED:
        raise argparse.ArgumentTypeError(f"{text!r} is not a speed from 1 to 600, e.g. 60")
    return speed


def _migrate(settings: Settings) -> int:
    from bot.db.migrate import upgrade

    upgrade(settings.database_url)
    return 0


def _run(settings: Settings) -> int:
    if settings.telegram_bot_token is None:
        print("medbot: TELEGRAM_BOT_TOKEN is required to run (try `medbot demo`)", file=sys.stderr)  # noqa: T201
        return 2
    from telegram.error import InvalidToken

    from bot.app import Webhook, build_bot

    _migrate(settings)
    webhook = None
    if settings.webhook_url is not None:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        webhook = Webhook(url=str(settings.webhook_url), secret=secret)
    try:
        asyncio.run(build_bot(settings).serve(webhook=webhook))
    except InvalidToken:
        print("medbot: Telegram refused the token; check TELEGRAM_BOT_TOKEN", file=sys.stderr)  # noqa: T201
        return 2
    return 0


def _configure_logging(to_file: str | None = None) -> None:
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        filename=to_file,
    )
    # httpx logs every request URL at INFO, and the URL carries the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
