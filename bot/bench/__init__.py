"""`medbot bench`: the scenarios of issue 12 measured on the real bot, the emulator and the
bot each in a process of their own, the database seeded in bulk (bot.bench.seed).

A benchmark, not a test: it prints figures that vary with the machine; only its counts
(reminders lost or sent twice, replies lost) decide its exit code.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.bench.report import Report
from bot.bench.scenarios import SCENARIOS, Bench, Options
from bot.config import Settings

__all__ = ["SCENARIOS", "Options", "run_bench"]


async def run_bench(settings: Settings, options: Options, *, json_path: Path | None) -> Report:
    database = "PostgreSQL" if options.database_url else "SQLite"
    report = Report(database)
    # The bot's and the emulator's own logs (stderr) go where `medbot bench` logs.
    with Path("medbot-bench.log").open("a", encoding="utf-8") as log:  # noqa: ASYNC230
        bench = Bench(options, settings, log)
        for name in options.scenarios:
            report.sections += await bench.run(name)
    if json_path is not None:
        text = json.dumps(report.as_json(), indent=2) + "\n"
        json_path.write_text(text, encoding="utf-8")  # noqa: ASYNC240
    return report
