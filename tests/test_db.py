"""Engines, migrations and the ``treaty-tracker db`` command."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from tests import plugin_db
from tracker import db, models
from tracker.cli import main
from tracker.config import get_settings


def test_migrations_at_head_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, models.metadata) == []
    assert db.current_revision(engine) == db.head_revision()


def test_migration_creates_every_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {t.name for t in models.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_upgrade_twice_is_harmless(engine: Engine) -> None:
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()


def test_postgres_urls_use_psycopg3() -> None:
    assert db.normalise_url("postgresql://u@h/d").drivername == "postgresql+psycopg"
    assert db.normalise_url("postgres://u@h/d").drivername == "postgresql+psycopg"
    assert db.normalise_url("postgresql+psycopg://u@h/d").drivername == "postgresql+psycopg"
    engine = db.make_engine("postgresql://postgres@127.0.0.1:1/none")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


@pytest.mark.parametrize("url", ["mysql://u@h/d", "not a url"])
def test_unsupported_urls_are_refused(url: str) -> None:
    with pytest.raises(db.DatabaseURLError):
        db.make_engine(url)


def test_sqlite_engine_creates_folder_and_sets_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "t.db"
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert (connection.execute(text("PRAGMA busy_timeout")).scalar() or 0) >= 5000
    engine.dispose()
    assert path.parent.is_dir()


def test_default_url_is_the_sqlite_file_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        engine = db.make_engine()
        assert engine.url.database == str((tmp_path / "data" / "tracker.db").resolve())
        engine.dispose()
    finally:
        get_settings.cache_clear()


def test_upgrade_works_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    assert db.current_revision(engine) is None
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()
    engine.dispose()


def test_session_rolls_back_on_error(sqlite_engine: Engine) -> None:
    from datetime import UTC, datetime

    with pytest.raises(RuntimeError), db.session(sqlite_engine) as s:
        s.add(models.Treaty(mtdsg_no="IV-3", created_at=datetime.now(UTC)))
        s.flush()
        raise RuntimeError("boom")
    with db.session(sqlite_engine) as s:
        assert s.get(models.Treaty, 1) is None


def test_db_command_upgrade_and_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        assert main(["db", "current"]) == 1
        assert "not initialised" in capsys.readouterr().out
        assert main(["db", "upgrade"]) == 0
        assert f"at revision {db.head_revision()}" in capsys.readouterr().out
        assert main(["db", "current"]) == 0
        assert "(up to date)" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()
    assert main(["db", "--database-url", "mysql://x@y/z", "current"]) == 2
    assert "unsupported database" in capsys.readouterr().err


def test_db_command_help_describes_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["db", "--help"])
    out = capsys.readouterr().out
    assert "upgrade" in out and "current" in out


def test_postgres_unreachable_skips_locally_and_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRACKER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:1/postgres")
    assert plugin_db.unreachable(plugin_db.postgres_admin_url()) is not None  # a closed port
    for unset in ("", "false", "0"):
        monkeypatch.setenv("CI", unset)
        with pytest.raises(pytest.skip.Exception, match="PostgreSQL not reachable at 127.0.0.1:1"):
            plugin_db.pg_unavailable("test")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        plugin_db.pg_unavailable("test")


@pytest.mark.postgres
def test_postgres_that_answers_but_refuses_fails_even_outside_ci(
    pg_server: plugin_db.PgServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    wrong = pg_server.url.set(username="no_such_role_for_tracker_tests", password="wrong")
    assert plugin_db.unreachable(wrong) is None  # the server is there ...
    with pytest.raises(pytest.fail.Exception, match="answers but cannot be used"):
        plugin_db.PgServer(wrong).check()  # ... so a refused login fails, never skips


def test_test_postgres_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_TEST_POSTGRES_URL", raising=False)
    default = plugin_db.postgres_admin_url()
    assert (default.host, default.port, default.username) == ("127.0.0.1", 5432, "postgres")
    monkeypatch.setenv("TRACKER_TEST_POSTGRES_URL", "postgresql://tt:pw@db.example:6543/x")
    custom = plugin_db.postgres_admin_url()
    assert (custom.host, custom.port, custom.username, custom.password) == (
        "db.example",
        6543,
        "tt",
        "pw",
    )


def test_no_engine_at_import_time() -> None:
    from tracker import service, store

    for module in (db, models, store, service):
        assert not [v for v in vars(module).values() if isinstance(v, Engine)], module.__name__
