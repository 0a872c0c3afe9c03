"""Migrations with data in place, on SQLite and PostgreSQL: from each earlier revision up to
the newest, and back down.

For every revision before the newest: a fresh database is migrated to it, and every table
that exists there gets rows (a few per table, every column filled, foreign keys pointing at
rows of the tables they refer to: values made up from the column types, so the test holds
for migrations still to come). Then ``db.upgrade`` to the newest revision: every row is
still there with every value it had. Then a downgrade back to that revision: the same. Then
down to nothing: no table of ours is left. A migration that rewrites data on purpose needs
its own test of what it does; this one checks that nothing else is lost.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from tracker import db

ROWS = 3
T0 = datetime(2015, 3, 14, 5, 1, 22, tzinfo=UTC)


def revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(db.alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


EARLIER = revisions()[:-1]


def _value(column: sa.Column[Any], row: int) -> Any:
    """A value for ``column`` in row ``row`` (distinct per row, within the column's type)."""
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return row % 2 == 0
    if isinstance(kind, sa.Integer):
        return 1000 + row
    if isinstance(kind, sa.DateTime):
        return T0 + timedelta(days=row, minutes=row)
    if isinstance(kind, sa.Date):
        return date(2015, 3, 14) + timedelta(days=row)
    if isinstance(kind, sa.JSON):
        return [f"{row}", "a"]
    if isinstance(kind, sa.String):  # String and Text
        length = getattr(kind, "length", None) or 64
        return f"{column.name[:6]}-{row}"[:length]
    raise AssertionError(f"no test value for {column.table.name}.{column.name}: {kind!r}")


def fill(engine: Engine) -> sa.MetaData:
    """Put :data:`ROWS` rows in every table of ours; returns the reflected tables."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    filled: dict[str, list[dict[str, Any]]] = {}
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = []
            for i in range(ROWS):
                row = {}
                for column in table.columns:
                    foreign = next(iter(column.foreign_keys), None)
                    if foreign is not None:
                        target = foreign.column
                        row[column.name] = filled[target.table.name][i][target.name]
                    else:
                        row[column.name] = _value(column, i)
                rows.append(row)
            connection.execute(table.insert(), rows)
            filled[table.name] = rows
    return metadata


def contents(engine: Engine, metadata: sa.MetaData) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the ``metadata`` tables (their columns only), in primary-key order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            key = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(sa.select(*table.columns).order_by(*key)).all()
            out[table.name] = [tuple(_comparable(v) for v in row) for row in rows]
    return out


def _comparable(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value


def tables(engine: Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_the_chain_has_one_head_and_starts_at_0001() -> None:
    script = ScriptDirectory.from_config(db.alembic_config())
    assert len(script.get_heads()) == 1
    assert revisions()[0] == "0001"
    assert revisions()[-1] == db.head_revision()


@pytest.mark.parametrize("revision", EARLIER)
def test_upgrade_from_an_earlier_revision_keeps_the_data_then_downgrade(
    empty_engine: Engine, revision: str
) -> None:
    engine = empty_engine
    db.upgrade(engine, revision)
    assert db.current_revision(engine) == revision
    metadata = fill(engine)
    before = contents(engine, metadata)
    assert all(len(rows) == ROWS for rows in before.values()), before
    ours = set(before)

    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()
    assert ours <= tables(engine)
    assert contents(engine, metadata) == before  # every row, every value

    command.downgrade(db.alembic_config(engine), revision)
    assert db.current_revision(engine) == revision
    assert tables(engine) - {"alembic_version"} == ours  # what later revisions added is gone
    assert contents(engine, metadata) == before

    command.downgrade(db.alembic_config(engine), "base")
    assert db.current_revision(engine) is None
    assert tables(engine) - {"alembic_version"} == set()


def test_head_down_to_nothing_and_up_again(empty_engine: Engine) -> None:
    engine = empty_engine
    db.upgrade(engine)
    metadata = fill(engine)
    before = contents(engine, metadata)
    for revision in reversed(EARLIER):
        command.downgrade(db.alembic_config(engine), revision)
        assert db.current_revision(engine) == revision
    command.downgrade(db.alembic_config(engine), "base")
    assert tables(engine) - {"alembic_version"} == set()
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()
    assert {name: [] for name in before} == contents(engine, metadata)  # empty, but all there
