"""An operator's commands as they type them: `medbot backup` while the bot holds the database,
`medbot migrate` from any folder in one line, a placeholder token refused, a start without
Telegram said in one line and stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import socket
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import cli
from bot.app import build_bot
from bot.config import EXAMPLE_TOKEN
from bot.db.engine import create_engine, session_factory
from bot.db.migrate import head, upgrade
from bot.db.uow import SqlUnitOfWork
from bot.domain.model import Schedule
from bot.emulator import BotApiEmulator
from tests.e2e.conftest import say, settings_for
from tests.e2e.test_operator_e2e import _SPEC_VARIABLES, ROOT, SECRET_TOKEN, medbot
from tests.fakes import ManualClock, RecordingAlarm


async def add_patients(engine: AsyncEngine, count: int) -> None:
    async with SqlUnitOfWork(session_factory(engine)) as uow:
        for number in range(count):
            patient = await uow.patients.add(chat_id=5000 + number, language="en", timezone="UTC")
            await uow.medications.add(
                patient_id=patient.id,
                name="Baclofen",
                dose="5 mg",
                schedule=Schedule(times=(time(8, 0),)),
            )
        await uow.commit()


async def test_backup_while_the_bot_writes_holds_the_committed_rows(tmp_path):
    source = tmp_path / "medbot.db"
    url = f"sqlite+aiosqlite:///{source}"
    await asyncio.to_thread(upgrade, url)  # Alembic runs an event loop of its own
    engine = create_engine(url)  # as the bot's: WAL, open throughout
    try:
        await add_patients(engine, 3)  # committed, still in the -wal file (no checkpoint yet)
        async with engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            await connection.execute(text("UPDATE medication SET dose = '10 mg'"))  # not committed
            copy = tmp_path / "backups" / "medbot-copy.db"
            copy.parent.mkdir()
            result = medbot("backup", str(copy), env={"DATABASE_URL": url}, cwd=tmp_path)
            await connection.rollback()
    finally:
        await engine.dispose()

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Backed up the database to {copy} (")
    assert sorted(p.name for p in copy.parent.iterdir()) == ["medbot-copy.db"]  # no -wal
    with sqlite3.connect(copy) as restored:
        chats = [row[0] for row in restored.execute("SELECT chat_id FROM patient ORDER BY 1")]
        doses = [row[0] for row in restored.execute("SELECT dose FROM medication")]
        revision = restored.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        mode = restored.execute("PRAGMA journal_mode").fetchone()[0]
    assert chats == [5000, 5001, 5002]
    assert doses == ["5 mg"] * 3  # the committed rows, not the write in progress
    assert revision == head()
    assert mode == "delete"  # one self-contained file


def test_backup_refuses_in_one_line_what_it_cannot_copy(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no .env of the checkout

    def backup(database_url: str, path: Path) -> list[str]:
        monkeypatch.setenv("DATABASE_URL", database_url)
        assert cli.main(["backup", str(path)]) == 2
        return capsys.readouterr().err.splitlines()

    assert backup("postgresql+asyncpg://medbot@127.0.0.1/medbot", tmp_path / "x.db") == [
        "medbot backup: PostgreSQL is backed up with pg_dump (README.md, Backup and restore)"
    ]
    missing = tmp_path / "none.db"
    assert backup(f"sqlite+aiosqlite:///{missing}", tmp_path / "x.db") == [
        f"medbot backup: no database at {missing}"
    ]
    assert not missing.exists()  # looking never creates one
    url = f"sqlite+aiosqlite:///{tmp_path / 'medbot.db'}"
    upgrade(url)
    nowhere = tmp_path / "no-such-folder" / "copy.db"
    (line,) = backup(url, nowhere)
    assert line.startswith(f"medbot backup: could not write {nowhere} (")
    assert not (tmp_path / "x.db").exists()


def test_migrate_from_another_folder_says_what_it_did_in_one_line(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"}
    first = medbot("migrate", env=env, cwd=elsewhere)
    assert first.returncode == 0, first.stderr
    (line,) = first.stderr.splitlines()
    assert line.endswith(f"Applied {int(head())} migrations; the database is at {head()}")
    again = medbot("migrate", env=env, cwd=elsewhere)
    assert again.returncode == 0, again.stderr
    (line,) = again.stderr.splitlines()
    assert line.endswith(f"Database is up to date ({head()})")
    assert list(elsewhere.iterdir()) == []


def test_the_example_placeholder_token_is_refused_in_one_line(tmp_path):
    assert f"TELEGRAM_BOT_TOKEN={EXAMPLE_TOKEN}\n" in (ROOT / ".env.example").read_text()
    database = tmp_path / "medbot.db"
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{database}"}
    result = medbot("run", env={**env, "TELEGRAM_BOT_TOKEN": EXAMPLE_TOKEN}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "medbot: TELEGRAM_BOT_TOKEN is still the placeholder from .env.example; "
        "put the token @BotFather gave you in .env"
    ]
    assert not database.exists()  # refused before anything else


@pytest.mark.parametrize("not_a_token", ["123456789:<paste it here>", "your-token", "12345:short"])
def test_what_is_obviously_not_a_token_is_refused_in_one_line(
    not_a_token, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", not_a_token)
    assert cli.main(["run"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "medbot: invalid setting TELEGRAM_BOT_TOKEN: Value error, "
        "expected the form 123456789:ABC... that @BotFather gives"
    ]


async def test_a_start_without_telegram_says_so_once_and_stops_on_sigterm(tmp_path):
    with socket_nobody_listens_on() as port:
        api = f"http://127.0.0.1:{port}"
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=operator_env(
                TELEGRAM_BOT_TOKEN=SECRET_TOKEN,
                TELEGRAM_API_URL=api,
                DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'medbot.db'}",
            ),
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert process.stderr is not None
        lines = [await process.stderr.readline() for _ in range(2)]
        # Retries go on quietly (the limiter's, then the start's backoff of 1, 2, 4 s…).
        await asyncio.sleep(2)
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(20):
            rest = (await process.stderr.read()).decode()
            await process.wait()
    said = [line.decode().rstrip("\n").split(": ", 1)[1] for line in lines]
    assert said == [
        f"Applied {int(head())} migrations; the database is at {head()}",
        f"Waiting for Telegram at {api} (NetworkError), retrying",
    ]
    assert rest == ""
    assert process.returncode == 0


async def test_a_running_bot_keeps_what_start_up_built_out_of_the_collectors_passes(
    emulator: BotApiEmulator, engine: AsyncEngine, clock: ManualClock, database_url: str
):
    """`medbot run` freezes what start-up built (the knowledge base alone is tens of thousands
    of objects), so the collector's full passes do not stop the event loop for ~0.1 s."""
    assert gc.get_freeze_count() == 0
    bot = build_bot(
        settings_for(emulator, database_url), clock=clock, alarm=RecordingAlarm(), engine=engine
    )
    serving = asyncio.create_task(bot.serve())
    try:
        # Answering means started; serve froze right after its start, many turns earlier.
        assert "What I can do" in (await say(emulator.user(1001, "Alice"), "/help")).text
        assert gc.get_freeze_count() > 20_000
    finally:
        os.kill(os.getpid(), signal.SIGTERM)  # serve's own handler: a clean stop
        await serving
        gc.unfreeze()  # the rest of the suite's objects are collected as usual


def operator_env(**variables: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k not in _SPEC_VARIABLES}, **variables}


@contextmanager
def socket_nobody_listens_on() -> Iterator[int]:
    """A local port that refuses connections: bound (so no one else takes it), not listening."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        yield int(bound.getsockname()[1])
