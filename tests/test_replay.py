"""``treaty-tracker replay`` (tracker.replay): recording the archived pages again, in order,
with the current parser rebuilds the same statuses and the same events (pages: see
tests/test_integrity.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.test_integrity import built, url_of
from tests.test_portable import rows
from tracker import db, integrity, replay, store
from tracker.archive import Archive
from tracker.cli import main
from tracker.domain import TreatyStatus
from tracker.sources import untc

EVENTS = [
    ("consent", "ARG", None, "2015-04-14"),
    ("consent", "PAN", None, "2015-06-01"),
    ("rename", "MKD", "The former Yugoslav Republic of Macedonia", "North Macedonia"),
    ("disappeared", "MUS", "signed", None),
]


def _events(session: Session) -> list[tuple[str, str | None, str | None, str | None]]:
    return [
        (e.kind, e.participant_code, e.old_value, e.new_value)
        for e in store.events(session=session, mtdsg_no="IV-11-d")
    ]


def test_replay_rebuilds_the_same_statuses_and_events(engine: Engine, tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    built(engine, archive)
    scratch = replay.scratch_engine()
    try:
        with Session(engine) as stored, Session(scratch) as rebuilt:
            result = replay.replay(source=stored, target=rebuilt, archive=archive)
            assert result.replayed == 8
            assert [(s.poll_id, s.reason) for s in result.skipped] == [(4, "no page was recorded")]
            assert [str(r.outcome) for r in result.reports] == [
                "new", "new", "unchanged", "changed", "suspect", "unchanged", "changed", "changed"
            ]  # fmt: skip
            assert _events(stored) == EVENTS
            assert _events(rebuilt) == EVENTS
            assert replay.compare(stored=stored, replayed=rebuilt) == []
        stored_rows, rebuilt_rows = rows(engine), rows(scratch)
        fields = ("treaty_id", "participant_code", *replay.STATUS_FIELDS)
        assert [tuple(r[f] for f in fields) for r in rebuilt_rows["participant_status"]] == [
            tuple(r[f] for f in fields) for r in stored_rows["participant_status"]
        ]
        assert len(stored_rows["participant_status"]) == 225
    finally:
        scratch.dispose()


def test_a_parser_change_shows_as_differences(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = Archive(tmp_path / "archive")
    built(sqlite_engine, archive)
    real = untc.parse_status_page

    def without_panama(text: str, url: str) -> TreatyStatus:
        status = real(text, url)
        kept = tuple(p for p in status.participants if p.code != "PAN")
        return dataclasses.replace(status, participants=kept)

    monkeypatch.setattr(untc, "parse_status_page", without_panama)
    scratch = replay.scratch_engine()
    try:
        with Session(sqlite_engine) as stored, Session(scratch) as rebuilt:
            replay.replay(source=stored, target=rebuilt, archive=archive, mtdsg_no="IV-11-d")
            differences = replay.compare(stored=stored, replayed=rebuilt, mtdsg_no="IV-11-d")
    finally:
        scratch.dispose()
    assert "IV-11-d PAN: status row not rebuilt by the replay" in differences
    assert any(
        d.startswith("IV-11-d: event #2 differs: stored kind='consent'") for d in differences
    )
    assert not any("IV-11-b" in d for d in differences)


def test_replay_command(
    sqlite_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = Archive(tmp_path / "archive")
    built(sqlite_engine, archive)
    before = rows(sqlite_engine)
    common = ["--database-url", url_of(sqlite_engine), "--archive", str(archive.root)]
    assert main(["replay", "--dry-run", *common]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "skipped poll 4 (IV-11-d): no page was recorded",
        "replayed 8 poll(s) into a temporary database, skipped 1; no differences",
    ]
    assert main(["replay", "--dry-run", "--treaty", "IV-11-b", *common]) == 0
    assert "replayed 1 poll(s)" in capsys.readouterr().out

    new = tmp_path / "rebuilt.db"
    assert main(["replay", "--into", f"sqlite:///{new}", *common]) == 0
    assert rows(sqlite_engine) == before  # the replayed database is only read
    rebuilt = db.make_engine(f"sqlite:///{new}")
    try:
        with Session(rebuilt) as s:
            assert _events(s) == EVENTS
            report = integrity.check_database(session=s, archive=archive)
        assert report.ok, [str(f) for f in report.findings]
    finally:
        rebuilt.dispose()
    capsys.readouterr()
    # the target must be empty
    assert main(["replay", "--into", f"sqlite:///{new}", *common]) == 2
    assert "is not empty" in capsys.readouterr().err


def test_replay_errors(
    sqlite_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = url_of(sqlite_engine)
    assert main(["replay", "--dry-run", "--database-url", url, "--archive", str(tmp_path)]) == 0
    capsys.readouterr()
    missing = tmp_path / "no-archive"
    assert main(["replay", "--dry-run", "--database-url", url, "--archive", str(missing)]) == 2
    assert capsys.readouterr().err == f"error: the archive folder {missing} does not exist\n"
    with pytest.raises(SystemExit) as exc:
        main(["replay", "--database-url", url])  # neither --dry-run nor --into
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        main(["replay", "--help"])
    assert "--dry-run" in capsys.readouterr().out
