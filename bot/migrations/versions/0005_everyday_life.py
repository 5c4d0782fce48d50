"""everyday life: schedule forms, stock, as-needed limits, reminder settings, travel

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The defaults of SPEC.md (NAG_AFTER_MINUTES 15, MISSED_AFTER_MINUTES 60) for reminders already
# waiting when this runs; every reminder sent afterwards gets the patient's own timing.
_NAG_AFTER = 15
_MISSED_AFTER = 60


def upgrade() -> None:
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("schedule_zone", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("repeat_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("repeat_every_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("heads_up_minutes", sa.Integer(), nullable=True))
    with op.batch_alter_table("medication", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("every_days", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(
            sa.Column("weekdays", sa.String(length=16), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("starts_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("as_needed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("max_per_day", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("min_gap_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("stock", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("refill_noticed_for", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("ran_out_noticed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("schedule", schema=None) as batch_op:
        batch_op.add_column(sa.Column("amount", sa.String(length=32), nullable=True))
    with op.batch_alter_table("dose", schema=None) as batch_op:
        batch_op.add_column(sa.Column("repeats", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("next_repeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("miss_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("heads_up_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("caregiver_link", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "missed_alert_delay_minutes", sa.Integer(), server_default="0", nullable=False
            )
        )
    _carry_over_waiting_reminders()
    with op.batch_alter_table("dose", schema=None) as batch_op:
        batch_op.drop_column("nagged")
        batch_op.create_index("ix_dose_status_next_repeat_at", ["status", "next_repeat_at"])
        batch_op.create_index("ix_dose_status_miss_at", ["status", "miss_at"])
        batch_op.create_index("ix_dose_status_heads_up_at", ["status", "heads_up_at"])


def _carry_over_waiting_reminders() -> None:
    """A reminder waiting for its answer keeps the timing it was sent with: its one repeat (if
    not sent yet) after 15 minutes, missed after 60. Computed in Python: SQLite and PostgreSQL
    share no date arithmetic."""
    dose = sa.table(
        "dose",
        sa.column("id", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("reminded_at", sa.DateTime(timezone=True)),
        sa.column("nagged", sa.Boolean()),
        sa.column("repeats", sa.Integer()),
        sa.column("next_repeat_at", sa.DateTime(timezone=True)),
        sa.column("miss_at", sa.DateTime(timezone=True)),
    )
    connection = op.get_bind()
    waiting = connection.execute(
        sa.select(dose.c.id, dose.c.reminded_at, dose.c.nagged).where(
            dose.c.status.in_(("sent", "undeliverable")), dose.c.reminded_at.is_not(None)
        )
    ).all()
    for dose_id, reminded_at, nagged in waiting:
        connection.execute(
            sa.update(dose)
            .where(dose.c.id == dose_id)
            .values(
                repeats=1 if nagged else 0,
                next_repeat_at=None if nagged else reminded_at + timedelta(minutes=_NAG_AFTER),
                miss_at=reminded_at + timedelta(minutes=_MISSED_AFTER),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("dose", schema=None) as batch_op:
        batch_op.drop_index("ix_dose_status_heads_up_at")
        batch_op.drop_index("ix_dose_status_miss_at")
        batch_op.drop_index("ix_dose_status_next_repeat_at")
        batch_op.add_column(
            sa.Column("nagged", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute("UPDATE dose SET nagged = (repeats > 0)")
    with op.batch_alter_table("dose", schema=None) as batch_op:
        batch_op.drop_column("heads_up_at")
        batch_op.drop_column("miss_at")
        batch_op.drop_column("next_repeat_at")
        batch_op.drop_column("repeats")
    with op.batch_alter_table("caregiver_link", schema=None) as batch_op:
        batch_op.drop_column("missed_alert_delay_minutes")
    with op.batch_alter_table("schedule", schema=None) as batch_op:
        batch_op.drop_column("amount")
    with op.batch_alter_table("medication", schema=None) as batch_op:
        for column in (
            "ran_out_noticed",
            "refill_noticed_for",
            "stock",
            "min_gap_minutes",
            "max_per_day",
            "as_needed",
            "ends_on",
            "starts_on",
            "weekdays",
            "every_days",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("patient", schema=None) as batch_op:
        for column in ("heads_up_minutes", "repeat_every_minutes", "repeat_count", "schedule_zone"):
            batch_op.drop_column(column)
