"""Database fixtures (SQLite and PostgreSQL).

* ``engine`` — parametrised over both backends, migrated to head, empty:
  ``sqlite`` is a temp-file SQLite database (a copy of one migrated template file, so each
  test gets a fresh one quickly); ``postgres`` is one uniquely named database on
  127.0.0.1:5432 (user postgres), created and migrated once per test session, emptied before
  each test and dropped at the end. If PostgreSQL is not reachable the ``postgres`` cases are
  skipped — unless the environment variable ``CI`` is set: then they fail.
* ``session`` — a session on ``engine``.
* ``sqlite_engine`` / ``sqlite_session`` — SQLite only.
* ``pg_url`` — the URL of the session's PostgreSQL test database.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker import db, models

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_ADMIN_URL = f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/postgres"
PG_UNREACHABLE = f"PostgreSQL not reachable at {PG_HOST}:{PG_PORT} — start it to run these tests"


def pg_unavailable(detail: str) -> None:
    """Skip (or, when ``CI`` is set, fail) a test that needs PostgreSQL."""
    message = f"{PG_UNREACHABLE} ({detail})"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI is set, so PostgreSQL tests must run", pytrace=False)
    pytest.skip(message)


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
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated; dropped at the end."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency
        pg_unavailable(f"psycopg missing: {exc}")
    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(
            host=PG_HOST, port=PG_PORT, user="postgres", dbname="postgres", connect_timeout=3
        )
    except psycopg.OperationalError as exc:
        pg_unavailable(str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer")
    admin.autocommit = True
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    engine = db.make_engine(url)
    try:
        db.upgrade(engine)
    finally:
        engine.dispose()
    try:
        yield url
    finally:
        with psycopg.connect(
            host=PG_HOST, port=PG_PORT, user="postgres", dbname="postgres", autocommit=True
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
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
