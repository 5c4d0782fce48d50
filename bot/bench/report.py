"""The bench's figures: one table for the terminal, the same as JSON."""

from __future__ import annotations

import math
import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

NOT_IMPLEMENTED = "n/a (not implemented)"


@dataclass(frozen=True, slots=True)
class Figure:
    key: str  # its name in the JSON
    label: str  # its name in the table
    value: float | int | str | None  # None: not measured, shown as `absent`
    unit: str = ""
    target: str = ""
    absent: str = NOT_IMPLEMENTED

    def shown(self) -> str:
        value = self.value
        if value is None:
            return self.absent
        if isinstance(value, float):
            value = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
        elif isinstance(value, int):
            value = f"{value:,}"
        return f"{value} {self.unit}".strip()


@dataclass(slots=True)
class Section:
    """One scenario's figures; `counts_ok` is false when a reminder or reply was lost or a
    reminder duplicated (the bench then exits 1)."""

    name: str
    figures: list[Figure] = field(default_factory=list)
    counts_ok: bool = True
    note: str = ""

    def add(self, *figures: Figure) -> None:
        self.figures.extend(figures)

    def as_json(self) -> dict[str, Any]:
        return {
            "counts_ok": self.counts_ok,
            "note": self.note,
            **{figure.key: figure.value for figure in self.figures},
        }


@dataclass(slots=True)
class Report:
    database: str
    sections: list[Section] = field(default_factory=list)

    @property
    def counts_ok(self) -> bool:
        return all(section.counts_ok for section in self.sections)

    def table(self) -> str:
        rows = [("scenario", "figure", self.database, "target")]
        for section in self.sections:
            for index, figure in enumerate(section.figures):
                name = section.name if index == 0 else ""
                rows.append((name, figure.label, figure.shown(), figure.target))
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        notes = [f"{section.name}: {section.note}" for section in self.sections if section.note]
        verdict = "counts: all right" if self.counts_ok else "counts: WRONG (see above)"
        return "\n".join([*lines, *notes, verdict])

    def as_json(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "system": platform.platform(),
            },
            "counts_ok": self.counts_ok,
            "scenarios": {section.name: section.as_json() for section in self.sections},
        }


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile of `values` (share 0.99: p99); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
