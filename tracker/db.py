"""Database engine, sessions and migrations.

:func:`make_engine` builds an engine for a SQLite file (the default, in the data folder) or a
PostgreSQL server (psycopg 3). :func:`upgrade` runs the Alembic migrations bundled in
``tracker/migrations`` up to the newest revision; it works from an installed package and any
working directory because the Alembic configuration is built in code.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, create_engine

from tracker.config import get_settings

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: How long a SQLite connection waits for a lock held by another process (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 30_000


class DatabaseURLError(ValueError):
    """The database URL cannot be used."""


class DatabaseNotReadyError(RuntimeError):
    """The database is not at the schema revision this version of the tracker needs."""


def normalise_url(url: str) -> URL:
    """Parse ``url``; ``postgresql://`` and ``postgres://`` become ``postgresql+psycopg://``."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseURLError(f"not a database URL: {url!r} ({exc})") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseURLError(
            f"unsupported database {backend!r} in {parsed.render_as_string(hide_password=True)}; "
            "use a sqlite:/// file or a postgresql:// URL"
        )
    return parsed


def _sqlite_file(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    if url.query.get("mode") == "memory":
        return None
    return Path(database)


def _on_sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (default: the configured ``TRACKER_DATABASE_URL`` or the
    SQLite file in the data folder). Extra keyword arguments go to ``create_engine``.

    SQLite: the file's folder is created, and every connection uses WAL journal mode, a busy
    timeout and enforced foreign keys. PostgreSQL: psycopg 3 is used.
    """
    parsed = normalise_url(url if url is not None else get_settings().resolved_database_url)
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_file(parsed)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _on_sqlite_connect)
    else:
        kwargs.setdefault("pool_pre_ping", True)
        engine = create_engine(parsed, **kwargs)
    logger.debug("engine for %s", parsed.render_as_string(hide_password=True))
    return engine


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic configuration for the bundled migrations (bound to ``engine`` if given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations on ``engine`` up to ``revision`` (default: the newest)."""
    logger.info("upgrading database to %s", revision)
    command.upgrade(alembic_config(engine), revision)


def head_revision() -> str | None:
    """The newest migration revision bundled with this package."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty, never migrated database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def require_current(engine: Engine) -> None:
    """Raise :class:`DatabaseNotReadyError` unless the database is at the newest revision.

    Crawls call this instead of migrating: migrations are run by ``treaty-tracker db
    upgrade`` (and at the start of ``run``, ``poll`` and ``schedule``), never by a crawl.
    """
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    where = engine.url.render_as_string(hide_password=True)
    state = "has no tracker tables" if current is None else f"is at revision {current}"
    raise DatabaseNotReadyError(
        f"the database {where} {state}; this tracker needs revision {head}: "
        "run: treaty-tracker db upgrade"
    )


#: Namespace (first key) of the transaction-level advisory locks taken by :func:`begin_write`
#: on PostgreSQL ("trpo"); the second key is ``hashtext`` of the caller's key.
PG_WRITE_LOCK_NAMESPACE = 0x7472706F


def begin_write(session: Session, *, key: str | None = None) -> None:
    """Make the session's transaction a writer's before it reads what its writes depend on.

    SQLite: ``BEGIN IMMEDIATE`` takes the write lock now, waiting up to the busy timeout for
    another writer. Without it, a transaction that first reads and then writes can fail at
    once with "database is locked" when another process committed in between, and two
    processes recording the same treaty could both diff against the same stored state.
    Nothing is done if the session's connection is already in a transaction.
    PostgreSQL: a transaction-level advisory lock on ``key`` (e.g. the treaty reference)
    makes writers of the same key take turns; it is released at commit or rollback.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql" and key is not None:
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:namespace, hashtext(:key))"),
            {"namespace": PG_WRITE_LOCK_NAMESPACE, "key": key},
        )


@contextmanager
def session(engine: Engine) -> Iterator[Session]:
    """A session on ``engine``; rolled back if the block raises, closed at the end.

    It does not commit: callers (e.g. :func:`tracker.service.record_poll`) commit themselves.
    """
    with Session(engine, expire_on_commit=False) as s:
        try:
            yield s
        except BaseException:
            s.rollback()
            raise
