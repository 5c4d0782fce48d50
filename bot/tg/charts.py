"""Adherence charts as PNG images, drawn with matplotlib without a display."""

from __future__ import annotations

import io
from datetime import date


def adherence_chart(daily: dict[date, float], title: str) -> bytes:
    """A bar per day: the share of that day's doses that were taken."""
    # Imported here: matplotlib takes about a second to load, only /report needs it.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(7, 3), dpi=100)
    try:
        days = list(daily)
        axes.bar([d.strftime("%d %b") for d in days], [100 * daily[d] for d in days])
        axes.set_ylim(0, 100)
        axes.set_ylabel("% taken")
        axes.set_title(title)
        axes.tick_params(axis="x", labelrotation=45, labelsize=8)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    finally:
        pyplot.close(figure)
    return buffer.getvalue()
