"""/settings: how a patient's reminders repeat, the heads-up before a dose, the weekly summary,
and, for a caregiver, after how long a missed dose alerts them and a weekly summary of each
patient they follow."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.caregivers import CaregiverLink, LinkStatus
from bot.domain.model import Patient, ReminderPrefs
from bot.domain.reminding import (
    HEADS_UP_CHOICES,
    MISSED_ALERT_DELAYS,
    REPEAT_COUNTS,
    REPEAT_INTERVALS,
    ReminderDefaults,
    ReminderTiming,
    timing_for,
)
from bot.domain.schedule import zone_named
from bot.domain.weekly import passed_week
from bot.services.patients import register_patient
from bot.services.ports import Alarm, Clock, UnitOfWork, UnitOfWorkFactory
from bot.services.reminders import write_upcoming_doses


class Setting(StrEnum):
    REPEATS = "r"
    REPEAT_EVERY = "e"
    HEADS_UP = "h"
    MISSED_ALERT_DELAY = "d"  # a caregiver's, for one link
    WEEKLY = "w"  # 1 on, 0 off: the patient's own, or a caregiver's for one link


@dataclass(frozen=True, slots=True)
class SettingsView:
    timing: ReminderTiming
    following: tuple[CaregiverLink, ...]  # the patients this chat follows as a caregiver
    weekly: bool = False  # the patient's own weekly summary
    weekly_links: frozenset[int] = frozenset()  # followed patients summarised weekly


async def settings_of(
    uow_factory: UnitOfWorkFactory, *, chat_id: int, language: str, defaults: ReminderDefaults
) -> SettingsView:
    patient = await register_patient(uow_factory, chat_id=chat_id, language=language)
    async with uow_factory() as uow:
        links = await uow.links.of_caregiver(chat_id)
        weekly = await uow.summaries.patient_opted_in(patient.id)
        weekly_links = await uow.summaries.links_opted_in(chat_id)
    active = tuple(link for link in links if link.status is LinkStatus.ACTIVE)
    return SettingsView(timing_for(patient.prefs, defaults), active, weekly, weekly_links)


async def choose(
    uow_factory: UnitOfWorkFactory,
    *,
    clock: Clock,
    alarm: Alarm,
    chat_id: int,
    language: str,
    setting: Setting,
    minutes: int,
    link_id: int | None,
    defaults: ReminderDefaults,
    default_zone: str,
) -> SettingsView | None:
    """Apply one choice from the buttons; None when it is not one the buttons offer (the data
    came from a client, which is not trusted) or the link is not this caregiver's."""
    span = timedelta(minutes=minutes)
    async with uow_factory() as uow:
        # Registered in this transaction: a refused choice leaves no patient row behind.
        patient = await uow.patients.by_chat(chat_id) or await uow.patients.add(
            chat_id=chat_id, language=language, timezone=None, name=""
        )
        if setting is Setting.WEEKLY:
            chosen = await _choose_weekly(
                uow, patient, minutes, link_id, now=clock.now(), default_zone=default_zone
            )
            if not chosen:
                return None
        elif setting is Setting.MISSED_ALERT_DELAY:
            links = {link.id: link for link in await uow.links.of_caregiver(chat_id)}
            if link_id not in links or span not in MISSED_ALERT_DELAYS:
                return None
            await uow.links.set_missed_alert_delay(link_id, span)
        else:
            prefs = _chosen(patient.prefs, setting, minutes, span)
            if prefs is None:
                return None
            await uow.patients.set_prefs(patient.id, prefs)
            if setting is Setting.HEADS_UP:
                # The doses not reminded yet are written again with the new heads-up.
                now = clock.now()
                await uow.doses.drop_unsent(after=now, patient_id=patient.id)
                await write_upcoming_doses(
                    uow, now=now, alarm=alarm, default_zone=default_zone, patient_id=patient.id
                )
        await uow.commit()
    return await settings_of(uow_factory, chat_id=chat_id, language=language, defaults=defaults)


async def _choose_weekly(
    uow: UnitOfWork,
    patient: Patient,
    value: int,
    link_id: int | None,
    *,
    now: datetime,
    default_zone: str,
) -> bool:
    """Turn a weekly summary on (1) or off (0): the patient's own, or, with a link, the one
    about a patient this chat follows now. False for anything else. The first summary is the
    next Sunday's, in the recipient's zone (a caregiver's own, else the patient's)."""
    if value not in (0, 1):
        return False
    if link_id is None:
        zone = patient.timezone or default_zone
        passed = passed_week(now, zone_named(zone))
        await uow.summaries.set_patient(patient.id, bool(value), passed=passed)
        return True
    links = await uow.links.of_caregiver(patient.chat_id)
    link = next((link for link in links if link.id == link_id), None)
    if link is None or link.status is not LinkStatus.ACTIVE:
        return False
    followed = await uow.patients.by_chat(link.patient_chat_id)
    zone = patient.timezone or (followed.timezone if followed else None) or default_zone
    passed = passed_week(now, zone_named(zone))
    await uow.summaries.set_link(link_id, bool(value), passed=passed)
    return True


def _chosen(
    prefs: ReminderPrefs, setting: Setting, minutes: int, span: timedelta
) -> ReminderPrefs | None:
    if setting is Setting.REPEATS:
        return replace(prefs, repeats=minutes) if minutes in REPEAT_COUNTS else None
    if setting is Setting.REPEAT_EVERY:
        return replace(prefs, repeat_every=span) if span in REPEAT_INTERVALS else None
    if minutes == 0:
        return replace(prefs, heads_up=None)
    return replace(prefs, heads_up=span) if span in HEADS_UP_CHOICES else None
