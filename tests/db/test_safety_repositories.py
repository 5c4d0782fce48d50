"""The safety tables on SQLite and PostgreSQL: intakes, events, tapers, streaks, settling."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from bot.domain.model import DoseStatus, SafetyEvent, SafetyEventKind, Schedule
from bot.domain.taper import TaperPlan, TaperStep
from tests.db.test_repositories import NOW, add_doses, uow_factory


async def test_intakes_by_day_and_the_last_before(engine):
    factory = uow_factory(engine)
    patient, medication = await add_doses(factory, 1)
    async with factory() as uow:
        for hours in (-30, 0, 6, 30):
            await uow.intakes.add(
                patient_id=patient.id,
                medication_id=medication.id,
                taken_at=NOW + timedelta(hours=hours),
                amount="5 mg",
                source="log",
            )
        await uow.commit()
    async with factory() as uow:
        day, of_the_day = (NOW, NOW + timedelta(days=1)), [NOW, NOW + timedelta(hours=6)]
        assert await uow.intakes.taken_between(medication.id, *day) == of_the_day
        at_seven = await uow.intakes.day_and_last_before(
            medication.id, *day, before=NOW + timedelta(hours=7)
        )
        assert at_seven == (of_the_day, NOW + timedelta(hours=6))
        # The last before may be of an earlier day; none at all is None.
        at_once = await uow.intakes.day_and_last_before(medication.id, *day, before=NOW)
        assert at_once == (of_the_day, NOW - timedelta(hours=30))
        first = await uow.intakes.day_and_last_before(
            medication.id, *day, before=NOW - timedelta(hours=30)
        )
        assert first == (of_the_day, None)
        assert await uow.intakes.day_and_last_before(medication.id + 1, *day, before=NOW) == (
            [],
            None,
        )


async def test_safety_events_are_stored_in_order(engine):
    factory = uow_factory(engine)
    patient, medication = await add_doses(factory, 1)
    async with factory() as uow:
        await uow.events.add(
            SafetyEvent(SafetyEventKind.RED_FLAG, patient.id, NOW, None, "seizure")
        )
        stored = await uow.events.add(
            SafetyEvent(SafetyEventKind.STOPPED, patient.id, NOW, medication.id)
        )
        await uow.commit()
    async with factory() as uow:
        events = await uow.events.of_patient(patient.id)
    assert [(e.kind, e.detail) for e in events] == [
        (SafetyEventKind.RED_FLAG, "seizure"),
        (SafetyEventKind.STOPPED, ""),
    ]
    assert events[1].id == stored.id


async def test_settled_statuses_oldest_first_and_open_between(engine):
    factory = uow_factory(engine)
    _, medication = await add_doses(factory, 4)  # NOW-3min … NOW
    async with factory() as uow:
        contexts = await uow.doses.claim_due(
            until=NOW, now=NOW, stale_before=NOW, claimer="a", limit=10
        )
        oldest_first = sorted(contexts, key=lambda c: c.dose.scheduled_at)
        for context, status in zip(
            oldest_first[:3], (DoseStatus.SKIPPED, DoseStatus.TAKEN, DoseStatus.MISSED), strict=True
        ):
            await uow.doses.save(replace(context.dose, status=status), was=DoseStatus.SENDING)
        await uow.commit()
    async with factory() as uow:
        statuses = await uow.doses.settled_statuses(medication.id, limit=10)
        open_ = await uow.doses.open_between(medication.id, NOW - timedelta(minutes=30), NOW)
        before = await uow.doses.open_between(
            medication.id, NOW - timedelta(minutes=30), NOW - timedelta(seconds=1)
        )
    assert statuses == [DoseStatus.SKIPPED, DoseStatus.TAKEN, DoseStatus.MISSED]
    # Open: the missed one (it may still be taken late) and the latest, still `sending`.
    assert [dose.scheduled_at for dose in open_] == [NOW - timedelta(minutes=1), NOW]
    assert [dose.scheduled_at for dose in before] == [NOW - timedelta(minutes=1)]


async def test_taper_plan_round_trip_and_one_announcement_per_step(engine):
    factory = uow_factory(engine)
    _, medication = await add_doses(factory, 1)
    plan = TaperPlan(date(2026, 3, 2), (TaperStep("10 mg", 7), TaperStep("2.5 mg", 3)))
    async with factory() as uow:
        await uow.tapers.put(medication.id, plan, created_at=NOW)
        await uow.commit()
    async with factory() as uow:
        assert await uow.tapers.of_medication(medication.id) == plan
        ((stored, announced, asked, active_medication, _),) = await uow.tapers.active()
        assert (stored, announced, asked, active_medication.id) == (plan, 0, False, medication.id)
        assert await uow.tapers.announce(medication.id, 1)
        assert not await uow.tapers.announce(medication.id, 1)
        assert await uow.tapers.ask_end(medication.id, NOW)
        assert not await uow.tapers.ask_end(medication.id, NOW)
        await uow.commit()
    later = TaperPlan(date(2026, 4, 1), (TaperStep("5 mg", 2),))
    async with factory() as uow:
        await uow.tapers.put(medication.id, later, created_at=NOW)  # replaces
        await uow.commit()
    async with factory() as uow:
        assert await uow.tapers.of_medication(medication.id) == later
        assert (await uow.tapers.active())[0][1:3] == (0, False)


async def test_dose_amounts_from_a_taper_are_stored(engine):
    factory = uow_factory(engine)
    async with factory() as uow:
        patient = await uow.patients.add(chat_id=77, language="en", timezone=None)
        medication = await uow.medications.add(
            patient_id=patient.id,
            name="Baclofen",
            dose="10 mg",
            schedule=Schedule(times=(time(8),)),
        )
        day = datetime(2026, 3, 2, 8, tzinfo=UTC)
        await uow.doses.add_missing(medication, [day, day + timedelta(days=1)], ["10 mg", "5 mg"])
        await uow.commit()
    async with factory() as uow:
        contexts = await uow.doses.of_patient_between(patient.id, day, day + timedelta(days=2))
    assert [c.dose.amount for c in contexts] == ["10 mg", "5 mg"]
