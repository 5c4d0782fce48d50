"""The patient's history as the files /export sends: CSV (one row per dose and per log entry,
for a spreadsheet) or JSON (one list per kind of record). Times are ISO 8601 in the patient's
zone, with its offset; column names are fixed English, for programs as much as for people."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.history import History
from bot.domain.schedule import zone_named

CSV_COLUMNS = (
    "record",  # dose, intake, symptom or safety_event
    "id",
    "time",  # a dose's scheduled time; when an intake, symptom or event happened
    "medication",
    "dose",
    "status",
    "answered_at",
    "source",
    "dose_id",
    "symptom",
    "severity",
    "red_flag",
    "event",
    "detail",
    "dose_at",
)
# How a dose taken was recorded: the reminder's button, or /log (plain words included).
_SOURCES = {"button": "reminder_button", "log": "log"}


def file_name(today: date, kind: str) -> str:
    return f"medbot-export-{today.isoformat()}.{kind}"


def as_csv(history: History) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheets read accents and Cyrillic right."""
    zone = zone_named(history.zone)
    rows = [*_dose_rows(history, zone), *_log_rows(history, zone)]
    # By instant: across a daylight-saving change the local times alone would not sort.
    rows.sort(key=lambda row: (datetime.fromisoformat(row["time"]), row["record"], row["id"]))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def as_json(history: History, today: date) -> bytes:
    zone = zone_named(history.zone)
    document = {
        "exported_on": today.isoformat(),
        "timezone": history.zone,
        "medications": [
            {
                "id": m.id,
                "name": m.name,
                "dose": m.dose,
                "status": m.status.value,
                "added_at": _iso(m.created_at, zone),
            }
            for m in history.medications
        ],
        "doses": [
            {
                "id": d.id,
                "medication": d.medication,
                "dose": d.amount,
                "scheduled_at": _iso(d.scheduled_at, zone),
                "status": d.status.value,
                "answered_at": _iso(d.answered_at, zone),
                "source": _SOURCES.get(d.source, d.source) or None,
            }
            for d in history.doses
        ],
        "intakes": [
            {
                "id": i.id,
                "medication": i.medication,
                "dose": i.amount,
                "taken_at": _iso(i.taken_at, zone),
                "source": _SOURCES.get(i.source, i.source),
                "dose_id": i.dose_id,
            }
            for i in history.intakes
        ],
        "symptoms": [
            {
                "id": s.id,
                "text": s.text,
                "severity": s.severity,
                "red_flag": s.red_flag,
                "noted_at": _iso(s.noted_at, zone),
            }
            for s in history.symptoms
        ],
        "safety_events": [
            {
                "id": e.id,
                "kind": e.kind,
                "medication": e.medication,
                "detail": e.detail,
                "occurred_at": _iso(e.occurred_at, zone),
                "dose_at": _iso(e.dose_at, zone),
            }
            for e in history.events
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def _dose_rows(history: History, zone: ZoneInfo) -> list[dict[str, Any]]:
    return [
        _row(
            "dose",
            d.id,
            _iso(d.scheduled_at, zone),
            medication=d.medication,
            dose=d.amount,
            status=d.status.value,
            answered_at=_iso(d.answered_at, zone),
            source=_SOURCES.get(d.source, d.source),
        )
        for d in history.doses
    ]


def _log_rows(history: History, zone: ZoneInfo) -> list[dict[str, Any]]:
    intakes = [
        _row(
            "intake",
            i.id,
            _iso(i.taken_at, zone),
            medication=i.medication,
            dose=i.amount,
            source=_SOURCES.get(i.source, i.source),
            dose_id=i.dose_id,
        )
        for i in history.intakes
    ]
    symptoms = [
        _row(
            "symptom",
            s.id,
            _iso(s.noted_at, zone),
            symptom=s.text,
            severity=s.severity,
            red_flag="yes" if s.red_flag else "no",
        )
        for s in history.symptoms
    ]
    events = [
        _row(
            "safety_event",
            e.id,
            _iso(e.occurred_at, zone),
            medication=e.medication,
            event=e.kind,
            detail=e.detail,
            dose_at=_iso(e.dose_at, zone),
        )
        for e in history.events
    ]
    return intakes + symptoms + events


def _row(record: str, row_id: int, time: str | None, **values: object) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(CSV_COLUMNS, "")
    row.update(record=record, id=row_id, time=time)
    row.update({key: "" if value is None else value for key, value in values.items()})
    return row


def _iso(instant: datetime | None, zone: ZoneInfo) -> str | None:
    return instant.astimezone(zone).isoformat(timespec="seconds") if instant else None
