"""Everyday life through the real bot: changing what you take, stock and refills, as-needed
doses, and travelling across time zones (and a daylight-saving change)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event, select

from bot.db.tables import DoseRow, MedicationRow, SafetyEventRow
from tests.e2e.conftest import link_caregiver, say


async def rows(medbot, query):
    async with medbot.engine.connect() as connection:
        return list((await connection.execute(query)).all())


async def pending_doses(medbot) -> list[tuple[datetime, str]]:
    found = await rows(
        medbot,
        select(DoseRow.scheduled_at, DoseRow.amount)
        .where(DoseRow.status == "pending")
        .order_by(DoseRow.scheduled_at),
    )
    return [(at.replace(tzinfo=UTC) if at.tzinfo is None else at, amount) for at, amount in found]


async def reminder_at(medbot, alice, clock, at: datetime) -> str:
    clock.set(at)
    assert await medbot.dispatch_tick() == 1
    reminder = await alice.wait_for(lambda m: "Time for" in m.text)
    return reminder.text


async def add(alice, text: str):
    """/add, and the reply saying it was added (a drug with a safety tip gets that too)."""
    added = await say(alice, text)
    if "Baclofen" in text:
        await alice.wait_for(lambda m: m.text.startswith("💡"))
    return added


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


# --- 1. change what you take


async def test_a_one_line_edit_moves_the_next_reminder_and_its_dose(medbot, alice, clock):
    await say(alice, "/timezone Europe/London")  # 02:30 there now, on Monday 2 March
    await add(alice, "/add Baclofen 5 mg at 08:00 20:00")
    changed = await say(alice, "/edit Baclofen 10 mg at 9am 1pm 5pm 9pm")
    assert "Changed: Baclofen 10 mg, 09:00, 13:00, 17:00 and 21:00" in changed.text
    assert "Next reminder: Mon 02 Mar at 09:00" in changed.text

    assert [at.hour for at, _ in await pending_doses(medbot)][:4] == [9, 13, 17, 21]
    text = await reminder_at(medbot, alice, clock, utc(2026, 3, 2, 9, 0))
    assert "Time for Baclofen 10 mg (09:00)" in text


async def test_the_guided_edit_uses_buttons_and_a_sent_reminder_keeps_its_dose(
    medbot, alice, clock
):
    await say(alice, "/timezone Europe/London")
    await add(alice, "/add Baclofen 5 mg at 08:00 20:00")
    sent = await reminder_at(medbot, alice, clock, utc(2026, 3, 2, 8, 0))
    assert "Baclofen 5 mg (08:00)" in sent

    menu = await say(alice, "/edit baclofen")
    assert "Baclofen 5 mg, 08:00 and 20:00. What do you want to change?" in menu.text
    await alice.press(menu, "Dose")
    await alice.wait_for(lambda m: "Send the new dose of Baclofen" in m.text)
    assert "Changed: Baclofen 7.5 mg" in (await say(alice, "7.5 mg")).text

    reminder = await alice.wait_for(lambda m: "Time for Baclofen 5 mg (08:00)" in m.text)
    await alice.press(reminder, "Taken")
    taken = await alice.wait_for(lambda m: "taken at 08:00" in m.text)
    assert "Baclofen 5 mg (08:00)" in taken.text  # what it asked for, not the new dose
    assert "Time for Baclofen 7.5 mg (20:00)" in await reminder_at(
        medbot, alice, clock, utc(2026, 3, 2, 20, 0)
    )


async def test_delete_asks_first_with_the_stop_warning_and_keeps_history(medbot, alice, clock):
    await say(alice, "/timezone Europe/London")
    await add(alice, "/add Baclofen 5 mg at 08:00")
    assert "Baclofen" in await reminder_at(medbot, alice, clock, utc(2026, 3, 2, 8, 0))
    reminder = await alice.wait_for(lambda m: "Time for Baclofen" in m.text)
    await alice.press(reminder, "Taken")
    await alice.wait_for(lambda m: "taken at" in m.text)

    ask = await say(alice, "/delete Baclofen")
    assert "Stopping Baclofen suddenly can be dangerous" in ask.text
    assert "the doses you took stay in your reports" in ask.text
    await alice.press(ask, "Yes, delete it")
    await alice.wait_for(lambda m: "Baclofen is deleted" in m.text)

    assert "no medications yet" in (await say(alice, "/meds")).text
    assert await pending_doses(medbot) == []
    statuses = await rows(medbot, select(DoseRow.status))
    assert [status for (status,) in statuses] == ["taken"]  # the history stays
    kinds = await rows(medbot, select(SafetyEventRow.kind))
    assert [kind for (kind,) in kinds] == ["stopped"]
    clock.set(utc(2026, 3, 3, 8, 0))
    assert await medbot.dispatch_tick() == 0


async def test_a_stop_by_mistake_is_undone_and_add_of_a_stopped_one_offers_to_resume(
    medbot, alice, clock
):
    await say(alice, "/timezone Europe/London")
    await add(alice, "/add Baclofen 5 mg at 08:00")
    warning = await say(alice, "/stop Baclofen")
    await alice.press(warning, "Yes, stop")
    await alice.wait_for(lambda m: "are stopped" in m.text)
    assert await pending_doses(medbot) == []

    resumed = await say(alice, "/resume Baclofen")
    assert "Reminders for Baclofen are back on" in resumed.text
    assert "ask your prescriber" in resumed.text
    assert len(await pending_doses(medbot)) == 2

    warning = await say(alice, "/stop Baclofen")
    await alice.press(warning, "Yes, stop")
    await alice.wait_for(lambda m: m.message_id == warning.message_id and "stopped" in m.text)
    offer = await add(alice, "/add Baclofen 10 mg at 09:00")
    assert "You stopped Baclofen earlier. Take it up again as 10 mg, 09:00?" in offer.text
    await alice.press(offer, "Yes, resume it")
    await alice.wait_for(lambda m: "Changed: Baclofen 10 mg, 09:00" in m.text)
    ((status,),) = await rows(medbot, select(MedicationRow.status))
    assert status == "active"
    assert "Time for Baclofen 10 mg (09:00)" in await reminder_at(
        medbot, alice, clock, utc(2026, 3, 2, 9, 0)
    )


async def test_adding_a_medication_again_offers_to_replace_its_schedule(medbot, alice):
    await say(alice, "/timezone Europe/London")
    await add(alice, "/add Baclofen 10 mg at 08:00 12:00 16:00 20:00")
    offer = await add(alice, "/add Baclofen 5 mg at 08:00 20:00")
    assert "You already have Baclofen 10 mg, 08:00, 12:00, 16:00 and 20:00" in offer.text
    await alice.press(offer, "No, keep it")
    await alice.wait_for(lambda m: m.text == "Nothing was changed.")
    offer = await add(alice, "/add Baclofen 5 mg at 08:00 20:00")
    await alice.press(offer, "Yes, change it")
    await alice.wait_for(lambda m: "Changed: Baclofen 5 mg, 08:00 and 20:00" in m.text)


async def test_times_from_words_are_confirmed_before_they_are_saved(medbot, alice):
    await say(alice, "/timezone Europe/London")
    ask = await say(alice, "/add Metformin 500 mg twice a day")
    assert "I'd remind you of Metformin 500 mg 08:00 and 20:00" in ask.text
    assert await rows(medbot, select(MedicationRow.name)) == []
    await alice.press(ask, "Yes, these times")
    await alice.wait_for(lambda m: "Added Metformin 500 mg at 08:00 20:00" in m.text)


# --- 5. stock, refills, running out, as needed


async def test_stock_running_low_brings_one_refill_reminder(medbot, alice, clock):
    await say(alice, "/timezone Europe/London")
    await say(alice, "/add Vitamin D 1000 IU at 08:00 20:00")
    counted = await say(alice, "/stock Vitamin D 16")
    # 16 doses from 08:00 today: the last on Tue 10 Mar; a refill reminder 7 days before.
    assert "Vitamin D: 16 on hand. At your schedule that lasts until" in counted.text
    assert not [m for m in alice.messages if m.text.startswith("📦")]
    for hour in (8, 20):
        reminder_text = await reminder_at(medbot, alice, clock, utc(2026, 3, 2, hour, 0))
        assert "Vitamin D" in reminder_text
        reminder = await alice.wait_for(lambda m, h=hour: f"({h:02d}:00)." in m.text)
        await alice.press(reminder, "Taken")
        await alice.wait_for(lambda m, h=hour: f"({h:02d}:00): taken" in m.text)
        await medbot.alarm.settle()
    # After the first: 15 left, the last dose on Mon 9 Mar, 7 days ahead: time to refill.
    refill = await alice.wait_for(lambda m: m.text.startswith("📦 Vitamin D: about 15 left"))
    assert "enough until Mon 09 Mar" in refill.text
    assert "/refill Vitamin D" in refill.text
    notices = [m for m in alice.messages if m.text.startswith("📦")]
    assert len(notices) == 1  # once for this count, not after every dose
    topped = await say(alice, "/refill Vitamin D 60")
    assert "Vitamin D: 74 on hand" in topped.text


async def test_a_log_lowers_only_a_counted_stock_and_writes_none_when_nothing_is_counted(
    medbot, alice
):
    """Most patients never count: their /log writes no stock at all (one statement less for
    every /log); once counted, each /log lowers the count."""
    await say(alice, "/timezone Europe/London")
    await say(alice, "/add Vitamin D 1000 IU at 08:00 20:00")
    stock_writes: list[str] = []

    def seen(_connection, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("UPDATE MEDICATION"):
            stock_writes.append(statement)

    event.listen(medbot.engine.sync_engine, "before_cursor_execute", seen)
    try:
        uncounted = await say(alice, "/log Vitamin D")
        assert "Vitamin D" in uncounted.text
        assert stock_writes == []
        await say(alice, "/stock Vitamin D 100")  # 50 days: no refill reminder yet
        stock_writes.clear()
        await say(alice, "/log Vitamin D")
    finally:
        event.remove(medbot.engine.sync_engine, "before_cursor_execute", seen)
    assert len(stock_writes) == 1
    assert await rows(medbot, select(MedicationRow.stock)) == [(99.0,)]


async def test_running_out_of_baclofen_warns_the_patient_and_alerts_the_caregiver(
    medbot, alice, carol, clock
):
    await say(alice, "/start")
    await say(alice, "/timezone Europe/London")
    await link_caregiver(alice, carol)
    await add(alice, "/add Baclofen 5 mg at 08:00")
    await say(alice, "/stock Baclofen 1")
    await reminder_at(medbot, alice, clock, utc(2026, 3, 2, 8, 0))
    reminder = await alice.wait_for(lambda m: "Time for Baclofen" in m.text)
    await alice.press(reminder, "Taken")
    await medbot.alarm.settle()

    warning = await alice.wait_for(lambda m: "Your stock of Baclofen is used up" in m.text)
    assert "withdrawal" in warning.text
    assert "call your pharmacy or prescriber now" in warning.text
    kinds = await rows(medbot, select(SafetyEventRow.kind))
    assert "ran_out" in [kind for (kind,) in kinds]
    await medbot.alert_tick()
    alert = await carol.wait_for(lambda m: "has run out of a medicine" in m.text)
    assert "Baclofen" in alert.text


async def test_an_as_needed_dose_over_the_daily_maximum_is_warned_and_named(medbot, alice, clock):
    await say(alice, "/timezone Europe/London")
    added = await say(alice, "/add Ibuprofen 200 mg as needed max 3/day min 4h apart")
    assert "Added Ibuprofen 200 mg, as needed, at most 3 a day, at least 4 h apart" in added.text
    assert await pending_doses(medbot) == []  # no reminders
    for hour in (6, 10):
        clock.set(utc(2026, 3, 2, hour, 0))
        reply = await say(alice, "/log took ibuprofen")
        assert reply.text.startswith("Recorded: Ibuprofen 200 mg")
    clock.set(utc(2026, 3, 2, 12, 0))
    await alice.send("/log took ibuprofen")
    soon = await alice.wait_for(lambda m: "came 2 h after the one before" in m.text)
    assert "your prescriber set at least 4 h between doses" in soon.text
    clock.set(utc(2026, 3, 2, 21, 0))
    await alice.send("/log took ibuprofen")
    over = await alice.wait_for(lambda m: "That is the 4th dose of Ibuprofen today" in m.text)
    assert "your prescriber set at most 3 a day" in over.text
    kinds = await rows(medbot, select(SafetyEventRow.kind))
    assert [kind for (kind,) in kinds] == ["overuse", "overuse"]


# --- 5. travel, across a daylight-saving change


async def travel_to_new_york(alice, clock, choice: str) -> str:
    clock.set(utc(2026, 3, 27, 10, 0))  # Berlin on winter time, New York already on summer
    await say(alice, "/timezone Europe/Berlin")
    await add(alice, "/add Baclofen 5 mg at 08:00")
    question = await say(alice, "/timezone America/New_York")
    assert "Keep home time" in question.text
    assert "fixed intervals" in question.text
    await alice.press(question, choice)
    answered = await alice.wait_for(
        lambda m: m.message_id == question.message_id and m.text.startswith("Reminders")
    )
    return answered.text


async def test_travel_keeping_home_time_reminds_at_08_00_berlin_across_its_dst_change(
    medbot, alice, clock
):
    said = await travel_to_new_york(alice, clock, "Keep Berlin time")
    assert "Reminders keep Europe/Berlin time" in said
    # 08:00 in Berlin: 07:00 UTC on winter time (28 Mar), 06:00 UTC on summer time (29 Mar).
    assert [at for at, _ in await pending_doses(medbot)] == [
        utc(2026, 3, 28, 7, 0),
        utc(2026, 3, 29, 6, 0),
    ]
    for day, hour in ((28, 7), (29, 6)):
        text = await reminder_at(medbot, alice, clock, utc(2026, 3, day, hour, 0))
        assert "Time for Baclofen 5 mg (08:00 Berlin time)" in text
    home = await say(alice, "/timezone Europe/Berlin")  # back home: no question
    assert "Time zone set to Europe/Berlin" in home.text
    assert "Time for Baclofen 5 mg (08:00)" in await reminder_at(
        medbot, alice, clock, utc(2026, 3, 30, 6, 0)
    )


async def test_travel_following_the_local_clock_reminds_at_08_00_new_york(medbot, alice, clock):
    said = await travel_to_new_york(alice, clock, "Follow New York clock")
    assert "Reminders now follow the clock in America/New_York" in said
    # 08:00 in New York (summer time since 8 March): 12:00 UTC.
    assert [at for at, _ in await pending_doses(medbot)] == [
        utc(2026, 3, 27, 12, 0),
        utc(2026, 3, 28, 12, 0),
    ]
    for day in (27, 28):
        text = await reminder_at(medbot, alice, clock, utc(2026, 3, day, 12, 0))
        assert "Time for Baclofen 5 mg (08:00)" in text
