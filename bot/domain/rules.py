"""Safety rules: what skips, misses, extra doses and alarming words mean, as pure functions.

Clinical basis: abrupt withdrawal of baclofen can cause hallucinations and seizures (US label,
Warnings: Abrupt Drug Withdrawal); taking more or more often than prescribed is a sign of misuse
(seed article, "Identifying Baclofen Abuse").
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from bot.domain.model import DoseStatus

# Two missed or skipped doses in a row of a withdrawal-risk drug warrant a warning (SPEC).
WITHDRAWAL_RISK_STREAK = 2


def missed_streak(statuses_oldest_first: Sequence[DoseStatus]) -> int:
    """How many of the latest settled doses in a row were missed or skipped.

    A late "took" after a skip ends the streak, whatever came before it; doses still open
    (pending, sent, snoozed) do not count either way.
    """
    streak = 0
    for status in statuses_oldest_first:
        if status in (DoseStatus.MISSED, DoseStatus.SKIPPED):
            streak += 1
        elif status is DoseStatus.TAKEN:
            streak = 0
    return streak


def withdrawal_risk(statuses_oldest_first: Sequence[DoseStatus], *, drug_has_risk: bool) -> bool:
    return drug_has_risk and missed_streak(statuses_oldest_first) >= WITHDRAWAL_RISK_STREAK


@dataclass(frozen=True, slots=True)
class Overuse:
    taken_today: int
    prescribed_per_day: int
    too_soon_after: timedelta | None  # the gap to the previous dose, when it was too short


def minimum_gap(times: Sequence[time]) -> timedelta:
    """Half the shortest gap between scheduled times (once daily: 12 h)."""
    minutes = sorted(t.hour * 60 + t.minute for t in times)
    if len(minutes) < 2:
        return timedelta(hours=12)
    gaps = [b - a for a, b in itertools.pairwise(minutes)]
    gaps.append(24 * 60 - minutes[-1] + minutes[0])
    return timedelta(minutes=min(gaps) / 2)


def overuse(
    taken_at: datetime,
    intakes_today: Sequence[datetime],
    previous_intake: datetime | None,
    schedule: Sequence[time],
) -> Overuse | None:
    """More doses today than prescribed, or one much earlier than the schedule allows.

    `intakes_today` includes the new intake.
    """
    prescribed = len(schedule)
    gap = taken_at - previous_intake if previous_intake is not None else None
    too_soon = gap if gap is not None and timedelta(0) <= gap < minimum_gap(schedule) else None
    if len(intakes_today) > prescribed or too_soon is not None:
        return Overuse(len(intakes_today), prescribed, too_soon)
    return None


class RedFlag(StrEnum):
    SEIZURE = "seizure"
    HALLUCINATIONS = "hallucinations"
    BREATHING = "difficulty breathing"
    ALLERGIC_REACTION = "severe allergic reaction"
    FAINTING = "fainting"


# Words and phrases per red flag (SPEC "Reminders": seizure, hallucinations, difficulty
# breathing, severe allergic reaction, fainting). Single words are matched with typos.
_RED_FLAG_WORDS: dict[RedFlag, tuple[str, ...]] = {
    # Not "seizing": people with spasticity say their muscles are "seizing up".
    RedFlag.SEIZURE: ("seizure", "seizures", "convulsion", "convulsions", "convulsing"),
    RedFlag.HALLUCINATIONS: ("hallucination", "hallucinations", "hallucinating"),
    RedFlag.BREATHING: ("breathless", "suffocating", "choking"),
    RedFlag.ALLERGIC_REACTION: ("anaphylaxis", "anaphylactic"),
    # Not "faint" alone: "feeling faint" is light-headedness, a common side effect.
    RedFlag.FAINTING: ("fainted", "fainting", "unconscious", "collapsed", "blackout"),
}
_RED_FLAG_PHRASES: dict[RedFlag, tuple[str, ...]] = {
    RedFlag.SEIZURE: (r"\bhad a fit\b", r"\bfits\b"),
    RedFlag.HALLUCINATIONS: (
        r"\bseeing things\b",
        r"\bhearing (?:voices|things)\b",
        r"\bthings that (?:are|were)n'?t there\b",
    ),
    RedFlag.BREATHING: (
        r"\b(?:can ?not|cannot|can'?t|could ?n'?t|hard to|trouble|difficult\w*|struggl\w* to) "
        r"breath\w*",
        r"\bshort(?:ness)? of breath\b",
        r"\bnot breathing\b",
    ),
    RedFlag.ALLERGIC_REACTION: (
        r"\b(?:throat|tongue|lips?|face) (?:is |are |was )?(?:swelling|swollen|closing)\b",
        r"\bswollen (?:throat|tongue|lips?|face)\b",
        r"\bsevere (?:allergic|allergy)\b",
        r"\ballergic reaction\b",
        r"\bhives all over\b",
    ),
    RedFlag.FAINTING: (r"\bpass(?:ed)? out\b", r"\blost consciousness\b", r"\bblack(?:ed)? out\b"),
}


def red_flags(text: str) -> list[RedFlag]:
    """Red-flag symptoms mentioned in free text, typos tolerated ("seizur", "halucinations").

    Over-warning is the safe side: "no seizures" still counts, and the reply says to seek
    help only if it is happening.
    """
    lowered = text.casefold()
    words = re.findall(r"[^\W\d_]+", lowered)
    found: list[RedFlag] = []
    for flag in RedFlag:
        vocabulary = _RED_FLAG_WORDS[flag]
        by_word = any(_close(word, vocabulary) for word in words if len(word) >= 5)
        exact = any(word in vocabulary for word in words)
        by_phrase = any(re.search(pattern, lowered) for pattern in _RED_FLAG_PHRASES[flag])
        if exact or by_word or by_phrase:
            found.append(flag)
    return found


def _close(word: str, vocabulary: tuple[str, ...]) -> bool:
    return bool(difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.86))
