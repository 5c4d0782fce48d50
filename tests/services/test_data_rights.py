"""The data-rights and weekly-summary use cases on the real SQL unit of work: who may delete
what, who is told, what a caregiver's note survives; and a summary owed once per week, to
those who opted in, dropped if they opt out before it goes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.domain.caregivers import CaregiverLink
from bot.domain.model import MedicationStatus
from bot.domain.outbox import LinkNoteKind
from bot.services.caregivers import create_invite, decide_link, redeem_invite
from bot.services.data_rights import delete_my_data, export_history, preview_deletion
from bot.services.settings import Setting, choose, settings_of
from bot.services.summaries import owe_weekly_summaries
from tests.db.ownership import owned, snapshot
from tests.services.harness import ALICE, BOB, DEFAULT_ZONE, DEFAULTS, Harness

CAROL = 3003
HOUR = timedelta(hours=1)
SUNDAY_19_UTC = datetime(2026, 3, 8, 19, 0, tzinfo=UTC)  # the harness starts Monday 2 March


async def follow(medbot: Harness, patient: int, caregiver: int) -> CaregiverLink:
    """An active link: invited, redeemed, allowed."""
    store = medbot.store
    code = await create_invite(
        store.uow_factory, clock=medbot.clock, chat_id=patient, language="en", name="P"
    )
    redeemed = await redeem_invite(
        store.uow_factory,
        clock=medbot.clock,
        alarm=medbot.alarm,
        caregiver_chat_id=caregiver,
        caregiver_name=f"C{caregiver}",
        code=code,
    )
    assert redeemed.link is not None
    link = await decide_link(
        store.uow_factory,
        clock=medbot.clock,
        alarm=medbot.alarm,
        patient_chat_id=patient,
        link_id=redeemed.link.id,
        allow=True,
    )
    assert link is not None
    return link


def rows(medbot: Harness):
    with medbot.store._sync.connect() as connection:  # the test's own SQLite file
        return snapshot(connection)


async def delete(medbot: Harness, chat_id: int, patient_id: int) -> bool:
    return await delete_my_data(
        medbot.store.uow_factory,
        clock=medbot.clock,
        alarm=medbot.alarm,
        chat_id=chat_id,
        patient_id=patient_id,
    )


# --- /export and /delete_my_data


async def test_a_patient_with_nothing_recorded_gets_no_export(medbot: Harness):
    medbot.patient(ALICE, timezone="Asia/Kolkata")
    export = await export_history(
        medbot.store.uow_factory, clock=medbot.clock, chat_id=ALICE, default_zone=DEFAULT_ZONE
    )
    assert export.history is None
    assert str(export.today) == "2026-03-02"


async def test_the_confirmation_warns_about_withdrawal_risk_drugs_still_taken(medbot: Harness):
    alice = medbot.patient(ALICE)
    medbot.medication(alice, time(8, 0), name="Baclofen")
    medbot.medication(alice, time(9, 0), name="Vitamin D")
    medbot.medication(alice, time(10, 0), name="Lioresal", status=MedicationStatus.STOPPED)
    preview = await preview_deletion(medbot.store.uow_factory, kb=medbot.kb, chat_id=ALICE)
    assert preview.patient_id == alice.id
    assert preview.withdrawal_risk == ("Baclofen",)
    assert preview.medications == 3
    nobody = await preview_deletion(medbot.store.uow_factory, kb=medbot.kb, chat_id=CAROL)
    assert nobody.patient_id is None
    assert medbot.store.patient(CAROL) is None  # asking did not register anyone


async def test_a_confirmation_for_someone_else_or_for_data_already_gone_deletes_nothing(
    medbot: Harness,
):
    alice = medbot.patient(ALICE)
    medbot.medication(alice)
    medbot.patient(BOB)
    await medbot.materialise()
    before = rows(medbot)
    assert not await delete(medbot, BOB, alice.id)  # a forged button in Bob's chat
    assert rows(medbot) == before

    assert await delete(medbot, ALICE, alice.id)
    again = medbot.patient(ALICE)  # Alice starts afresh
    assert not await delete(medbot, ALICE, alice.id)  # the old confirmation is stale
    assert medbot.store.patient(ALICE) == again


async def test_caregivers_are_told_the_link_ended_and_the_note_outlives_the_patient(
    medbot: Harness,
):
    await follow(medbot, ALICE, BOB)
    await follow(medbot, ALICE, CAROL)
    await follow(medbot, CAROL, ALICE)  # Alice follows Carol too
    await medbot.deliver()
    medbot.messenger.link_notes.clear()
    alice = medbot.store.patient(ALICE)
    assert alice is not None

    assert await delete(medbot, ALICE, alice.id)
    assert medbot.alarm.last == medbot.clock.now()
    await medbot.deliver()
    told = {(chat, note.kind, note.name) for chat, note in medbot.messenger.link_notes}
    assert told == {
        (BOB, LinkNoteKind.ENDED, "P"),
        (CAROL, LinkNoteKind.ENDED, "P"),
        (CAROL, LinkNoteKind.LEFT, f"C{ALICE}"),
    }
    left = owned(rows(medbot), patient_id=alice.id, chat_id=ALICE)
    assert left == {}


# --- the weekly summary


async def owe(medbot: Harness) -> int:
    return await owe_weekly_summaries(
        medbot.store.uow_factory,
        clock=medbot.clock,
        alarm=medbot.alarm,
        default_zone=DEFAULT_ZONE,
        ahead=HOUR,
    )


async def weekly(medbot: Harness, chat_id: int, on: bool, link_id: int | None = None):
    return await choose(
        medbot.store.uow_factory,
        clock=medbot.clock,
        alarm=medbot.alarm,
        chat_id=chat_id,
        language="en",
        setting=Setting.WEEKLY,
        minutes=int(on),
        link_id=link_id,
        defaults=DEFAULTS,
        default_zone=DEFAULT_ZONE,
    )


async def test_a_week_is_summarised_once_however_often_the_tick_runs(medbot: Harness):
    alice = medbot.patient(ALICE)
    medbot.medication(alice)
    assert await weekly(medbot, ALICE, True) is not None
    medbot.clock.set(SUNDAY_19_UTC - timedelta(minutes=30))
    assert await owe(medbot) == 1  # ahead of 19:00, due at 19:00
    assert medbot.alarm.last == SUNDAY_19_UTC
    assert await owe(medbot) == 0
    medbot.clock.set(SUNDAY_19_UTC)
    assert await owe(medbot) == 0
    await medbot.deliver()
    assert [chat for chat, _ in medbot.messenger.summaries] == [ALICE]
    medbot.clock.set(SUNDAY_19_UTC + timedelta(days=7))
    assert await owe(medbot) == 1  # the next week's


async def test_opting_in_after_sunday_evening_starts_with_the_next_week(medbot: Harness):
    medbot.patient(ALICE)
    medbot.clock.set(SUNDAY_19_UTC + timedelta(hours=2))  # this week's time has passed
    assert await weekly(medbot, ALICE, True) is not None
    assert await owe(medbot) == 0
    medbot.clock.set(SUNDAY_19_UTC + timedelta(days=7))
    assert await owe(medbot) == 1


async def test_off_and_on_again_after_it_was_owed_still_sends_it_once(medbot: Harness):
    medbot.patient(ALICE)
    assert await weekly(medbot, ALICE, True) is not None
    medbot.clock.set(SUNDAY_19_UTC - timedelta(minutes=30))
    assert await owe(medbot) == 1
    assert await weekly(medbot, ALICE, False) is not None
    assert await weekly(medbot, ALICE, True) is not None
    assert await owe(medbot) == 0
    medbot.clock.set(SUNDAY_19_UTC)
    await medbot.deliver()
    assert len(medbot.messenger.summaries) == 1


async def test_only_those_who_opted_in_are_summarised_and_a_late_opt_out_drops_it(
    medbot: Harness,
):
    link = await follow(medbot, ALICE, BOB)
    await follow(medbot, ALICE, CAROL)
    view = await weekly(medbot, BOB, True, link.id)
    assert view is not None and view.weekly_links == frozenset({link.id})
    assert await weekly(medbot, CAROL, True, link.id) is None  # not Carol's link
    medbot.clock.set(SUNDAY_19_UTC)
    assert await owe(medbot) == 1  # Bob's; Alice and Carol did not opt in
    assert await weekly(medbot, BOB, False, link.id) is not None
    await medbot.deliver()
    assert medbot.messenger.summaries == []
    shown = await settings_of(
        medbot.store.uow_factory, chat_id=BOB, language="en", defaults=DEFAULTS
    )
    assert shown.weekly_links == frozenset()


async def test_a_button_value_other_than_on_or_off_changes_nothing(medbot: Harness):
    medbot.patient(ALICE)
    assert await weekly(medbot, ALICE, True) is not None
    bad = await choose(
        medbot.store.uow_factory,
        clock=medbot.clock,
        alarm=medbot.alarm,
        chat_id=ALICE,
        language="en",
        setting=Setting.WEEKLY,
        minutes=7,
        link_id=None,
        defaults=DEFAULTS,
        default_zone=DEFAULT_ZONE,
    )
    assert bad is None
    shown = await settings_of(
        medbot.store.uow_factory, chat_id=ALICE, language="en", defaults=DEFAULTS
    )
    assert shown.weekly
