"""The bundled snapshot (data/snapshot) and ``treaty-tracker snapshot``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tracker import db, queries, snapshot
from tracker.cli import main
from tracker.config import get_settings

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "untc"


def test_snapshot_pages_are_the_fixture_reconstructions() -> None:
    pages = snapshot.pages()
    assert [p.mtdsg_no for p in pages] == [
        "IV-11",
        "IV-11-a",
        "IV-11-b",
        "IV-11-c",
        "IV-11-d",
        "IV-15",
    ]
    for page in pages:
        assert page.path.read_bytes() == (FIXTURES / page.path.name).read_bytes()
        assert page.url.startswith("https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY")
        assert f"mtdsg_no={page.mtdsg_no}&" in page.url
    readme = (snapshot.SNAPSHOT_DIR / "README.md").read_text(encoding="utf-8")
    assert "14 March 2015" in readme and "RECONSTRUCTIONS" in readme


def test_load_into_empty_database_then_again(sqlite_engine: Engine) -> None:
    assert snapshot.is_empty(sqlite_engine)
    reports = snapshot.load_if_empty(sqlite_engine)
    assert [str(r.outcome) for r in reports] == ["new"] * 6
    assert not snapshot.is_empty(sqlite_engine)
    assert snapshot.load_if_empty(sqlite_engine) == []
    again = snapshot.load(sqlite_engine)
    assert [str(r.outcome) for r in again] == ["unchanged"] * 6
    with db.session(sqlite_engine) as s:
        assert queries.data_source(session=s) == queries.DataSource("snapshot", queries.SNAPSHOT_AT)
        opic = {r.mtdsg_no: r for r in queries.country_overview(session=s, code="BEL")}["IV-11-d"]
        assert queries.events(session=s) == []
    assert opic.consent_date is not None and opic.consent_date.isoformat() == "2014-05-30"
    assert opic.last_verified_at == queries.SNAPSHOT_AT


def test_broken_manifest(tmp_path: Path) -> None:
    (tmp_path / "pages.json").write_text(json.dumps([{"file": "missing.html"}]))
    with pytest.raises(snapshot.SnapshotError):
        snapshot.pages(tmp_path)


def test_snapshot_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    get_settings.cache_clear()
    try:
        assert main(["snapshot", "--if-empty"]) == 0
        out = capsys.readouterr().out
        assert "IV-11-d: new" in out
        assert main(["snapshot", "--if-empty"]) == 0
        assert "not empty" in capsys.readouterr().out
        assert main(["snapshot", "--dir", str(tmp_path)]) == 2
    finally:
        get_settings.cache_clear()
