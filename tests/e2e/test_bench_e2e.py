"""`medbot bench` at a tiny size, as an operator runs it: every scenario prints its table
and its JSON, and the counts are exact (the times are the machine's, never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import POSTGRES_ADMIN_URL, _async_url

TINY = (
    "--patients", "20",
    "--on-time", "20",
    "--scale-patients", "500",
    "--updates", "40",
    "--burst-with-updates", "20",
)  # fmt: skip


def bench(folder: Path, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """`medbot bench ARGS` as an operator runs it, in `folder`."""
    return subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "bot", "bench", *args],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=timeout,
        check=False,
    )


def test_every_scenario_counts_right_at_a_tiny_size(tmp_path: Path) -> None:
    figures = tmp_path / "bench.json"
    run = bench(tmp_path, *TINY, "--json", str(figures), timeout=170)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "counts: all right" in run.stdout
    for heading in ("own-speed", "on-time 20", "paid", "scale", "updates", "ask"):
        assert heading in run.stdout
    report = json.loads(figures.read_text())
    assert report["database"] == "SQLite"
    assert report["counts_ok"] is True
    scenarios = report["scenarios"]
    for name in ("own-speed", "on-time 20", "updates"):
        burst = scenarios[name]
        assert (burst["due"], burst["sent"], burst["duplicates"], burst["lost"]) == (20, 20, 0, 0)
    assert scenarios["on-time 20"]["too_many_requests"] == 0
    updates = scenarios["updates"]
    # Every /log and /ask had exactly one reply.
    assert (updates["updates"], updates["replies"], updates["extra_replies"]) == (40, 40, 0)
    assert updates["replies_lost"] == 0
    assert updates["handled_p99"] is not None
    paid = scenarios["paid"]
    if paid.get("paid_broadcast", True) is not None:  # PAID_BROADCAST exists
        assert (paid["sent"], paid["duplicates"], paid["lost"]) == (20, 0, 0)
        assert paid["paid_share"] == 1.0  # every reminder of the burst went as a paid broadcast
    scale = scenarios["scale"]
    assert scale["window_expected"] == 500 * 3 * 2  # three daily doses over 48 h
    assert scale["window_seconds"] is not None  # the materialiser wrote all of them
    assert scale["jobs"] <= 5  # a few fixed jobs, not one per patient
    assert scale["replies_lost"] == 0
    ask = scenarios["ask"]
    assert ask["questions"] >= 900  # every labelled question, each read once
    assert ask["phrases_alone"] > 0 and ask["both_readers"] > 0


def test_updates_shared_by_two_webhook_processes_on_postgresql_count_right(tmp_path: Path) -> None:
    """The balancer posts each update to one of two processes on one database: every update
    has exactly one reply, and the burst they dispatch together goes out once."""
    server = _async_url(POSTGRES_ADMIN_URL, "postgres")  # the bench makes its own database
    figures = tmp_path / "bench.json"
    run = bench(
        tmp_path,
        "--scenario", "updates",
        "--updates", "40", "--update-rate", "40", "--burst-with-updates", "20",
        "--webhook-processes", "2", "--database-url", server, "--json", str(figures),
        timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(figures.read_text())
    assert report["database"] == "PostgreSQL"
    updates = report["scenarios"]["updates"]
    assert updates["processes"] == "2, webhook mode"
    assert updates["per_process"] == "20, 20"  # 40 consecutive chats, sticky by chat id
    assert (updates["updates"], updates["replies"], updates["extra_replies"]) == (40, 40, 0)
    assert updates["replies_lost"] == 0
    burst = (updates["due"], updates["sent"], updates["duplicates"], updates["lost"])
    assert burst == (20, 20, 0, 0)


def test_several_webhook_processes_on_sqlite_are_refused_in_one_line(tmp_path: Path) -> None:
    run = bench(tmp_path, "--scenario", "updates", "--webhook-processes", "2", timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "medbot bench: several processes share a PostgreSQL database (--database-url); "
        "SQLite takes one"
    ]
