"""``treaty-tracker export`` / ``import`` (tracker.portable): a full history, recorded through
the real service (see tests/test_integrity.py for the pages), survives SQLite -> JSON ->
PostgreSQL -> CSV -> SQLite row for row, apart from the masked notification addresses."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tests.test_integrity import T0, built, fetched, page_e, url_of
from tracker import alerts, db, integrity, models, portable, store
from tracker.archive import Archive
from tracker.cli import main
from tracker.domain import PollOutcome
from tracker.models import Alert, EventRead, HealthCondition
from tracker.service import record_poll

SECRET = "S3cret-Passw0rd"
NOT_COMPARED = {("watch", "notify_url"), ("watch", "active")}


def populate(engine: Engine, archive: Archive) -> None:
    """The service's history plus watches, alerts, a read mark and a health condition."""
    built(engine, archive)
    with Session(engine, expire_on_commit=False) as s:
        alerts.add_watch(
            session=s,
            label="\\N is not null; Argentina",  # a text that looks like the CSV null marker
            notify_url=f"mailto://officer:{SECRET}@mail.example.org",
            country_code="ARG",
            created_at=T0,
        )
        alerts.add_watch(
            session=s,
            label="OPIC, all events",
            notify_url=f"json://hooks.example.org/{SECRET}",
            mtdsg_no="IV-11-d",
            digest=True,
            language="fr",
            created_at=T0,
        )
        s.commit()
        assert alerts.enqueue(session=s, now=T0 + timedelta(days=10)) == 5
        sent = s.get(Alert, 1)
        assert sent is not None
        sent.status, sent.attempts, sent.sent_at = "sent", 1, T0 + timedelta(days=10, hours=1)
        s.add(sent)
        s.add(EventRead(event_id=2, read_at=T0 + timedelta(days=11)))
        s.add(
            HealthCondition(
                key="failures:IV-11-d",
                message="IV-11-d: the last 3 polls failed",
                raised_at=T0 + timedelta(days=3),
                notified_at=T0 + timedelta(days=3, minutes=1),
            )
        )
        store.add_crosscheck_run(
            session=s,
            result={
                "treaty": "IV-11-d",
                "ours": {"source_url": "https://treaties.un.org/x", "verified_at": None},
                "theirs": {"source": "export.xls", "title": "OPIC", "last_updated": None},
                "compared": 2,
                "counts": {"presence": 1, "signature": 0, "consent": 0},
                "disagreements": [{"code": "AUT", "field": "presence", "ours": None}],
            },
            checked_at=T0 + timedelta(days=12),
        )
        s.commit()


def rows(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in primary-key order (masked columns left out)."""
    out: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as connection:
        for table in models.metadata.sorted_tables:
            query = sa.select(table).order_by(*table.primary_key.columns)
            out[table.name] = [
                {k: v for k, v in r._mapping.items() if (table.name, k) not in NOT_COMPARED}
                for r in connection.execute(query)
            ]
    return out


def check_ok(engine: Engine, archive: Archive) -> None:
    with Session(engine) as s:
        report = integrity.check_database(session=s, archive=archive)
    assert report.ok, [str(f) for f in report.findings]


def next_poll_continues_ids(engine: Engine, archive: Archive) -> None:
    with engine.connect() as connection:
        max_poll = connection.execute(sa.text("SELECT MAX(id) FROM poll")).scalar_one()
        max_event = connection.execute(sa.text("SELECT MAX(id) FROM change_event")).scalar_one()
    with Session(engine, expire_on_commit=False) as s:
        report = record_poll(
            session=s, page=fetched("IV-11-d", page_e(), T0 + timedelta(days=20)), archive=archive
        )
    assert report.outcome is PollOutcome.CHANGED, report.error
    assert report.poll_id == max_poll + 1
    with Session(engine) as s:
        new_events = s.exec(
            select(models.ChangeEvent).where(col(models.ChangeEvent.poll_id) == report.poll_id)
        ).all()
    assert [(e.id, e.kind, e.participant_code) for e in new_events] == [
        (max_event + 1, "consent", "AUT")
    ]


@pytest.mark.postgres
def test_round_trip_sqlite_postgres_sqlite(
    sqlite_engine: Engine,
    postgres_engine: Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    archive = Archive(tmp_path / "archive")
    populate(sqlite_engine, archive)
    original = rows(sqlite_engine)
    assert all(original[t.name] for t in models.metadata.sorted_tables), "every table has rows"

    first = tmp_path / "export-json"
    assert main(["export", "--output", str(first), "--database-url", url_of(sqlite_engine)]) == 0
    assert main(["import", str(first), "--database-url", url_of(postgres_engine)]) == 0
    out = capsys.readouterr().out
    assert "watch 1 (\\N is not null; Argentina): enter its notification address again" in out
    assert rows(postgres_engine) == original
    check_ok(postgres_engine, archive)

    second = tmp_path / "export-csv"
    assert (
        main(
            ["export", "--format", "csv", "--output", str(second)]
            + ["--database-url", url_of(postgres_engine)]
        )
        == 0
    )
    final = db.make_engine(f"sqlite:///{tmp_path / 'restored.db'}")  # no tables yet
    try:
        assert main(["import", str(second), "--database-url", url_of(final)]) == 0
        assert db.current_revision(final) == db.head_revision()
        assert rows(final) == original
        check_ok(final, archive)
        next_poll_continues_ids(final, archive)
    finally:
        final.dispose()
    next_poll_continues_ids(postgres_engine, archive)  # the sequences were moved on
    check_ok(postgres_engine, archive)

    for folder in (first, second):
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["format"] == "treaty-tracker-export"
        assert manifest["schema_revision"] == db.head_revision()
        assert manifest["tables"]["change_event"]["rows"] == len(original["change_event"])
        for path in folder.iterdir():
            assert SECRET not in path.read_text(encoding="utf-8"), path
    watches = json.loads((first / "watch.json").read_text())
    assert [(w["notify_url"], w["notify_url_masked"]) for w in watches] == [
        ("mailto://mail.example.org/…", True),
        ("json://hooks.example.org/…", True),
    ]
    with final.connect() as connection:
        active = connection.execute(sa.text("SELECT active FROM watch")).scalars().all()
    assert active == [False, False]


def test_csv_keeps_nulls_empty_texts_and_backslashes(sqlite_engine: Engine, tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    populate(sqlite_engine, archive)
    with sqlite_engine.begin() as connection:
        connection.execute(sa.text("UPDATE poll SET warnings = '' WHERE id = 1"))
        connection.execute(sa.text("UPDATE poll SET error = '\\\\N' WHERE id = 2"))
    original = rows(sqlite_engine)
    portable.export_database(sqlite_engine, tmp_path / "x", fmt="csv", exported_at=T0)
    target = db.make_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        portable.import_export(target, tmp_path / "x")
        copied = rows(target)
    finally:
        target.dispose()
    assert copied == original
    polls = {p["id"]: p for p in copied["poll"]}
    assert polls[1]["warnings"] == "" and polls[2]["error"] == "\\\\N"
    assert polls[3]["warnings"] is None


def test_import_refuses_a_database_with_rows(
    sqlite_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = Archive(tmp_path / "archive")
    built(sqlite_engine, archive)
    before = rows(sqlite_engine)
    portable.export_database(sqlite_engine, tmp_path / "x", fmt="json", exported_at=T0)
    assert main(["import", str(tmp_path / "x"), "--database-url", url_of(sqlite_engine)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the database is not empty (participant (173 rows)")
    assert err.count("\n") == 1
    assert rows(sqlite_engine) == before


def test_a_failing_row_imports_nothing(sqlite_engine: Engine, tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    populate(sqlite_engine, archive)
    folder = tmp_path / "x"
    portable.export_database(sqlite_engine, folder, fmt="json", exported_at=T0)
    data = json.loads((folder / "alert.json").read_text())
    data[-1]["watch_id"] = 99  # no such watch: fails on insert, after every other table
    (folder / "alert.json").write_text(json.dumps(data))
    target = db.make_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        db.upgrade(target)
        with pytest.raises(portable.PortableError, match="rows of alert could not be stored"):
            portable.import_export(target, folder)
        assert all(not r for r in rows(target).values())
    finally:
        target.dispose()


def test_not_an_export_is_refused(
    tmp_path: Path, sqlite_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "manifest.json").write_text('{"name": "something else"}')
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "manifest.json").write_text("{not json")
    url = url_of(sqlite_engine)
    for name, message in [
        ("empty", "is not a tracker export (no manifest.json)"),
        ("other", "is not a tracker export manifest"),
        ("broken", "is not a tracker export manifest"),
        ("missing", "is not a folder"),
    ]:
        assert main(["import", str(tmp_path / name), "--database-url", url]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err


def test_export_errors_and_help(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    assert main(["export", "--output", str(tmp_path / "x"), "--database-url", missing]) == 2
    assert capsys.readouterr().err == f"error: no database file at {tmp_path / 'none.db'}\n"
    for command in ("export", "import"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "Exit status 0" in capsys.readouterr().out
