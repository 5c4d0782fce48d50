"""The heartbeat of claims, on SQLite and PostgreSQL, for doses, outbox rows and alerts: a live
dispatcher's refreshed claim is never taken over; a dead one's is, once STALE_CLAIM old."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.tables import AlertRow, DoseRow, OutboxRow
from bot.domain.model import DoseStatus
from bot.services.reminders import STALE_CLAIM
from tests.db.test_caregiver_repositories import alerts_due, patient_with_caregiver
from tests.db.test_outbox_repository import notice, owe
from tests.db.test_repositories import NOW, add_doses, uow_factory


@dataclass(frozen=True)
class Kind:
    """One kind of claimed row: how to write two due ones, claim one, finish one."""

    name: str
    table: Any

    async def seed(self, factory) -> None:
        if self.name == "doses":
            await add_doses(factory, 2)
        elif self.name == "outbox":
            await owe(factory, notice(), notice())
        else:
            _, link = await patient_with_caregiver(factory)
            await alerts_due(factory, link, NOW, NOW)

    def repository(self, uow):
        return getattr(uow, self.name)

    async def claim(self, factory, claimer: str, now: datetime) -> list[int]:
        stale_before = now - STALE_CLAIM
        async with factory() as uow:
            if self.name == "doses":
                claimed = [
                    c.dose.id
                    for c in await uow.doses.claim_due(
                        until=now, now=now, stale_before=stale_before, claimer=claimer, limit=1
                    )
                ]
            else:
                claimed = [
                    row.id
                    for row in await self.repository(uow).claim_due(
                        now=now, stale_before=stale_before, claimer=claimer, limit=1
                    )
                ]
            await uow.commit()
        return claimed

    async def finish(self, factory, row_id: int, claimer: str, at: datetime) -> None:
        async with factory() as uow:
            if self.name == "doses":
                assert await uow.doses.finish_send(
                    row_id, claimer=claimer, status=DoseStatus.SENT, message_id=1, at=at
                )
            elif self.name == "outbox":
                assert await uow.outbox.mark_sent(row_id, claimer=claimer, message_id=1, at=at)
            else:
                await uow.alerts.mark_sent([row_id], at)
            await uow.commit()

    async def refresh(self, factory, claimer: str, at: datetime) -> int:
        async with factory() as uow:
            refreshed = await self.repository(uow).refresh_claims(claimer, at)
            await uow.commit()
        return int(refreshed)

    async def claims(self, engine) -> dict[int, tuple[str, str | None, datetime | None]]:
        table = self.table
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(table.id, table.status, table.claimed_by, table.claimed_at)
            )
            return {row_id: (status, by, at) for row_id, status, by, at in rows.all()}


KINDS = [Kind("doses", DoseRow), Kind("outbox", OutboxRow), Kind("alerts", AlertRow)]


@pytest.fixture(params=KINDS, ids=[kind.name for kind in KINDS])
def kind(request: pytest.FixtureRequest) -> Kind:
    return request.param


async def test_a_live_claim_refreshed_by_its_heartbeat_is_kept_and_a_dead_ones_is_taken_over(
    engine, kind
):
    factory = uow_factory(engine)
    await kind.seed(factory)
    (live,) = await kind.claim(factory, "live", NOW)
    (dead,) = await kind.claim(factory, "dead", NOW)

    assert await kind.refresh(factory, "live", NOW + timedelta(seconds=4)) == 1
    # Older than STALE_CLAIM now, except where the heartbeat moved it.
    later = NOW + STALE_CLAIM + timedelta(seconds=1)
    assert await kind.claim(factory, "taker", later) == [dead]

    claims = await kind.claims(engine)
    assert claims[live][1:] == ("live", NOW + timedelta(seconds=4))
    assert claims[dead][1:] == ("taker", later)
    assert await kind.claim(factory, "taker", later) == []  # the live claim stays its own


async def test_the_heartbeat_moves_only_this_claimers_rows_still_being_sent(engine, kind):
    factory = uow_factory(engine)
    await kind.seed(factory)
    (done,) = await kind.claim(factory, "me", NOW)
    await kind.finish(factory, done, "me", NOW)
    (flying,) = await kind.claim(factory, "me", NOW)

    assert await kind.refresh(factory, "me", NOW + timedelta(seconds=2)) == 1
    assert await kind.refresh(factory, "someone else", NOW + timedelta(seconds=3)) == 0

    claims = await kind.claims(engine)
    assert claims[done] == ("sent", "me", NOW)  # when it was claimed for its send, kept
    assert claims[flying] == ("sending", "me", NOW + timedelta(seconds=2))


async def test_the_oldest_claim_is_the_first_that_may_go_stale(engine, kind):
    factory = uow_factory(engine)
    await kind.seed(factory)
    async with factory() as uow:
        assert await kind.repository(uow).oldest_claim_at() is None
    await kind.claim(factory, "a", NOW)
    await kind.claim(factory, "b", NOW + timedelta(seconds=1))
    await kind.refresh(factory, "a", NOW + timedelta(seconds=2))
    async with factory() as uow:
        assert await kind.repository(uow).oldest_claim_at() == NOW + timedelta(seconds=1)


async def test_the_heartbeat_skips_a_row_being_finished_rather_than_wait_for_it(
    impatient_postgres,
):
    """PostgreSQL: a send being recorded holds its row; the heartbeat must not wait for it
    (here: fails after 2 s), nor ever deadlock with a batch of sends being recorded."""
    kind = KINDS[0]
    factory = uow_factory(impatient_postgres)
    await kind.seed(factory)
    (held,) = await kind.claim(factory, "me", NOW)
    (free,) = await kind.claim(factory, "me", NOW)
    async with factory() as recording:
        assert await recording.doses.finish_send(
            held, claimer="me", status=DoseStatus.SENT, message_id=1, at=NOW
        )
        assert await kind.refresh(factory, "me", NOW + timedelta(seconds=2)) == 1
        await recording.commit()

    claims = await kind.claims(impatient_postgres)
    assert claims[held] == ("sent", "me", NOW)
    assert claims[free] == ("sending", "me", NOW + timedelta(seconds=2))
