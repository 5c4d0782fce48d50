"""Score the blind de/es/ru emergency batch once: caught in its category, missed, false alarm."""

import json
import sys
from collections import Counter

from bot.knowledge.loader import load_knowledge

kb = load_knowledge()
tally = Counter()
with open(sys.argv[1]) as batch:
    lines = list(batch)
for line in lines:
    case = json.loads(line)
    found = kb.emergencies_in(case["text"])
    kinds = {k.value for k in found.emergencies}
    want = case["category"]
    if want == "none":
        verdict = "quiet" if not kinds else "false alarm"
    elif want in kinds:
        verdict = "caught"
    elif kinds:
        verdict = "caught, other category"
    else:
        verdict = "MISSED"
    tally[(case["lang"], verdict)] += 1
    if verdict not in ("caught", "quiet"):
        print(case["id"], verdict, sorted(kinds), case["text"])  # noqa: T201 - a report
for lang in ("de", "es", "ru"):
    print(lang, {v: n for (lg, v), n in sorted(tally.items()) if lg == lang})  # noqa: T201
