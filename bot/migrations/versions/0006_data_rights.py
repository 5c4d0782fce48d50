"""data rights: the weekly summary opt-in and the week last summarised, per patient and link

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # summarised_week: the Monday of the last week summarised, so no week is sent twice.
    for table in ("patient", "caregiver_link"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("weekly_summary", sa.Boolean(), server_default=sa.false(), nullable=False)
            )
            batch_op.add_column(sa.Column("summarised_week", sa.Date(), nullable=True))


def downgrade() -> None:
    for table in ("caregiver_link", "patient"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("summarised_week")
            batch_op.drop_column("weekly_summary")
