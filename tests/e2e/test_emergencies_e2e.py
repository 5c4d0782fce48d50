"""Emergencies through the real bot: answered first, in their category's words, with the
numbers of the patient's country; recorded once; caregivers alerted at once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.db.tables import DoseRow, IntakeRow, SafetyEventRow, SymptomRow
from bot.domain.emergencies import Emergency
from tests.e2e.conftest import link_caregiver, say, set_up_baclofen_at_next_minute

CORPUS = Path(__file__).parents[1] / "data" / "emergency_messages.yaml"
# What each category's reply says, and nothing else says.
REPLY = {
    Emergency.SEIZURE: "A seizure (fit) needs help now",
    Emergency.HALLUCINATIONS: "Seeing or hearing things that are not there",
    Emergency.BREATHING: "Trouble breathing is an emergency",
    Emergency.ALLERGIC_REACTION: "severe allergic reaction (anaphylaxis)",
    Emergency.UNRESPONSIVE: "Someone who has collapsed",
    Emergency.CHEST_PAIN: "can be a heart attack",
    Emergency.STROKE: "signs of a stroke",
    Emergency.OVERDOSE: "This may be an overdose",
    Emergency.PUMP: "A pump alarm, an empty pump",
    Emergency.CRISIS: "You don't have to go through this alone",
}
URGENT = ("🚨", "💙")


def sample(kind: Emergency) -> str:
    """The first message of the category in the corpus written by the independent helper."""
    messages = yaml.safe_load(CORPUS.read_text())["messages"]
    return next(m["text"] for m in messages if m["category"] == kind.value)


async def rows(medbot, query):
    async with medbot.engine.connect() as connection:
        return list((await connection.execute(query)).all())


@pytest.mark.parametrize("kind", list(Emergency))
async def test_an_emergency_of_each_kind_is_answered_first_and_alerts_the_caregiver(
    medbot, alice, carol, kind
):
    await say(alice, "/start")
    await link_caregiver(alice, carol)
    text = sample(kind)
    await alice.send(text)
    first = await alice.wait_for_new_message()
    assert first.text.startswith(URGENT), first.text
    replies = [first.text]
    while len(replies) < 4 and replies[-1].startswith(URGENT):
        try:
            replies.append((await alice.wait_for_new_message(timeout=1)).text)
        except TimeoutError:
            break
    urgent = [reply for reply in replies if reply.startswith(URGENT)]
    assert any(REPLY[kind] in reply for reply in urgent), urgent
    # Answered before anything else; plain text gets no "I understand text commands".
    assert all(not r.startswith(URGENT) for r in replies[len(urgent) :])
    assert not any("I understand text commands" in r for r in replies)
    ((detail,),) = await rows(medbot, select(SafetyEventRow.detail))
    assert kind.value in detail.split(", ")
    alert = await carol.wait_for(lambda m: m.text.startswith("🚨 Alice"), timeout=5)
    assert "may be having an emergency" in alert.text


async def test_a_clear_denial_is_recorded_as_said_and_alerts_nobody(medbot, alice, carol):
    await say(alice, "/start")
    await link_caregiver(alice, carol)
    reply = await say(alice, "/log symptom no seizures today, just tired")
    assert reply.text.startswith("Recorded symptom: no seizures today, just tired")
    ((red_flag,),) = await rows(medbot, select(SymptomRow.red_flag))
    assert red_flag is False
    assert await rows(medbot, select(SafetyEventRow)) == []
    assert not any(m.text.startswith("🚨") for m in carol.messages)


async def test_a_negated_emergency_is_still_one(medbot, alice):
    reply = await say(alice, "he is not breathing")
    assert reply.text.startswith("🚨 Trouble breathing")


async def test_the_reply_names_the_numbers_of_the_patients_country(medbot, alice):
    await say(alice, "/start")
    await say(alice, "/timezone America/New_York")
    overdose = await say(alice, "my toddler swallowed some of my pills")
    assert "call 911 now" in overdose.text
    assert "1-800-222-1222 (Poison Help)" in overdose.text
    crisis = await say(alice, "I want to die")
    assert "988 (988 Suicide & Crisis Lifeline)" in crisis.text
    await say(alice, "/timezone Europe/Berlin")
    crisis = await say(alice, "i dont want to be here anymore")
    assert "0800 111 0 111 (TelefonSeelsorge)" in crisis.text
    assert "call 112" in crisis.text


async def test_without_a_known_country_the_reply_says_how_to_find_help(medbot, alice):
    crisis = await say(alice, "I keep thinking about ending my life")
    assert "your local emergency number (112 in Europe, 911 in North America)" in crisis.text
    assert "findahelpline.com" in crisis.text


async def test_tablets_counted_in_a_log_are_an_overdose_not_a_dose_in_mg(medbot, alice):
    await set_up_baclofen_at_next_minute(alice)
    await alice.send("/log took ten tablets at once")
    urgent = await alice.wait_for_new_message()
    assert urgent.text.startswith("🚨 This may be an overdose")
    recorded = await alice.wait_for_new_message()
    assert "Baclofen 10 tablets taken" in recorded.text
    ((amount,),) = await rows(medbot, select(IntakeRow.amount))
    assert amount == "10 tablets"
    ((detail,),) = await rows(medbot, select(SafetyEventRow.detail))
    assert detail == "overdose"


async def test_an_amount_far_above_the_plan_is_answered_as_a_possible_overdose(medbot, alice):
    await set_up_baclofen_at_next_minute(alice)
    await alice.send("/log took baclofen 50 mg")
    urgent = await alice.wait_for_new_message()
    assert urgent.text.startswith("🚨 This may be an overdose")
    recorded = await alice.wait_for_new_message()
    assert "Baclofen 50 mg taken" in recorded.text
    kinds = [kind for (kind,) in await rows(medbot, select(SafetyEventRow.kind))]
    assert "red_flag" in kinds


async def test_an_emergency_in_ask_is_never_followed_by_i_dont_know(medbot, alice):
    await alice.send("/ask my baclofen pump is beeping and I feel itchy and stiff")
    urgent = await alice.wait_for_new_message()
    assert urgent.text.startswith("🚨 A pump alarm")
    answer = await alice.wait_for_new_message()
    assert answer.text.startswith("🔧 Baclofen pump (Baclofen)")
    await say(alice, "/ask help my husband collapsed and wont wake up")
    await alice.wait_for(lambda m: "Someone who has collapsed" in m.text)
    assert not any("I don't know" in m.text for m in alice.messages)


async def test_an_emergency_during_a_guided_step_is_answered_and_saves_nothing(medbot, alice):
    await say(alice, "/add")
    reply = await say(alice, "my son is having a seizure")
    assert reply.text.startswith("🚨 A seizure")
    assert not any("How much" in m.text for m in alice.messages)
    assert await rows(medbot, select(DoseRow)) == []
