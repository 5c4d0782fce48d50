"""Caregiver tables on SQLite and PostgreSQL: one-time codes, links, the alert outbox."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.db.engine import create_engine
from bot.db.tables import AlertRow
from bot.domain.caregivers import ALL_KINDS, LinkStatus, code_hash
from bot.domain.model import SafetyEvent, SafetyEventKind
from bot.services.safety import record_events
from tests.conftest import empty_tables
from tests.db.test_repositories import NOW, uow_factory


async def patient_with_caregiver(factory, *, status=LinkStatus.ACTIVE, kinds=ALL_KINDS):
    async with factory() as uow:
        patient = await uow.patients.add(chat_id=1, language="en", timezone=None, name="Alice")
        link = await uow.links.put_pending(
            patient_id=patient.id, caregiver_chat_id=3, caregiver_name="Carol", kinds=kinds, at=NOW
        )
        await uow.links.set_status(link.id, status, NOW)
        await uow.commit()
    return patient, link


async def test_a_code_is_redeemed_once_and_only_before_it_expires(engine):
    factory = uow_factory(engine)
    async with factory() as uow:
        patient = await uow.patients.add(chat_id=1, language="en", timezone=None)
        for code, expires in (("fresh", NOW + timedelta(hours=24)), ("old", NOW)):
            await uow.invites.add(
                patient_id=patient.id, code_hash=code_hash(code), created_at=NOW, expires_at=expires
            )
        await uow.commit()
    async with factory() as uow:
        assert await uow.invites.redeem(code_hash("fresh"), NOW) == patient.id
        assert await uow.invites.redeem(code_hash("fresh"), NOW) is None  # used
        assert await uow.invites.redeem(code_hash("old"), NOW) is None  # expired
        assert await uow.invites.redeem(code_hash("never issued"), NOW) is None


async def test_two_people_racing_with_one_code_get_one_link(database_url):
    engines = [create_engine(database_url), create_engine(database_url)]
    factories = [uow_factory(e) for e in engines]
    try:
        async with factories[0]() as uow:
            patient = await uow.patients.add(chat_id=1, language="en", timezone=None)
            await uow.invites.add(
                patient_id=patient.id,
                code_hash=code_hash("shared"),
                created_at=NOW,
                expires_at=NOW + timedelta(hours=1),
            )
            await uow.commit()

        async def redeem(factory):
            async with factory() as uow:
                found = await uow.invites.redeem(code_hash("shared"), NOW)
                await uow.commit()
                return found

        results = await asyncio.gather(*(redeem(f) for f in factories))
        assert sorted(results, key=lambda r: r is None) == [patient.id, None]
    finally:
        await empty_tables(engines[0])
        for engine in engines:
            await engine.dispose()


async def test_events_become_alerts_only_for_active_links_that_want_the_kind(engine):
    factory = uow_factory(engine)
    patient, _ = await patient_with_caregiver(factory, kinds=frozenset({SafetyEventKind.RED_FLAG}))
    async with factory() as uow:
        await record_events(
            uow,
            [
                SafetyEvent(SafetyEventKind.RED_FLAG, patient.id, NOW, None, "seizure"),
                SafetyEvent(SafetyEventKind.OVERUSE, patient.id, NOW),
            ],
        )
        await uow.commit()
    async with engine.connect() as connection:
        kinds = list(await connection.scalars(select(AlertRow.kind)))
    assert kinds == ["red_flag"]


async def test_claim_puts_red_flags_first_and_skips_ended_links(engine):
    factory = uow_factory(engine)
    patient, link = await patient_with_caregiver(factory)
    async with factory() as uow:
        await record_events(
            uow,
            [
                SafetyEvent(SafetyEventKind.OVERUSE, patient.id, NOW - timedelta(minutes=5)),
                SafetyEvent(SafetyEventKind.RED_FLAG, patient.id, NOW, None, "fainting"),
            ],
        )
        await uow.commit()
    async with factory() as uow:
        claimed = await uow.alerts.claim_due(now=NOW, stale_before=NOW, claimer="a", limit=1)
        await uow.commit()
    assert [a.kind for a in claimed] == [SafetyEventKind.RED_FLAG]
    assert claimed[0].patient_name == "Alice"
    async with factory() as uow:
        await uow.links.set_status(link.id, LinkStatus.REVOKED, NOW)
        await uow.commit()
    async with factory() as uow:
        assert await uow.alerts.claim_due(now=NOW, stale_before=NOW, claimer="a", limit=10) == []


async def test_unreachable_is_marked_once(engine):
    factory = uow_factory(engine)
    _, link = await patient_with_caregiver(factory)
    async with factory() as uow:
        assert await uow.links.mark_unreachable(link.id, NOW)
        assert not await uow.links.mark_unreachable(link.id, NOW)
        await uow.commit()
    async with factory() as uow:
        assert (await uow.links.get(link.id)).unreachable


# Guards: each conditional UPDATE below is proven by a test that fails without its condition.

STALE = timedelta(minutes=2)


async def test_a_revoked_code_is_not_redeemed_before_it_expires(engine):
    factory = uow_factory(engine)
    async with factory() as uow:
        patient = await uow.patients.add(chat_id=1, language="en", timezone=None)
        await uow.invites.add(
            patient_id=patient.id,
            code_hash=code_hash("superseded"),
            created_at=NOW,
            expires_at=NOW + timedelta(hours=24),
        )
        assert await uow.invites.revoke_unused(patient.id, NOW) == 1
        await uow.commit()
    async with factory() as uow:
        assert await uow.invites.redeem(code_hash("superseded"), NOW) is None


async def alerts_due(factory, link, *due_at):
    """One alert for `link` per instant, in order; each is told apart by its event's detail."""
    async with factory() as uow:
        for number, at in enumerate(due_at):
            event = await uow.events.add(
                SafetyEvent(SafetyEventKind.OVERUSE, link.patient_id, NOW, None, f"alert {number}")
            )
            await uow.alerts.add(link_id=link.id, event_id=event.id, kind=event.kind, due_at=at)
        await uow.commit()


async def claim_alerts(factory, now, *, limit=100):
    async with factory() as uow:
        claimed = await uow.alerts.claim_due(
            now=now, stale_before=now - STALE, claimer="a", limit=limit
        )
        await uow.commit()
    return [alert.detail for alert in claimed]


async def test_an_alert_is_claimed_only_once_it_is_due(engine):
    factory = uow_factory(engine)
    _, link = await patient_with_caregiver(factory)
    await alerts_due(factory, link, NOW + timedelta(minutes=1))  # a retry, a minute away

    assert await claim_alerts(factory, NOW) == []
    assert await claim_alerts(factory, NOW + timedelta(minutes=1)) == ["alert 0"]


async def test_a_claimed_alert_is_taken_over_only_once_its_claim_is_stale(engine):
    factory = uow_factory(engine)
    _, link = await patient_with_caregiver(factory)
    await alerts_due(factory, link, NOW)
    assert await claim_alerts(factory, NOW) == ["alert 0"]

    assert await claim_alerts(factory, NOW + STALE) == []
    assert await claim_alerts(factory, NOW + STALE + timedelta(seconds=1)) == ["alert 0"]
    async with engine.connect() as connection:
        assert list(await connection.scalars(select(AlertRow.attempts))) == [2]


async def test_a_sent_or_dropped_alert_is_never_claimed_again(engine):
    factory = uow_factory(engine)
    _, link = await patient_with_caregiver(factory)
    await alerts_due(factory, link, NOW, NOW)
    async with factory() as uow:
        sent, dropped = await uow.alerts.claim_due(now=NOW, stale_before=NOW, claimer="a", limit=10)
        await uow.alerts.mark_sent([sent.id], NOW)
        await uow.alerts.drop([dropped.id])
        await uow.commit()

    assert await claim_alerts(factory, NOW + timedelta(days=1)) == []


async def test_a_sender_skips_alerts_another_has_claimed_and_still_gets_the_links_others(
    impatient_postgres,
):
    """PostgreSQL: FOR UPDATE SKIP LOCKED OF alert. Without SKIP LOCKED the second sender waits
    for the first (here: fails after 2 s); without OF alert it locks the caregiver's link row
    too, and skips every other alert of that caregiver."""
    factory = uow_factory(impatient_postgres)
    _, link = await patient_with_caregiver(factory)
    await alerts_due(factory, link, NOW - timedelta(minutes=1), NOW)
    async with factory() as holder:
        held = await holder.alerts.claim_due(
            now=NOW, stale_before=NOW - STALE, claimer="a", limit=1
        )
        async with factory() as other:
            taken = await other.alerts.claim_due(
                now=NOW, stale_before=NOW - STALE, claimer="b", limit=10
            )
            await other.commit()
        await holder.commit()

    assert [alert.detail for alert in held] == ["alert 0"]
    assert [alert.detail for alert in taken] == ["alert 1"]
