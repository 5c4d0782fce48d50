"""/add in the words patients use, through the real bot: a schedule without a dose asks only
for the dose and goes on as the one-line /add would; times from words are confirmed first."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.db.tables import DoseRow, MedicationRow
from tests.e2e.conftest import say


async def rows(medbot, query):
    async with medbot.engine.connect() as connection:
        return list((await connection.execute(query)).all())


async def pending_hours(medbot) -> list[int]:
    found = await rows(
        medbot,
        select(DoseRow.scheduled_at).where(DoseRow.status == "pending").order_by(DoseRow.id),
    )
    return [(at if at.tzinfo else at.replace(tzinfo=UTC)).hour for (at,) in found]


async def test_a_schedule_without_a_dose_asks_the_dose_then_confirms_the_times(medbot, alice):
    await say(alice, "/timezone Europe/London")
    ask = await say(alice, "/add Baclofen twice a day")
    assert ask.text == "How much Baclofen per dose? e.g. 5 mg"
    assert await rows(medbot, select(MedicationRow.name)) == []

    wrong = await say(alice, "a lot")
    assert "is not a dose" in wrong.text  # asked again, nothing saved
    confirm = await say(alice, "10 mg")
    assert "I'd remind you of Baclofen 10 mg 08:00 and 20:00" in confirm.text
    assert await rows(medbot, select(MedicationRow.name)) == []  # not before the Yes

    await alice.press(confirm, "Yes, these times")
    await alice.wait_for(lambda m: "Added Baclofen 10 mg at 08:00 20:00" in m.text)
    await alice.wait_for(lambda m: m.text.startswith("💡"))  # baclofen's safety tip
    assert await rows(medbot, select(MedicationRow.name, MedicationRow.dose)) == [
        ("Baclofen", "10 mg")
    ]


async def test_clock_times_without_a_dose_are_saved_once_the_dose_is_given(medbot, alice, clock):
    clock.set(datetime(2026, 3, 2, 6, 0, tzinfo=UTC))  # 06:00 in London (winter time)
    await say(alice, "/timezone Europe/London")
    ask = await say(alice, "/add my Metformin at 8am and 6pm")
    assert ask.text == "How much Metformin per dose? e.g. 5 mg"
    added = await say(alice, "500 mg")
    assert "Added Metformin 500 mg at 08:00 18:00" in added.text
    assert (await pending_hours(medbot))[:2] == [8, 18]


async def test_cancel_forgets_the_schedule_waiting_for_its_dose(medbot, alice):
    await say(alice, "/timezone Europe/London")
    await say(alice, "/add Ibuprofen as needed for pain, max 3 a day")
    assert "Cancelled" in (await say(alice, "/cancel")).text
    guided = await say(alice, "/add")  # a new /add starts from the name again
    assert "name" in guided.text.lower()
    assert await rows(medbot, select(MedicationRow.name)) == []


async def test_the_forms_patients_type_reach_the_confirmation(medbot, alice):
    await say(alice, "/timezone Europe/London")
    every_eight = await say(alice, "/add Amoxicillin 500 mg every 8 hours for 7 days")
    assert "Amoxicillin 500 mg 06:00, 14:00 and 22:00" in every_eight.text
    meals = await say(alice, "/add Sertraline: 1 tab at breakfast and 1/2 tab at dinner")
    assert "1 tablet at 08:00, 0.5 tablet at 19:00" in meals.text
    added = await say(alice, "/add sertraline 50 mg 09:00")  # no "at", an exact time: saved
    assert "Added sertraline 50 mg at 09:00" in added.text
