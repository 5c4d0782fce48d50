"""An emergency described in any message: recorded as a safety event (so caregivers are alerted
at once), and the patient's zone returned so the reply can name the right numbers."""

from __future__ import annotations

from bot.domain.emergencies import Detection
from bot.domain.model import SafetyEvent, SafetyEventKind
from bot.services.patients import register_patient
from bot.services.ports import Clock, UnitOfWorkFactory
from bot.services.safety import record_events


async def report_emergency(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    chat_id: int,
    language: str,
    detection: Detection,
) -> str | None:
    """Record the emergencies a message describes; the patient's time zone, if set."""
    patient = await register_patient(uow_factory, chat_id=chat_id, language=language)
    detail = ", ".join(kind.value for kind in detection.emergencies)
    event = SafetyEvent(SafetyEventKind.RED_FLAG, patient.id, clock.now(), None, detail)
    async with uow_factory() as uow:
        await record_events(uow, [event])
        await uow.commit()
    return patient.timezone
