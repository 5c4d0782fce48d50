"""Safety through the real bot: stopping, red flags, overuse, repeated skips, tapers, /ask."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, select

from bot.db.tables import DoseRow, MedicationRow, SafetyEventRow, TaperRow
from tests.e2e.conftest import first_reminder, say, set_up_baclofen_at_next_minute


async def rows(medbot, query):
    async with medbot.engine.connect() as connection:
        return list((await connection.execute(query)).all())


async def event_kinds(medbot) -> list[str]:
    found = await rows(medbot, select(SafetyEventRow.kind).order_by(SafetyEventRow.id))
    return [kind for (kind,) in found]


async def medication_status(medbot) -> str:
    ((status,),) = await rows(medbot, select(MedicationRow.status))
    return status


async def test_adding_baclofen_gives_a_safety_tip_with_read_more(medbot, alice):
    await set_up_baclofen_at_next_minute(alice)
    tip = await alice.wait_for(lambda m: m.text.startswith("💡"))
    assert "alcohol" in tip.text
    assert "drive" in tip.text
    await alice.press(tip, "Read more")
    more = await alice.wait_for(lambda m: "Sources:" in m.text)
    assert "Alcohol" in more.text
    assert "Driving" in more.text


async def test_stop_without_confirmation_changes_nothing(medbot, alice):
    await set_up_baclofen_at_next_minute(alice)
    warning = await say(alice, "/stop baclofen")
    assert "Stopping Baclofen suddenly can be dangerous" in warning.text
    assert "seizures" in warning.text
    assert "prescriber" in warning.text
    await alice.press(warning, "Keep")
    kept = await alice.wait_for(lambda m: "nothing changed" in m.text)
    assert kept.message_id == warning.message_id
    assert await medication_status(medbot) == "active"
    assert await event_kinds(medbot) == []


async def test_stop_with_confirmation_stops_reminders_and_records_the_event(medbot, alice, clock):
    await set_up_baclofen_at_next_minute(alice)
    warning = await say(alice, "/stop Baclofen")
    await alice.press(warning, "Yes, stop")
    await alice.wait_for(lambda m: "Reminders for Baclofen are stopped" in m.text)
    assert await medication_status(medbot) == "stopped"
    assert await event_kinds(medbot) == ["stopped"]
    clock.advance(timedelta(minutes=1))
    assert await medbot.dispatch_tick() == 0  # no reminder any more
    pending = await rows(medbot, select(DoseRow.id).where(DoseRow.status == "pending"))
    assert pending == []


async def test_a_misspelt_seizure_log_is_answered_first_with_emergency_advice(medbot, alice):
    await say(alice, "/start")
    await alice.send("/log symptom I had a seizur an hour ago")
    urgent = await alice.wait_for_new_message()
    recorded = await alice.wait_for_new_message()
    assert urgent.text.startswith("🚨 A seizure")
    assert "call your local emergency number" in urgent.text
    assert "Recorded symptom: I had a seizur an hour ago." in recorded.text
    assert await event_kinds(medbot) == ["red_flag"]


async def test_an_emergency_in_plain_text_is_answered_too(medbot, alice):
    await say(alice, "/start")
    await alice.send("I can't breathe properly")
    urgent = await alice.wait_for_new_message()
    assert urgent.text.startswith("🚨 Trouble breathing")
    assert await event_kinds(medbot) == ["red_flag"]


async def test_an_extra_dose_logged_gets_an_overuse_warning(medbot, alice, clock):
    reminder = await first_reminder(medbot, alice, clock)
    await alice.press(reminder, "Taken")
    await alice.wait_for(lambda m: "taken at" in m.text)
    clock.advance(timedelta(minutes=30))
    await alice.send("/log took baclofen 5 mg")
    recorded = await alice.wait_for(lambda m: m.text.startswith("Recorded: Baclofen 5 mg"))
    warning = await alice.wait_for(
        lambda m: "⚠️ That is a 2nd dose of Baclofen today; your plan has 1." in m.text
    )
    assert recorded.message_id < warning.message_id
    assert await event_kinds(medbot) == ["overuse"]


async def test_two_skips_in_a_row_warn_of_withdrawal(medbot, alice, clock):
    await say(alice, "/timezone Asia/Kolkata")
    await say(alice, "/add Baclofen 5 mg at 08:01 08:02")
    clock.advance(timedelta(seconds=30))
    await medbot.dispatch_tick()
    first = await alice.wait_for(lambda m: "(08:01)" in m.text and bool(m.buttons))
    await alice.press(first, "Skip")
    await alice.wait_for(lambda m: "Do not double" in m.text)
    clock.advance(timedelta(minutes=1))
    await medbot.dispatch_tick()
    second = await alice.wait_for(lambda m: "(08:02)" in m.text and bool(m.buttons))
    await alice.press(second, "Skip")
    warning = await alice.wait_for(lambda m: "2 doses of Baclofen in a row" in m.text)
    assert "hallucinations" in warning.text
    assert "Call your prescriber" in warning.text
    assert await event_kinds(medbot) == ["withdrawal_risk"]


async def test_a_taper_that_goes_up_asks_first_and_changes_no_reminder(medbot, alice, clock):
    await set_up_baclofen_at_next_minute(alice)  # 5 mg a day
    before = await rows(medbot, select(DoseRow.id, DoseRow.amount).order_by(DoseRow.id))
    question = await say(alice, "/taper Baclofen 5 mg x7d, 10 mg x7d")
    assert "it goes up from 5 mg to 10 mg" in question.text
    assert "Is this exactly what your prescriber wrote?" in question.text
    assert await rows(medbot, select(DoseRow.id, DoseRow.amount).order_by(DoseRow.id)) == before
    assert await rows(medbot, select(TaperRow)) == []
    await alice.press(question, "No, I'll check")
    await alice.wait_for(lambda m: "Nothing was changed" in m.text)
    assert await rows(medbot, select(TaperRow)) == []
    crash = await say(alice, "/taper Baclofen 80 mg x1d, 5 mg x1d")
    assert "it goes up from 5 mg to 80 mg" in crash.text
    assert "it drops by more than half, from 80 mg to 5 mg" in crash.text


async def test_taper_plan_changes_the_reminded_dose_and_is_announced(medbot, alice, clock):
    await set_up_baclofen_at_next_minute(alice)
    question = await say(alice, "/taper Baclofen 10 mg x1d, 5 mg x1d")
    assert "it goes up from 5 mg to 10 mg" in question.text  # from the usual 5 mg
    await alice.press(question, "Yes, my prescriber wrote this plan")
    reply = await alice.wait_for(lambda m: "Taper plan for Baclofen, from today:" in m.text)
    assert "1. 10 mg: 02 Mar – 02 Mar (1 day)" in reply.text
    assert "2. 5 mg: 03 Mar – 03 Mar (1 day)" in reply.text

    clock.advance(timedelta(seconds=30))
    await medbot.dispatch_tick()
    today = await alice.wait_for(lambda m: "Time for Baclofen" in m.text)
    assert "Baclofen 10 mg (08:01)" in today.text

    assert await medbot.taper_tick() == 1
    notice = await alice.wait_for(lambda m: m.text.startswith("📉"))
    assert "from tomorrow (Tue 03 Mar) the dose is 5 mg (step 2 of 2)" in notice.text
    assert "prescriber planned" not in notice.text  # the bot cannot know who wrote it

    clock.advance(timedelta(days=1))
    await medbot.dispatch_tick()
    tomorrow = await alice.wait_for(lambda m: "Baclofen 5 mg (08:01)" in m.text)
    assert tomorrow.buttons

    clock.advance(timedelta(days=1))
    assert await medbot.taper_tick() == 1
    end = await alice.wait_for(lambda m: "taper plan for Baclofen has ended" in m.text)
    assert "not part of your prescriber's plan" in end.text  # the bot's own default dose
    assert await medication_status(medbot) == "active"  # not without confirmation
    await alice.press(end, "Yes, stop")
    await alice.wait_for(lambda m: "Reminders for Baclofen are stopped" in m.text)
    assert await medication_status(medbot) == "stopped"


async def test_taper_guided_flow(medbot, alice):
    await set_up_baclofen_at_next_minute(alice)
    assert "Which medication" in (await say(alice, "/taper")).text
    assert "e.g. 10 mg x7d" in (await say(alice, "Baclofen")).text
    bad = await say(alice, "10 mg for a while")
    assert "is not a step" in bad.text
    saved = await say(alice, "5 mg x7d, 2.5 mg x7d")
    assert "Taper plan for Baclofen" in saved.text


async def test_ask_answers_for_the_patients_drug_with_the_source(medbot, alice):
    await set_up_baclofen_at_next_minute(alice)
    answer = await say(alice, "/ask can I have a beer tonight?")
    assert "Alcohol" in answer.text
    assert "(Baclofen)" in answer.text
    assert "Sources:" in answer.text
    unknown = await say(alice, "/ask what is the capital of France")
    assert "I don't know" in unknown.text
    assert "pharmacist" in unknown.text
    menu = await say(alice, "/ask")
    assert len(menu.buttons) >= 3
    await alice.press(menu, "Driving")
    driving = await alice.wait_for(lambda m: m.text.startswith("🚗"))
    assert "Sources:" in driving.text


async def test_an_update_reads_the_patient_and_their_medications_once(engine, medbot, alice):
    """The replies' language and the names /ask reads the question against: one statement for
    the whole update (each read was a transaction of its own, about 1 ms of CPU)."""
    await set_up_baclofen_at_next_minute(alice)
    reads: list[str] = []

    def seen(_connection, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        answer = await say(alice, "/ask can I have a beer tonight?")
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    assert "(Baclofen)" in answer.text  # answered for her own medication
    assert len(reads) == 1, reads


async def test_ask_asks_which_topic_when_its_two_readers_disagree(medbot, alice):
    await set_up_baclofen_at_next_minute(alice)
    which = await say(
        alice,
        "/ask dizzy tired sleepy nauseous headache shaky sweaty confused, can I stop taking it",
    )
    assert "not sure which" in which.text
    assert [button.text for button in which.flat_buttons] == [
        "🛑 Stopping and tapering",
        "⚠️ Withdrawal",
    ]
    await alice.press(which, "Stopping")
    answer = await alice.wait_for(lambda m: m.text.startswith("🛑"))
    assert "(Baclofen)" in answer.text
    assert "Sources:" in answer.text


async def test_pausing_baclofen_warns_and_waits_for_confirmation(medbot, alice, clock):
    await set_up_baclofen_at_next_minute(alice)
    warning = await say(alice, "/pause Baclofen")
    assert "Pausing reminders does not make it safe to pause Baclofen" in warning.text
    assert await medication_status(medbot) == "active"  # nothing yet
    await alice.press(warning, "Yes, pause")
    await alice.wait_for(lambda m: "Reminders for Baclofen are paused" in m.text)
    assert await medication_status(medbot) == "paused"
    assert await event_kinds(medbot) == ["paused"]
    clock.advance(timedelta(minutes=1))
    assert await medbot.dispatch_tick() == 0
    resumed = await say(alice, "/resume baclofen")
    assert "back on" in resumed.text
    assert await medication_status(medbot) == "active"


async def test_pausing_a_medication_without_withdrawal_risk_needs_no_confirmation(medbot, alice):
    await say(alice, "/add Vitamin D 1000 IU at 09:00")
    reply = await say(alice, "/pause vitamin d")
    assert "Reminders for Vitamin D are paused" in reply.text
    assert await medication_status(medbot) == "paused"


async def test_a_dose_logged_by_text_answers_its_reminder(medbot, alice, clock):
    reminder = await first_reminder(medbot, alice, clock)
    clock.advance(timedelta(minutes=4))
    reply = await say(alice, "/log took baclofen")
    assert "Recorded: Baclofen 5 mg taken at 02 Mar 08:05 (reminder answered)." in reply.text
    edited = await alice.wait_for(
        lambda m: m.message_id == reminder.message_id and "taken at 08:05" in m.text
    )
    assert edited.buttons == []
    meds = await say(alice, "/meds")
    assert "08:01 Baclofen: ✅ taken" in meds.text
