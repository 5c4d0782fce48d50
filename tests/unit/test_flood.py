"""FloodGate: the sliding window per sender, the pause after a flood, bounded memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.flood import FloodGate, Verdict

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def gate() -> FloodGate:
    return FloodGate(limit=50, window=timedelta(seconds=10), pause=timedelta(seconds=30))


def burst(flood: FloodGate, sender: int, count: int, *, start: datetime = T0) -> list[Verdict]:
    """`count` updates 0.1 s apart."""
    return [flood.check(sender, start + timedelta(seconds=i / 10)) for i in range(count)]


def test_the_message_reaching_the_limit_gets_one_slow_down_and_the_rest_are_ignored() -> None:
    verdicts = burst(gate(), 1, 60)
    assert verdicts[:49] == [Verdict.ANSWER] * 49
    assert verdicts[49] is Verdict.SLOW_DOWN
    assert verdicts[50:] == [Verdict.IGNORE] * 10


def test_the_same_number_spread_beyond_the_window_is_answered() -> None:
    flood = gate()
    # 100 messages, one every 0.25 s: never 50 within 10 s.
    verdicts = [flood.check(1, T0 + timedelta(seconds=i / 4)) for i in range(100)]
    assert set(verdicts) == {Verdict.ANSWER}


def test_other_senders_are_not_slowed() -> None:
    flood = gate()
    burst(flood, 1, 50)
    assert flood.check(2, T0 + timedelta(seconds=5)) is Verdict.ANSWER


def test_after_the_pause_the_sender_is_answered_again_with_a_fresh_window() -> None:
    flood = gate()
    burst(flood, 1, 50)
    tripped = T0 + timedelta(seconds=4.9)
    assert flood.check(1, tripped + timedelta(seconds=29.9)) is Verdict.IGNORE
    after = tripped + timedelta(seconds=30)
    assert burst(flood, 1, 49, start=after) == [Verdict.ANSWER] * 49


def test_idle_senders_are_forgotten_but_paused_ones_are_kept() -> None:
    flood = gate()
    for sender in range(1_000):
        flood.check(sender, T0)
    burst(flood, 5_000, 50)
    assert flood.tracked == 1_001
    later = T0 + timedelta(seconds=11)
    flood.check(9_999, later)
    assert flood.tracked == 2  # the paused sender and the new one
    assert flood.check(5_000, later) is Verdict.IGNORE
