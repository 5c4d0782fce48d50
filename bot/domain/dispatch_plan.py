"""When a burst of reminders must start so that each goes out on time within Telegram's limit.

Reminders go out in due order, at most `per_second` of them. Planned backwards from the
last minute ahead: minute m's doses must be out by `m + ON_TIME`, and before the next
minute's must start; so they start by that instant less `count / per_second`. Once it has
come, m's doses (and all before them) are claimed now, early if need be: the reminder shows
the scheduled time, so early is fine. Never more than EARLIEST before m: beyond that load,
lateness grows only as the limit dictates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

ON_TIME = timedelta(seconds=60)  # the most a reminder may go out after its time
EARLIEST = timedelta(minutes=5)  # the most it may go out before
# The share of the limit planned for reminders: replies and other messages use the rest.
REMINDER_SHARE = 0.9
MINUTE = timedelta(minutes=1)
# How far ahead the load matters: no minute further away is claimed or starts before the
# dispatcher's next regular run.
LOAD_AHEAD = EARLIEST + 2 * MINUTE


@dataclass(frozen=True, slots=True)
class DispatchPlan:
    claim_until: datetime  # claim the doses due up to this instant now
    next_start: datetime | None  # when a coming minute's doses must start going out


def plan_dispatch(
    now: datetime,
    load: Sequence[tuple[datetime, int]],
    *,
    per_second: float,
    on_time: timedelta = ON_TIME,
    earliest: timedelta = EARLIEST,
) -> DispatchPlan:
    """`load`: (minute, doses waiting that are due in it), overdue minutes included; the
    minutes need not be consecutive. `per_second`: the rate reminders can go out at."""
    rate = per_second * REMINDER_SHARE
    claim_until, next_start = now, None
    must_end: datetime | None = None  # when the next minute's doses must start going out
    for minute, due in sorted(load, reverse=True):
        end = minute + on_time if must_end is None else min(minute + on_time, must_end)
        start_by = max(end - timedelta(seconds=due / rate), minute - earliest)
        must_end = start_by
        if start_by <= now:
            # Claims go in due order: this minute's come after every earlier one's.
            claim_until = max(claim_until, minute + MINUTE - timedelta(microseconds=1))
        elif next_start is None or start_by < next_start:
            next_start = start_by
    return DispatchPlan(claim_until, next_start)
