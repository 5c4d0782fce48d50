"""How an unanswered reminder repeats, when it counts as missed, and the heads-up before it:
the operator's defaults (SPEC: NAG_AFTER_MINUTES, MISSED_AFTER_MINUTES) and the patient's
choices from /settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.model import ReminderPrefs

# The choices /settings offers (issue 10: 0 to 3 repeats, every 10 to 60 minutes).
REPEAT_COUNTS = (0, 1, 2, 3)
REPEAT_INTERVALS = tuple(timedelta(minutes=m) for m in (10, 15, 20, 30, 45, 60))
HEADS_UP_CHOICES = tuple(timedelta(minutes=m) for m in (5, 10, 15, 30, 60))
# After how long a missed dose alerts a caregiver (0: at once, as the SPEC's default).
MISSED_ALERT_DELAYS = tuple(timedelta(minutes=m) for m in (0, 30, 60, 120, 240))
DEFAULT_REPEATS = 1  # SPEC: "repeated once after NAG_AFTER_MINUTES"


@dataclass(frozen=True, slots=True)
class ReminderDefaults:
    """The operator's settings: every patient who chose nothing gets these."""

    repeat_every: timedelta
    missed_after: timedelta


@dataclass(frozen=True, slots=True)
class ReminderTiming:
    repeats: int
    every: timedelta
    missed_after: timedelta  # from the first reminder
    heads_up: timedelta | None


def timing_for(prefs: ReminderPrefs, defaults: ReminderDefaults) -> ReminderTiming:
    """The patient's choices over the defaults. A dose is never called missed before its
    last repeat has had one interval to be answered."""
    repeats = DEFAULT_REPEATS if prefs.repeats is None else prefs.repeats
    every = prefs.repeat_every or defaults.repeat_every
    missed_after = max(defaults.missed_after, every * (repeats + 1))
    return ReminderTiming(repeats, every, missed_after, prefs.heads_up)


def clocks_start(reminded_at: datetime, scheduled_at: datetime) -> datetime:
    """Where the repeat and miss clocks start: the first reminder, or the dose's own time
    when the reminder went out early (a burst starts before its minute)."""
    return max(reminded_at, scheduled_at)


def first_repeat_at(timing: ReminderTiming, reminded_at: datetime) -> datetime | None:
    return reminded_at + timing.every if timing.repeats > 0 else None


def next_repeat_at(
    timing: ReminderTiming, *, repeats_sent: int, reminded_at: datetime
) -> datetime | None:
    """After `repeats_sent` repeats: when the next one is due, or None when none is left.
    Counted from the first reminder, so a late sweep does not push the rest later."""
    if repeats_sent >= timing.repeats:
        return None
    return reminded_at + timing.every * (repeats_sent + 1)


def heads_up_at(timing: ReminderTiming, due_at: datetime) -> datetime | None:
    return due_at - timing.heads_up if timing.heads_up else None
