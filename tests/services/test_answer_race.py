"""A press that meets the bot's own bookkeeping (the send being recorded) is not lost."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.db.engine import create_engine, session_factory
from bot.db.migrate import upgrade
from bot.db.uow import SqlUnitOfWork
from bot.domain.model import DoseAnswer, DoseStatus
from bot.domain.parsing import AddRequest
from bot.services.answers import AnswerResult, record_dose_answer
from bot.services.medications import add_medication
from tests.fakes import ManualClock, RecordingAlarm
from tests.services.harness import small_knowledge_base

ALICE = 1001
START = datetime(2026, 3, 2, 7, 59, tzinfo=UTC)


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'race.db'}"
    upgrade(url)  # Alembic runs its own event loop: outside the test's
    return url


@pytest.fixture
async def store(url: str):
    engine = create_engine(url)
    sessions = session_factory(engine)
    yield lambda: SqlUnitOfWork(sessions)
    await engine.dispose()


class SendRecordedBeforeTheFirstSave:
    """A unit of work whose first save of a dose is preceded by the send being recorded in
    another transaction: exactly the instant between delivery and bookkeeping."""

    def __init__(self, factory, claimer: str) -> None:
        self.factory, self.claimer, self.raced = factory, claimer, False

    def __call__(self):
        uow = self.factory()
        race = self

        class Racing:
            async def __aenter__(self):
                inner = await uow.__aenter__()
                original = inner.doses.save

                async def save(dose, *, was):
                    if not race.raced:
                        race.raced = True
                        async with race.factory() as other:
                            await other.doses.finish_send(
                                dose.id,
                                claimer=race.claimer,
                                status=DoseStatus.SENT,
                                message_id=77,
                                at=START,
                            )
                            await other.commit()
                    return await original(dose, was=was)

                inner.doses.save = save
                return inner

            async def __aexit__(self, *exc):
                return await uow.__aexit__(*exc)

        return Racing()


@pytest.mark.parametrize("answer", [DoseAnswer.SNOOZE, DoseAnswer.SKIP, DoseAnswer.TAKEN])
async def test_a_press_while_the_send_is_recorded_is_applied_not_called_already_recorded(
    store, answer
):
    clock, kb = ManualClock(START), small_knowledge_base()
    await add_medication(
        store,
        clock=clock,
        alarm=RecordingAlarm(),
        chat_id=ALICE,
        language="en",
        request=AddRequest("Baclofen", "5 mg", (time(8, 0),)),
        default_zone="UTC",
    )
    clock.advance(timedelta(minutes=1))
    async with store() as uow:
        (claimed,) = await uow.doses.claim_due(
            until=clock.now(), now=clock.now(), stale_before=START, claimer="me", limit=10
        )
        await uow.commit()
    outcome = await record_dose_answer(
        SendRecordedBeforeTheFirstSave(store, "me"),
        clock=clock,
        alarm=RecordingAlarm(),
        chat_id=ALICE,
        dose_id=claimed.dose.id,
        answer=answer,
        snooze=timedelta(minutes=10),
        kb=kb,
        default_zone="UTC",
    )
    assert outcome.result is AnswerResult.RECORDED
    async with store() as uow:
        dose = (await uow.doses.context(claimed.dose.id)).dose
    expected = {
        DoseAnswer.SNOOZE: DoseStatus.SNOOZED,
        DoseAnswer.SKIP: DoseStatus.SKIPPED,
        DoseAnswer.TAKEN: DoseStatus.TAKEN,
    }[answer]
    assert dose.status is expected
    assert dose.message_id == 77  # the send's bookkeeping survives too
