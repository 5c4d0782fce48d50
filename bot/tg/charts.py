"""The /report chart as a PNG made to be read on a phone: a day-by-medication grid.

Columns are the period's days in the patient's zone, rows the medications; each cell is split
into that day's doses, coloured by what became of each (on time, late, skipped, missed; grey:
no dose). Symptoms are marked on the same days above the grid. Drawn with matplotlib without
a display, laid out in inches so nothing overlaps whatever the number of days or medications.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.domain.adherence import Outcome
from bot.domain.schedule import to_local, zone_named
from bot.services.reports import Report

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# Okabe-Ito colours: told apart with the common colour-vision deficiencies too.
COLOURS = {
    Outcome.ON_TIME: "#009E73",
    Outcome.LATE: "#E69F00",
    Outcome.SKIPPED: "#56B4E9",
    Outcome.MISSED: "#D55E00",
}
NO_DOSE = "#E4E4E4"
SYMPTOM = "#7B3294"
RED_FLAG = "#B00020"
INK, MUTED = "#222222", "#666666"

WIDTH = 6.0  # inches; at DPI, 1080 px: a phone shows it full width without scaling it up
DPI = 180
SIDE = 0.22  # left and right margin
ROW_LABEL, ROW_BAR, ROW_GAP = 0.30, 0.42, 0.14
TITLE, SUMMARY = 15, 12  # font sizes, points
LABEL, TICK, LEGEND = 12.5, 11, 11


@dataclass(frozen=True, slots=True)
class ChartWords:
    """Everything the chart says, in the reader's language (from report_texts)."""

    title: str
    summary: str
    outcomes: dict[Outcome, str]
    no_dose: str
    symptoms: str  # the row's label
    symptom: str  # the legend's
    red_flag: str
    empty: str  # drawn instead of rows when no dose was recorded
    day: Callable[[date], str]  # "Dec 2"
    weekday: Callable[[date], str]  # "Wed"


def report_chart(report: Report, words: ChartWords) -> bytes:
    """The chart as PNG bytes."""
    # Imported here: matplotlib takes about a second to load, only /report needs it. A Figure
    # without pyplot keeps no global state, so reports can be drawn in worker threads.
    from matplotlib.figure import Figure

    days = report.period
    symptoms = _symptoms_by_day(report)
    rows = list(report.grid)
    # Margin, title, summary.
    heights = [0.2 + (0.34 if words.title else 0.0) + (0.28 if words.summary else 0.0) + 0.12]
    if symptoms:
        heights.append(ROW_LABEL + 0.3 + ROW_GAP)
    heights.append(len(rows) * (ROW_LABEL + ROW_BAR + ROW_GAP) if rows else 1.0)
    heights.append(0.62 if len(days) <= 7 else 0.4)  # day labels
    legend_lines = 3 if any(flagged for _, flagged in symptoms.values()) else 2
    heights.append(legend_lines * 0.3 + 0.15 if rows else 0.1)  # legend: three a line
    height = sum(heights)

    figure = Figure(figsize=(WIDTH, height), dpi=DPI)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, WIDTH)
    axes.set_ylim(0, height)
    axes.axis("off")
    y = height - 0.2
    if words.title:
        axes.text(SIDE, y, words.title, fontsize=TITLE, weight="bold", color=INK, va="top")
        y -= 0.34
    if words.summary:
        axes.text(SIDE, y, words.summary, fontsize=SUMMARY, color=MUTED, va="top")
        y -= 0.28
    y -= 0.12
    cell = (WIDTH - 2 * SIDE) / len(days)
    if symptoms:
        y = _symptom_row(axes, y, days, symptoms, cell, words)
    if rows:
        for name in rows:
            y = _medication_row(axes, y, name, days, report.grid[name], cell)
    else:
        axes.text(WIDTH / 2, y - 0.5, words.empty, fontsize=14, color=MUTED, ha="center")
        y -= 1.0
    y = _day_labels(axes, y + ROW_GAP, days, cell, words)
    if rows:
        flags = any(flagged for _, flagged in symptoms.values())
        _legend(axes, y - 0.1, words, symptoms=bool(symptoms), red_flags=flags)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _symptoms_by_day(report: Report) -> dict[date, tuple[int, bool]]:
    """Per local day: how many symptoms were logged, and whether one was a red flag."""
    zone = zone_named(report.zone)
    count: Counter[date] = Counter()
    flagged: set[date] = set()
    for entry in report.symptom_log:
        day = to_local(entry.noted_at, zone).date()
        count[day] += 1
        if entry.red_flag:
            flagged.add(day)
    return {day: (n, day in flagged) for day, n in count.items()}


def _medication_row(
    axes: Axes,
    top: float,
    name: str,
    days: list[date],
    outcomes: dict[date, tuple[Outcome, ...]],
    cell: float,
) -> float:
    from matplotlib.patches import Rectangle

    axes.text(SIDE, top, name, fontsize=LABEL, weight="bold", color=INK, va="top")
    bar_top = top - ROW_LABEL
    gap = cell * (0.12 if len(days) <= 31 else 0.18)
    for index, day in enumerate(days):
        left = SIDE + index * cell + gap / 2
        found = outcomes.get(day, ())
        if not found:
            axes.add_patch(Rectangle((left, bar_top - ROW_BAR), cell - gap, ROW_BAR, color=NO_DOSE))
            continue
        # The day's doses top to bottom, morning first, a hairline apart.
        slice_height = ROW_BAR / len(found)
        for n, outcome in enumerate(found):
            bottom = bar_top - (n + 1) * slice_height
            hairline = 0.012 if n < len(found) - 1 else 0.0
            axes.add_patch(
                Rectangle(
                    (left, bottom + hairline),
                    cell - gap,
                    slice_height - hairline,
                    color=COLOURS[outcome],
                )
            )
    return bar_top - ROW_BAR - ROW_GAP


def _symptom_row(
    axes: Axes,
    top: float,
    days: list[date],
    symptoms: dict[date, tuple[int, bool]],
    cell: float,
    words: ChartWords,
) -> float:
    axes.text(SIDE, top, words.symptoms, fontsize=LABEL, weight="bold", color=SYMPTOM, va="top")
    centre_y = top - ROW_LABEL - 0.15
    axes.plot([SIDE, WIDTH - SIDE], [centre_y, centre_y], color=NO_DOSE, linewidth=1, zorder=1)
    radius = min(0.13, cell * 0.42)
    for index, day in enumerate(days):
        if day not in symptoms:
            continue
        count, red_flag = symptoms[day]
        centre_x = SIDE + (index + 0.5) * cell
        axes.scatter(
            [centre_x],
            [centre_y],
            s=(radius * 72 * 2) ** 2,  # marker area in points²
            color=RED_FLAG if red_flag else SYMPTOM,
            edgecolors="white",
            linewidths=0.8,
            zorder=3,
        )
        if count > 1 and radius >= 0.07:
            axes.text(
                centre_x,
                centre_y,
                str(count),
                fontsize=8,
                color="white",
                weight="bold",
                ha="center",
                va="center",
                zorder=4,
            )
    return centre_y - 0.15 - ROW_GAP


def _day_labels(axes: Axes, top: float, days: list[date], cell: float, words: ChartWords) -> float:
    """Every day of a week; otherwise every 7th (30 days) or 14th (90) day back from today."""
    step = 1 if len(days) <= 7 else 7 if len(days) <= 31 else 14
    for index in range(len(days) - 1, -1, -step):
        day = days[index]
        label = f"{words.weekday(day)}\n{day.day}" if step == 1 else words.day(day)
        x = SIDE + (index + 0.5) * cell
        axes.plot([x, x], [top, top - 0.06], color=MUTED, linewidth=1)
        # The outermost labels lean inwards so they stay inside the image.
        align = "right" if step > 1 and index >= len(days) - 2 else "center"
        if step > 1 and index < step / 2:
            align = "left"
        axes.text(x, top - 0.08, label, fontsize=TICK, color=MUTED, ha=align, va="top")
    return top - (0.62 if step == 1 else 0.4)


def _legend(axes: Axes, top: float, words: ChartWords, *, symptoms: bool, red_flags: bool) -> None:
    from matplotlib.patches import Rectangle

    items: list[tuple[str, str, bool]] = [
        (COLOURS[outcome], words.outcomes[outcome], False) for outcome in Outcome
    ]
    items.append((NO_DOSE, words.no_dose, False))
    if symptoms:
        items.append((SYMPTOM, words.symptom, True))
    if red_flags:
        items.append((RED_FLAG, words.red_flag, True))
    column = (WIDTH - 2 * SIDE) / 3
    for n, (colour, label, round_mark) in enumerate(items):
        x = SIDE + (n % 3) * column
        y = top - (n // 3) * 0.3
        if round_mark:
            axes.scatter([x + 0.08], [y - 0.08], s=90, color=colour, zorder=3)
        else:
            axes.add_patch(Rectangle((x, y - 0.16), 0.16, 0.16, color=colour))
        axes.text(x + 0.24, y - 0.08, label, fontsize=LEGEND, color=INK, va="center")
