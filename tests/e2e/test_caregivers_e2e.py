"""Caregivers through the real bot: consent, alerts to the right person only, batching, retry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.tables import AlertRow, CaregiverLinkRow
from bot.emulator import SimUser
from bot.tg.rate_limits import RETRIES
from tests.e2e.conftest import (
    first_reminder,
    invite_code,
    link_caregiver,
    say,
    set_up_baclofen_at_next_minute,
)


@pytest.fixture
def mallory(emulator, medbot) -> SimUser:
    return emulator.user(6006, "Mallory")


def alerts_to(caregiver: SimUser) -> list[str]:
    return [m.text for m in caregiver.messages if m.text[:1] in "⚠🚨🛑⏸"]


async def alert_statuses(medbot) -> list[str]:
    async with medbot.engine.connect() as connection:
        return list(await connection.scalars(select(AlertRow.status).order_by(AlertRow.id)))


async def test_an_unanswered_dose_reaches_the_caregiver_as_a_missed_dose_alert(
    medbot, alice, carol, clock
):
    reminder = await first_reminder(medbot, alice, clock)
    await link_caregiver(alice, carol)
    assert reminder.buttons

    clock.advance(timedelta(minutes=60))
    assert await medbot.sweep_tick() == (0, 1)
    assert await medbot.alert_tick() == 1
    alert = await carol.wait_for(lambda m: "missed" in m.text)
    assert alert.text.startswith("⚠️ Alice missed a dose:")
    assert "Baclofen" in alert.text
    assert "(times in UTC)" in alert.text  # Carol has not set a zone
    assert "should not double" in alert.text
    assert alert.buttons[0][0].text == "💬 Message Alice"
    assert alert.buttons[0][0].url == "tg://user?id=1001"
    assert await alert_statuses(medbot) == ["sent"]


async def test_a_red_flag_log_reaches_the_caregiver_without_waiting(medbot, alice, carol):
    await set_up_baclofen_at_next_minute(alice)
    await link_caregiver(alice, carol)
    await alice.send("/log symptom seizure this morning")
    # No tick is called here: the red flag wakes delivery itself.
    alert = await carol.wait_for(lambda m: m.text.startswith("🚨"), timeout=5)
    assert "Alice may be having an emergency" in alert.text
    assert "a seizure" in alert.text
    assert "call emergency services" in alert.text


async def test_used_expired_revoked_and_guessed_codes_are_refused(
    medbot, alice, carol, mallory, bob, clock
):
    await say(alice, "/start")
    used = await invite_code(alice)
    await say(carol, f"/start {used}")
    # Alice is asked to allow Carol; that message is owed to her before her next reply.
    await alice.wait_for(lambda m: "wants to get your alerts" in m.text)
    refused = await say(mallory, f"/start {used}")
    assert "not valid" in refused.text
    assert "Alice" not in refused.text  # reveals nothing about the patient

    revoked = await invite_code(alice)
    await invite_code(alice)  # a new invite cancels the older unused one
    assert "not valid" in (await say(bob, f"/start {revoked}")).text

    expired = await invite_code(alice)
    clock.advance(timedelta(hours=24, minutes=1))
    assert "not valid" in (await say(bob, f"/start {expired}")).text

    assert "not valid" in (await say(bob, "/start AAAAAAAAAAAAAAAAAAAAAA")).text
    async with medbot.engine.connect() as connection:
        links = list(await connection.scalars(select(CaregiverLinkRow.caregiver_chat_id)))
    assert links == [carol.id]  # only the first, valid use made a link (still pending)


async def test_guessing_codes_is_throttled(medbot, alice, mallory):
    await say(alice, "/start")
    for guess in range(5):
        assert "not valid" in (await say(mallory, f"/start guess{guess:018d}")).text
    good = await invite_code(alice)
    throttled = await say(mallory, f"/start {good}")
    assert "Too many wrong codes" in throttled.text


async def test_a_forged_callback_cannot_accept_an_invite_for_another_patient(medbot, alice, carol):
    await say(alice, "/start")
    code = await invite_code(alice)
    waiting = await say(carol, f"/start {code}")
    request = await alice.wait_for(lambda m: "wants to get your alerts" in m.text)
    accept = request.buttons[0][0].callback_data
    # Carol's client sends the patient's "Allow" on a message of her own chat.
    await carol.forge_press(waiting, accept)
    answer = await carol.wait_for_answer()
    assert "no longer open" in answer.text
    async with medbot.engine.connect() as connection:
        (status,) = list(await connection.scalars(select(CaregiverLinkRow.status)))
    assert status == "pending"


async def test_a_revoked_caregiver_gets_nothing_more_and_is_told(medbot, alice, carol):
    await set_up_baclofen_at_next_minute(alice)
    await link_caregiver(alice, carol)
    listing = await say(alice, "/caregivers")
    assert "1. Carol: missed doses, repeated skips, withdrawal risk" in listing.text
    reply = await say(alice, "/revoke 1")
    assert "Carol no longer gets anything about you" in reply.text
    await carol.wait_for(lambda m: "has removed you" in m.text)
    await alice.send("/log symptom I fainted")
    await alice.wait_for(lambda m: m.text.startswith("🚨"))
    assert await medbot.alert_tick() == 0
    assert alerts_to(carol) == []
    assert await alert_statuses(medbot) == []  # no alert row for an ended link


async def test_revoke_and_unfollow_that_pick_no_link_list_the_links_and_end_none(
    medbot, alice, bob, carol
):
    await say(alice, "/start")
    assert "You have no caregivers to remove." in (await say(alice, "/revoke")).text
    await say(bob, "/start")
    await link_caregiver(alice, carol)
    await link_caregiver(bob, carol)
    listing = await say(alice, "/revoke Dave")
    assert "1. Carol: " in listing.text
    await carol.send("/unfollow")
    which = await carol.wait_for(lambda m: "Whom do you want to stop following?" in m.text)
    assert "1. Alice\n2. Bob" in which.text
    async with medbot.engine.connect() as connection:
        statuses = list(await connection.scalars(select(CaregiverLinkRow.status)))
    assert statuses == ["active", "active"]


async def test_a_caregiver_of_one_patient_never_hears_of_another(medbot, alice, bob, carol):
    await say(alice, "/start")
    await link_caregiver(alice, carol)
    await say(bob, "/start")
    await bob.send("/log symptom hallucinations")
    await bob.wait_for(lambda m: m.text.startswith("🚨"))
    assert await medbot.alert_tick() == 0
    assert alerts_to(carol) == []


async def test_ten_missed_doses_in_a_burst_make_one_alert_per_window(medbot, alice, carol, clock):
    await say(alice, "/timezone Asia/Kolkata")
    times = " ".join(f"08:{minute:02d}" for minute in range(1, 11))
    await say(alice, f"/add Baclofen 5 mg at {times}")
    await alice.wait_for_new_message()  # the safety tip
    await link_caregiver(alice, carol)
    await say(carol, "/timezone Asia/Kolkata")  # alerts show times in the caregiver's zone
    clock.advance(timedelta(minutes=5))  # 08:05:30
    assert await medbot.dispatch_tick() == 5
    clock.advance(timedelta(minutes=5))  # 08:10:30
    assert await medbot.dispatch_tick() == 5

    clock.advance(timedelta(minutes=55))  # 09:05:30: the first five are missed
    assert await medbot.sweep_tick() == (5, 5)  # and the other five are repeated
    # One message for the missed doses, and one withdrawal-risk alert (the streak reached
    # two once; it is not repeated for every further miss).
    assert await medbot.alert_tick() == 2
    missed = [text for text in alerts_to(carol) if text.startswith("⚠️ Alice missed")]
    assert missed == [missed[0]]
    assert missed[0].startswith("⚠️ Alice missed 5 doses:")
    assert any(text.startswith("⚠️ Withdrawal risk for Alice:") for text in alerts_to(carol))

    clock.advance(timedelta(minutes=5))  # 09:10:30: five more, inside the window: held
    assert await medbot.sweep_tick() == (0, 5)
    assert await medbot.alert_tick() == 0
    clock.advance(timedelta(minutes=54))
    assert await medbot.alert_tick() == 0
    clock.advance(timedelta(minutes=1))  # an hour after the first alert: one message for all
    assert await medbot.alert_tick() == 1
    missed = [text for text in alerts_to(carol) if text.startswith("⚠️ Alice missed")]
    assert len(missed) == 2
    assert missed[1].startswith("⚠️ Alice missed 5 doses:")
    assert missed[1].count("• ") == 5
    assert "• due Mon 02 Mar 08:06: Baclofen" in missed[1]
    assert "(times in Asia/Kolkata)" in missed[1]
    assert await alert_statuses(medbot) == ["sent"] * 11


async def test_a_failed_alert_is_retried_until_sent(medbot, alice, carol, emulator, clock):
    reminder = await first_reminder(medbot, alice, clock)
    assert reminder.buttons
    await link_caregiver(alice, carol)
    clock.advance(timedelta(minutes=60))
    await medbot.sweep_tick()
    # Each tick's send is tried 1 + RETRIES times (the limiter's backoff): two ticks fail.
    emulator.fail_next("sendMessage", 502, description="Bad Gateway", times=2 * (1 + RETRIES))
    assert await medbot.alert_tick() == 0
    assert await alert_statuses(medbot) == ["pending"]
    clock.advance(timedelta(minutes=1))
    assert await medbot.alert_tick() == 0  # still failing
    clock.advance(timedelta(minutes=1))
    assert await medbot.alert_tick() == 1
    clock.advance(timedelta(minutes=5))
    assert await medbot.alert_tick() == 0
    assert len(alerts_to(carol)) == 1
    assert await alert_statuses(medbot) == ["sent"]


async def test_a_caregiver_who_blocked_the_bot_is_unreachable_and_the_patient_told_once(
    medbot, alice, carol, emulator
):
    await say(alice, "/start")
    await link_caregiver(alice, carol)
    emulator.block(carol.id, notify=False)
    for symptom in ("fainted", "seizure"):
        await alice.send(f"/log symptom {symptom}")
        await alice.wait_for(lambda m, s=symptom: s in m.text and m.text.startswith("Recorded"))
        await medbot.alert_tick()
    told = [m for m in alice.messages if "has blocked me" in m.text]
    assert len(told) == 1
    assert "Carol" in told[0].text
    listing = await say(alice, "/caregivers")
    assert "has blocked me" in listing.text


async def test_caregiver_chooses_alerts_and_can_unfollow(medbot, alice, carol, clock):
    reminder = await first_reminder(medbot, alice, clock)
    assert reminder.buttons
    await link_caregiver(alice, carol)
    menu = await say(carol, "/alerts")
    assert "Alerts about Alice" in menu.text
    assert "✅ missed doses" in carol.buttons(menu)
    await carol.press(menu, "missed doses")
    await carol.wait_for(lambda m: "⬜ missed doses" in carol.buttons(m))
    clock.advance(timedelta(minutes=60))
    await medbot.sweep_tick()
    assert await medbot.alert_tick() == 0
    assert alerts_to(carol) == []

    reply = await say(carol, "/unfollow")
    assert "no more alerts" in reply.text
    await alice.wait_for(lambda m: "Carol stopped following" in m.text)
    assert "No caregivers yet" in (await say(alice, "/caregivers")).text


async def test_a_caregiver_following_two_patients_sees_whom_each_alert_is_about(
    medbot, alice, bob, carol
):
    await say(alice, "/start")
    await say(bob, "/start")
    await link_caregiver(alice, carol)
    await link_caregiver(bob, carol)
    await bob.send("/log symptom hallucinations")
    bob_alert = await carol.wait_for(lambda m: m.text.startswith("🚨 Bob"), timeout=5)
    assert "Alice" not in bob_alert.text
    assert bob_alert.buttons[0][0].url == f"tg://user?id={bob.id}"
    reply = await say(carol, "/unfollow Bob")
    assert "no more alerts" in reply.text
    await alice.send("/log symptom fainted")
    await carol.wait_for(lambda m: m.text.startswith("🚨 Alice"), timeout=5)
    await bob.send("/log symptom seizure")
    await bob.wait_for(lambda m: m.text.startswith("🚨 A seizure"))
    assert await medbot.alert_tick() == 0
    assert [m.text.split()[1] for m in carol.messages if m.text.startswith("🚨")] == [
        "Bob",
        "Alice",
    ]


async def test_report_for_the_patient_and_for_a_caregiver_only_while_linked(
    medbot, alice, carol, clock
):
    await say(alice, "/timezone Asia/Kolkata")
    await say(alice, "/add Baclofen 5 mg at 08:01 08:02")
    await alice.wait_for_new_message()  # the safety tip
    clock.advance(timedelta(minutes=2))
    await medbot.dispatch_tick()
    first = await alice.wait_for(lambda m: "(08:01)" in m.text and bool(m.buttons))
    await alice.press(first, "Taken")
    await alice.wait_for(lambda m: "taken at" in m.text)
    clock.advance(timedelta(minutes=60))
    await medbot.sweep_tick()  # 08:02 is missed

    await alice.send("/report")
    summary = await alice.wait_for(lambda m: m.text.startswith("📊 Your report, last 7 days"))
    assert "💊 Baclofen: 1 of 2 doses taken (50%)\non time 1 · late 0 · skipped 0 · missed 1" in (
        summary.text
    )
    chart = await alice.wait_for(lambda m: m.kind == "photo")
    assert chart.content is not None
    assert chart.content.startswith(b"\x89PNG")

    refused = await say(carol, "/report 7 Alice")
    assert "only of a patient who shares their alerts with you now" in refused.text
    await link_caregiver(alice, carol)
    await carol.send("/report 30 Alice")
    shared = await carol.wait_for(lambda m: m.text.startswith("📊 Alice, last 30 days"))
    assert "1 of 2 doses taken" in shared.text
    # The chart follows the summary; wait for it so it is not taken for the next reply.
    await carol.wait_for(lambda m: m.kind == "photo")
    await say(alice, "/revoke Carol")
    await carol.wait_for(lambda m: "has removed you" in m.text)
    again = await say(carol, "/report 7 Alice")
    assert "only of a patient who shares their alerts with you now" in again.text
