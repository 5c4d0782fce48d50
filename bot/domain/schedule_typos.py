"""Typos in schedule words ("twise a day", "evry other day", "mornign"), corrected by a small
edit distance to the schedule's own vocabulary: never a number, never a drug's name (only the
words after the dose come here), and only when one word is the clear match."""

from __future__ import annotations

from collections.abc import Iterable

# The words patients misspell that change a schedule. Short function words ("at", "for",
# "more") are left out: a reason such as "sore throat" is one letter from "more throat".
_TARGETS = frozenset(
    {
        *("once", "twice", "thrice", "three", "four", "five", "six", "seven", "eight"),
        *("times", "daily", "every", "other", "day", "days", "week", "weeks", "weekly"),
        *("month", "months", "fortnight", "hours", "minutes", "until"),
        *("morning", "mornings", "afternoon", "evening", "evenings", "night", "nightly"),
        *("bedtime", "breakfast", "lunch", "lunchtime", "dinner", "supper", "meals"),
        *("needed", "required", "necessary", "maximum", "minimum", "apart", "between"),
        *("weekday", "weekdays", "weekend", "weekends"),
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "june", "july", "august"),
        *("september", "october", "november", "december"),
    }
)
# Words the schedule reader knows as they are: never "corrected" into another one.
KNOWN_WORDS = _TARGETS | frozenset(
    {
        *("time", "hour", "hrs", "mins", "noon", "midday", "midnight", "more", "than", "most"),
        *("least", "often", "each", "when", "then", "with", "before", "after", "during"),
        *("food", "water", "empty", "stomach", "without", "meal", "mealtime", "mealtimes"),
        *("dinnertime", "nights", "afternoons", "mondays", "tuesdays", "wednesdays"),
        *("thursdays", "fridays", "saturdays", "sundays", "tues", "thur", "thurs", "till"),
        *("through", "thru", "wait", "leave", "dose", "doses", "tablet", "tablets", "tabs"),
        *("pill", "pills", "capsule", "capsules", "caps", "puff", "puffs", "drop", "drops"),
        *("unit", "units", "nine", "ten", "eleven", "twelve", "one", "two", "o'clock"),
        *("oclock", "plus", "from", "starting", "year", "whenever", "needs", "need"),
        *("years", "end", "next", "this", "nite"),
    }
)


def corrected(tokens: Iterable[str]) -> tuple[list[str], bool]:
    """The tokens with misspelt schedule words corrected, and whether any was."""
    out, changed = [], False
    for token in tokens:
        fixed = _correction(token)
        changed |= fixed != token
        out.append(fixed)
    return out, changed


def _correction(token: str) -> str:
    if len(token) < 4 or token in KNOWN_WORDS or not token.isalpha():
        return token
    limit = 1 if len(token) < 8 else 2
    scored = [(distance(token, word), word) for word in _TARGETS]
    best = min(score for score, _ in scored)
    if best > limit:
        return token
    # A dropped letter is the commoner slip: of equally close words, the longest ("daly" is
    # "daily", not "day"); two of the same length are too close to call.
    closest = sorted((word for score, word in scored if score == best), key=len, reverse=True)
    if len(closest) > 1 and len(closest[0]) == len(closest[1]):
        return token
    return closest[0]


def distance(first: str, second: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from one word to the other."""
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i] + [0] * len(second)
        for j, b in enumerate(second, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
