"""Repositories on a real SQLite file and the local PostgreSQL: what the rows say."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from bot.db.engine import create_engine, session_factory
from bot.db.tables import DoseRow, PatientRow
from bot.db.uow import SqlUnitOfWork
from bot.domain.model import DoseStatus, MedicationStatus, Schedule
from bot.services.ports import StorageUnavailable
from tests.conftest import empty_tables

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def uow_factory(engine):
    sessions = session_factory(engine)
    return lambda: SqlUnitOfWork(sessions)


async def add_doses(factory, count: int, *, chat_id: int = 1, due_at: datetime = NOW):
    async with factory() as uow:
        patient = await uow.patients.add(chat_id=chat_id, language="en", timezone="Europe/Berlin")
        medication = await uow.medications.add(
            patient_id=patient.id,
            name="Baclofen",
            dose="5 mg",
            schedule=Schedule(times=(time(9, 0),)),
        )
        instants = [due_at - timedelta(minutes=i) for i in range(count)]
        assert await uow.doses.add_missing(medication, instants) == count
        await uow.commit()
    return patient, medication


async def test_uncommitted_unit_of_work_leaves_nothing(engine):
    factory = uow_factory(engine)
    async with factory() as uow:
        await uow.patients.add(chat_id=5, language="en", timezone=None)
    async with engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(PatientRow)) == 0


async def test_no_connection_free_in_time_is_the_storage_unavailable_a_caller_expects(
    database_url,
):
    """A pool with no connection to spare: the second unit of work fails as the database
    being away does (one known error, answered and logged in one line), not as a bug."""
    engine = create_async_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=0.1)
    factory = uow_factory(engine)
    try:
        async with factory() as holding:
            await holding.patients.by_chat(5)
            with pytest.raises(StorageUnavailable):
                async with factory() as waiting:
                    await waiting.patients.by_chat(5)
    finally:
        await engine.dispose()


async def test_times_round_trip_as_aware_utc(engine):
    factory = uow_factory(engine)
    await add_doses(factory, 1)
    async with factory() as uow:
        (context,) = await uow.doses.claim_due(
            until=NOW, now=NOW, stale_before=NOW, claimer="a", limit=10
        )
    assert context.dose.due_at == NOW
    assert context.dose.due_at.tzinfo is not None
    assert context.medication.times == (time(9, 0),)
    assert context.patient.timezone == "Europe/Berlin"


async def test_add_missing_is_idempotent_per_medication_and_instant(engine):
    factory = uow_factory(engine)
    _, medication = await add_doses(factory, 3)
    async with factory() as uow:
        again = await uow.doses.add_missing(medication, [NOW, NOW + timedelta(hours=1)])
        await uow.commit()
    assert again == 1
    async with engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(DoseRow)) == 4


async def test_claim_takes_due_doses_once_and_leaves_future_ones(engine):
    factory = uow_factory(engine)
    await add_doses(factory, 3)
    await add_doses(factory, 1, chat_id=2, due_at=NOW + timedelta(minutes=5))
    async with factory() as uow:
        first = await uow.doses.claim_due(
            until=NOW, now=NOW, stale_before=NOW - timedelta(minutes=2), claimer="a", limit=10
        )
        await uow.commit()
    async with factory() as uow:
        second = await uow.doses.claim_due(
            until=NOW, now=NOW, stale_before=NOW - timedelta(minutes=2), claimer="b", limit=10
        )
        await uow.commit()
    assert len(first) == 3
    assert {c.dose.status for c in first} == {DoseStatus.SENDING}
    assert second == []


async def test_stale_claim_is_taken_over_by_another_dispatcher(engine):
    factory = uow_factory(engine)
    await add_doses(factory, 1)
    async with factory() as uow:
        await uow.doses.claim_due(until=NOW, now=NOW, stale_before=NOW, claimer="dead", limit=10)
        await uow.commit()
    later = NOW + timedelta(minutes=3)
    async with factory() as uow:
        taken = await uow.doses.claim_due(
            until=later, now=later, stale_before=later - timedelta(minutes=2), claimer="b", limit=9
        )
        await uow.commit()
    assert len(taken) == 1


async def test_two_dispatchers_at_once_never_claim_the_same_dose(database_url):
    """Two engines, as two processes would have, race for 200 due doses."""
    engines = [create_engine(database_url), create_engine(database_url)]
    try:
        factories = [uow_factory(e) for e in engines]
        await add_doses(factories[0], 200)

        async def drain(factory, claimer):
            ids = []
            while True:
                async with factory() as uow:
                    batch = await uow.doses.claim_due(
                        until=NOW,
                        now=NOW,
                        stale_before=NOW - timedelta(minutes=2),
                        claimer=claimer,
                        limit=7,
                    )
                    await uow.commit()
                if not batch:
                    return ids
                ids += [c.dose.id for c in batch]

        a, b = await asyncio.gather(drain(factories[0], "a"), drain(factories[1], "b"))
        assert len(a) + len(b) == 200
        assert not set(a) & set(b)
    finally:
        await empty_tables(engines[0])
        for engine in engines:
            await engine.dispose()


async def test_drop_unsent_keeps_history(engine):
    factory = uow_factory(engine)
    _, medication = await add_doses(factory, 2)
    async with factory() as uow:
        (context,) = await uow.doses.claim_due(
            until=NOW, now=NOW, stale_before=NOW, claimer="a", limit=1
        )
        taken = replace(context.dose, status=DoseStatus.TAKEN, answered_at=NOW)
        assert await uow.doses.save(taken, was=DoseStatus.SENDING)
        await uow.commit()
    async with factory() as uow:
        dropped = await uow.doses.drop_unsent(after=None, medication_id=medication.id)
        await uow.medications.set_status(medication.id, MedicationStatus.PAUSED)
        await uow.commit()
    assert dropped == 1
    async with factory() as uow:
        remaining = await uow.doses.of_patient_between(
            medication.patient_id, NOW - timedelta(days=1), NOW + timedelta(days=1)
        )
        assert [c.dose.status for c in remaining] == [DoseStatus.TAKEN]
        assert (await uow.medications.by_name(medication.patient_id, "  BACLOFEN ")).status is (
            MedicationStatus.PAUSED
        )


async def test_sql_like_text_is_stored_as_plain_data(engine):
    factory = uow_factory(engine)
    name = "Robert'); DROP TABLE patient;--"
    async with factory() as uow:
        patient = await uow.patients.add(chat_id=9, language="en", timezone=None)
        await uow.medications.add(
            patient_id=patient.id, name=name, dose="1 mg", schedule=Schedule(times=(time(8),))
        )
        await uow.commit()
    async with factory() as uow:
        assert (await uow.medications.by_name(patient.id, name)).name == name


async def test_the_clients_language_never_overwrites_one_the_patient_chose(engine):
    """The language hook keeps the client's language on the row, unless the patient chose
    one: also when /language committed between the hook's read and its write."""
    factory = uow_factory(engine)
    async with factory() as uow:
        patient = await uow.patients.add(chat_id=12, language="en", timezone=None)
        await uow.patients.set_language(patient.id, "de", chosen=True)
        await uow.commit()
    async with factory() as uow:
        await uow.patients.set_language(patient.id, "es", chosen=False)  # a client's, late
        await uow.commit()
    async with factory() as uow:
        kept = await uow.patients.by_chat(12)
    assert (kept.language, kept.language_chosen) == ("de", True)
    async with factory() as uow:
        await uow.patients.set_language(patient.id, "ru", chosen=True)  # a new choice is kept
        await uow.commit()
    async with factory() as uow:
        assert (await uow.patients.by_chat(12)).language == "ru"


async def test_a_chats_medication_names_are_its_own_in_name_order_without_the_deleted(engine):
    factory = uow_factory(engine)
    async with factory() as uow:
        chats = ((7, ("sertraline", "Baclofen", "Zopiclone")), (8, ("Warfarin",)), (10, ()))
        for chat_id, names in chats:
            patient = await uow.patients.add(chat_id=chat_id, language="en", timezone=None)
            for name in names:
                medication = await uow.medications.add(
                    patient_id=patient.id,
                    name=name,
                    dose="1 mg",
                    schedule=Schedule(times=(time(8),)),
                )
        await uow.medications.set_status(medication.id, MedicationStatus.PAUSED)
        zopiclone = await uow.medications.by_name((await uow.patients.by_chat(7)).id, "Zopiclone")
        await uow.medications.set_status(zopiclone.id, MedicationStatus.DELETED)
        await uow.commit()
    async with factory() as uow:
        patient, names = await uow.patients.with_medication_names(7)
        assert (patient.chat_id, names) == (7, ["Baclofen", "sertraline"])
        patient, names = await uow.patients.with_medication_names(8)
        assert (patient.chat_id, names) == (8, ["Warfarin"])  # paused still counts
        patient, names = await uow.patients.with_medication_names(10)
        assert (patient.chat_id, names) == (10, [])
        assert await uow.patients.with_medication_names(9) is None


async def test_save_only_applies_to_the_status_it_read(engine):
    """Two presses of one reminder, each in its own transaction: one answer is recorded."""
    factory = uow_factory(engine)
    await add_doses(factory, 1)
    async with factory() as uow:
        (context,) = await uow.doses.claim_due(
            until=NOW, now=NOW, stale_before=NOW, claimer="a", limit=1
        )
        await uow.commit()
    dose = context.dose
    async with factory() as uow:
        assert await uow.doses.save(replace(dose, status=DoseStatus.TAKEN), was=dose.status)
        await uow.commit()
    async with factory() as uow:
        assert not await uow.doses.save(replace(dose, status=DoseStatus.SKIPPED), was=dose.status)
        await uow.commit()
    async with factory() as uow:
        assert (await uow.doses.context(dose.id)).dose.status is DoseStatus.TAKEN


# Guards: each conditional UPDATE below is proven by a test that fails without its condition.

STALE = timedelta(minutes=2)


async def doses_at(factory, *instants: datetime, chat_id: int = 1):
    """One patient's pending doses at these instants, returned in the order given."""
    async with factory() as uow:
        patient = await uow.patients.add(chat_id=chat_id, language="en", timezone=None)
        medication = await uow.medications.add(
            patient_id=patient.id,
            name="Baclofen",
            dose="5 mg",
            schedule=Schedule(times=(time(8, 0),)),
        )
        await uow.doses.add_missing(medication, list(instants))
        stored = await uow.doses.of_patient_between(
            patient.id, min(instants), max(instants) + timedelta(seconds=1)
        )
        await uow.commit()
    by_instant = {context.dose.scheduled_at: context.dose for context in stored}
    return [by_instant[at] for at in instants]


async def moved(factory, dose, **changes):
    """The dose saved in another state, as a use case would have left it."""
    async with factory() as uow:
        assert await uow.doses.save(replace(dose, **changes), was=dose.status)
        await uow.commit()
    return replace(dose, **changes)


async def claim(factory, at: datetime, *, claimer: str = "a", limit: int = 100):
    async with factory() as uow:
        claimed = await uow.doses.claim_due(
            until=at, now=at, stale_before=at - STALE, claimer=claimer, limit=limit
        )
        await uow.commit()
    return [context.dose.id for context in claimed]


async def stored_dose(factory, dose_id: int):
    async with factory() as uow:
        context = await uow.doses.context(dose_id)
    assert context is not None
    return context.dose


async def test_claim_takes_pending_and_snoozed_doses_due_by_then_and_nothing_else(engine):
    factory = uow_factory(engine)
    hour = timedelta(hours=1)
    late, snoozed, future, sent, taken, skipped = await doses_at(
        factory, NOW - hour, NOW - 2 * hour, NOW + timedelta(seconds=1), NOW - 3 * hour,
        NOW - 4 * hour, NOW - 5 * hour,
    )  # fmt: skip
    await moved(factory, snoozed, status=DoseStatus.SNOOZED, due_at=NOW - timedelta(minutes=30))
    settled = [
        await moved(factory, sent, status=DoseStatus.SENT, reminded_at=sent.due_at),
        await moved(factory, taken, status=DoseStatus.TAKEN, answered_at=taken.due_at),
        await moved(factory, skipped, status=DoseStatus.SKIPPED, answered_at=skipped.due_at),
    ]

    assert await claim(factory, NOW) == [late.id, snoozed.id]  # in due order

    assert (await stored_dose(factory, future.id)).status is DoseStatus.PENDING
    for dose in settled:
        assert await stored_dose(factory, dose.id) == dose
    assert await claim(factory, NOW + timedelta(seconds=1)) == [future.id]


async def test_a_sent_or_answered_dose_is_never_claimed_again_however_old_its_claim(engine):
    factory = uow_factory(engine)
    sent, taken = await doses_at(factory, NOW, NOW - timedelta(minutes=1))
    assert await claim(factory, NOW) == [taken.id, sent.id]
    async with factory() as uow:
        assert await uow.doses.finish_send(
            sent.id, claimer="a", status=DoseStatus.SENT, message_id=7, at=NOW
        )
        claimed = await uow.doses.context(taken.id)
        answered = replace(claimed.dose, status=DoseStatus.TAKEN, answered_at=NOW)
        assert await uow.doses.save(answered, was=DoseStatus.SENDING)
        await uow.commit()

    assert await claim(factory, NOW + timedelta(days=1), claimer="b") == []

    assert (await stored_dose(factory, sent.id)).status is DoseStatus.SENT
    assert (await stored_dose(factory, taken.id)).status is DoseStatus.TAKEN


async def test_a_claim_is_taken_over_only_once_it_is_older_than_the_stale_window(engine):
    factory = uow_factory(engine)
    (dose,) = await doses_at(factory, NOW)
    assert await claim(factory, NOW, claimer="a") == [dose.id]

    assert await claim(factory, NOW + STALE, claimer="b") == []
    assert await claim(factory, NOW + STALE + timedelta(seconds=1), claimer="b") == [dose.id]


async def test_a_send_finished_by_a_dispatcher_whose_claim_was_taken_over_is_not_recorded(
    engine,
):
    factory = uow_factory(engine)
    (dose,) = await doses_at(factory, NOW)
    later = NOW + STALE + timedelta(seconds=1)
    assert await claim(factory, NOW, claimer="slow") == [dose.id]
    assert await claim(factory, later, claimer="fast") == [dose.id]

    async with factory() as uow:
        slow = await uow.doses.finish_send(
            dose.id, claimer="slow", status=DoseStatus.SENT, message_id=11, at=later
        )
        await uow.commit()
    assert slow is False
    stored = await stored_dose(factory, dose.id)
    assert (stored.status, stored.message_id, stored.reminded_at) == (
        DoseStatus.SENDING,
        None,
        None,
    )
    async with factory() as uow:
        fast = await uow.doses.finish_send(
            dose.id, claimer="fast", status=DoseStatus.SENT, message_id=22, at=later
        )
        await uow.commit()
    assert fast is True
    assert (await stored_dose(factory, dose.id)).message_id == 22


async def test_a_send_finished_after_the_dose_was_answered_leaves_the_answer(engine):
    factory = uow_factory(engine)
    (dose,) = await doses_at(factory, NOW)
    assert await claim(factory, NOW, claimer="a") == [dose.id]
    sending = await stored_dose(factory, dose.id)
    await moved(factory, sending, status=DoseStatus.TAKEN, answered_at=NOW)

    async with factory() as uow:
        recorded = await uow.doses.finish_send(
            dose.id, claimer="a", status=DoseStatus.SENT, message_id=11, at=NOW
        )
        await uow.commit()

    assert recorded is False
    stored = await stored_dose(factory, dose.id)
    assert (stored.status, stored.answered_at, stored.message_id) == (
        DoseStatus.TAKEN,
        NOW,
        None,
    )


async def test_a_repeat_is_claimed_once_for_a_sent_unanswered_dose_whose_repeat_is_due(engine):
    factory = uow_factory(engine)
    due_at, later = NOW - timedelta(minutes=1), NOW + timedelta(minutes=5)
    doses = await doses_at(factory, *(NOW - timedelta(hours=hours) for hours in range(6)))
    due, none_left, not_yet, taken, undeliverable, pending = doses
    sent = DoseStatus.SENT
    await moved(factory, due, status=sent, next_repeat_at=due_at)
    await moved(factory, none_left, status=sent, next_repeat_at=None, repeats=1)
    await moved(factory, not_yet, status=sent, next_repeat_at=later)
    await moved(factory, taken, status=DoseStatus.TAKEN, next_repeat_at=due_at, answered_at=NOW)
    await moved(factory, undeliverable, status=DoseStatus.UNDELIVERABLE, next_repeat_at=due_at)
    await moved(factory, pending, next_repeat_at=due_at)

    async def claim_repeats():
        async with factory() as uow:
            found = await uow.doses.claim_repeats(now=NOW, limit=100)
            await uow.commit()
        return [context.dose.id for context in found]

    assert await claim_repeats() == [due.id]
    assert await claim_repeats() == []
    stored = await stored_dose(factory, due.id)
    assert (stored.repeats, stored.next_repeat_at) == (1, None)
    for dose in (not_yet, taken, undeliverable, pending):
        assert (await stored_dose(factory, dose.id)).repeats == 0


async def test_a_next_repeat_is_set_only_while_the_dose_waits_for_its_answer(engine):
    factory = uow_factory(engine)
    waiting, answered = await doses_at(factory, NOW - timedelta(hours=1), NOW)
    await moved(factory, waiting, status=DoseStatus.SENT)
    await moved(factory, answered, status=DoseStatus.TAKEN, answered_at=NOW)
    async with factory() as uow:
        for dose in (waiting, answered):
            await uow.doses.set_next_repeat(dose.id, NOW)
        await uow.commit()

    assert (await stored_dose(factory, waiting.id)).next_repeat_at == NOW
    assert (await stored_dose(factory, answered.id)).next_repeat_at is None


async def test_doses_are_due_to_be_missed_at_their_own_miss_time_if_still_unanswered(engine):
    factory = uow_factory(engine)
    doses = await doses_at(factory, *(NOW - timedelta(hours=hours) for hours in range(5)))
    due, undeliverable, not_yet, taken, never_sent = doses
    await moved(factory, due, status=DoseStatus.SENT, miss_at=NOW)
    await moved(factory, undeliverable, status=DoseStatus.UNDELIVERABLE, miss_at=NOW)
    await moved(factory, not_yet, status=DoseStatus.SENT, miss_at=NOW + timedelta(minutes=1))
    await moved(factory, taken, status=DoseStatus.TAKEN, miss_at=NOW, answered_at=NOW)
    await moved(factory, never_sent, miss_at=NOW)

    async with factory() as uow:
        found = await uow.doses.due_to_miss(now=NOW)

    assert sorted(context.dose.id for context in found) == sorted([due.id, undeliverable.id])


async def test_a_heads_up_is_claimed_once_and_only_before_the_dose_is_reminded(engine):
    factory = uow_factory(engine)
    due, not_yet, reminded = await doses_at(
        factory, NOW, NOW + timedelta(hours=1), NOW - timedelta(minutes=5)
    )
    await moved(factory, due, heads_up_at=NOW - timedelta(minutes=15))
    await moved(factory, not_yet, heads_up_at=NOW + timedelta(minutes=45))
    await moved(factory, reminded, status=DoseStatus.SENT, heads_up_at=NOW - timedelta(minutes=15))

    async def claim_heads_ups():
        async with factory() as uow:
            found = await uow.doses.claim_heads_ups(now=NOW, limit=100)
            await uow.commit()
        return [context.dose.id for context in found]

    assert await claim_heads_ups() == [due.id]
    assert await claim_heads_ups() == []


async def test_finish_send_starts_the_repeat_and_miss_clocks_only_on_a_first_reminder(engine):
    factory = uow_factory(engine)
    first, resent = await doses_at(factory, NOW - timedelta(minutes=1), NOW)
    earlier = NOW - timedelta(minutes=30)
    await moved(factory, resent, reminded_at=earlier, next_repeat_at=earlier, miss_at=earlier)
    assert sorted(await claim(factory, NOW)) == sorted([first.id, resent.id])
    for dose in (first, resent):
        async with factory() as uow:
            assert await uow.doses.finish_send(
                dose.id,
                claimer="a",
                status=DoseStatus.SENT,
                message_id=7,
                at=NOW,
                next_repeat_at=NOW + timedelta(minutes=15),
                miss_at=NOW + timedelta(hours=1),
            )
            await uow.commit()

    stored = await stored_dose(factory, first.id)
    assert (stored.next_repeat_at, stored.miss_at) == (
        NOW + timedelta(minutes=15),
        NOW + timedelta(hours=1),
    )
    kept = await stored_dose(factory, resent.id)
    assert (kept.reminded_at, kept.next_repeat_at, kept.miss_at) == (earlier, earlier, earlier)


async def test_a_dispatcher_skips_doses_another_has_claimed_but_not_yet_committed(
    impatient_postgres,
):
    """PostgreSQL: FOR UPDATE SKIP LOCKED. Without it the second claim waits for the first
    transaction (here: fails after 2 s) or, once that commits, claims the same doses again."""
    factory = uow_factory(impatient_postgres)
    first, second = await doses_at(factory, NOW - timedelta(minutes=1), NOW)
    stale_before = NOW - STALE
    async with factory() as holder:
        held = await holder.doses.claim_due(
            until=NOW, now=NOW, stale_before=stale_before, claimer="a", limit=1
        )
        async with factory() as other:
            taken = await other.doses.claim_due(
                until=NOW, now=NOW, stale_before=stale_before, claimer="b", limit=10
            )
            await other.commit()
        await holder.commit()

    assert [context.dose.id for context in held] == [first.id]
    assert [context.dose.id for context in taken] == [second.id]


async def test_a_sweep_skips_nags_another_has_claimed_but_not_yet_committed(impatient_postgres):
    """PostgreSQL: FOR UPDATE SKIP LOCKED, as for claiming due doses."""
    factory = uow_factory(impatient_postgres)
    first, second = await doses_at(factory, NOW - timedelta(hours=1), NOW - timedelta(minutes=30))
    for dose in (first, second):
        await moved(factory, dose, status=DoseStatus.SENT, next_repeat_at=dose.due_at)
    async with factory() as holder:
        held = await holder.doses.claim_repeats(now=NOW, limit=1)
        async with factory() as other:
            taken = await other.doses.claim_repeats(now=NOW, limit=10)
            await other.commit()
        await holder.commit()

    assert [context.dose.id for context in held] == [first.id]
    assert [context.dose.id for context in taken] == [second.id]
