"""When a patient's stock runs out: the doses ahead, what each takes, and when to remind a refill.

The stock counts units of the medication as the patient holds it. A dose in a count unit
(tablets, capsules, pills, puffs, drops, ml) takes that many units: "2 tablets" takes 2. A dose
in a mass unit (mg, mcg, g, IU, units) takes its share of the medication's base dose, on the
assumption that the patient holds tablets of the base dose: "5 mg" of a "10 mg" medication
takes half a tablet, "20 mg" takes two. mg, mcg and g convert into one another; a dose that
cannot be compared with the base dose (another kind of unit) counts as one unit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.model import Schedule
from bot.domain.parsing import dose_amount
from bot.domain.schedule import occurrences
from bot.domain.taper import TaperPlan

# Remind a refill this many days before the stock runs out (issue: "remind N days ahead,
# default 7"); earlier for a drug that must not stop suddenly, since running out means an
# abrupt stop (baclofen label, Warnings: Abrupt Drug Withdrawal).
REFILL_LEAD_DAYS = 7
WITHDRAWAL_RISK_LEAD_DAYS = 10

_COUNT_UNITS = frozenset({"tablet", "capsule", "pill", "puff", "drop", "ml"})
_MILLIGRAMS = {"mg": 1.0, "mcg": 0.001, "g": 1000.0}
# Float sums of halves and quarters must not make a last dose look uncovered.
_EPSILON = 1e-9


def units_per_dose(amount: str, base_dose: str) -> float:
    """How many units of the stock one dose of `amount` takes (see the module's docstring)."""
    number, unit = dose_amount(amount)
    if number <= 0:
        return 1.0  # not a dose we can read: count it as one unit rather than none
    if unit in _COUNT_UNITS:
        return number
    base, base_unit = dose_amount(base_dose)
    if base <= 0:
        return 1.0
    if unit == base_unit:
        return number / base
    if unit in _MILLIGRAMS and base_unit in _MILLIGRAMS:
        return number * _MILLIGRAMS[unit] / (base * _MILLIGRAMS[base_unit])
    return 1.0


def run_out_on(
    stock: float,
    schedule: Schedule,
    base_dose: str,
    zone: ZoneInfo,
    now: datetime,
    taper: TaperPlan | None = None,
    as_needed_daily_use: float | None = None,
    horizon_days: int = 366,
) -> date | None:
    """The patient's local date of the first dose the stock can no longer cover; None when
    that is beyond `horizon_days` or nothing is scheduled.

    Scheduled doses are walked from `now`, each taking `units_per_dose` of its amount: a
    taper step's dose on the plan's days, else the schedule's amount at that time, else the
    base dose. After a taper plan's last day the doses go on at the last step's dose: that is
    what the reminders keep asking for until the patient answers the end-of-taper question
    (`TaperPlan.amounts_at`, `services/tapers.keep_after_taper`); no plan ends in a stop by
    itself (a step of 0 is refused), stopping is a /stop of its own. Counting on errs towards
    an early refill, the safe side for a drug that must not run out.

    As needed: `as_needed_daily_use` (units a day, averaged by the caller) lasts
    floor(stock / use) days from today; None without a use to go by.
    """
    today = now.astimezone(zone).date()
    if schedule.as_needed:
        if not as_needed_daily_use or as_needed_daily_use <= 0:
            return None
        days = max(stock, 0.0) / as_needed_daily_use
        if not math.isfinite(days) or days > horizon_days:
            return None
        return today + timedelta(days=math.floor(days))
    left = stock
    for instant, amount in occurrences(schedule, zone, now, now + timedelta(days=horizon_days)):
        day = instant.astimezone(zone).date()
        needed = units_per_dose(_amount_on(day, amount, base_dose, taper), base_dose)
        if left + _EPSILON < needed:
            return day
        left -= needed
    return None


def _amount_on(day: date, amount: str | None, base_dose: str, taper: TaperPlan | None) -> str:
    if taper is not None:
        step = taper.step_on(day)
        if step is not None:
            return taper.steps[step].dose
        if day >= taper.end:
            return taper.steps[-1].dose
    return amount or base_dose


def average_daily_use(
    intake_instants_and_units: Iterable[tuple[datetime, float]],
    now: datetime,
    days: int = 14,
    *,
    since: datetime | None = None,
) -> float:
    """Units a day taken over the last `days` days up to `now`. With `since` (when counting
    began, e.g. the medication was added) a shorter history is averaged over its own length,
    at least one day, so a new medication's use is not diluted by days before it existed."""
    if days < 1:
        raise ValueError("days must be at least 1")
    window_start = now - timedelta(days=days)
    if since is not None and since > window_start:
        window_start = since
    span_days = max((now - window_start) / timedelta(days=1), 1.0)
    used = sum(units for at, units in intake_instants_and_units if window_start < at <= now)
    return used / span_days


def refill_lead_days(withdrawal_risk: bool) -> int:
    return WITHDRAWAL_RISK_LEAD_DAYS if withdrawal_risk else REFILL_LEAD_DAYS


def needs_refill(run_out: date | None, today: date, lead_days: int) -> bool:
    """Time for the refill reminder: the run-out is `lead_days` days away or nearer (or past)."""
    return run_out is not None and (run_out - today).days <= lead_days
