"""Which rows of every table belong to a patient, found from the schema itself (every table in
SQLModel.metadata, so a table added later is covered without touching the tests): a row names
the patient (its id, or their chat id in any *chat_id column), or points through a foreign key
at a row that belongs to them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select
from sqlmodel import SQLModel

import bot.db.tables  # noqa: F401 - registers every table in SQLModel.metadata

Snapshot = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


def snapshot(connection: Connection) -> Snapshot:
    """Every row of every table, by primary key."""
    found: Snapshot = {}
    for table in SQLModel.metadata.sorted_tables:
        key = [column.name for column in table.primary_key.columns]
        rows = connection.execute(select(table)).mappings().all()
        found[table.name] = {tuple(row[name] for name in key): dict(row) for row in rows}
    return found


def owned(rows: Snapshot, *, patient_id: int, chat_id: int) -> dict[str, set[tuple[Any, ...]]]:
    """The rows that belong to the patient, table by table (transitively, through FKs)."""
    belongs: dict[str, set[tuple[Any, ...]]] = {name: set() for name in rows}
    for table in SQLModel.metadata.sorted_tables:
        for pk, row in rows[table.name].items():
            if _names(table.name, row, patient_id, chat_id):
                belongs[table.name].add(pk)
    changed = True
    while changed:
        changed = False
        for table in SQLModel.metadata.sorted_tables:
            for fk in table.foreign_keys:
                target = fk.column.table.name
                theirs = {rows[target][pk][fk.column.name] for pk in belongs[target]}
                for pk, row in rows[table.name].items():
                    if pk not in belongs[table.name] and row[fk.parent.name] in theirs:
                        belongs[table.name].add(pk)
                        changed = True
    return {name: pks for name, pks in belongs.items() if pks}


def _names(table: str, row: dict[str, Any], patient_id: int, chat_id: int) -> bool:
    if table == "patient" and row["id"] == patient_id:
        return True
    if row.get("patient_id") == patient_id:
        return True
    return any(value == chat_id for name, value in row.items() if name.endswith("chat_id"))


def orphans(rows: Snapshot) -> list[str]:
    """Foreign keys that point at no row (what a delete that forgot a table would leave)."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for fk in table.foreign_keys:
            target = fk.column.table.name
            present = {row[fk.column.name] for row in rows[target].values()}
            for pk, row in rows[table.name].items():
                value = row[fk.parent.name]
                if value is not None and value not in present:
                    found.append(f"{table.name}{pk}.{fk.parent.name} -> {target} {value}")
    return found
