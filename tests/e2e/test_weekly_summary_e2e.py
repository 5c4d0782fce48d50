"""The weekly summary through the real bot: opted in from /settings, it comes on Sunday at
19:00 in each recipient's zone (the patient's, and a caregiver's own), once, with the week's
adherence, symptoms and safety events; someone who did not opt in gets none. The week chosen
ends with the spring-forward change in Berlin, so 19:00 there is 17:00 UTC, not 18:00."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.e2e.conftest import link_caregiver, say

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 3, 23, 6, 0, tzinfo=UTC)  # 07:00 in Berlin (CET)
SUNDAY_19_BERLIN = datetime(2026, 3, 29, 17, 0, tzinfo=UTC)  # CEST since 02:00 that day
SUNDAY_19_NEW_YORK = datetime(2026, 3, 29, 23, 0, tzinfo=UTC)  # EDT
WEEK = ("taken", "skipped", "missed", "taken", "taken", "taken", "taken")


def summaries(user) -> list[str]:
    return [m.text for m in user.messages if m.from_bot and m.text.startswith("📬")]


async def opt_in(user, label: str) -> None:
    shown = await say(user, "/settings")
    await user.press(shown, label)
    await user.wait_for(lambda m: m.message_id == shown.message_id and label not in m.labels)


async def a_week_of_baclofen(medbot, alice, clock) -> None:
    """One dose a day at 08:00 in Berlin, answered as WEEK says; one symptom logged."""
    seen = 0
    for number, answer in enumerate(WEEK):
        clock.set(datetime(2026, 3, 23 + number, 8, 0, tzinfo=BERLIN))
        await medbot.materialise_tick()
        assert await medbot.dispatch_tick() == 1
        reminder = await alice.wait_for(
            lambda m, after=seen: "Time for Baclofen" in m.text and m.message_id > after
        )
        seen = reminder.message_id
        if answer == "missed":
            clock.advance(timedelta(minutes=61))
            await medbot.sweep_tick()
            await alice.wait_for(lambda m: "in a row" in m.text)  # skipped, then missed
        else:
            await alice.press(reminder, "Taken" if answer == "taken" else "Skip")
            await alice.wait_for(
                lambda m, shown=reminder: m.message_id == shown.message_id and not m.buttons
            )
    await say(alice, "/log symptom mild dizziness")


async def at(medbot, clock, instant: datetime) -> None:
    """The hourly housekeeping tick and the dispatcher, both at `instant`."""
    clock.set(instant)
    await medbot.materialise_tick()
    await medbot.deliver_tick()


async def test_opted_in_patient_and_caregiver_get_it_sunday_at_19_local_once(
    medbot, alice, bob, carol, clock
):
    clock.set(MONDAY)
    await say(alice, "/timezone Europe/Berlin")
    await say(alice, "/add Baclofen 5 mg at 08:00")
    await alice.wait_for(lambda m: m.text.startswith("💡"))
    await link_caregiver(alice, bob)
    await link_caregiver(alice, carol)  # Carol never opts in
    await say(bob, "/timezone America/New_York")
    await opt_in(alice, "📭 Weekly summary: off")
    await opt_in(bob, "📭 Alice's week: off")
    await a_week_of_baclofen(medbot, alice, clock)

    await at(medbot, clock, SUNDAY_19_BERLIN - timedelta(minutes=30))
    assert summaries(alice) == []  # owed for 19:00, not before
    await at(medbot, clock, SUNDAY_19_BERLIN - timedelta(seconds=1))
    assert summaries(alice) == []
    await at(medbot, clock, SUNDAY_19_BERLIN)
    mine = await alice.wait_for(lambda m: m.text.startswith("📬"))
    assert "Your week, Mon 23 Mar to Sun 29 Mar" in mine.text
    assert "Baclofen: 5 taken, 1 skipped, 1 missed (71%)" in mine.text
    assert "1 symptom logged" in mine.text
    assert "1 safety event" in mine.text  # the withdrawal-risk warning; missed doses are above
    assert summaries(bob) == []  # 15:00 in New York

    await at(medbot, clock, SUNDAY_19_NEW_YORK - timedelta(minutes=40))
    assert summaries(bob) == []
    await at(medbot, clock, SUNDAY_19_NEW_YORK)
    theirs = await bob.wait_for(lambda m: m.text.startswith("📬"))
    assert "Alice's week, Mon 23 Mar to Sun 29 Mar" in theirs.text
    assert "Baclofen: 5 taken, 1 skipped, 1 missed (71%)" in theirs.text

    for later in (timedelta(minutes=30), timedelta(hours=3), timedelta(hours=15)):
        await at(medbot, clock, SUNDAY_19_NEW_YORK + later)
    await say(alice, "/meds")  # anything owed has had its turn
    assert len(summaries(alice)) == 1
    assert len(summaries(bob)) == 1
    assert summaries(carol) == []


async def test_turned_off_before_sunday_nothing_comes(medbot, alice, clock):
    clock.set(MONDAY)
    await say(alice, "/timezone Europe/Berlin")
    await opt_in(alice, "📭 Weekly summary: off")
    await opt_in(alice, "📬 Weekly summary: on")  # and off again
    shown = await say(alice, "/settings")
    assert "Weekly summary: off" in shown.text
    await at(medbot, clock, SUNDAY_19_BERLIN)
    await at(medbot, clock, SUNDAY_19_BERLIN + timedelta(hours=1))
    await say(alice, "/meds")
    assert summaries(alice) == []
