"""Cross-check runs: a second source's export compared with a stored status.

Revision ID: 0006_crosscheck_run
Revises: 0005_treaty_depositary
Create Date: 2026-12-01

One row per run of ``treaty-tracker crosscheck`` (an OHCHR dashboard export compared with the
stored status of one treaty): when, the export's name, title and "Last Updated" time, our
source address and when it was last verified, how many States were compared and how many
disagree, and the whole result as JSON. Shown in the Health view; never a change event.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_crosscheck_run"
down_revision: str | Sequence[str] | None = "0005_treaty_depositary"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crosscheck_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mtdsg_no", sa.String(length=32), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("their_source", sa.Text(), nullable=False),
        sa.Column("their_title", sa.Text(), nullable=True),
        sa.Column("their_last_updated", sa.String(length=32), nullable=True),
        sa.Column("our_source_url", sa.Text(), nullable=True),
        sa.Column("our_verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("compared", sa.Integer(), nullable=False),
        sa.Column("disagreements", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crosscheck_run")),
    )
    with op.batch_alter_table("crosscheck_run") as batch:
        batch.create_index(batch.f("ix_crosscheck_run_mtdsg_no"), ["mtdsg_no"], unique=False)
        batch.create_index(batch.f("ix_crosscheck_run_checked_at"), ["checked_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("crosscheck_run") as batch:
        batch.drop_index(batch.f("ix_crosscheck_run_checked_at"))
        batch.drop_index(batch.f("ix_crosscheck_run_mtdsg_no"))
    op.drop_table("crosscheck_run")
