"""The use cases wired to a real SQL database and fake clock, alarm and messenger, with the
settings' defaults, so a test reads as a story."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.domain.journal import parse_log
from bot.domain.knowledge import DrugInfo, Fact, KnowledgeBase, Topic
from bot.domain.model import DoseAnswer, Medication, MedicationStatus, Patient, Schedule
from bot.domain.parsing import AddRequest
from bot.domain.reminding import ReminderDefaults
from bot.domain.taper import parse_taper
from bot.services.answers import AnswerOutcome, record_dose_answer
from bot.services.journal import LogOutcome, log_entry
from bot.services.medications import (
    AddOutcome,
    Change,
    ChangeResult,
    EditOutcome,
    add_medication,
    change_medication,
    edit_medication,
    find_medication,
)
from bot.services.outbox import deliver_owed
from bot.services.patients import set_timezone
from bot.services.reminders import dispatch_due_doses, materialise_doses, sweep_unanswered
from bot.services.tapers import TaperOutcome, announce_taper_steps, set_taper
from tests.fakes import ManualClock, RecordingAlarm, RecordingMessenger
from tests.services.store import SqlStore

# A Monday; 08:00 UTC is one minute away.
START = datetime(2026, 3, 2, 7, 59, tzinfo=UTC)
DEFAULT_ZONE = "UTC"
NAG_AFTER = timedelta(minutes=15)
MISSED_AFTER = timedelta(minutes=60)
SNOOZE = timedelta(minutes=10)
DEFAULTS = ReminderDefaults(repeat_every=NAG_AFTER, missed_after=MISSED_AFTER)
ALICE = 1001
BOB = 2002


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def small_knowledge_base() -> KnowledgeBase:
    """Baclofen (withdrawal risk, sedating) and nothing else: enough for the rules."""
    fact = Fact("Do not stop it suddenly.", "test source")
    baclofen = DrugInfo(
        key="baclofen",
        display_name="Baclofen",
        names=("baclofen", "lioresal"),
        withdrawal_risk=True,
        sedating=True,
        withdrawal_symptoms=("anxiety", "hallucinations", "seizures"),
        topics=dict.fromkeys(Topic, (fact,)),
    )
    return KnowledgeBase({"baclofen": baclofen}, dict.fromkeys(Topic, (fact,)), {})


class Harness:
    """A database, a clock, an alarm and a messenger, and the use cases called with them."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.clock = ManualClock(START)
        self.alarm = RecordingAlarm()
        self.messenger = RecordingMessenger()
        self.kb = small_knowledge_base()

    # Setting the scene.

    def patient(self, chat_id: int = ALICE, timezone: str | None = None) -> Patient:
        return self.store.add_patient(chat_id=chat_id, timezone=timezone)

    def medication(
        self,
        patient: Patient,
        *times: time,
        name: str = "Baclofen",
        status: MedicationStatus = MedicationStatus.ACTIVE,
    ) -> Medication:
        return self.store.add_medication(
            patient, name=name, times=times or (time(8, 0),), status=status
        )

    # The use cases.

    async def materialise(self, patient_id: int | None = None) -> int:
        return await materialise_doses(
            self.store.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            default_zone=DEFAULT_ZONE,
            patient_id=patient_id,
        )

    async def dispatch(
        self,
        claimer: str = "dispatcher-1",
        *,
        lookahead: timedelta = timedelta(0),
        per_second: float | None = None,
    ) -> int:
        return await dispatch_due_doses(
            self.store.uow_factory,
            clock=self.clock,
            messenger=self.messenger,
            default_zone=DEFAULT_ZONE,
            claimer=claimer,
            defaults=DEFAULTS,
            lookahead=lookahead,
            per_second=per_second,
        )

    async def _ring(self, armed_before: int) -> None:
        # As the bot's alarm: a use case that armed it for now has its owed messages sent.
        new = self.alarm.armed[armed_before:]
        if new and min(new) <= self.clock.now():
            await self.deliver()

    async def answer(self, dose_id: int, answer: DoseAnswer, chat_id: int = ALICE) -> AnswerOutcome:
        armed = len(self.alarm.armed)
        outcome = await record_dose_answer(
            self.store.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            chat_id=chat_id,
            dose_id=dose_id,
            answer=answer,
            snooze=SNOOZE,
            kb=self.kb,
            default_zone=DEFAULT_ZONE,
        )
        await self._ring(armed)
        return outcome

    async def sweep(self) -> tuple[int, int]:
        armed = len(self.alarm.armed)
        counts = await sweep_unanswered(
            self.store.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            kb=self.kb,
            defaults=DEFAULTS,
            default_zone=DEFAULT_ZONE,
        )
        await self._ring(armed)
        return counts

    async def add(self, request: AddRequest, chat_id: int = ALICE) -> AddOutcome:
        return await add_medication(
            self.store.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            chat_id=chat_id,
            language="en",
            request=request,
            default_zone=DEFAULT_ZONE,
        )

    async def edit(
        self,
        medication_id: int,
        *,
        dose: str | None = None,
        schedule: Schedule | None = None,
        chat_id: int = ALICE,
        resume: bool = False,
    ) -> EditOutcome:
        return await edit_medication(
            self.store.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            chat_id=chat_id,
            medication_id=medication_id,
            dose=dose,
            schedule=schedule,
            default_zone=DEFAULT_ZONE,
            resume=resume,
        )

    async def pause(
        self, name: str, *, paused: bool = True, chat_id: int = ALICE
    ) -> tuple[ChangeResult, Medication | None]:
        return await self.change(name, Change.PAUSE if paused else Change.RESUME, chat_id)

    async def change(
        self, name: str, change: Change, chat_id: int = ALICE
    ) -> tuple[ChangeResult, Medication | None]:
        medication, _ = await find_medication(
            self.store.uow_factory, kb=self.kb, chat_id=chat_id, name=name
        )
        if medication is None:
            return ChangeResult.NOT_FOUND, None
        return await change_medication(
            self.store.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            kb=self.kb,
            chat_id=chat_id,
            medication_id=medication.id,
            change=change,
            default_zone=DEFAULT_ZONE,
        )

    async def log(self, text: str, chat_id: int = ALICE, *, emergency: bool = False) -> LogOutcome:
        return await log_entry(
            self.store.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            kb=self.kb,
            chat_id=chat_id,
            language="en",
            entry=parse_log(text, [m.name for m in self.store.medications()]),
            emergency=emergency,
            default_zone=DEFAULT_ZONE,
        )

    async def taper(
        self, text: str, chat_id: int = ALICE, *, confirmed: bool = False
    ) -> TaperOutcome:
        return await set_taper(
            self.store.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            chat_id=chat_id,
            request=parse_taper(text),
            default_zone=DEFAULT_ZONE,
            confirmed=confirmed,
        )

    async def announce_tapers(self) -> int:
        armed = len(self.alarm.armed)
        announced = await announce_taper_steps(
            self.store.uow_factory, clock=self.clock, alarm=self.alarm, default_zone=DEFAULT_ZONE
        )
        await self._ring(armed)
        return announced

    async def deliver(self, claimer: str = "dispatcher-1") -> int:
        """Send what is owed and due (notices, repeats, status edits), as the alarm does at
        once after a use case that owes something."""
        return await deliver_owed(
            self.store.uow_factory,
            clock=self.clock,
            messenger=self.messenger,
            default_zone=DEFAULT_ZONE,
            claimer=claimer,
        )

    async def set_zone(self, zone_name: str, chat_id: int = ALICE) -> str:
        change = await set_timezone(
            self.store.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            chat_id=chat_id,
            language="en",
            zone_name=zone_name,
            default_zone=DEFAULT_ZONE,
        )
        return change.zone
