"""What an operator runs: `medbot` with bad settings, `medbot demo`, and docker-compose's steps."""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml
from sqlalchemy import inspect

from bot.db.engine import create_engine
from tests.conftest import POSTGRES_ADMIN_URL, _admin, _async_url

ROOT = Path(__file__).resolve().parents[2]
SECRET_TOKEN = "987654:super-secret-token-value"


def medbot(*args: str, env: dict[str, str], stdin: str = "", cwd: Path = ROOT):
    clean = {k: v for k, v in os.environ.items() if k not in _SPEC_VARIABLES}
    return subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=cwd,
        timeout=120,
        check=False,
    )


_SPEC_VARIABLES = {
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_URL",
    "DATABASE_URL",
    "DEFAULT_TIMEZONE",
    "NAG_AFTER_MINUTES",
    "MISSED_AFTER_MINUTES",
    "SNOOZE_MINUTES",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
}


def test_bad_setting_exits_non_zero_naming_it_without_the_token(tmp_path):
    result = medbot(
        "run",
        env={"TELEGRAM_BOT_TOKEN": SECRET_TOKEN, "DEFAULT_TIMEZONE": "Mars/Base"},
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "DEFAULT_TIMEZONE: Value error, not an IANA time zone" in result.stderr
    assert "super-secret" not in result.stderr + result.stdout


def test_run_without_a_token_says_so(tmp_path):
    result = medbot("run", env={}, cwd=tmp_path)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is required" in result.stderr


def test_demo_is_a_usable_chat_without_a_token(tmp_path):
    """`make demo` = `medbot migrate` + `medbot demo`: here with piped typing."""
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"}
    typed = "/start\n/timezone Europe/Berlin\n/add Baclofen 5 mg at 08:00 20:00\n/meds\n/quit\n"
    result = medbot("demo", env=env, stdin=typed, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "I'm MedBot" in result.stdout
    assert "Time zone set to Europe/Berlin" in result.stdout
    assert "Added Baclofen 5 mg at 08:00 20:00 (Europe/Berlin)" in result.stdout
    assert "• Baclofen 5 mg at 08:00 20:00" in result.stdout
    assert (tmp_path / "demo.db").exists()


@pytest.fixture
def fresh_postgres_database():
    name = f"medbot_compose_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    yield _async_url(POSTGRES_ADMIN_URL, name)
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_compose_steps_run_outside_docker_on_local_postgres(fresh_postgres_database, tmp_path):
    """No Docker engine here: check the file's shape, then run its migrate step for real."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    db, migrate, bot = (compose["services"][name] for name in ("db", "migrate", "bot"))
    assert db["image"] == "postgres:16"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in db["volumes"])
    assert migrate["command"] == ["medbot", "migrate"]
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["command"] == ["medbot", "run"]
    assert bot["env_file"] == ".env"
    assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert (ROOT / ".env.example").read_text().count("TELEGRAM_BOT_TOKEN=") == 1
    assert bot["ports"] == ["127.0.0.1:${WEBHOOK_PORT:-8443}:${WEBHOOK_PORT:-8443}"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY migrations" not in dockerfile  # they are package data now
    assert 'CMD ["medbot", "run"]' in dockerfile

    # The migrate service's command, from a folder other than the checkout.
    result = medbot(
        *migrate["command"][1:], env={"DATABASE_URL": fresh_postgres_database}, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr

    async def tables() -> set[str]:
        engine = create_engine(fresh_postgres_database)
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        await engine.dispose()
        return names

    assert {"patient", "medication", "schedule", "dose", "alembic_version"} <= asyncio.run(tables())


def test_the_image_is_slim_non_root_and_installs_the_runtime_lock_as_wheels():
    """No Docker engine here: the Dockerfile's stages read, and its install step run (dry)."""
    _comments, build, final = (ROOT / "Dockerfile").read_text().split("\nFROM ")
    assert build.startswith("python:3.11-slim AS build\n")
    assert final.startswith("python:3.11-slim\n")
    # The final stage only adds the user and the built environment: no compiler, no pip run.
    final_runs = [line for line in final.splitlines() if line.startswith("RUN ")]
    assert final_runs == ["RUN useradd --create-home --uid 10001 medbot"]
    assert "COPY --from=build /opt/medbot /opt/medbot" in final
    assert "USER medbot" in final
    (install,) = [line for line in build.splitlines() if line.startswith("RUN pip install -")]
    arguments = shlex.split(install.removeprefix("RUN "))
    assert arguments[:2] == ["pip", "install"]
    assert {"--require-hashes", "--no-deps", "--only-binary"} <= set(arguments)
    # The same step here: every locked package has a wheel for this platform with its hash.
    dry = subprocess.run(  # noqa: S603 - pip on our own lock
        [sys.executable, "-m", "pip", *arguments[1:], "--dry-run", "--ignore-installed", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert dry.returncode == 0, dry.stderr


def test_a_malformed_knowledge_file_stops_the_bot_naming_the_file(tmp_path, monkeypatch, capsys):
    import shutil

    from bot import cli
    from bot.knowledge import loader

    broken = tmp_path / "knowledge"
    shutil.copytree(loader.KNOWLEDGE_FOLDER, broken, ignore=shutil.ignore_patterns("*.py"))
    text = (broken / "baclofen.yaml").read_text()
    (broken / "baclofen.yaml").write_text(text.replace("      source:", "      sauce:", 1))
    monkeypatch.setattr(loader, "KNOWLEDGE_FOLDER", broken)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", SECRET_TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'kb.db'}")
    monkeypatch.setattr(cli, "_migrate", lambda settings: 0)

    assert cli.main(["run"]) == 2
    error = capsys.readouterr().err
    assert "the knowledge base cannot be used" in error
    assert "baclofen.yaml: topics.alcohol[0]" in error
    assert "super-secret" not in error


def test_the_installed_package_runs_as_in_the_docker_image(tmp_path):
    """The image runs `pip install .`, then `medbot` from /app: no source tree on the path."""
    wheels, site, app = tmp_path / "wheels", tmp_path / "site", tmp_path / "app"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    built = subprocess.run(  # noqa: S603
        [*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("medbot-*.whl")
    installed = subprocess.run(  # noqa: S603
        [*pip, "install", "--no-deps", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    # The migrations come inside the package: an empty working directory is enough.
    app.mkdir()
    env = {"PYTHONPATH": str(site), "DATABASE_URL": f"sqlite+aiosqlite:///{app / 'm.db'}"}
    result = medbot("migrate", env=env, cwd=app)
    assert result.returncode == 0, result.stderr
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import bot.knowledge.loader as k; print(k.__file__, len(k.load_knowledge().drugs))",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=app,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    location, drugs = check.stdout.split()
    assert location.startswith(str(site))
    assert int(drugs) >= 7
