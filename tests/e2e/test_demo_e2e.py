"""`medbot demo --speed 60` as a person types it: reminders, repeats, missed doses, a caregiver."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import SchedulerAlarm
from bot.demo_clock import DemoClock
from tests.e2e.test_operator_e2e import _SPEC_VARIABLES

# Generous: the bot needs ~15 s for a repeat and ~60 s for a missed dose at speed 60.
WAIT = 60.0


class DemoChat:
    """A real `medbot demo` process: types lines, waits for what the transcript shows."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        clean = {k: v for k, v in os.environ.items() if k not in _SPEC_VARIABLES}
        self.log = tmp_path / "medbot-demo.log"
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "bot", "demo", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**clean, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"},
            cwd=tmp_path,
        )
        self._lines: list[str] = []
        self._grew = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    @property
    def text(self) -> str:
        with self._grew:
            return "".join(self._lines)

    def type(self, line: str) -> int:
        """Type a line; returns where the transcript stood, for waits on what follows."""
        mark = len(self.text)
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return mark

    def wait_for(self, pattern: str, *, after: int = 0, timeout: float = WAIT) -> re.Match[str]:
        """The first match of `pattern` in the transcript past `after`, once it shows."""
        deadline = time.monotonic() + timeout
        with self._grew:
            while (found := re.compile(pattern).search("".join(self._lines), after)) is None:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    pytest.fail(f"no {pattern!r} in the transcript:\n{self.text}{self._log()}")
                self._grew.wait(min(left, 1.0))
        return found

    def quit(self) -> str:
        self.type("/quit")
        assert self.process.stdin is not None
        self.process.stdin.close()
        assert self.process.wait(timeout=30) == 0, self.text + self._log()
        return self.text

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._grew:
                self._lines.append(line)
                self._grew.notify_all()

    def _log(self) -> str:
        return (
            f"\n--- {self.log.name}:\n{self.log.read_text()[-4000:]}" if self.log.exists() else ""
        )


@pytest.fixture
def demo(tmp_path):
    chats: list[DemoChat] = []

    def start(*args: str) -> DemoChat:
        chats.append(DemoChat(tmp_path, *args))
        return chats[-1]

    yield start
    for chat in chats:
        chat.kill()


def add_a_dose_ten_bot_minutes_ahead(chat: DemoChat) -> str:
    """The demo clock runs ahead of the real one: read its time from the bot, then /add."""
    hour, minute = map(int, chat.wait_for(r"It is (\d\d):(\d\d) there now").groups())
    due = (hour * 60 + minute + 10) % (24 * 60)
    at = f"{due // 60:02d}:{due % 60:02d}"
    chat.wait_for(f"Added Baclofen 5 mg at {at}", after=chat.type(f"/add Baclofen 5 mg at {at}"))
    return at


def test_at_speed_60_a_reminder_repeats_and_is_missed_within_two_minutes(demo):
    chat = demo("--speed", "60")
    chat.wait_for("I'm MedBot", after=chat.type("/start"))
    assert "bot time runs 60x faster" in chat.text
    chat.type("/timezone UTC")
    at = add_a_dose_ten_bot_minutes_ahead(chat)

    mark = chat.type("/next")  # the clock jumps to the dose: the reminder comes at once
    chat.wait_for(r"⏩ .* later: .* a reminder is due\.", after=mark)
    reminder = chat.wait_for(rf"🤖 💊 Time for Baclofen 5 mg \({at}\)", after=mark, timeout=20)
    # No answer: 15 bot minutes (15 real seconds) later the repeat, at 60 the missed dose.
    repeat = chat.wait_for(rf"🤖 🔔 Reminder again: Baclofen 5 mg \({at}\)", after=reminder.end())
    missed = chat.wait_for(
        rf"✏️ \(edited\) ⚠️ Baclofen 5 mg \({at}\): marked missed",
        after=repeat.end(),
        timeout=2 * WAIT,
    )
    text = chat.quit()
    assert text[reminder.end() : missed.start()].count("Reminder again") == 1
    assert text.rstrip().endswith("👋 Chat ended.")


def test_a_caregiver_invited_in_the_demo_gets_the_missed_dose_alert(demo):
    chat = demo("--speed", "240")  # the missed dose 15 real seconds after its reminder
    chat.wait_for("I'm MedBot", after=chat.type("/start"))
    chat.wait_for("No reminder is due", after=chat.type("/next"))
    chat.wait_for("You are Alex, the patient", after=chat.type("/as"))

    code = chat.wait_for(r"start=([A-Za-z0-9_-]{22,})", after=chat.type("/caregiver")).group(1)
    chat.wait_for("You are now Carol, the caregiver", after=chat.type("/as caregiver"))
    mark = chat.type(f"/start {code}")
    chat.wait_for("will confirm first", after=mark)
    # The patient's side of it shows with who gets it, and its button is not Carol's to press.
    allow = chat.wait_for(
        r"🤖 to Alex: Carol .*wants to get your alerts.*\n.*\[(\d+)\] ✅ Allow", after=mark
    ).group(1)
    chat.wait_for(r"is in Alex's chat: /as patient", after=chat.type(f"/press {allow}"))
    chat.type("/as patient")
    mark = chat.type(f"/press {allow}")
    chat.wait_for("Carol now gets your alerts", after=mark)
    chat.wait_for("🤖 to Carol: You now get alerts", after=mark)

    chat.type("/timezone UTC")
    at = add_a_dose_ten_bot_minutes_ahead(chat)
    mark = chat.type("/next")
    chat.wait_for(rf"🤖 💊 Time for Baclofen 5 mg \({at}\)", after=mark, timeout=20)
    alert = chat.wait_for(r"🤖 to Carol: ⚠️ Alex missed a dose", after=mark, timeout=2 * WAIT)
    chat.wait_for(rf"due .* {at}: Baclofen", after=alert.end())
    chat.quit()


def test_the_report_chart_in_the_demo_is_saved_where_the_transcript_says(demo, tmp_path):
    chat = demo()
    chat.wait_for("I'm MedBot", after=chat.type("/start"))
    assert f"saved in {tmp_path / 'medbot-demo-files'}" in chat.text
    saved = chat.wait_for(
        r"🤖 📎 report\.png \((\d+) bytes, saved as (\S+)\)", after=chat.type("/report")
    )
    path = Path(saved.group(2))
    assert path == tmp_path / "medbot-demo-files" / "report.png"
    assert path.read_bytes().startswith(b"\x89PNG")
    assert path.stat().st_size == int(saved.group(1))
    chat.quit()


class RealTime:
    def __init__(self) -> None:
        self.at = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


def test_the_demo_clock_runs_speed_times_faster_and_next_jumps_it_forward_only():
    real = RealTime()
    clock = DemoClock(60, real=real)
    start = clock.now()
    assert start == real.at
    real.at += timedelta(seconds=15)
    assert clock.now() == start + timedelta(minutes=15)
    assert clock.real_at(start + timedelta(minutes=60)) == real.at + timedelta(seconds=45)

    assert clock.advance_to(start + timedelta(hours=5)) == timedelta(hours=4, minutes=45)
    assert clock.now() == start + timedelta(hours=5)
    assert clock.advance_to(start) == timedelta(0)  # never back
    assert clock.real_at(start + timedelta(hours=5, minutes=1)) == real.at + timedelta(seconds=1)


async def test_the_alarm_converts_bot_time_to_real_time_at_the_demo_pace():
    scheduler = AsyncIOScheduler(timezone=UTC)
    later = datetime.now(UTC) + timedelta(minutes=5)
    scheduler.add_job(time.monotonic, "interval", id="dispatch", seconds=30, next_run_time=later)
    scheduler.start(paused=True)
    try:
        clock = DemoClock(60)
        alarm = SchedulerAlarm("dispatch", clock)
        alarm.scheduler = scheduler
        before = datetime.now(UTC)
        alarm.arm(clock.now() + timedelta(minutes=2))  # two bot minutes: two real seconds
        woken = scheduler.get_job("dispatch").next_run_time
        assert before + timedelta(seconds=1.9) <= woken <= before + timedelta(seconds=2.5)
    finally:
        scheduler.shutdown(wait=False)
