"""Alembic environment for the tracker's bundled migrations.

The engine comes from ``config.attributes["engine"]`` (set by :func:`tracker.db.upgrade`);
when Alembic is run from the command line (``alembic -c tracker/alembic.ini ...``) it is built
by :func:`tracker.db.make_engine` from the configured database URL.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from alembic import context
from sqlalchemy.engine import Connection, Engine

from tracker import models
from tracker.db import make_engine

logger = logging.getLogger("tracker.migrations")

config = context.config
target_metadata = models.metadata


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render the tracker's column types as plain SQLAlchemy types in migration files."""
    if type_ == "type" and isinstance(obj, models.UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


#: Tables that live in the tracker's database but are not ours to migrate.
FOREIGN_TABLES = frozenset({"apscheduler_jobs"})  # APScheduler's SQLAlchemy job store


def _include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave tables owned by other libraries out of autogenerate (never drop them)."""
    return not (type_ == "table" and name in FOREIGN_TABLES)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        include_object=_include_object,
    )


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine: Engine | None = config.attributes.get("engine")
    owned = engine is None
    if engine is None:
        engine = make_engine()
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                # Batch migrations rebuild a SQLite table (copy, DROP, rename); with foreign
                # keys enforced, dropping a table that other rows refer to fails. The pragma
                # only takes effect outside a transaction, so it is set before the migrations
                # begin, and foreign_key_check proves nothing was left dangling.
                connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            try:
                _configure(connection)
                with context.begin_transaction():
                    context.run_migrations()
                    if sqlite:
                        dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                        if dangling:
                            raise RuntimeError(f"a migration left dangling references: {dangling}")
                connection.commit()
            finally:
                if sqlite:
                    connection.rollback()
                    connection.exec_driver_sql("PRAGMA foreign_keys = ON")
    finally:
        if owned:
            engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
