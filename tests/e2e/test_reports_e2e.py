"""/report through the real bot: a 30-day history seeded in the database, the text, the chart
(a PNG opened with Pillow) and the clinic PDF (opened with pypdf), Cyrillic included; the empty
state, the period errors and a caregiver's PDF."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.tables import DoseRow, MedicationRow, PatientRow, SafetyEventRow, SymptomRow
from bot.domain.adherence import Outcome
from bot.emulator import SimUser
from bot.tg.charts import COLOURS, NO_DOSE
from tests.e2e.conftest import link_caregiver, say

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 3, 2)  # the clock starts at 03:30 there: no dose of today is due yet
MEDICATIONS = {"Баклофен": (time(8), time(20)), "Sertraline": (time(8),), "Magnesium": (time(13),)}


def outcome(name: str, offset: int, at: time) -> str:
    """The made-up history: what became of each dose, `offset` days before today."""
    if name == "Баклофен" and at.hour == 20 and offset in (3, 10, 11):
        return "missed"
    if name == "Баклофен" and offset == 5 and at.hour == 8:
        return "skipped"
    if name == "Sertraline" and offset in (7, 14, 21):
        return "late"
    if name == "Magnesium" and offset == 12:
        return "skipped"
    return "on_time"


HISTORY = [
    (name, offset, at, outcome(name, offset, at))
    for offset in range(1, 30)  # the 29 days before today: all in the last 30
    for name, times in MEDICATIONS.items()
    for at in times
]


async def seed_history(medbot, chat_id: int) -> None:
    """The doses of HISTORY, two symptoms and a safety event, written as the bot would."""
    async with AsyncSession(medbot.engine) as session:
        patient = await session.scalar(select(PatientRow).where(PatientRow.chat_id == chat_id))
        assert patient is not None
        ids = {
            row.name: row.id
            for row in await session.scalars(
                select(MedicationRow).where(MedicationRow.patient_id == patient.id)
            )
        }
        for name, offset, at, result in HISTORY:
            scheduled = datetime.combine(TODAY - timedelta(days=offset), at, BERLIN)
            scheduled = scheduled.astimezone(UTC)
            taken = result in ("on_time", "late")
            session.add(
                DoseRow(
                    medication_id=ids[name],
                    patient_id=patient.id,
                    scheduled_at=scheduled,
                    due_at=scheduled,
                    status="taken" if taken else result,
                    reminded_at=scheduled,
                    answered_at=scheduled + timedelta(minutes=50 if result == "late" else 5)
                    if result != "missed"
                    else None,
                )
            )
        for offset, text, severity in ((4, "headache 6/10", "6/10"), (9, "dizzy", "mild")):
            noted = datetime.combine(TODAY - timedelta(days=offset), time(18), BERLIN)
            session.add(
                SymptomRow(
                    patient_id=patient.id,
                    text=text,
                    severity=severity,
                    red_flag=False,
                    noted_at=noted.astimezone(UTC),
                )
            )
        session.add(
            SafetyEventRow(
                patient_id=patient.id,
                medication_id=ids["Баклофен"],
                kind="withdrawal_risk",
                detail="2 doses in a row missed or skipped",
                occurred_at=datetime.combine(TODAY - timedelta(days=10), time(21), BERLIN),
            )
        )
        await session.commit()


@pytest.fixture
def alexei(emulator, medbot) -> SimUser:
    """A Cyrillic name and medication; his Telegram speaks English."""
    return emulator.user(4004, "Алексей", language_code="en")


@pytest.fixture
def alexei_ru(emulator, medbot) -> SimUser:
    """The same patient with a Russian Telegram client: reports in Russian."""
    return emulator.user(4004, "Алексей", language_code="ru")


async def set_up(user: SimUser, medications: dict[str, tuple[time, ...]]) -> None:
    """/start, Berlin time, the medications (replies waited for by what they name)."""
    await say(user, "/start")
    await say(user, "/timezone Europe/Berlin")
    for name, times in medications.items():
        await user.send(f"/add {name} 10 mg at {' '.join(f'{t:%H:%M}' for t in times)}")
        await user.wait_for(lambda m, name=name: name in m.text)


def expected(name: str) -> Counter[str]:
    return Counter(result for med, _, _, result in HISTORY if med == name)


def colours_in(png: bytes) -> set[tuple[int, int, int]]:
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        return {colour for _, colour in rgb.getcolors(maxcolors=1 << 20) or []}


def rgb(hex_colour: str) -> tuple[int, int, int]:
    value = int(hex_colour.lstrip("#"), 16)
    return (value >> 16, (value >> 8) & 0xFF, value & 0xFF)


async def test_report_30_is_a_text_and_a_phone_sized_chart_of_the_history(medbot, alexei: SimUser):
    await set_up(alexei, MEDICATIONS)
    await seed_history(medbot, alexei.chat_id)

    await alexei.send("/report 30")
    text = await alexei.wait_for(lambda m: m.text.startswith("📊"))
    baclofen = expected("Баклофен")  # 58 doses: 3 missed, 1 skipped
    assert baclofen["missed"] == 3 and sum(baclofen.values()) == 58
    assert "💊 Баклофен: 54 of 58 doses taken (93%)" in text.text
    assert "on time 54 · late 0 · skipped 1 · missed 3" in text.text
    assert "longest run: 37 doses taken in a row" in text.text  # until 11 days ago
    assert "💊 Sertraline: 29 of 29 doses taken (100%)\non time 26 · late 3" in text.text
    assert "🩺 Symptoms: dizzy ×1 (worst: mild); headache ×1 (worst: 6/10)" in text.text
    assert "⚠️ Safety events: Withdrawal risk ×1" in text.text
    assert "Late: taken more than 30 minutes after the scheduled time." in text.text

    chart = await alexei.wait_for(lambda m: m.kind == "photo")
    assert chart.content is not None and chart.content.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(chart.content)) as image:
        width, height = image.size
    assert width == 1080  # a phone shows it full width
    assert 900 < height < 2000
    colours = colours_in(chart.content)
    for status in Outcome:
        assert rgb(COLOURS[status]) in colours, status
    assert rgb(NO_DOSE) in colours  # today: nothing due yet


async def test_report_pdf_holds_the_name_medications_totals_and_cyrillic(medbot, alexei_ru, clock):
    await set_up(alexei_ru, MEDICATIONS)
    await seed_history(medbot, alexei_ru.chat_id)

    await alexei_ru.send("/report pdf 30")
    document = await alexei_ru.wait_for(lambda m: m.kind == "document")
    assert document.filename == "medbot-report-2026-03-02.pdf"
    assert document.content is not None and document.content.startswith(b"%PDF")
    pdf = PdfReader(io.BytesIO(document.content))
    assert len(pdf.pages) in (1, 2)
    text = "\n".join(page.extract_text() for page in pdf.pages)
    # In Russian, from the catalog: the title, the totals row, the event kind.
    assert "Отчёт о приёме лекарств" in text
    assert "Риск синдрома отмены" in text
    assert "Алексей" in text
    for name in MEDICATIONS:
        assert name in text
    assert "Europe/Berlin" in text
    assert "7.5" not in text  # no taper plan here
    # The adherence table: due, on time, late, skipped, missed, taken, longest run.
    assert re.search(r"Баклофен\s+58\s+54\s+0\s+1\s+3\s+93%\s+37", text), text
    assert re.search(r"Sertraline\s+29\s+26\s+3\s+0\s+0\s+100%\s+29", text), text
    assert re.search(r"Magnesium\s+29\s+28\s+0\s+1\s+0\s+97%\s+17", text), text
    assert re.search(r"Все\s+116\s+108\s+3\s+2\s+3\s+96%\s+37", text), text
    assert "headache 6/10" in text  # as the patient wrote it
    assert "2 doses in a row missed or skipped" in text  # the event's stored detail


async def test_an_empty_period_says_so_in_the_text_and_in_the_image(bob: SimUser):
    await set_up(bob, {"Sertraline": (time(8),)})
    await bob.send("/report")
    text = await bob.wait_for(lambda m: m.text.startswith("📊"))
    assert "No doses recorded in the last 7 days." in text.text
    chart = await bob.wait_for(lambda m: m.kind == "photo")
    assert chart.content is not None
    with Image.open(io.BytesIO(chart.content)) as image:
        assert image.size[0] == 1080 and image.size[1] < 700
    colours = colours_in(chart.content)
    assert not {rgb(c) for c in COLOURS.values()} & colours  # no bar of any status
    assert len(colours) > 20  # the words are drawn: not a blank image


async def test_a_period_other_than_7_30_or_90_says_what_is_valid(alice: SimUser):
    await say(alice, "/start")
    for wrong in ("/report 14", "/report pdf 365", "/report 14 Alice"):
        reply = await say(alice, wrong)
        assert reply.text.startswith("A report covers 7, 30 or 90 days, not "), reply.text
        assert "/report pdf 30" in reply.text
    reply = await say(alice, "/report 90")
    assert reply.text.startswith("📊 Your report, last 90 days")


async def test_a_caregiver_gets_the_pdf_of_a_patient_they_follow_only_while_linked(
    alice: SimUser, carol: SimUser
):
    await set_up(alice, {"Sertraline": (time(8),)})
    refused = await say(carol, "/report pdf 7 Alice")
    assert "only of a patient who shares their alerts with you now" in refused.text
    await link_caregiver(alice, carol)
    await carol.send("/report pdf 7 Alice")
    document = await carol.wait_for(lambda m: m.kind == "document")
    assert document.caption.startswith("📊 Alice, last 7 days")
    assert document.content is not None
    text = PdfReader(io.BytesIO(document.content)).pages[0].extract_text()
    assert "Alice" in text and "Sertraline" in text
    await say(alice, "/revoke Carol")
    await carol.wait_for(lambda m: "has removed you" in m.text)
    again = await say(carol, "/report pdf 7 Alice")
    assert "only of a patient who shares their alerts with you now" in again.text
