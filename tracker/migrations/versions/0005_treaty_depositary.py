"""Treaties from more than one depositary: the UN Secretary-General and the Council of Europe.

Revision ID: 0005_treaty_depositary
Revises: 0002
Create Date: 2026-11-30

* ``treaty.depositary`` (``untc`` | ``coe``, not null, default ``untc``): whose record the
  stored status comes from. Existing rows are UN treaties; any row whose id has the Council of
  Europe form (``CETS-201``) is set to ``coe``. The id itself stays in ``treaty.mtdsg_no`` (and
  ``poll.mtdsg_no``, ``change_event.mtdsg_no``, ``watch.mtdsg_no``), so every table that names a
  treaty keeps working unchanged for both.
* ``participant_status.denunciation_date``, ``denunciation_effective_date``,
  ``suspension_date``: dates the Council of Europe states per State (null: not stated).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_treaty_depositary"
down_revision: str | Sequence[str] | None = "0004_poll_source"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATUS_DATES = ("denunciation_date", "denunciation_effective_date", "suspension_date")


def upgrade() -> None:
    with op.batch_alter_table("treaty") as batch:
        batch.add_column(
            sa.Column("depositary", sa.String(length=16), nullable=False, server_default="untc")
        )
    op.execute("UPDATE treaty SET depositary = 'coe' WHERE mtdsg_no LIKE 'CETS-%'")
    with op.batch_alter_table("participant_status") as batch:
        for name in _STATUS_DATES:
            batch.add_column(sa.Column(name, sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participant_status") as batch:
        for name in reversed(_STATUS_DATES):
            batch.drop_column(name)
    with op.batch_alter_table("treaty") as batch:
        batch.drop_column("depositary")
