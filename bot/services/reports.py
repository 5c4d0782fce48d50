"""/report: a patient's adherence for the last 7 or 30 days, for them or an active caregiver."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.adherence import Adherence, adherence_by_medication, taken_share_by_day
from bot.domain.caregivers import LinkStatus
from bot.domain.schedule import local_day_bounds, to_local, zone_named
from bot.services.ports import Clock, UnitOfWorkFactory

REPORT_DAYS = (7, 30)


class ReportResult(StrEnum):
    READY = "ready"
    NOT_FOLLOWED = "not_followed"  # no active link to a patient of that name or number
    NO_PATIENT = "no_patient"


@dataclass(frozen=True, slots=True)
class Report:
    result: ReportResult
    patient_name: str = ""
    days: int = 7
    first_day: date | None = None
    last_day: date | None = None
    medications: tuple[Adherence, ...] = ()
    daily: dict[date, float] | None = None


async def adherence_report(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    chat_id: int,
    days: int,
    patient: str = "",
    default_zone: str,
) -> Report:
    """The asker's own report, or, with `patient`, that of a patient they follow now.

    A caregiver's access is checked on every request: it ends the moment the link does.
    """
    async with uow_factory() as uow:
        if patient:
            links = [
                link
                for link in await uow.links.of_caregiver(chat_id)
                if link.status is LinkStatus.ACTIVE
            ]
            chosen = [
                link
                for number, link in enumerate(links, start=1)
                if patient == str(number) or patient.casefold() == link.patient_name.casefold()
            ]
            if len(chosen) != 1:
                return Report(ReportResult.NOT_FOLLOWED)
            subject = await uow.patients.by_chat(chosen[0].patient_chat_id)
        else:
            subject = await uow.patients.by_chat(chat_id)
        if subject is None:
            return Report(ReportResult.NO_PATIENT)
        zone = zone_named(subject.timezone or default_zone)
        today = to_local(clock.now(), zone).date()
        first_day = today - timedelta(days=days - 1)
        start = local_day_bounds(clock.now() - timedelta(days=days - 1), zone)[0]
        doses = await uow.doses.of_patient_between(subject.id, start, clock.now())
    settled = [(c.medication.name, c.dose.status) for c in doses]
    by_day = [(to_local(c.dose.scheduled_at, zone).date(), c.dose.status) for c in doses]
    return Report(
        ReportResult.READY,
        patient_name=subject.name,
        days=days,
        first_day=first_day,
        last_day=today,
        medications=tuple(adherence_by_medication(settled)),
        daily=taken_share_by_day(by_day),
    )
