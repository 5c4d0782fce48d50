"""A patient's full history as plain records, for /export: every dose, intake, symptom and
safety event, with the medication each is about. Instants are UTC; the export shows them in
the patient's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.model import DoseStatus, MedicationStatus


@dataclass(frozen=True, slots=True)
class MedicationLine:
    id: int
    name: str
    dose: str
    status: MedicationStatus
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DoseLine:
    id: int
    medication: str
    amount: str  # this dose's amount (a taper step's), else the medication's dose
    scheduled_at: datetime
    status: DoseStatus
    answered_at: datetime | None
    source: str  # how a taken dose was recorded ("button", "log"); "" otherwise


@dataclass(frozen=True, slots=True)
class IntakeLine:
    id: int
    medication: str
    amount: str
    taken_at: datetime
    source: str  # "button": the reminder's Taken; "log": /log or plain words
    dose_id: int | None  # the scheduled dose it settled, if any


@dataclass(frozen=True, slots=True)
class SymptomLine:
    id: int
    text: str
    severity: str | None
    red_flag: bool
    noted_at: datetime


@dataclass(frozen=True, slots=True)
class EventLine:
    id: int
    kind: str
    medication: str | None
    detail: str
    occurred_at: datetime
    dose_at: datetime | None


@dataclass(frozen=True, slots=True)
class History:
    zone: str  # the patient's zone: every time is shown in it, with its offset
    medications: tuple[MedicationLine, ...] = ()
    doses: tuple[DoseLine, ...] = ()
    intakes: tuple[IntakeLine, ...] = ()
    symptoms: tuple[SymptomLine, ...] = ()
    events: tuple[EventLine, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.medications or self.doses or self.intakes or self.symptoms or self.events)
