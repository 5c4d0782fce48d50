"""How the overuse warning words the time since the last dose."""

from __future__ import annotations

import pytest

from bot.domain.model import NoticeKind, SafetyNotice
from bot.domain.rules import OveruseRule
from bot.tg.i18n import speaking
from bot.tg.safety_texts import notice


def too_soon(minutes: int) -> SafetyNotice:
    return SafetyNotice(
        NoticeKind.OVERUSE,
        medication="Baclofen",
        rule=OveruseRule.TOO_SOON,
        since_last_minutes=minutes,
        min_gap_minutes=12 * 60,
    )


@pytest.mark.parametrize(
    ("language", "minutes", "said"),
    [
        ("en", 0, "came less than a minute after the one before"),  # not "came 0 min after"
        ("en", 1, "came 1 min after the one before"),
        ("en", 90, "came 1 h 30 min after the one before"),
        ("de", 0, "kam weniger als eine Minute nach der vorigen"),
        ("es", 0, "menos de un minuto después de la anterior"),
        ("ru", 0, "через несколько секунд после предыдущей"),
    ],
)
def test_a_dose_logged_again_at_once_came_less_than_a_minute_after(language, minutes, said):
    with speaking(language):
        assert said in notice(too_soon(minutes))
