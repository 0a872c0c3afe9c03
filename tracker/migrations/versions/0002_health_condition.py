"""Operator health conditions (raised once, alerted once, cleared).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

One row per health condition key (``failures:IV-11-d``, ``stale``): when it was raised,
when the operator was told, when it cleared. Used by :mod:`tracker.alerts` so that each
condition is alerted once until it clears, across scheduler restarts.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "health_condition",
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_health_condition")),
    )


def downgrade() -> None:
    op.drop_table("health_condition")
