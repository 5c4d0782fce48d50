"""The safety rules applied by the use cases: notices for the patient, events for caregivers."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.domain.emergencies import Detection, Emergency
from bot.domain.model import DoseAnswer, DoseStatus, NoticeKind, SafetyEventKind
from bot.services.answers import AnswerResult
from bot.services.emergencies import report_emergency
from bot.services.journal import LogResult
from bot.services.medications import Change, ChangeResult
from bot.services.tapers import TaperResult
from tests.services.harness import ALICE

EIGHT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TWENTY = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)


async def sent_doses(medbot, *instants, name="Baclofen"):
    """Alice's doses at these instants, each reminded at its time."""
    alice = medbot.store.patient(ALICE) or medbot.patient(ALICE)
    existing = [m for m in medbot.store.medications(alice.id) if m.name == name]
    medication = existing[0] if existing else medbot.medication(alice, time(8), time(20), name=name)
    doses = [medbot.store.add_dose(medication, at) for at in instants]
    for dose in doses:
        medbot.clock.set(dose.scheduled_at)
        await medbot.dispatch()
    return [medbot.store.dose(d.id) for d in doses]


async def test_skip_warns_not_to_double_and_about_withdrawal(medbot):
    (dose,) = await sent_doses(medbot, EIGHT)
    await medbot.answer(dose.id, DoseAnswer.SKIP)
    (notice,) = medbot.messenger.notices_for(ALICE)
    assert notice.kind is NoticeKind.SKIP_WARNING
    assert notice.withdrawal_risk
    assert "seizures" in notice.symptoms
    assert medbot.store.events() == []  # one skip alerts nobody


async def test_two_skips_in_a_row_of_a_risky_drug_warn_and_emit_withdrawal_risk(medbot):
    first, second = await sent_doses(medbot, EIGHT, TWENTY)
    await medbot.answer(first.id, DoseAnswer.SKIP)
    await medbot.answer(second.id, DoseAnswer.SKIP)
    notices = medbot.messenger.notices_for(ALICE)
    kinds = [n.kind for n in notices]
    assert kinds == [NoticeKind.SKIP_WARNING, NoticeKind.SKIP_WARNING, NoticeKind.WITHDRAWAL_RISK]
    assert notices[2].streak == 2
    (event,) = medbot.store.events()
    assert event.kind is SafetyEventKind.WITHDRAWAL_RISK
    assert event.detail == "2 doses in a row missed or skipped"


async def test_two_skips_of_a_drug_without_withdrawal_risk_are_a_repeated_skip(medbot):
    first, second = await sent_doses(medbot, EIGHT, TWENTY, name="Vitamin D")
    await medbot.answer(first.id, DoseAnswer.SKIP)
    await medbot.answer(second.id, DoseAnswer.SKIP)
    notices = medbot.messenger.notices_for(ALICE)
    assert [n.kind for n in notices] == [NoticeKind.SKIP_WARNING] * 2
    assert not notices[1].withdrawal_risk
    assert [e.kind for e in medbot.store.events()] == [SafetyEventKind.REPEATED_SKIP]


async def test_a_skip_then_a_late_took_is_no_streak(medbot):
    first, second, third = await sent_doses(medbot, EIGHT, TWENTY, EIGHT + timedelta(days=1))
    await medbot.answer(first.id, DoseAnswer.SKIP)
    medbot.clock.set(TWENTY + timedelta(hours=2))
    await medbot.answer(second.id, DoseAnswer.TAKEN)  # late, but taken
    await medbot.answer(third.id, DoseAnswer.SKIP)
    assert [n.kind for n in medbot.messenger.notices_for(ALICE)] == [NoticeKind.SKIP_WARNING] * 2
    assert medbot.store.events(SafetyEventKind.WITHDRAWAL_RISK) == []


async def test_missed_doses_across_midnight_make_a_streak(medbot):
    evening = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)
    morning = datetime(2026, 3, 3, 6, 0, tzinfo=UTC)
    await sent_doses(medbot, evening, morning)
    medbot.clock.set(morning + timedelta(hours=1))
    assert await medbot.sweep() == (0, 2)
    kinds = [e.kind for e in medbot.store.events()]
    assert kinds.count(SafetyEventKind.MISSED_DOSE) == 2
    assert SafetyEventKind.WITHDRAWAL_RISK in kinds
    (notice,) = medbot.messenger.notices_for(ALICE)
    assert notice.kind is NoticeKind.WITHDRAWAL_RISK
    assert notice.streak == 2


async def test_log_settles_the_open_reminder_and_records_the_intake(medbot):
    (dose,) = await sent_doses(medbot, EIGHT)
    medbot.clock.set(EIGHT + timedelta(minutes=20))
    outcome = await medbot.log("took baclofen 5 mg at 8:10")
    assert outcome.result is LogResult.RECORDED
    (logged,) = outcome.doses
    assert logged.settled_reminder
    assert logged.taken_local.strftime("%H:%M") == "08:10"
    stored = medbot.store.dose(dose.id)
    assert stored.status is DoseStatus.TAKEN
    assert stored.answered_at == EIGHT + timedelta(minutes=10)
    (intake,) = medbot.store.intakes()
    assert (intake.source, intake.dose_id, intake.amount) == ("log", dose.id, "5 mg")
    # The button on the reminder now says it was already answered.
    again = await medbot.answer(dose.id, DoseAnswer.TAKEN)
    assert again.result is AnswerResult.ALREADY_ANSWERED


async def test_an_extra_dose_by_log_is_overuse(medbot):
    (dose,) = await sent_doses(medbot, EIGHT)
    await medbot.answer(dose.id, DoseAnswer.TAKEN)
    medbot.clock.set(EIGHT + timedelta(hours=1))
    outcome = await medbot.log("took baclofen")
    assert [n.kind for n in outcome.notices] == [NoticeKind.OVERUSE]
    (event,) = medbot.store.events()
    assert event.kind is SafetyEventKind.OVERUSE
    assert event.detail == "2 doses today, 2 prescribed; 60 min after the previous dose"


async def test_a_log_wakes_the_dispatcher_only_when_it_queued_a_message(medbot):
    """Every /log used to wake the dispatcher (four claims on a busy database); now only one
    that owes something does: here the edit of the reminder it answered."""
    (_reminded,) = await sent_doses(medbot, EIGHT)
    medbot.clock.set(EIGHT + timedelta(minutes=20))
    before = len(medbot.alarm.armed)
    await medbot.log("took baclofen")
    assert medbot.alarm.armed[before:] == [medbot.clock.now()]
    medbot.clock.set(EIGHT + timedelta(hours=1))
    before = len(medbot.alarm.armed)
    outcome = await medbot.log("took baclofen")  # an extra dose: nothing to edit, no caregiver
    assert [n.kind for n in outcome.notices] == [NoticeKind.OVERUSE]
    assert medbot.alarm.armed[before:] == []


async def test_an_emergency_is_recorded_once_and_its_symptom_kept_as_a_red_flag(medbot):
    medbot.patient(ALICE, timezone="Europe/Berlin")
    detection = Detection((Emergency.SEIZURE, Emergency.CRISIS))
    zone = await report_emergency(
        medbot.store.uow_factory,
        clock=medbot.clock,
        chat_id=ALICE,
        language="en",
        detection=detection,
    )
    assert zone == "Europe/Berlin"  # the reply names the numbers of the patient's country
    outcome = await medbot.log("symptom I had a seizure", emergency=True)
    assert outcome.notices == ()  # the emergency reply was sent before, not again
    (symptom,) = medbot.store.symptoms()
    assert symptom.red_flag
    (event,) = medbot.store.events()
    assert (event.kind, event.detail) == (SafetyEventKind.RED_FLAG, "seizure, crisis")


async def test_a_denied_symptom_is_kept_but_not_as_a_red_flag(medbot):
    medbot.patient(ALICE)
    await medbot.log("symptom no seizures today, just tired")
    (symptom,) = medbot.store.symptoms()
    assert not symptom.red_flag
    assert medbot.store.events() == []


async def test_a_log_for_an_unknown_medication_records_nothing(medbot):
    await sent_doses(medbot, EIGHT)
    outcome = await medbot.log("took aspirin")
    assert outcome.result is LogResult.UNKNOWN_MEDICATION
    assert outcome.candidates == ("Baclofen",)
    assert medbot.store.intakes() == []


async def test_a_log_in_the_future_records_nothing(medbot):
    await sent_doses(medbot, EIGHT)
    outcome = await medbot.log("took baclofen at 23:00")
    assert outcome.result is LogResult.IN_THE_FUTURE
    assert medbot.store.intakes() == []


async def test_a_brand_name_logs_the_generic_medication(medbot):
    await sent_doses(medbot, EIGHT)
    outcome = await medbot.log("took Lioresal")
    assert [d.medication for d in outcome.doses] == ["Baclofen"]


async def test_stop_drops_reminders_and_emits_stopped(medbot):
    await sent_doses(medbot, EIGHT)
    medbot.store.add_dose(medbot.store.medications()[0], TWENTY)
    result, _ = await medbot.change("baclofen", Change.STOP)
    assert result is ChangeResult.CHANGED
    assert medbot.store.doses(status=DoseStatus.PENDING) == []
    assert [e.kind for e in medbot.store.events()] == [SafetyEventKind.STOPPED]


async def test_pausing_a_withdrawal_risk_drug_emits_paused(medbot):
    await sent_doses(medbot, EIGHT)
    await medbot.change("baclofen", Change.PAUSE)
    assert [e.kind for e in medbot.store.events()] == [SafetyEventKind.PAUSED]


async def test_a_change_for_another_patients_medication_is_not_found(medbot):
    await sent_doses(medbot, EIGHT)
    medbot.patient(2002)
    result, _ = await medbot.change("baclofen", Change.STOP, chat_id=2002)
    assert result is ChangeResult.NOT_FOUND
    assert medbot.store.medications()[0].status.value == "active"


async def test_taper_sets_the_amount_of_upcoming_doses_and_announces_each_change(medbot):
    alice = medbot.patient(ALICE)
    medbot.medication(alice, time(8), time(20))
    medbot.clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    outcome = await medbot.taper("Baclofen 10 mg x1d, 5 mg x1d", confirmed=True)
    assert outcome.plan is not None
    amounts = [d.amount for d in medbot.store.doses(status=DoseStatus.PENDING)]
    assert amounts == ["10 mg", "10 mg", "5 mg", "5 mg"]

    assert await medbot.announce_tapers() == 1  # the day before step 2
    (notice,) = medbot.messenger.notices_for(ALICE)
    assert (notice.kind, notice.amount, notice.step, notice.steps) == (
        NoticeKind.TAPER_STEP,
        "5 mg",
        2,
        2,
    )
    assert await medbot.announce_tapers() == 0  # once

    medbot.clock.set(datetime(2026, 3, 4, 7, 0, tzinfo=UTC))
    assert await medbot.announce_tapers() == 1
    assert medbot.messenger.notices_for(ALICE)[-1].kind is NoticeKind.TAPER_END
    assert await medbot.announce_tapers() == 0
    # Nothing is stopped without the patient's confirmation.
    assert medbot.store.medications()[0].status.value == "active"


async def test_a_reminder_of_a_medication_stopped_since_closes_without_alerts(medbot):
    (dose,) = await sent_doses(medbot, EIGHT)
    await medbot.change("baclofen", Change.STOP)
    medbot.clock.set(EIGHT + timedelta(hours=1))
    assert await medbot.sweep() == (0, 0)
    assert medbot.store.dose(dose.id).status is DoseStatus.MISSED
    assert medbot.messenger.reminders_for(ALICE) == medbot.messenger.reminders_of(dose.id)
    assert [e.kind for e in medbot.store.events()] == [SafetyEventKind.STOPPED]


async def test_a_dose_that_could_not_be_delivered_counts_as_missed_for_caregivers(medbot):
    from bot.services.ports import RecipientUnreachable

    alice = medbot.patient(ALICE)
    dose = medbot.store.add_dose(medbot.medication(alice, time(8)), EIGHT)
    medbot.messenger.fail_next(ALICE, error=RecipientUnreachable)  # Alice blocked the bot
    medbot.clock.set(EIGHT)
    assert await medbot.dispatch() == 0
    assert medbot.store.dose(dose.id).status is DoseStatus.UNDELIVERABLE
    medbot.clock.set(EIGHT + timedelta(minutes=59))
    assert await medbot.sweep() == (0, 0)  # never nagged: there is no one to nag
    medbot.clock.set(EIGHT + timedelta(hours=1))
    assert await medbot.sweep() == (0, 1)
    assert medbot.store.dose(dose.id).status is DoseStatus.MISSED
    (event,) = medbot.store.events()
    assert event.kind is SafetyEventKind.MISSED_DOSE
    assert medbot.messenger.shown == []  # no reminder message to edit


async def test_an_unusual_taper_is_not_saved_until_the_patient_confirms_it(medbot):
    alice = medbot.patient(ALICE)
    medbot.medication(alice, time(8))  # 5 mg
    await medbot.materialise()
    amounts = [dose.amount for dose in medbot.store.doses()]
    outcome = await medbot.taper("Baclofen 5 mg x3d, 20 mg x3d")
    assert outcome.result is TaperResult.UNUSUAL
    assert [(step.before, step.after) for step in outcome.unusual] == [("5 mg", "20 mg")]
    assert medbot.store.taper(outcome.medication.id) is None
    assert [dose.amount for dose in medbot.store.doses()] == amounts
    confirmed = await medbot.taper("Baclofen 5 mg x3d, 20 mg x3d", confirmed=True)
    assert confirmed.result is TaperResult.SAVED
    assert medbot.store.taper(outcome.medication.id) is not None
