"""Patients' own words through the real bot: /log times in their zone, never a future dose,
plain messages without a command, and the menu's buttons."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.db.tables import DoseRow, IntakeRow, SafetyEventRow, SymptomRow
from bot.tg.emergency_texts import contacts_for, emergency_reply
from tests.e2e.conftest import say


async def rows(medbot, query):
    async with medbot.engine.connect() as connection:
        return list((await connection.execute(query)).all())


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def aware(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


async def doses(medbot) -> list[tuple[datetime, str]]:
    found = await rows(medbot, select(DoseRow.scheduled_at, DoseRow.status).order_by(DoseRow.id))
    return [(aware(at), status) for at, status in found]


async def intakes(medbot) -> list[tuple[datetime, int | None]]:
    found = await rows(medbot, select(IntakeRow.taken_at, IntakeRow.dose_id).order_by(IntakeRow.id))
    return [(aware(at), dose_id) for at, dose_id in found]


async def berlin_patient(alice, clock, *adds: str) -> None:
    clock.set(utc(2026, 6, 10, 5, 0))  # 07:00 in Berlin (summer time)
    await say(alice, "/timezone Europe/Berlin")
    for text in adds:
        await say(alice, text)
        if "Baclofen" in text:
            await alice.wait_for(lambda m: m.text.startswith("💡"))


# --- 2. /log records what the patient said


async def test_a_log_in_the_evening_never_ticks_tomorrows_dose(medbot, alice, clock):
    """The issue's case: once a day at 08:00, "took sertraline" at 21:08 answers today's
    (missed) dose or is an extra intake; tomorrow's reminder still comes."""
    await berlin_patient(alice, clock, "/add Sertraline 50 mg at 08:00")
    clock.set(utc(2026, 6, 10, 19, 8))  # 21:08 in Berlin
    await medbot.materialise_tick()
    reply = await say(alice, "/log took sertraline")
    assert reply.text.startswith("Recorded: Sertraline 50 mg taken at 10 Jun 21:08")
    statuses = dict(await doses(medbot))
    assert statuses[utc(2026, 6, 11, 6, 0)] == "pending"  # tomorrow 08:00: still to come
    assert statuses[utc(2026, 6, 10, 6, 0)] == "taken"  # today's, answered late
    clock.set(utc(2026, 6, 11, 6, 0))
    assert await medbot.dispatch_tick() == 1


async def test_a_time_in_the_log_is_read_in_the_patients_zone(medbot, alice, clock):
    await berlin_patient(alice, clock, "/add Baclofen 10 mg at 08:00 14:00 20:00")
    clock.set(utc(2026, 6, 10, 19, 8))  # 21:08 in Berlin
    reply = await say(alice, "/log took baclofen 10 mg at 7pm")
    assert reply.text.startswith("Recorded: Baclofen 10 mg taken at 10 Jun 19:00")
    ((taken_at, dose_id),) = await intakes(medbot)
    assert taken_at == utc(2026, 6, 10, 17, 0)
    assert dose_id is not None  # it answered the 20:00 dose (within half an hour of it)
    assert await rows(medbot, select(SafetyEventRow.kind)) == []  # one of three: no overuse


async def test_parts_of_the_day_and_times_ago_match_the_dose_they_mean(medbot, alice, clock):
    await berlin_patient(alice, clock, "/add Metformin 500 mg at 08:00 20:00")
    clock.set(utc(2026, 6, 10, 19, 8))
    assert "taken at 10 Jun 08:00" in (await say(alice, "/log metformin this morning")).text
    assert "taken at 10 Jun 20:38" in (await say(alice, "/log half an hour ago")).text
    statuses = dict(await doses(medbot))
    assert statuses[utc(2026, 6, 10, 6, 0)] == "taken"
    assert statuses[utc(2026, 6, 10, 18, 0)] == "taken"


async def test_a_fourth_dose_names_the_rule_and_a_future_time_records_nothing(medbot, alice, clock):
    await berlin_patient(alice, clock, "/add Baclofen 5 mg at 08:00 14:00 20:00")
    clock.set(utc(2026, 6, 10, 19, 8))
    for at in ("8am", "2pm", "8pm"):
        assert "Recorded" in (await say(alice, f"/log took baclofen at {at}")).text
    future = await say(alice, "/log took baclofen at 11pm")
    assert "That time is in the future; nothing was recorded" in future.text
    await alice.send("/log took baclofen")
    warning = await alice.wait_for(lambda m: m.text.startswith("⚠️"))
    assert "That is a 4th dose of Baclofen today; your plan has 3." in warning.text
    assert len(await intakes(medbot)) == 4


# --- 3. plain words


async def test_plain_words_take_skip_and_feel(medbot, alice, clock):
    await berlin_patient(alice, clock, "/add Baclofen 5 mg at 08:00 20:00")
    clock.set(utc(2026, 6, 10, 6, 0))  # 08:00 in Berlin
    assert await medbot.dispatch_tick() == 1
    reminder = await alice.wait_for(lambda m: "Time for Baclofen" in m.text)

    took = await say(alice, "I took my baclofen")
    assert took.text.startswith("Recorded: Baclofen 5 mg taken at 10 Jun 08:00")
    edited = await alice.wait_for(
        lambda m: m.message_id == reminder.message_id and "taken at 08:00" in m.text
    )
    assert edited.inline_markup is None

    clock.set(utc(2026, 6, 10, 18, 5))
    assert await medbot.dispatch_tick() == 1
    skipped = await say(alice, "skipped my evening dose")
    assert skipped.text == "Recorded: Baclofen (20:00) skipped."
    await alice.wait_for(lambda m: "Do not double your next dose" in m.text)
    assert [status for _, status in await doses(medbot)][:2] == ["taken", "skipped"]

    assert "Recorded symptom: dizzy" in (await say(alice, "feeling dizzy")).text
    assert [text for (text,) in await rows(medbot, select(SymptomRow.text))] == ["dizzy"]
    assert (await say(alice, "thanks!")).text == "You're welcome! 😊"


async def test_took_it_with_one_medication_answers_its_open_reminder(medbot, alice, clock):
    await berlin_patient(alice, clock, "/add Vitamin D 1000 IU at 08:00")
    clock.set(utc(2026, 6, 10, 6, 0))
    assert await medbot.dispatch_tick() == 1
    assert "Recorded: Vitamin D 1000 IU taken" in (await say(alice, "took it")).text
    assert next(status for _, status in await doses(medbot)) == "taken"


async def test_an_unclear_message_offers_the_likeliest_commands(medbot, alice):
    reply = await say(alice, "what is my schedule")
    assert reply.text.startswith("I'm not sure what you mean")
    labels = [button["text"] for row in reply.inline_markup["inline_keyboard"] for button in row]
    assert 2 <= len(labels) <= 3
    assert labels[0].startswith("/meds")
    assert "I understand text commands" not in reply.text
    # An emergency in words the detector does not know yet still meets the numbers.
    assert "If you or someone else is in danger now, call" in reply.text


async def test_a_message_not_understood_names_the_numbers_of_the_patients_country(medbot, emulator):
    ana = emulator.user(4040, "Ana", language_code="de")
    await say(ana, "/start")
    await say(ana, "/timezone Europe/Berlin")
    text = "mir geht es heute irgendwie komisch, weiss nicht was los ist"
    assert not medbot.kb.emergencies_in(text)  # nothing the detector knows
    reply = await say(ana, text)
    assert "112" in reply.text  # Germany's emergency number, in German
    assert "Gefahr" in reply.text


async def test_an_emergency_reply_is_the_only_reply_to_an_emergency_message(medbot, alice):
    await say(alice, "/start")
    text = "my husband had a seizure and wont wake up"
    kinds = medbot.kb.emergencies_in(text).emergencies
    assert kinds  # an emergency (two, in fact): each gets its urgent reply, nothing else
    first = await say(alice, text)
    await medbot.alarm.settle()
    replies = [m for m in alice.messages if m.message_id >= first.message_id]
    assert len(replies) == len(kinds)
    expected = [emergency_reply(kind, contacts_for(medbot.kb, "UTC")) for kind in kinds]
    assert [m.text for m in replies] == expected


# --- buttons for people who do not type commands


async def test_the_menu_reaches_the_everyday_actions_without_a_command(medbot, alice, clock):
    welcome = await say(alice, "/start")
    keyboard = welcome.reply_keyboard
    assert keyboard is not None
    labels = [label for row in keyboard for label in row]
    for wanted in (
        "I took a dose",
        "My medications",
        "How I feel",
        "Ask a question",
        "Add a medication",
        "My report",
        "Caregivers",
        "Settings",
    ):
        assert any(wanted in label for label in labels), wanted
    await berlin_patient(alice, clock, "/add Baclofen 5 mg at 08:00")

    pick = await say(alice, "✅ I took a dose")
    await alice.press(pick, "Baclofen")
    await alice.wait_for(lambda m: m.text.startswith("Recorded: Baclofen 5 mg taken"))
    assert "How do you feel?" in (await say(alice, "📝 How I feel")).text
    assert "Recorded symptom: a bit tired" in (await say(alice, "a bit tired")).text
    assert "What is your question?" in (await say(alice, "❓ Ask a question")).text
    answer = await say(alice, "can I drink alcohol?")
    assert "alcohol" in answer.text.lower()
    assert "Your medications" in (await say(alice, "💊 My medications")).text
    assert "reminder settings" in (await say(alice, "⚙️ Settings")).text
