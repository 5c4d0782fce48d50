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
EMPTY = "#F2F2F2"
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
    legend = _legend_items(words, symptoms)
    columns = _legend_columns(legend)
    heights.append(-(-len(legend) // columns) * 0.3 + 0.15 if rows else 0.1)
    height = sum(heights)

    figure = Figure(figsize=(WIDTH, height), dpi=DPI)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, WIDTH)
    axes.set_ylim(0, height)
    axes.axis("off")
    y, full = height - 0.2, WIDTH - 2 * SIDE
    if words.title:
        size = _fitted(words.title, TITLE, full, bold=True)
        axes.text(SIDE, y, words.title, fontsize=size, weight="bold", color=INK, va="top")
        y -= 0.34
    if words.summary:
        size = _fitted(words.summary, SUMMARY, full)
        axes.text(SIDE, y, words.summary, fontsize=size, color=MUTED, va="top")
        y -= 0.28
    y -= 0.12
    cell = (WIDTH - 2 * SIDE) / len(days)
    if symptoms:
        y = _symptom_row(axes, y, days, symptoms, cell, words)
    if rows:
        for name in rows:
            y = _medication_row(axes, y, name, days, report.grid[name], cell)
    else:
        _empty(axes, y, words.empty)
        y -= 1.0
    y = _day_labels(axes, y + ROW_GAP, days, cell, words)
    if rows:
        _legend(axes, y - 0.1, legend, columns)
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

    size = _fitted(name, LABEL, WIDTH - 2 * SIDE, bold=True)
    axes.text(SIDE, top, name, fontsize=size, weight="bold", color=INK, va="top")
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
    # Big enough to see at 90 days (neighbouring marks may touch), never wider than a week's day.
    radius = max(0.05, min(0.13, cell * 0.42))
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


def _empty(axes: Axes, top: float, message: str) -> None:
    """The empty state: a pale band where the rows would be, saying why it is empty."""
    from matplotlib.patches import FancyBboxPatch

    band = FancyBboxPatch(
        (SIDE, top - 0.85),
        WIDTH - 2 * SIDE,
        0.7,
        boxstyle="round,pad=0,rounding_size=0.08",
        facecolor=EMPTY,
        edgecolor="none",
    )
    axes.add_patch(band)
    axes.text(WIDTH / 2, top - 0.5, message, fontsize=14, color=MUTED, ha="center", va="center")


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


LegendItem = tuple[str, str, bool]  # colour, label, round mark (a symptom) or square


def _legend_items(words: ChartWords, symptoms: dict[date, tuple[int, bool]]) -> list[LegendItem]:
    items = [(COLOURS[outcome], words.outcomes[outcome], False) for outcome in Outcome]
    items.append((NO_DOSE, words.no_dose, False))
    if symptoms:
        items.append((SYMPTOM, words.symptom, True))
    if any(flagged for _, flagged in symptoms.values()):
        items.append((RED_FLAG, words.red_flag, True))
    return items


def _legend_columns(items: list[LegendItem]) -> int:
    """Three a line, or two when a label (a long language) would not fit in a third."""
    third = (WIDTH - 2 * SIDE) / 3 - _MARK_SPACE
    return 3 if all(_width(label, LEGEND) <= third for _, label, _ in items) else 2


_MARK_SPACE = 0.3  # the colour mark and the space after it, inches


def _legend(axes: Axes, top: float, items: list[LegendItem], columns: int) -> None:
    from matplotlib.patches import Rectangle

    column = (WIDTH - 2 * SIDE) / columns
    for n, (colour, label, round_mark) in enumerate(items):
        x = SIDE + (n % columns) * column
        y = top - (n // columns) * 0.3
        if round_mark:
            axes.scatter([x + 0.08], [y - 0.08], s=90, color=colour, zorder=3)
        else:
            axes.add_patch(Rectangle((x, y - 0.16), 0.16, 0.16, color=colour))
        size = _fitted(label, LEGEND, column - _MARK_SPACE)
        axes.text(x + 0.24, y - 0.08, label, fontsize=size, color=INK, va="center")


def _width(text: str, size: float, *, bold: bool = False) -> float:
    """How wide `text` is drawn in DejaVu Sans at `size` points, in inches."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    font = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    width, _, _ = TextToPath().get_text_width_height_descent(text, font, ismath=False)
    return float(width) / 72


def _fitted(text: str, size: float, room: float, *, bold: bool = False) -> float:
    """The font size at which `text` fits in `room` inches: `size`, or smaller (not below 7)."""
    width = _width(text, size, bold=bold)
    return size if width <= room else max(7.0, size * room / width)
