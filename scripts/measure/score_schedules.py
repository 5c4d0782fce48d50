"""Score /add schedule parsing once on a blind batch: right, refused (a clear ParseError) or
wrong."""

import json
import re
import sys
from datetime import date, timedelta

from bot.domain.parsing import ParseError, parse_add

try:
    from bot.domain.parsing import MissingDose
except ImportError:
    MissingDose = None

TODAY = date(2026, 12, 2)


def norm_dose(d):
    d = (d or "").lower().replace(" ", "")
    d = re.sub(r"tabs?\b|tablets?", "tablet", d)
    return re.sub(r"caps?\b|capsules?", "capsule", d)


def check(case):
    try:
        r = parse_add(case["text"], today=TODAY)
    except ParseError as e:
        if MissingDose is not None and isinstance(e, MissingDose):
            if case.get("dose") is not None:
                return "wrong", f"asked for a dose that was given ({e.name!r})"

            class R:
                pass

            r = R()
            r.name = e.name
            r.dose = None
            r.schedule = e.schedule.schedule
            return compare(case, r, missing=True)
        if case.get("dose") is None and "dose" in (e.problem + e.hint).lower():
            return "asked-dose", e.problem
        return "refused", f"{e.problem} | {e.hint}"
    if case.get("dose") is None:
        return "wrong", f"no dose given but parsed dose={r.dose!r}"
    return compare(case, r)


def compare(case, r, missing=False):
    s = r.schedule
    got = []
    if r.name.lower() != case["name"].lower():
        got.append(f"name {r.name!r}")
    if not missing and norm_dose(r.dose) != norm_dose(case["dose"]):
        got.append(f"dose {r.dose!r}")
    if case.get("as_needed"):
        if not s.as_needed:
            got.append("not as-needed")
        if case.get("max_per_day") != s.max_per_day:
            got.append(f"max {s.max_per_day}")
        gap = case.get("min_gap_hours")
        if (gap is None) != (s.min_gap is None) or (gap and s.min_gap != timedelta(hours=gap)):
            got.append(f"gap {s.min_gap}")
    else:
        if s.as_needed:
            got.append("as-needed")
        times = [t.strftime("%H:%M") for t in s.times]
        if case.get("times"):
            if sorted(case["times"]) != times:
                got.append(f"times {times}")
        elif case.get("count") and len(times) != case["count"]:
            got.append(f"count {len(times)} {times}")
        if (case.get("every_days") or 1) != s.every_days:
            got.append(f"every {s.every_days}")
        if sorted(case.get("weekdays") or []) != sorted(s.weekdays):
            got.append(f"weekdays {sorted(s.weekdays)}")
        want_end = case.get("ends_on")
        if case.get("course_days"):
            want_end = (TODAY + timedelta(days=case["course_days"] - 1)).isoformat()
        got_end = s.ends_on.isoformat() if s.ends_on else None
        if want_end != got_end:
            got.append(f"ends {got_end} (want {want_end})")
        if case.get("amounts"):
            want = [norm_dose(a) for a in case["amounts"]]
            have = [norm_dose(a) for a in s.amounts]
            if want != have:
                got.append(f"amounts {list(s.amounts)}")
    if got:
        return "wrong", "; ".join(got)
    return ("right (asks dose)" if missing else "right"), ""


with open(sys.argv[1]) as batch:
    cases = [json.loads(line) for line in batch if line.strip()]
tally = {}
for c in cases:
    verdict, why = check(c)
    tally[verdict] = tally.get(verdict, 0) + 1
    print(f"{c['id']} {verdict:10} {c['text']!r} {why}")  # noqa: T201 - a report
n = len(cases)
print({k: f"{v} ({100 * v / n:.1f}%)" for k, v in tally.items()}, "of", n)  # noqa: T201
