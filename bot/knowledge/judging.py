"""How an /ask answer to a labelled question (bot/knowledge/questions/) is judged: by the
accuracy tests (tests/unit/test_ask.py) and by scripts/measure/score_ask.py, the same way."""

from __future__ import annotations

from typing import Any

from bot.domain.ask import AskResult
from bot.domain.knowledge import Topic


def verdict(item: dict[str, Any], result: AskResult) -> str:
    """ "right", "wrong" or "unknown" (a question the bot should answer but said it can't).

    Right means the right topic for exactly the right drugs: a question from a patient on
    two covered drugs, naming neither, is answered for both; a question only a referral
    answers is right when the bot says it does not know.
    """
    if item["topic"] is None:
        return "wrong" if result.understood else "right"
    if not result.understood:
        return "unknown"
    expected = item["drug"] if isinstance(item["drug"], list) else [item["drug"]]
    right = result.topic == Topic(item["topic"]) and sorted(result.drug_keys) == sorted(expected)
    return "right" if right else "wrong"
