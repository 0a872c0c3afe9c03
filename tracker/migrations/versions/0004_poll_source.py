"""Where a poll's page came from, operator acceptance, and catch-up events.

Revision ID: 0004_poll_source
Revises: 0002
Create Date: 2026-12-01

* ``poll.source`` (``live`` | ``snapshot``) and ``poll.published_on``: a poll loaded from the
  bundled snapshot is recorded as such, with the date its values were published (existing
  rows are live polls, except those stored at the old magic snapshot time, 2015-03-14
  00:00 UTC, which are marked as snapshot polls published that day).
* ``poll.accepted_by``: who accepted a suspect page (``treaty-tracker accept``).
* ``poll.catch_up_since`` / ``poll.catch_up_from`` and ``change_event.catch_up``: the first
  live poll after the snapshot or after a long gap records its events as catch-up.
* ``treaty.count_discrepancy``: where the applied page's stated counts disagree with its rows.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004_poll_source"
down_revision: str | Sequence[str] | None = "0003_participant_actions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: How snapshot polls were told apart before this revision (tracker.queries.SNAPSHOT_AT).
_OLD_SNAPSHOT_AT = datetime(2015, 3, 14, tzinfo=UTC)


def upgrade() -> None:
    with op.batch_alter_table("poll", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=16), nullable=False, server_default="live")
        )
        batch_op.add_column(sa.Column("published_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("accepted_by", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("catch_up_since", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("catch_up_from", sa.String(length=16), nullable=True))
    with op.batch_alter_table("change_event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("catch_up", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("treaty", schema=None) as batch_op:
        batch_op.add_column(sa.Column("count_discrepancy", sa.Text(), nullable=True))
    poll = sa.table(
        "poll",
        sa.column("started_at", sa.DateTime(timezone=True)),
        sa.column("source", sa.String()),
        sa.column("published_on", sa.Date()),
    )
    bind = op.get_bind()
    old = (
        _OLD_SNAPSHOT_AT
        if bind.dialect.name == "postgresql"
        else _OLD_SNAPSHOT_AT.replace(tzinfo=None)
    )
    op.execute(
        poll.update()
        .where(poll.c.started_at == old)
        .values(source="snapshot", published_on=date(2015, 3, 14))
    )


def downgrade() -> None:
    with op.batch_alter_table("treaty", schema=None) as batch_op:
        batch_op.drop_column("count_discrepancy")
    with op.batch_alter_table("change_event", schema=None) as batch_op:
        batch_op.drop_column("catch_up")
    with op.batch_alter_table("poll", schema=None) as batch_op:
        batch_op.drop_column("catch_up_from")
        batch_op.drop_column("catch_up_since")
        batch_op.drop_column("accepted_by")
        batch_op.drop_column("published_on")
        batch_op.drop_column("source")
