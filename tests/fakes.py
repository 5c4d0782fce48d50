"""In-memory fakes of our own ports (storage, clock, alarm, messenger) that record what happened.

The storage fakes mirror bot/db/repositories.py query by query, so a use case behaves the same
on them as on SQL. A unit of work works on a copy of the committed tables and writes back only
the rows it touched, and only on commit(): leaving without commit is a real rollback, and two
units of work that touch different rows do not overwrite each other.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from types import TracebackType
from typing import Self

from bot.domain.caregivers import CaregiverLink
from bot.domain.model import (
    Dose,
    DoseContext,
    DoseStatus,
    Medication,
    MedicationStatus,
    Patient,
    Reminder,
    SafetyEvent,
    SafetyEventKind,
    SafetyNotice,
)
from bot.domain.taper import TaperPlan
from bot.services.ports import DeliveryFailed, RecipientUnreachable

_WAITING = (DoseStatus.PENDING, DoseStatus.SNOOZED)


def _utc(instant: datetime) -> datetime:
    # The SQL column refuses naive datetimes and hands back UTC: so does the fake.
    if instant.tzinfo is None:
        raise ValueError(f"naive datetime given to a UTC column: {instant!r}")
    return instant.astimezone(UTC)


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class IntegrityError(Exception):
    """A unique key of the schema would be broken (the SQL store raises too)."""


# --------------------------------------------------------------------------- storage


@dataclass(frozen=True, slots=True)
class StoredDose:
    """A dose as stored: the domain value plus the dispatcher's claim."""

    dose: Dose
    claimed_by: str | None = None
    claimed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoredIntake:
    patient_id: int
    medication_id: int
    taken_at: datetime
    amount: str | None
    source: str
    dose_id: int | None


@dataclass(frozen=True, slots=True)
class StoredSymptom:
    patient_id: int
    text: str
    severity: str | None
    red_flag: bool
    noted_at: datetime


@dataclass(frozen=True, slots=True)
class StoredTaper:
    plan: TaperPlan
    announced_step: int = 0
    end_asked_at: datetime | None = None


@dataclass(slots=True)
class _Tables:
    patients: dict[int, Patient] = field(default_factory=dict)
    medications: dict[int, Medication] = field(default_factory=dict)
    doses: dict[int, StoredDose] = field(default_factory=dict)
    intakes: dict[int, StoredIntake] = field(default_factory=dict)
    symptoms: dict[int, StoredSymptom] = field(default_factory=dict)
    events: dict[int, SafetyEvent] = field(default_factory=dict)
    tapers: dict[int, StoredTaper] = field(default_factory=dict)  # by medication id
    links: dict[int, CaregiverLink] = field(default_factory=dict)
    alerts: dict[int, tuple[int, int, SafetyEventKind]] = field(default_factory=dict)

    def copy(self) -> _Tables:
        # Values are frozen dataclasses: copying the dicts is a full snapshot.
        return _Tables(
            dict(self.patients),
            dict(self.medications),
            dict(self.doses),
            dict(self.intakes),
            dict(self.symptoms),
            dict(self.events),
            dict(self.tapers),
            dict(self.links),
            dict(self.alerts),
        )

    def table(self, name: str) -> dict[int, object]:
        return getattr(self, name)  # type: ignore[no-any-return]


class FakeStore:
    """The committed data every unit of work shares, with seeding and inspection helpers."""

    def __init__(self) -> None:
        self.committed = _Tables()
        self.commits = 0
        self.rollbacks = 0
        # One sequence for every table: an id passed as the wrong kind never finds a row.
        self._ids = itertools.count(1)

    def next_id(self) -> int:
        return next(self._ids)

    def uow_factory(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)

    # Seeding: straight into the committed tables, as if an earlier use case had run.

    def add_patient(
        self, *, chat_id: int, timezone: str | None = None, language: str = "en"
    ) -> Patient:
        if any(p.chat_id == chat_id for p in self.committed.patients.values()):
            raise IntegrityError(f"chat {chat_id} already has a patient")
        patient = Patient(self.next_id(), chat_id, timezone, language)
        self.committed.patients[patient.id] = patient
        return patient

    def add_medication(
        self,
        patient: Patient,
        *,
        name: str = "Baclofen",
        dose: str = "5 mg",
        times: Iterable[time] = (time(8, 0),),
        status: MedicationStatus = MedicationStatus.ACTIVE,
    ) -> Medication:
        medication = Medication(
            self.next_id(), patient.id, name, dose, status, tuple(sorted(times))
        )
        self.committed.medications[medication.id] = medication
        return medication

    def add_dose(
        self,
        medication: Medication,
        scheduled_at: datetime,
        *,
        status: DoseStatus = DoseStatus.PENDING,
        **fields: object,
    ) -> Dose:
        """A dose row; `fields` sets any other Dose field (due_at defaults to scheduled_at)."""
        scheduled_at = _utc(scheduled_at)
        values: dict[str, object] = {"due_at": scheduled_at, **fields}
        dose = Dose(
            id=self.next_id(),
            medication_id=medication.id,
            patient_id=medication.patient_id,
            scheduled_at=scheduled_at,
            status=status,
            **values,  # type: ignore[arg-type]
        )
        self.committed.doses[dose.id] = StoredDose(dose)
        return dose

    # Inspection of what was committed.

    def patient(self, chat_id: int) -> Patient | None:
        return next((p for p in self.committed.patients.values() if p.chat_id == chat_id), None)

    def medications(self, patient_id: int | None = None) -> list[Medication]:
        return [
            m
            for m in self.committed.medications.values()
            if patient_id is None or m.patient_id == patient_id
        ]

    def dose(self, dose_id: int) -> Dose:
        return self.committed.doses[dose_id].dose

    def doses(
        self, *, medication_id: int | None = None, status: DoseStatus | None = None
    ) -> list[Dose]:
        """Committed doses, ordered by due time."""
        found = [
            row.dose
            for row in self.committed.doses.values()
            if (medication_id is None or row.dose.medication_id == medication_id)
            and (status is None or row.dose.status is status)
        ]
        return sorted(found, key=lambda d: (d.due_at, d.id))

    def due_times(self, *, status: DoseStatus | None = None) -> list[datetime]:
        return [d.due_at for d in self.doses(status=status)]

    def events(self, kind: SafetyEventKind | None = None) -> list[SafetyEvent]:
        found = [e for e in self.committed.events.values() if kind is None or e.kind is kind]
        return sorted(found, key=lambda e: (e.occurred_at, e.id or 0))

    def intakes(self, medication_id: int | None = None) -> list[StoredIntake]:
        found = [
            i
            for i in self.committed.intakes.values()
            if medication_id is None or i.medication_id == medication_id
        ]
        return sorted(found, key=lambda i: i.taken_at)

    def symptoms(self) -> list[StoredSymptom]:
        return sorted(self.committed.symptoms.values(), key=lambda s: s.noted_at)

    def add_link(self, link: CaregiverLink) -> None:
        self.committed.links[link.id] = link

    def alerts(self) -> list[tuple[int, int, SafetyEventKind]]:
        return list(self.committed.alerts.values())

    def taper(self, medication_id: int) -> StoredTaper | None:
        return self.committed.tapers.get(medication_id)

    def claim(self, dose_id: int) -> tuple[str | None, datetime | None]:
        row = self.committed.doses[dose_id]
        return row.claimed_by, row.claimed_at


class _Session:
    """The working copy of one unit of work and the rows it has touched."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self._tables: _Tables | None = None
        self.touched: set[tuple[str, int]] = set()

    @property
    def tables(self) -> _Tables:
        if self._tables is None:
            raise RuntimeError("repository used outside `async with uow`")
        return self._tables

    def begin(self) -> None:
        self._tables = self.store.committed.copy()
        self.touched.clear()

    def end(self) -> None:
        if self.touched:
            self.store.rollbacks += 1
        self._tables = None
        self.touched.clear()

    def write(self, table: str, row_id: int, value: object) -> None:
        self.tables.table(table)[row_id] = value
        self.touched.add((table, row_id))

    def delete(self, table: str, row_id: int) -> None:
        del self.tables.table(table)[row_id]
        self.touched.add((table, row_id))

    def apply(self) -> None:
        committed, working = self.store.committed, self.tables
        for table, row_id in self.touched:
            if row_id in working.table(table):
                committed.table(table)[row_id] = working.table(table)[row_id]
            else:
                committed.table(table).pop(row_id, None)
        self.touched.clear()
        self.store.commits += 1

    def context(self, row: StoredDose) -> DoseContext | None:
        # Inner joins: a dose without its medication or patient is not returned.
        medication = self.tables.medications.get(row.dose.medication_id)
        patient = self.tables.patients.get(row.dose.patient_id)
        if medication is None or patient is None:
            return None
        return DoseContext(row.dose, medication, patient)

    def contexts(self, rows: Iterable[StoredDose]) -> list[DoseContext]:
        ordered = sorted(rows, key=lambda r: (r.dose.due_at, r.dose.id))
        return [c for c in (self.context(row) for row in ordered) if c is not None]


class FakePatients:
    def __init__(self, session: _Session) -> None:
        self._s = session

    async def by_chat(self, chat_id: int) -> Patient | None:
        return next((p for p in self._s.tables.patients.values() if p.chat_id == chat_id), None)

    async def add(
        self, *, chat_id: int, language: str, timezone: str | None, name: str = ""
    ) -> Patient:
        if await self.by_chat(chat_id) is not None:
            raise IntegrityError(f"chat {chat_id} already has a patient")
        patient = Patient(self._s.store.next_id(), chat_id, timezone, language, name)
        self._s.write("patients", patient.id, patient)
        return patient

    async def set_name(self, patient_id: int, name: str) -> None:
        patient = self._s.tables.patients.get(patient_id)
        if patient is not None:
            self._s.write("patients", patient_id, replace(patient, name=name))

    async def set_timezone(self, patient_id: int, timezone: str) -> None:
        patient = self._s.tables.patients.get(patient_id)
        if patient is not None:
            self._s.write("patients", patient_id, replace(patient, timezone=timezone))


class FakeMedications:
    def __init__(self, session: _Session) -> None:
        self._s = session

    async def add(
        self, *, patient_id: int, name: str, dose: str, times: Sequence[time]
    ) -> Medication:
        # The SQL store keys on name.casefold() (unique per patient) and on each time of day.
        if any(
            m.patient_id == patient_id and m.name.casefold() == name.casefold()
            for m in self._s.tables.medications.values()
        ):
            raise IntegrityError(f"patient {patient_id} already has {name!r}")
        if len(set(times)) != len(times):
            raise IntegrityError("the same time of day twice")
        medication = Medication(
            self._s.store.next_id(),
            patient_id,
            name,
            dose,
            MedicationStatus.ACTIVE,
            tuple(sorted(times)),
        )
        self._s.write("medications", medication.id, medication)
        return medication

    async def of_patient(self, patient_id: int) -> list[Medication]:
        mine = [m for m in self._s.tables.medications.values() if m.patient_id == patient_id]
        return sorted(mine, key=lambda m: m.name.casefold())

    async def by_name(self, patient_id: int, name: str) -> Medication | None:
        key = _name_key(name)
        return next(
            (
                m
                for m in self._s.tables.medications.values()
                if m.patient_id == patient_id and m.name.casefold() == key
            ),
            None,
        )

    async def by_id(self, patient_id: int, medication_id: int) -> Medication | None:
        medication = self._s.tables.medications.get(medication_id)
        return medication if medication and medication.patient_id == patient_id else None

    async def set_dose(self, medication_id: int, dose: str) -> None:
        medication = self._s.tables.medications.get(medication_id)
        if medication is not None:
            self._s.write("medications", medication_id, replace(medication, dose=dose))

    async def set_status(self, medication_id: int, status: MedicationStatus) -> None:
        medication = self._s.tables.medications.get(medication_id)
        if medication is not None:
            self._s.write("medications", medication_id, replace(medication, status=status))

    async def active(self, patient_id: int | None = None) -> list[tuple[Medication, Patient]]:
        tables = self._s.tables
        return [
            (m, tables.patients[m.patient_id])
            for m in tables.medications.values()
            if m.status is MedicationStatus.ACTIVE
            and (patient_id is None or m.patient_id == patient_id)
            and m.patient_id in tables.patients
        ]


class FakeDoses:
    def __init__(self, session: _Session) -> None:
        self._s = session

    @property
    def _rows(self) -> dict[int, StoredDose]:
        return self._s.tables.doses

    def _put(self, row: StoredDose) -> None:
        self._s.write("doses", row.dose.id, row)

    async def add_missing(
        self,
        medication: Medication,
        instants: Sequence[datetime],
        amounts: Sequence[str | None] | None = None,
    ) -> int:
        wanted = [_utc(at) for at in instants]
        amount_at = dict(zip(wanted, amounts or [None] * len(wanted), strict=True))
        existing = {
            row.dose.scheduled_at
            for row in self._rows.values()
            if row.dose.medication_id == medication.id
        }
        new = [at for at in wanted if at not in existing]
        for at in dict.fromkeys(new):  # ON CONFLICT DO NOTHING keeps one row per instant
            dose = Dose(
                id=self._s.store.next_id(),
                medication_id=medication.id,
                patient_id=medication.patient_id,
                scheduled_at=at,
                due_at=at,
                status=DoseStatus.PENDING,
                amount=amount_at[at],
            )
            self._put(StoredDose(dose))
        return len(new)

    async def settled_statuses(self, medication_id: int, *, limit: int) -> list[DoseStatus]:
        settled = (DoseStatus.TAKEN, DoseStatus.SKIPPED, DoseStatus.MISSED)
        rows = sorted(
            (
                r.dose
                for r in self._rows.values()
                if r.dose.medication_id == medication_id and r.dose.status in settled
            ),
            key=lambda d: d.scheduled_at,
        )
        return [d.status for d in rows[-limit:]]

    async def open_near(
        self, medication_id: int, at: datetime, *, window: timedelta
    ) -> DoseContext | None:
        unanswered = (
            DoseStatus.PENDING,
            DoseStatus.SENDING,
            DoseStatus.SENT,
            DoseStatus.SNOOZED,
            DoseStatus.MISSED,
        )
        candidates = self._s.contexts(
            r
            for r in self._rows.values()
            if r.dose.medication_id == medication_id
            and r.dose.status in unanswered
            and abs(r.dose.scheduled_at - at) <= window
        )
        return min(candidates, key=lambda c: abs(c.dose.scheduled_at - at), default=None)

    async def drop_unsent(
        self,
        *,
        after: datetime | None,
        medication_id: int | None = None,
        patient_id: int | None = None,
        include_snoozed: bool = False,
    ) -> int:
        statuses = _WAITING if include_snoozed else (DoseStatus.PENDING,)
        doomed = [
            row.dose.id
            for row in self._rows.values()
            if row.dose.status in statuses
            and (after is None or row.dose.due_at > after)
            and (medication_id is None or row.dose.medication_id == medication_id)
            and (patient_id is None or row.dose.patient_id == patient_id)
        ]
        for dose_id in doomed:
            self._s.delete("doses", dose_id)
        return len(doomed)

    async def claim_due(
        self, *, until: datetime, now: datetime, stale_before: datetime, claimer: str, limit: int
    ) -> list[DoseContext]:
        def claimable(row: StoredDose) -> bool:
            dose = row.dose
            if dose.status in _WAITING:
                return dose.due_at <= until
            return (
                dose.status is DoseStatus.SENDING
                and row.claimed_at is not None
                and row.claimed_at < stale_before
            )

        candidates = sorted(
            (row for row in self._rows.values() if claimable(row)),
            key=lambda r: (r.dose.due_at, r.dose.id),
        )[:limit]
        claimed = [
            StoredDose(replace(row.dose, status=DoseStatus.SENDING), claimer, _utc(now))
            for row in candidates
        ]
        for row in claimed:
            self._put(row)
        return self._s.contexts(claimed)

    async def next_due_at(self) -> datetime | None:
        waiting = [row.dose.due_at for row in self._rows.values() if row.dose.status in _WAITING]
        return min(waiting, default=None)

    async def context(self, dose_id: int) -> DoseContext | None:
        row = self._rows.get(dose_id)
        return self._s.context(row) if row is not None else None

    async def finish_send(
        self,
        dose_id: int,
        *,
        claimer: str,
        status: DoseStatus,
        message_id: int | None,
        at: datetime,
    ) -> bool:
        # UPDATE ... WHERE id = :id AND status = 'sending' AND claimed_by = :claimer.
        row = self._rows.get(dose_id)
        if row is None or row.dose.status is not DoseStatus.SENDING or row.claimed_by != claimer:
            return False
        stored = replace(
            row.dose,
            status=status,
            message_id=message_id if message_id is not None else row.dose.message_id,
            reminded_at=row.dose.reminded_at or _utc(at),
        )
        self._put(replace(row, dose=stored))
        return True

    async def save(self, dose: Dose, *, was: DoseStatus) -> bool:
        # UPDATE ... WHERE id = :id AND status = :was, of the answerable columns only.
        row = self._rows.get(dose.id)
        if row is None or row.dose.status is not was:
            return False
        stored = replace(
            row.dose,
            status=dose.status,
            due_at=_utc(dose.due_at),
            reminded_at=_utc(dose.reminded_at) if dose.reminded_at else None,
            nagged=dose.nagged,
            message_id=dose.message_id,
            answered_at=_utc(dose.answered_at) if dose.answered_at else None,
        )
        self._put(replace(row, dose=stored))
        return True

    async def claim_nags(self, *, reminded_before: datetime, limit: int) -> list[DoseContext]:
        candidates = sorted(
            (
                row
                for row in self._rows.values()
                if row.dose.status is DoseStatus.SENT
                and not row.dose.nagged
                and row.dose.reminded_at is not None
                and row.dose.reminded_at <= reminded_before
            ),
            key=lambda r: (r.dose.reminded_at, r.dose.id),
        )[:limit]
        nagged = [replace(row, dose=replace(row.dose, nagged=True)) for row in candidates]
        for row in nagged:
            self._put(row)
        return self._s.contexts(nagged)

    async def unanswered_since(self, *, reminded_before: datetime) -> list[DoseContext]:
        return self._s.contexts(
            row
            for row in self._rows.values()
            if row.dose.status in (DoseStatus.SENT, DoseStatus.UNDELIVERABLE)
            and row.dose.reminded_at is not None
            and row.dose.reminded_at <= reminded_before
        )

    async def of_patient_between(
        self, patient_id: int, start: datetime, end: datetime
    ) -> list[DoseContext]:
        return self._s.contexts(
            row
            for row in self._rows.values()
            if row.dose.patient_id == patient_id and start <= row.dose.scheduled_at < end
        )


class FakeIntakes:
    def __init__(self, session: _Session) -> None:
        self._s = session

    async def add(
        self,
        *,
        patient_id: int,
        medication_id: int,
        taken_at: datetime,
        amount: str | None,
        source: str,
        dose_id: int | None = None,
    ) -> None:
        intake = StoredIntake(patient_id, medication_id, _utc(taken_at), amount, source, dose_id)
        self._s.write("intakes", self._s.store.next_id(), intake)

    async def taken_between(
        self, medication_id: int, start: datetime, end: datetime
    ) -> list[datetime]:
        return sorted(
            i.taken_at
            for i in self._s.tables.intakes.values()
            if i.medication_id == medication_id and start <= i.taken_at < end
        )

    async def last_before(self, medication_id: int, before: datetime) -> datetime | None:
        earlier = [
            i.taken_at
            for i in self._s.tables.intakes.values()
            if i.medication_id == medication_id and i.taken_at < before
        ]
        return max(earlier, default=None)


class FakeSymptoms:
    def __init__(self, session: _Session) -> None:
        self._s = session

    async def add(
        self,
        *,
        patient_id: int,
        text: str,
        severity: str | None,
        red_flag: bool,
        noted_at: datetime,
    ) -> None:
        symptom = StoredSymptom(patient_id, text, severity, red_flag, _utc(noted_at))
        self._s.write("symptoms", self._s.store.next_id(), symptom)


class FakeEvents:
    def __init__(self, session: _Session) -> None:
        self._s = session

    async def add(self, event: SafetyEvent) -> SafetyEvent:
        stored = replace(event, id=self._s.store.next_id(), occurred_at=_utc(event.occurred_at))
        self._s.write("events", stored.id or 0, stored)
        return stored

    async def of_patient(self, patient_id: int) -> list[SafetyEvent]:
        mine = [e for e in self._s.tables.events.values() if e.patient_id == patient_id]
        return sorted(mine, key=lambda e: (e.occurred_at, e.id or 0))


class FakeTapers:
    def __init__(self, session: _Session) -> None:
        self._s = session

    async def put(self, medication_id: int, plan: TaperPlan, *, created_at: datetime) -> None:
        self._s.write("tapers", medication_id, StoredTaper(plan))

    async def of_medication(self, medication_id: int) -> TaperPlan | None:
        stored = self._s.tables.tapers.get(medication_id)
        return stored.plan if stored else None

    async def active(self) -> list[tuple[TaperPlan, int, bool, Medication, Patient]]:
        tables = self._s.tables
        found = []
        for medication_id, stored in tables.tapers.items():
            medication = tables.medications.get(medication_id)
            if medication is None or medication.status is not MedicationStatus.ACTIVE:
                continue
            patient = tables.patients[medication.patient_id]
            asked = stored.end_asked_at is not None
            found.append((stored.plan, stored.announced_step, asked, medication, patient))
        return found

    async def announce(self, medication_id: int, step: int) -> bool:
        stored = self._s.tables.tapers.get(medication_id)
        if stored is None or stored.announced_step >= step:
            return False
        self._s.write("tapers", medication_id, replace(stored, announced_step=step))
        return True

    async def ask_end(self, medication_id: int, at: datetime) -> bool:
        stored = self._s.tables.tapers.get(medication_id)
        if stored is None or stored.end_asked_at is not None:
            return False
        self._s.write("tapers", medication_id, replace(stored, end_asked_at=_utc(at)))
        return True

    async def remove(self, medication_id: int) -> None:
        if medication_id in self._s.tables.tapers:
            self._s.delete("tapers", medication_id)


class FakeLinks:
    """Only what the safety use cases need: who follows a patient (caregiver use cases are
    tested on the real databases)."""

    def __init__(self, session: _Session) -> None:
        self._s = session

    async def of_patient(self, patient_id: int) -> list[CaregiverLink]:
        return [link for link in self._s.tables.links.values() if link.patient_id == patient_id]


class FakeAlerts:
    def __init__(self, session: _Session) -> None:
        self._s = session

    async def add(
        self, *, link_id: int, event_id: int, kind: SafetyEventKind, due_at: datetime
    ) -> None:
        self._s.write("alerts", self._s.store.next_id(), (link_id, event_id, kind))


class FakeUnitOfWork:
    """One transaction over a FakeStore: rolled back on exit unless `commit()` was called."""

    def __init__(self, store: FakeStore) -> None:
        self._session = _Session(store)
        self.patients = FakePatients(self._session)
        self.medications = FakeMedications(self._session)
        self.doses = FakeDoses(self._session)
        self.intakes = FakeIntakes(self._session)
        self.symptoms = FakeSymptoms(self._session)
        self.events = FakeEvents(self._session)
        self.tapers = FakeTapers(self._session)
        self.links = FakeLinks(self._session)
        self.alerts = FakeAlerts(self._session)
        self.committed = False

    async def __aenter__(self) -> Self:
        self._session.begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._session.end()

    async def commit(self) -> None:
        self._session.apply()
        self.committed = True


# --------------------------------------------------------------------------- time


class ManualClock:
    """A clock that moves only when the test says so."""

    def __init__(self, start: datetime) -> None:
        self._now = _utc(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now

    def set(self, instant: datetime) -> None:
        self._now = _utc(instant)


class RecordingAlarm:
    """Records every instant the dispatcher was asked to wake at."""

    def __init__(self) -> None:
        self.armed: list[datetime] = []

    def arm(self, at: datetime) -> None:
        self.armed.append(at)

    @property
    def last(self) -> datetime | None:
        return self.armed[-1] if self.armed else None


# --------------------------------------------------------------------------- messenger


@dataclass(frozen=True, slots=True)
class SentReminder:
    reminder: Reminder
    message_id: int


@dataclass(frozen=True, slots=True)
class ShownStatus:
    reminder: Reminder
    message_id: int
    status: DoseStatus


class RecordingMessenger:
    """Records every reminder delivered and every status shown; can be told to fail sends."""

    def __init__(self, first_message_id: int = 5001) -> None:
        self.sent: list[SentReminder] = []
        self.failed: list[tuple[Reminder, Exception]] = []
        self.shown: list[ShownStatus] = []
        self.notices: list[tuple[int, SafetyNotice]] = []
        # Runs inside send_reminder before it returns: what happens while a send is in flight.
        self.during_send: Callable[[Reminder], Awaitable[None]] | None = None
        self._message_ids = itertools.count(first_message_id)
        self._failures: dict[int, list[type[Exception]]] = {}

    def fail_next(
        self,
        chat_id: int,
        times: int = 1,
        error: type[DeliveryFailed | RecipientUnreachable] = DeliveryFailed,
    ) -> None:
        self._failures.setdefault(chat_id, []).extend([error] * times)

    async def send_reminder(self, reminder: Reminder) -> int:
        failures = self._failures.get(reminder.chat_id)
        if failures:
            error = failures.pop(0)(f"chat {reminder.chat_id}")
            self.failed.append((reminder, error))
            raise error
        if self.during_send is not None:
            await self.during_send(reminder)
        message_id = next(self._message_ids)
        self.sent.append(SentReminder(reminder, message_id))
        return message_id

    async def show_dose_status(
        self, reminder: Reminder, message_id: int, status: DoseStatus
    ) -> None:
        self.shown.append(ShownStatus(reminder, message_id, status))

    # Assertion helpers.

    async def send_notice(self, chat_id: int, notice: SafetyNotice) -> None:
        self.notices.append((chat_id, notice))

    def notices_for(self, chat_id: int) -> list[SafetyNotice]:
        return [notice for chat, notice in self.notices if chat == chat_id]

    def reminders_for(self, chat_id: int) -> list[Reminder]:
        return [s.reminder for s in self.sent if s.reminder.chat_id == chat_id]

    def reminders_of(self, dose_id: int) -> list[Reminder]:
        return [s.reminder for s in self.sent if s.reminder.dose_id == dose_id]

    def sent_dose_ids(self) -> list[int]:
        return [s.reminder.dose_id for s in self.sent]

    def message_id_of_last(self, dose_id: int) -> int:
        return [s.message_id for s in self.sent if s.reminder.dose_id == dose_id][-1]

    def statuses_for(self, chat_id: int) -> list[ShownStatus]:
        return [s for s in self.shown if s.reminder.chat_id == chat_id]
