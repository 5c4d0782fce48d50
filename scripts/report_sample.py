"""The README's report pictures from a made-up 30-day history (no database, no Telegram).

    .venv/bin/python scripts/report_sample.py docs/ [--language ru] [--pdf]

Writes report-chart.png (what the patient sees after /report 30) and report-pdf-page1.png (the
first page of /report pdf 30, rendered with pypdfium2, a dev dependency); --pdf keeps the PDF.
Three medications (one tapering), some doses late, skipped or missed, a few symptoms and one
safety event, for "Alice" in Europe/Berlin on 2 December 2026.
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from bot.domain.adherence import DoseRecord, EventRecord, SymptomEntry
from bot.domain.model import DoseStatus, Medication, MedicationStatus, SafetyEventKind, Schedule
from bot.domain.schedule import local_to_utc, zone_named
from bot.domain.taper import TaperPlan, TaperStep
from bot.services.reports import MedicationPlan, Report, build_report
from bot.tg import report_texts
from bot.tg.charts import report_chart
from bot.tg.i18n import speaking
from bot.tg.pdf_report import report_pdf

ZONE = "Europe/Berlin"
NOW = datetime(2026, 12, 2, 17, 30, tzinfo=UTC)  # 18:30 in Berlin
DAYS = 30
MEDICATIONS = {  # name: (dose, times of day)
    "Baclofen": ("10 mg", (time(8), time(14), time(20))),
    "Sertraline": ("50 mg", (time(8),)),
    "Vitamin D": ("20 µg", (time(12, 30),)),
}


def sample_report(*, name: str = "Alice", baclofen: str = "Baclofen") -> Report:
    zone = zone_named(ZONE)
    chance = random.Random(11)  # noqa: S311 - made-up data, the same every run
    today = NOW.astimezone(zone).date()
    doses: list[DoseRecord] = []
    for offset in range(DAYS - 1, -1, -1):
        day = today - timedelta(days=offset)
        for medication, (_, times) in MEDICATIONS.items():
            for at in times:
                due = local_to_utc(day, at, zone)
                if due >= NOW:
                    continue
                doses.append(
                    _dose(baclofen if medication == "Baclofen" else medication, due, chance)
                )
    # Two Baclofen doses missed in a row on one day: the withdrawal-risk event below.
    missed_day = today - timedelta(days=9)
    for at in (time(14), time(20)):
        due = local_to_utc(missed_day, at, zone)
        doses = [d for d in doses if not (d.medication == baclofen and d.scheduled_at == due)]
        doses.append(DoseRecord(baclofen, due, DoseStatus.MISSED))
    symptoms = [
        _symptom(today, 26, time(9, 10), "dizzy", "mild"),
        _symptom(today, 19, time(21, 5), "headache 6/10", "6/10"),
        _symptom(today, 9, time(22, 40), "severe dizzy", "severe"),
        _symptom(today, 8, time(7, 50), "headache 4/10", "4/10"),
        _symptom(today, 3, time(15, 0), "dizzy", None),
        _symptom(today, 1, time(11, 20), "nausea", "mild"),
    ]
    event = EventRecord(
        SafetyEventKind.WITHDRAWAL_RISK,
        local_to_utc(missed_day, time(21, 0), zone),
        baclofen,
        "2 doses in a row missed or skipped",
    )
    plans = [
        MedicationPlan(
            Medication(1, 1, baclofen, "10 mg", MedicationStatus.ACTIVE, Schedule(times=t)),
            TaperPlan(date(2026, 12, 7), (TaperStep("7.5 mg", 14), TaperStep("5 mg", 14))),
        )
        if n == "Baclofen"
        else MedicationPlan(
            Medication(2 + i, 1, n, dose, MedicationStatus.ACTIVE, Schedule(times=t))
        )
        for i, (n, (dose, t)) in enumerate(MEDICATIONS.items())
    ]
    return build_report(
        patient_name=name,
        zone=ZONE,
        days=DAYS,
        now=NOW,
        doses=doses,
        symptoms=symptoms,
        events=[event],
        plans=plans,
    )


def _dose(medication: str, due: datetime, chance: random.Random) -> DoseRecord:
    roll = chance.random()
    if roll < 0.04:
        return DoseRecord(medication, due, DoseStatus.MISSED)
    if roll < 0.08:
        return DoseRecord(medication, due, DoseStatus.SKIPPED)
    late = roll < 0.2
    minutes = chance.randint(35, 150) if late else chance.randint(-10, 25)
    return DoseRecord(medication, due, DoseStatus.TAKEN, due + timedelta(minutes=minutes))


def _symptom(today: date, ago: int, at: time, text: str, severity: str | None) -> SymptomEntry:
    noted = local_to_utc(today - timedelta(days=ago), at, zone_named(ZONE))
    return SymptomEntry(noted, text, severity, red_flag=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--language", default="en")
    parser.add_argument("--pdf", action="store_true", help="also keep report-sample.pdf")
    arguments = parser.parse_args()
    import pypdfium2

    with speaking(arguments.language):
        report = sample_report()
        chart = report_chart(report, report_texts.chart_words(report))
        pdf = report_pdf(report)
    folder: Path = arguments.folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report-chart.png").write_bytes(chart)
    if arguments.pdf:
        (folder / "report-sample.pdf").write_bytes(pdf)
    document = pypdfium2.PdfDocument(pdf)
    page = document[0].render(scale=1.5).to_pil()  # 1.5 x 72 dpi: 893 x 1263 px for A4
    page.save(folder / "report-pdf-page1.png", optimize=True)
    print(f"{len(document)} pages, {len(pdf)} bytes; chart {len(chart)} bytes")  # noqa: T201


if __name__ == "__main__":
    main()
