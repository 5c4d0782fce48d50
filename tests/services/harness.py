"""The use cases wired to the fakes with the settings' defaults, so a test reads as a story."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.domain.model import DoseAnswer, Medication, MedicationStatus, Patient
from bot.domain.parsing import AddRequest
from bot.services.medications import AddOutcome, ChangeResult, add_medication, set_medication_paused
from bot.services.patients import set_timezone
from bot.services.reminders import (
    AnswerOutcome,
    dispatch_due_doses,
    materialise_doses,
    record_dose_answer,
    sweep_unanswered,
)
from tests.fakes import FakeStore, ManualClock, RecordingAlarm, RecordingMessenger

# A Monday; 08:00 UTC is one minute away.
START = datetime(2026, 3, 2, 7, 59, tzinfo=UTC)
DEFAULT_ZONE = "UTC"
NAG_AFTER = timedelta(minutes=15)
MISSED_AFTER = timedelta(minutes=60)
SNOOZE = timedelta(minutes=10)
ALICE = 1001
BOB = 2002


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


class Harness:
    """A store, a clock, an alarm and a messenger, and the use cases called with them."""

    def __init__(self) -> None:
        self.store = FakeStore()
        self.clock = ManualClock(START)
        self.alarm = RecordingAlarm()
        self.messenger = RecordingMessenger()

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

    async def dispatch(self, claimer: str = "dispatcher-1") -> int:
        return await dispatch_due_doses(
            self.store.uow_factory,
            clock=self.clock,
            messenger=self.messenger,
            default_zone=DEFAULT_ZONE,
            claimer=claimer,
        )

    async def answer(self, dose_id: int, answer: DoseAnswer, chat_id: int = ALICE) -> AnswerOutcome:
        return await record_dose_answer(
            self.store.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            chat_id=chat_id,
            dose_id=dose_id,
            answer=answer,
            snooze=SNOOZE,
            default_zone=DEFAULT_ZONE,
        )

    async def sweep(self) -> tuple[int, int]:
        return await sweep_unanswered(
            self.store.uow_factory,
            clock=self.clock,
            messenger=self.messenger,
            default_zone=DEFAULT_ZONE,
            nag_after=NAG_AFTER,
            missed_after=MISSED_AFTER,
        )

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

    async def pause(
        self, name: str, *, paused: bool = True, chat_id: int = ALICE
    ) -> tuple[ChangeResult, Medication | None]:
        return await set_medication_paused(
            self.store.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            chat_id=chat_id,
            name=name,
            paused=paused,
            default_zone=DEFAULT_ZONE,
        )

    async def set_zone(self, zone_name: str, chat_id: int = ALICE) -> str:
        return await set_timezone(
            self.store.uow_factory,
            clock=self.clock,
            alarm=self.alarm,
            chat_id=chat_id,
            language="en",
            zone_name=zone_name,
            default_zone=DEFAULT_ZONE,
        )
