"""The bot under measurement, in a process of its own: `python -m bot.bench.bot_host`.

The real bot (build_bot, its scheduler and alarm, its limits) configured from the
environment like `medbot run` (`--webhook`: in webhook mode, as WEBHOOK_* say), with two
bench options: `--burst-at ISO --lead S [--started-at EPOCH]` sets the bot's clock S
seconds before the burst's scheduled instant at the real instant EPOCH (default: now; one
real second is still one second), and `--unlimited` turns off the bot's own spacing of
sends, for the bot's own speed (own-speed: Telegram's limit would otherwise be all it
shows). It prints one JSON line when it takes updates (the scheduler's job count, its
clock's offset from real time) and one when it stopped (peak memory), and stops on SIGTERM
or when the bench's end closes its stdin.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import resource
import time
from datetime import datetime, timedelta
from typing import Any

from bot.app import build_bot, keep_start_up_out_of_collections, webhook_of
from bot.bench.processes import stop_on_signal_or_orphaned
from bot.config import load_settings
from bot.demo_clock import DemoClock
from bot.tg.rate_limits import TelegramLimits


def _say(event: str, **figures: Any) -> None:
    print(json.dumps({"event": event, "at": time.time(), **figures}), flush=True)  # noqa: T201


async def host(options: argparse.Namespace) -> None:
    clock = DemoClock(1.0)
    limits = TelegramLimits(per_second=0, per_chat_interval=0, paid_per_second=0)
    settings = load_settings()
    medbot = build_bot(settings, pace=clock, limits=limits if options.unlimited else None)
    if options.burst_at is not None:
        # `lead` seconds before the burst at the instant the bench started this process.
        since_started = time.time() - (options.started_at or time.time())
        clock.advance_to(options.burst_at - timedelta(seconds=options.lead - since_started))
    stop = stop_on_signal_or_orphaned()
    await medbot.start(webhook=webhook_of(settings) if options.webhook else None, poll_timeout=1)
    jobs = len(medbot.scheduler.get_jobs()) if medbot.scheduler else 0
    offset = (clock.now() - clock.real_at(clock.now())).total_seconds()
    _say("polling", jobs=jobs, offset=offset)
    keep_start_up_out_of_collections()  # as `medbot run` does, once it is polling
    await stop.wait()
    await medbot.stop()
    _say("stopped", peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(prog="bot.bench.bot_host")
    parser.add_argument("--burst-at", type=datetime.fromisoformat, default=None)
    parser.add_argument("--lead", type=float, default=0.0)
    parser.add_argument("--started-at", type=float, default=None)
    parser.add_argument("--unlimited", action="store_true")
    parser.add_argument("--webhook", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    asyncio.run(host(args))


if __name__ == "__main__":
    main()
