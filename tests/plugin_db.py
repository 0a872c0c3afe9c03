"""Database fixtures (SQLite and PostgreSQL).

* ``engine`` — parametrised over both backends, migrated to head, empty:
  ``sqlite`` is a temp-file SQLite database (a copy of one migrated template file, so each
  test gets a fresh one quickly); ``postgres`` is one uniquely named database on the test
  server, created and migrated once per test session, emptied before each test and dropped
  at the end.
* ``session`` — a session on ``engine``.
* ``sqlite_engine`` / ``sqlite_session`` — SQLite only.
* ``pg_server`` — the PostgreSQL test server (creates and drops uniquely named databases);
  ``pg_url`` — the URL of the session's PostgreSQL test database.

The PostgreSQL server is ``TRACKER_TEST_POSTGRES_URL`` (default
``postgresql://postgres@127.0.0.1:5432/postgres``: any database the user may connect to; the
tests create their own). If nothing listens at that address the ``postgres`` cases are
skipped — unless ``CI`` is set (``.ci/run`` sets it): then they fail. A server that answers
but refuses the connection (wrong password, unknown user ...) always fails: only "not
reachable" may skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL, Engine
from sqlmodel import Session

from tests.ci import missing
from tracker import db, models

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_admin_url() -> URL:
    """The test server's URL (``TRACKER_TEST_POSTGRES_URL`` or the default)."""
    return db.normalise_url(os.environ.get("TRACKER_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL)


def shown(url: URL) -> str:
    """``host:port`` of the server (or its socket folder), for messages."""
    return f"{url.host or '(local socket)'}:{url.port or 5432}"


def pg_unavailable(detail: str) -> None:
    """Skip (or, when ``CI`` is set, fail) a test that needs PostgreSQL: nothing listens."""
    where = shown(postgres_admin_url())
    missing(
        f"PostgreSQL not reachable at {where} ({detail}) — start it, or point "
        "TRACKER_TEST_POSTGRES_URL at one, to run these tests"
    )


def unreachable(url: URL, timeout: float = 3.0) -> str | None:
    """Why nothing answers at the server's address, or None when something listens there."""
    port = url.port or 5432
    host = url.host or str(url.query.get("host") or "/var/run/postgresql")
    try:
        if host.startswith("/"):
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(timeout)
                s.connect(f"{host}/.s.PGSQL.{port}")
        else:
            socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _conninfo(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@dataclass
class PgServer:
    """The PostgreSQL test server: makes uniquely named databases and drops them at the end."""

    url: URL
    created: list[str] = field(default_factory=list)

    def _admin(self) -> Any:
        import psycopg

        return psycopg.connect(_conninfo(self.url), autocommit=True, connect_timeout=10)

    def check(self) -> None:
        """Connect once: a server that answers but refuses us fails the test (never skips)."""
        import psycopg

        try:
            with self._admin() as admin:
                admin.execute("SELECT 1")
        except psycopg.Error as exc:
            pytest.fail(
                f"PostgreSQL at {shown(self.url)} answers but cannot be used: "
                f"{str(exc).strip() or type(exc).__name__} (TRACKER_TEST_POSTGRES_URL)",
                pytrace=False,
            )

    def create_database(self, *, template: str | None = None) -> str:
        """A new, uniquely named database (a copy of ``template`` if given); its URL."""
        from psycopg import sql

        name = f"tracker_test_{uuid.uuid4().hex[:12]}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        with self._admin() as admin:
            admin.execute(statement)
        self.created.append(name)
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        from psycopg import sql

        name = db.normalise_url(url).database or ""
        with self._admin() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        if name in self.created:
            self.created.remove(name)

    def drop_all(self) -> None:
        for name in list(self.created):
            self.drop_database(self.url.set(database=name).render_as_string(hide_password=False))


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db-template") / "template.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def sqlite_engine(_sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A fresh, migrated SQLite database in a temporary file."""
    path = tmp_path / "tracker.db"
    shutil.copyfile(_sqlite_template, path)
    engine = db.make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The PostgreSQL test server (skips, or fails under CI, when nothing listens there)."""
    url = postgres_admin_url()
    reason = unreachable(url)
    if reason is not None:
        pg_unavailable(reason)
    server = PgServer(url)
    server.check()
    try:
        yield server
    finally:
        server.drop_all()


@pytest.fixture(scope="session")
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated; dropped at the end."""
    url = pg_server.create_database()
    engine = db.make_engine(url)
    try:
        db.upgrade(engine)
    finally:
        engine.dispose()
    yield url


def _truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in models.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def postgres_engine(pg_url: str) -> Iterator[Engine]:
    """The session's PostgreSQL test database, emptied (tables truncated) for this test."""
    engine = db.make_engine(pg_url)
    _truncate_all(engine)
    yield engine
    engine.dispose()


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest) -> Engine:
    """A migrated, empty database: SQLite file or PostgreSQL."""
    name = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    result: Engine = request.getfixturevalue(name)
    return result


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with db.session(engine) as s:
        yield s


@pytest.fixture
def sqlite_session(sqlite_engine: Engine) -> Iterator[Session]:
    with db.session(sqlite_engine) as s:
        yield s


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database (no tables): a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        engine = db.make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield engine
        engine.dispose()
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.create_database()
    engine = db.make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        server.drop_database(url)
