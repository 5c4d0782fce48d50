"""The weekly summary: owed on Sunday at 19:00 in each recipient's zone (the patient, and each
caregiver who asked for it), at most once a week, and counted when it is sent."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.domain.adherence import adherence_by_medication
from bot.domain.model import SafetyEventKind
from bot.domain.outbox import summary_owed
from bot.domain.schedule import to_local, zone_named
from bot.domain.weekly import WeeklySummary, owed_week
from bot.services.ports import Alarm, Clock, UnitOfWorkFactory


async def owe_weekly_summaries(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    default_zone: str,
    ahead: timedelta,
) -> int:
    """Write the summaries due before the next look (`ahead`), each due at its Sunday 19:00;
    a week already summarised for a recipient is skipped. Returns how many were owed."""
    now = clock.now()
    due: list[datetime] = []
    async with uow_factory() as uow:
        for recipient in await uow.summaries.recipients():
            zone = recipient.zone or default_zone
            week = owed_week(now, zone_named(zone), ahead=ahead)
            if week is None or not await uow.summaries.claim_week(recipient, week.monday):
                continue  # not the time, or this week's is owed already
            owed = summary_owed(
                recipient.chat_id,
                patient_id=recipient.patient_id,
                link_id=recipient.link_id,
                zone=zone,
                start=week.start,
                end=week.end,
            )
            at = max(week.end, now)
            await uow.outbox.add(owed, due_at=at)
            due.append(at)
        await uow.commit()
    if due:
        alarm.arm(min(due))
    return len(due)


async def summary_to_send(
    uow_factory: UnitOfWorkFactory, body: dict[str, Any]
) -> WeeklySummary | None:
    """The summary an owed row stands for, counted now; None when the recipient opted out
    (or the link ended) since it was owed."""
    patient_id = int(body["patient_id"])
    link_id = None if body.get("link_id") is None else int(body["link_id"])
    start = datetime.fromisoformat(body["start"])
    end = datetime.fromisoformat(body["end"])
    async with uow_factory() as uow:
        name = await uow.summaries.still_wanted(patient_id, link_id)
        if name is None:
            return None
        doses = await uow.reports.doses_between(patient_id, start, end)
        symptoms = await uow.reports.symptoms_between(patient_id, start, end)
        events = await uow.reports.events_between(patient_id, start, end)
    last_day = to_local(end, zone_named(body["zone"])).date()
    return WeeklySummary(
        patient_name=name,
        for_caregiver=link_id is not None,
        first_day=last_day - timedelta(days=6),
        last_day=last_day,
        medications=tuple(adherence_by_medication(doses)),
        symptoms=len(symptoms),
        # Missed doses are in the adherence already.
        safety_events=sum(event.kind is not SafetyEventKind.MISSED_DOSE for event in events),
    )
