"""Adherence over a period: how many scheduled doses were taken, skipped or missed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.domain.model import DoseStatus

_SETTLED = (DoseStatus.TAKEN, DoseStatus.SKIPPED, DoseStatus.MISSED)


@dataclass(frozen=True, slots=True)
class Adherence:
    medication: str
    taken: int
    skipped: int
    missed: int

    @property
    def due(self) -> int:
        return self.taken + self.skipped + self.missed

    @property
    def percent(self) -> int | None:
        """Taken out of the doses that fell due; None when none did."""
        return round(100 * self.taken / self.due) if self.due else None


def adherence_by_medication(doses: Iterable[tuple[str, DoseStatus]]) -> list[Adherence]:
    """(medication, status) of each scheduled dose → counts per medication, by name.

    Doses still open (upcoming, sent, snoozed) are not counted either way.
    """
    counts: dict[str, dict[DoseStatus, int]] = {}
    for medication, status in doses:
        if status in _SETTLED:
            per = counts.setdefault(medication, dict.fromkeys(_SETTLED, 0))
            per[status] += 1
    return [
        Adherence(name, c[DoseStatus.TAKEN], c[DoseStatus.SKIPPED], c[DoseStatus.MISSED])
        for name, c in sorted(counts.items())
    ]


def taken_share_by_day(doses: Iterable[tuple[date, DoseStatus]]) -> dict[date, float]:
    """For the chart: per local day, the share of settled doses that were taken."""
    days: dict[date, list[bool]] = {}
    for day, status in doses:
        if status in _SETTLED:
            days.setdefault(day, []).append(status is DoseStatus.TAKEN)
    return {day: sum(taken) / len(taken) for day, taken in sorted(days.items())}
