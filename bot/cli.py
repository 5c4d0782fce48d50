"""The `medbot` command line: run | demo | migrate | backup | bench. Argument parsing only."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.config import EXAMPLE_TOKEN, Settings, SettingsError, load_settings

log = logging.getLogger("bot.cli")

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
    backup = commands.add_parser(
        "backup", help="copy the SQLite database to PATH, safely while the bot runs"
    )
    backup.add_argument("path", type=Path, metavar="PATH", help="the copy (replaced if it exists)")
    _bench_arguments(commands.add_parser("bench", help="measure issue 12's scenarios (no token)"))
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        for problem in str(error).splitlines():  # one line per variable
            print(f"medbot: invalid setting {problem}", file=sys.stderr)  # noqa: T201
        return 2
    if args.command == "migrate":
        _configure_logging(settings)
        return _migrate(settings)
    if args.command == "backup":
        return _backup(settings, args.path)
    from bot.knowledge.loader import KnowledgeError

    try:
        if args.command == "bench":
            _configure_logging(settings, to_file="medbot-bench.log")
            return _bench(settings, args)
        if args.command == "demo":
            _configure_logging(settings, to_file="medbot-demo.log")
            from bot.demo import run_demo

            return _migrate(settings) or asyncio.run(run_demo(settings, speed=args.speed))
        _configure_logging(settings)
        return _run(settings)
    except KnowledgeError as error:
        print(f"medbot: the knowledge base cannot be used\n{error}", file=sys.stderr)  # noqa: T201
        return 2


def _bench_arguments(bench: argparse.ArgumentParser) -> None:
    from bot.bench import SCENARIOS, Options

    defaults = Options()
    bench.add_argument(
        "--scenario",
        action="append",
        choices=SCENARIOS,
        help="run only this scenario (repeatable; default: all)",
    )
    bench.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL server (postgresql+asyncpg://user@host/db): each scenario runs on a "
        "fresh database there, dropped at the end (default: a temporary SQLite file)",
    )
    bench.add_argument("--json", type=Path, default=None, help="also write the figures here")
    bench.add_argument(
        "--patients", type=int, default=defaults.patients, help="due at once in own-speed, paid"
    )
    bench.add_argument(
        "--on-time",
        type=_sizes,
        default=defaults.on_time,
        help="comma-separated burst sizes of on-time (default: 1800,5000)",
    )
    bench.add_argument(
        "--scale-patients", type=int, default=defaults.scale_patients, help="patients in scale"
    )
    bench.add_argument(
        "--updates", type=int, default=defaults.updates, help="/log and /ask updates in updates"
    )
    bench.add_argument(
        "--update-rate", type=float, default=defaults.update_rate, help="updates a second"
    )
    bench.add_argument(
        "--burst-with-updates",
        type=int,
        default=None,
        help="reminders due while the updates come (default: 10000 with paid broadcasts, else 300)",
    )
    bench.add_argument(
        "--webhook-processes",
        type=int,
        default=defaults.webhook_processes,
        help="updates: this many bot processes in webhook mode behind a balancer, sticky per "
        "chat; more than one needs --database-url (default: 0, one process polling)",
    )


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of sizes, e.g. 1800,5000")
    return sizes


def _bench(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import SCENARIOS, Options, run_bench
    from bot.bench.processes import BenchError

    options = Options(
        database_url=args.database_url,
        scenarios=tuple(args.scenario or SCENARIOS),
        patients=args.patients,
        on_time=args.on_time,
        scale_patients=args.scale_patients,
        update_rate=args.update_rate,
        updates=args.updates,
        burst_with_updates=args.burst_with_updates,
        webhook_processes=args.webhook_processes,
    )
    if options.webhook_processes < 0:
        print("medbot bench: --webhook-processes takes 0 or more", file=sys.stderr)  # noqa: T201
        return 2
    if options.webhook_processes > 1 and options.database_url is None:
        print(  # noqa: T201
            "medbot bench: several processes share a PostgreSQL database (--database-url); "
            "SQLite takes one",
            file=sys.stderr,
        )
        return 2
    try:
        report = asyncio.run(run_bench(settings, options, json_path=args.json))
    except BenchError as error:
        print(f"medbot bench: {error}", file=sys.stderr)  # noqa: T201
        return 2
    print(report.table())  # noqa: T201
    return 0 if report.counts_ok else 1


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
    from bot.db.migrate import head, upgrade

    applied = upgrade(settings.database_url)
    if applied:
        plural = "" if len(applied) == 1 else "s"
        log.info("Applied %d migration%s; the database is at %s", len(applied), plural, head())
    else:
        log.info("Database is up to date (%s)", head())
    return 0


def _backup(settings: Settings, path: Path) -> int:
    from bot.db.backup import BackupRefused, backup_sqlite

    try:
        size = backup_sqlite(settings.database_url, path)
    except BackupRefused as refused:
        print(f"medbot backup: {refused}", file=sys.stderr)  # noqa: T201
        return 2
    print(f"Backed up the database to {path} ({size / 1024:.0f} KiB)")  # noqa: T201
    return 0


def _run(settings: Settings) -> int:
    if settings.telegram_bot_token is None:
        print("medbot: TELEGRAM_BOT_TOKEN is required to run (try `medbot demo`)", file=sys.stderr)  # noqa: T201
        return 2
    if settings.telegram_bot_token.get_secret_value().strip() == EXAMPLE_TOKEN:
        print(  # noqa: T201
            "medbot: TELEGRAM_BOT_TOKEN is still the placeholder from .env.example; "
            "put the token @BotFather gave you in .env",
            file=sys.stderr,
        )
        return 2
    from telegram.error import InvalidToken

    from bot.app import build_bot, webhook_of

    _migrate(settings)
    try:
        asyncio.run(build_bot(settings).serve(webhook=webhook_of(settings)))
    except InvalidToken:
        print("medbot: Telegram refused the token; check TELEGRAM_BOT_TOKEN", file=sys.stderr)  # noqa: T201
        return 2
    return 0


def _configure_logging(settings: Settings, to_file: str | None = None) -> None:
    from bot.logging_setup import configure_logging

    token = settings.telegram_bot_token
    secrets = (token.get_secret_value(),) if token else ()
    configure_logging(settings.log_format, secrets=secrets, to_file=to_file)
