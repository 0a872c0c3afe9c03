"""Participant actions and the kind of signature, per participant status.

Revision ID: 0003_participant_actions
Revises: 0002
Create Date: 2026-12-01

Issue 10: a status table's dates that are neither a signature nor a consent (provisional
application, notifications, territorial application ...) are kept per participant as a JSON
list of ``{kind, date, column, suffix}`` (``actions``, never NULL, ``[]`` when none), and a
signature date says what it is (``signature_kind``: signature, succession to signature,
signature ad referendum). Existing rows with a signature date are plain signatures: they are
set to ``signature``, so that the stored state keeps matching the pages it came from.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_participant_actions"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("participant_status") as batch:
        batch.add_column(sa.Column("signature_kind", sa.String(length=32), nullable=True))
        batch.add_column(
            sa.Column("actions", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    op.execute(
        "UPDATE participant_status SET signature_kind = 'signature' "
        "WHERE signature_date IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("participant_status") as batch:
        batch.drop_column("actions")
        batch.drop_column("signature_kind")
