"""caregivers: invites, links, the alert outbox; patient names; the dose an event is about

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invite_attempt",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite_attempt")),
    )
    with op.batch_alter_table("invite_attempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_invite_attempt_chat_id_attempted_at", ["chat_id", "attempted_at"], unique=False
        )

    op.create_table(
        "caregiver_invite",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "patient_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_caregiver_invite_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_caregiver_invite")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_caregiver_invite_code_hash")),
    )
    op.create_table(
        "caregiver_link",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "patient_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("caregiver_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("caregiver_name", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("kinds", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unreachable_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_caregiver_link_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_caregiver_link")),
        sa.UniqueConstraint(
            "patient_id", "caregiver_chat_id", name=op.f("uq_caregiver_link_patient_id")
        ),
    )
    with op.batch_alter_table("caregiver_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_caregiver_link_caregiver_chat_id"), ["caregiver_chat_id"], unique=False
        )

    op.create_table(
        "alert",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("link_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["safety_event.id"],
            name=op.f("fk_alert_event_id_safety_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["caregiver_link.id"],
            name=op.f("fk_alert_link_id_caregiver_link"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.UniqueConstraint("link_id", "event_id", name=op.f("uq_alert_link_id")),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.create_index("ix_alert_status_due_at", ["status", "due_at"], unique=False)

    with op.batch_alter_table("safety_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dose_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("safety_event", schema=None) as batch_op:
        batch_op.drop_column("dose_at")

    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_column("name")

    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index("ix_alert_status_due_at")

    op.drop_table("alert")
    with op.batch_alter_table("caregiver_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_caregiver_link_caregiver_chat_id"))

    op.drop_table("caregiver_link")
    op.drop_table("caregiver_invite")
    with op.batch_alter_table("invite_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_invite_attempt_chat_id_attempted_at")

    op.drop_table("invite_attempt")
