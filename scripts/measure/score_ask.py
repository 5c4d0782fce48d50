"""Score /ask once on a blind batch of labelled questions: right, wrong or "I don't know".

`.venv/bin/python scripts/measure/score_ask.py BATCH.yaml` (the format of
bot/knowledge/questions/). Right means the right topic for exactly the right drugs; a question
only a referral answers is right when the bot says it does not know. It also prints the score
of a bot that always refers, the same batch with the phrases alone (no second reader), and
every question not answered right.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from bot.domain.ask import answer_question
from bot.domain.knowledge import KnowledgeBase, no_second_reader
from bot.knowledge.judging import verdict
from bot.knowledge.loader import load_knowledge


def score(kb: KnowledgeBase, items: list[dict[str, Any]]) -> str:
    counts = Counter(
        verdict(i, answer_question(kb, i["question"], i["patient_drugs"])) for i in items
    )
    total = len(items)
    return ", ".join(
        f"{v} {counts[v]}/{total} = {counts[v] / total:.1%}" for v in ("right", "wrong", "unknown")
    )


def main(path: str) -> None:
    kb = load_knowledge()
    items = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["questions"]
    refer = sum(item["topic"] is None for item in items)
    print(f"{path}: {score(kb, items)}; a bot that always refers: {refer / len(items):.1%}")  # noqa: T201
    print(f"phrases alone: {score(replace(kb, read_topic=no_second_reader), items)}")  # noqa: T201
    for item in items:
        result = answer_question(kb, item["question"], item["patient_drugs"])
        if (found := verdict(item, result)) != "right":
            asked = [topic.value for topic in result.candidates]
            print(f"{found}: {item['question']} (expected {item['topic']}, asked which of {asked})")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1])
