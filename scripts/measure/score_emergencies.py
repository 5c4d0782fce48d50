"""Score a blind emergency batch once (JSON lines: text, category, and lang, "en" if absent):
caught in its category, caught as another, missed, false alarm; by language and by style."""

import json
import sys
from collections import Counter

from bot.knowledge.loader import load_knowledge

kb = load_knowledge()
by_language, by_style = Counter(), Counter()
with open(sys.argv[1]) as batch:
    cases = [json.loads(line) for line in batch if line.strip()]
for case in cases:
    kinds = {k.value for k in kb.emergencies_in(case["text"]).emergencies}
    want = case["category"]
    if want == "none":
        verdict = "quiet" if not kinds else "false alarm"
    elif want in kinds:
        verdict = "caught"
    elif kinds:
        verdict = "caught, other category"
    else:
        verdict = "MISSED"
    by_language[(case.get("lang", "en"), verdict)] += 1
    by_style[(case.get("style", "-"), verdict)] += 1
    if verdict not in ("caught", "quiet"):
        print(case["id"], verdict, want, sorted(kinds), case["text"])  # noqa: T201 - a report
for name, tally in (("language", by_language), ("style", by_style)):
    for key in sorted({key for key, _verdict in tally}):
        print(name, key, {v: n for (k, v), n in sorted(tally.items()) if k == key})  # noqa: T201
