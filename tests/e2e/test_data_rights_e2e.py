"""The patient's data in their hands, through the real bot: /export as a CSV or JSON document
whose rows match what happened, and /delete_my_data, after which no table holds a row about
the patient while everyone else's rows all remain (checked table by table, on both backends)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.db.tables import PatientRow, SafetyEventRow
from tests.db.ownership import orphans, owned, snapshot
from tests.e2e.conftest import first_reminder, link_caregiver, say

# Kolkata is UTC+5:30 all year: every time in the export ends in +05:30.
DAY = timedelta(days=1)
THURSDAY = datetime(2026, 3, 5, 2, 31, tzinfo=UTC)  # 08:01 in Kolkata


async def four_days_of_baclofen(medbot, alice, clock) -> None:
    """Mon taken by the button, Tue skipped, Wed missed, Thu taken by /log; a symptom."""
    monday = await first_reminder(medbot, alice, clock)  # 08:01 in Kolkata, 2 March
    await alice.press(monday, "Taken")
    await alice.wait_for(lambda m: "taken at 08:01" in m.text)
    await alice.send("/log symptom mild dizziness")
    await alice.wait_for(lambda m: "dizziness" in m.text)

    tuesday = await _next_reminder(medbot, alice, clock, monday.message_id)
    await alice.press(tuesday, "Skip")
    await alice.wait_for(lambda m: m.message_id == tuesday.message_id and "skipped" in m.text)

    wednesday = await _next_reminder(medbot, alice, clock, tuesday.message_id)
    clock.advance(timedelta(minutes=61))
    await medbot.sweep_tick()
    await alice.wait_for(lambda m: "in a row" in m.text)  # the withdrawal-risk warning

    await _next_reminder(medbot, alice, clock, wednesday.message_id, at=THURSDAY)
    logged = await say(alice, "/log took baclofen 5 mg")
    assert "Baclofen" in logged.text


async def _next_reminder(medbot, alice, clock, after: int, at: datetime | None = None):
    """The next day's 08:01 reminder (or the one at `at`)."""
    if at is None:
        clock.advance(DAY)
    else:
        clock.set(at)
    await medbot.materialise_tick()
    assert await medbot.dispatch_tick() == 1
    return await alice.wait_for(lambda m: "Time for Baclofen" in m.text and m.message_id > after)


async def test_export_csv_is_a_document_with_every_dose_and_log_entry(medbot, alice, clock):
    await four_days_of_baclofen(medbot, alice, clock)
    await alice.send("/export")
    document = await alice.wait_for(lambda m: m.kind == "document")
    assert document.filename == "medbot-export-2026-03-05.csv"
    assert "Times are in Asia/Kolkata" in document.caption
    rows = list(csv.DictReader(io.StringIO(document.content.decode("utf-8-sig"))))

    doses = [r for r in rows if r["record"] == "dose"]
    assert [(r["time"], r["status"], r["source"]) for r in doses] == [
        ("2026-03-02T08:01:00+05:30", "taken", "reminder_button"),
        ("2026-03-03T08:01:00+05:30", "skipped", ""),
        ("2026-03-04T08:01:00+05:30", "missed", ""),
        ("2026-03-05T08:01:00+05:30", "taken", "log"),
    ]  # the doses not yet due (Friday's) are not history
    assert {(r["medication"], r["dose"]) for r in doses} == {("Baclofen", "5 mg")}
    assert doses[0]["answered_at"] == "2026-03-02T08:01:00+05:30"
    intakes = [r for r in rows if r["record"] == "intake"]
    assert [(r["source"], r["medication"], r["dose"]) for r in intakes] == [
        ("reminder_button", "Baclofen", "5 mg"),
        ("log", "Baclofen", "5 mg"),
    ]
    assert intakes[0]["dose_id"] == doses[0]["id"]
    (symptom,) = [r for r in rows if r["record"] == "symptom"]
    assert (symptom["symptom"], symptom["severity"], symptom["red_flag"]) == (
        "mild dizziness",
        "mild",
        "no",
    )
    assert symptom["time"].startswith("2026-03-02T08:01") and symptom["time"].endswith("+05:30")
    events = [r for r in rows if r["record"] == "safety_event"]
    assert len(events) == await _count(medbot, SafetyEventRow)
    assert {"missed_dose", "withdrawal_risk"} <= {r["event"] for r in events}
    missed = next(r for r in events if r["event"] == "missed_dose")
    assert missed["dose_at"] == "2026-03-04T08:01:00+05:30"
    assert [r["time"] for r in rows] == sorted(r["time"] for r in rows)  # one zone: text sorts


async def test_export_json_has_one_list_per_kind_of_record(medbot, alice, clock):
    await four_days_of_baclofen(medbot, alice, clock)
    await alice.send("/export json")
    document = await alice.wait_for(lambda m: m.kind == "document")
    assert document.filename == "medbot-export-2026-03-05.json"
    history = json.loads(document.content)
    assert history["timezone"] == "Asia/Kolkata"
    assert [(m["name"], m["dose"], m["status"]) for m in history["medications"]] == [
        ("Baclofen", "5 mg", "active")
    ]
    assert [d["status"] for d in history["doses"]] == ["taken", "skipped", "missed", "taken"]
    assert [d["scheduled_at"] for d in history["doses"]][-1] == "2026-03-05T08:01:00+05:30"
    assert [i["source"] for i in history["intakes"]] == ["reminder_button", "log"]
    assert [(s["text"], s["severity"]) for s in history["symptoms"]] == [("mild dizziness", "mild")]
    assert len(history["safety_events"]) == await _count(medbot, SafetyEventRow)


async def test_export_without_data_or_with_a_bad_format_says_so(medbot, alice):
    assert "nothing to export" in (await say(alice, "/export")).text
    wrong = await say(alice, "/export pdf")
    assert "/export csv" in wrong.text and "/export json" in wrong.text
    assert all(m.kind == "text" for m in alice.messages)


async def _count(medbot, table) -> int:
    async with medbot.engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(table)))


async def _rows(medbot):
    async with medbot.engine.connect() as connection:
        return await connection.run_sync(snapshot)


async def _patient_id(medbot, chat_id: int) -> int:
    async with medbot.engine.connect() as connection:
        return int(
            await connection.scalar(select(PatientRow.id).where(PatientRow.chat_id == chat_id))
        )


async def test_delete_my_data_leaves_no_row_about_the_patient_and_all_of_the_others(
    medbot, alice, bob, carol, clock
):
    await link_caregiver(alice, bob)
    await link_caregiver(alice, carol)
    await four_days_of_baclofen(medbot, alice, clock)  # the missed dose alerts Bob and Carol
    await say(bob, "/timezone Europe/London")
    await say(bob, "/add Vitamin D 1000 IU at 09:00")
    await link_caregiver(bob, alice)  # Alice also follows Bob
    await say(alice, "/caregiver")  # an invite never used
    await say(alice, "/start not-a-valid-code-at-all")  # a wrong code, counted
    alice_id = await _patient_id(medbot, 1001)

    before = await _rows(medbot)
    hers = owned(before, patient_id=alice_id, chat_id=1001)
    for table in (
        "patient",
        "medication",
        "schedule",
        "dose",
        "intake",
        "symptom",
        "safety_event",
        "caregiver_invite",
        "invite_attempt",
        "caregiver_link",
        "alert",
        "outbox",
    ):
        assert hers.get(table), f"the scene has no {table} row of Alice's"

    ask = await say(alice, "/delete_my_data")
    assert "cannot be undone" in ask.text
    assert "keep taking Baclofen as prescribed" in ask.text
    assert "Your 2 caregivers will be told the link ended" in ask.text
    await alice.press(ask, "Delete everything")
    done = await alice.wait_for(lambda m: "is deleted" in m.text)
    assert done.message_id == ask.message_id

    await bob.wait_for(lambda m: "Alice deleted their MedBot data" in m.text)
    await carol.wait_for(lambda m: "Alice deleted their MedBot data" in m.text)
    await bob.wait_for(lambda m: "Alice stopped following your alerts" in m.text)
    after = await _rows(medbot)
    assert owned(after, patient_id=alice_id, chat_id=1001) == {}
    assert orphans(after) == []
    for table, rows in before.items():
        kept = set(rows) - hers.get(table, set())
        assert kept <= set(after[table]), f"{table}: someone else's rows went too"
    assert "Vitamin D" in (await say(bob, "/meds")).text
    assert "nothing about you" in (await say(alice, "/delete_my_data")).text


async def test_keep_my_data_and_a_forged_confirmation_delete_nothing(medbot, alice, bob, clock):
    await first_reminder(medbot, alice, clock)
    await say(bob, "/start")
    alice_id = await _patient_id(medbot, 1001)
    before = await _rows(medbot)

    ask = await say(alice, "/delete_my_data")
    await alice.press(ask, "Keep my data")
    await alice.wait_for(lambda m: "Nothing was deleted" in m.text)
    # Bob's client sends Alice's confirmation on a message of his own chat.
    bobs = await say(bob, "/delete_my_data")
    await bob.forge_press(bobs, f"x:del:{alice_id}")
    answer = await bob.wait_for_answer()

    after = await _rows(medbot)
    for table, rows in before.items():
        assert set(rows) <= set(after[table]), f"{table}: rows were deleted"
    assert "no longer valid" in (answer.text or "")
