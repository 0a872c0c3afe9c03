"""The bundled snapshot (data/snapshot) as a source of its own, and ``treaty-tracker snapshot``.

The snapshot pages are derived from the fixture reconstructions (real values published on
14 March 2015) by data/snapshot/derive.py, without the markers and rows the fixtures invent
for structure.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tracker import db, integrity, queries, replay, snapshot
from tracker.archive import Archive
from tracker.cli import main
from tracker.config import get_settings
from tracker.models import Poll, Treaty
from tracker.sources import untc

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "untc"
PUBLISHED = date(2015, 3, 14)
#: Footnote markers the CRC fixture adds for structure only (not real UN numbers).
INVENTED_MARKERS = {"CZE": ["5"], "SRB": ["6", "7"]}

_spec = importlib.util.spec_from_file_location(
    "snapshot_derive", snapshot.SNAPSHOT_DIR / "derive.py"
)
assert _spec is not None and _spec.loader is not None
derive = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(derive)


def test_no_invented_text_in_the_bundled_pages() -> None:
    pages = snapshot.pages()
    assert [p.mtdsg_no for p in pages] == [
        "IV-11", "IV-11-a", "IV-11-b", "IV-11-c", "IV-11-d", "IV-15",
    ]  # fmt: skip
    for page in pages:
        html = page.path.read_text(encoding="utf-8")
        assert "RECONSTRUCTED" not in html, page.path.name
        assert "reconstruct" not in html.casefold(), page.path.name
        assert "invented" not in html.casefold(), page.path.name
        assert page.published_on == PUBLISHED
        assert page.url.startswith("https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY")
        assert f"mtdsg_no={page.mtdsg_no}&" in page.url
    readme = (snapshot.SNAPSHOT_DIR / "README.md").read_text(encoding="utf-8")
    assert "14 March 2015" in readme and "reconstructions, not copies" in readme
    assert derive.main(["--check"]) == 0  # the pages are what derive.py makes of the fixtures


def test_the_pages_carry_the_real_values_of_the_fixtures() -> None:
    """Every participant, date, kind, declaration and count is the fixture's expected value
    (generated from the source data, not from the parser); only the invented CRC footnote
    markers are gone."""
    for page in snapshot.pages():
        parsed = untc.parse_status_page(page.path.read_text(encoding="utf-8"), page.url)
        got = parsed.to_json()
        expected = json.loads(
            (FIXTURES / "expected" / page.path.name.replace(".html", ".json")).read_text()
        )
        for participant in expected["participants"]:
            if page.mtdsg_no == "IV-11" and participant["code"] in INVENTED_MARKERS:
                assert participant["footnotes"] == INVENTED_MARKERS[participant["code"]]
                participant["footnotes"] = []
        for key in ("participants", "declarations", "counts", "entry_into_force", "title"):
            assert got[key] == expected[key], (page.mtdsg_no, key)
    crc = untc.parse_status_page(
        (snapshot.SNAPSHOT_DIR / "IV-11.en.html").read_text(encoding="utf-8"), pages_url("IV-11")
    )
    footnoted = {p.code: list(p.footnotes) for p in crc.participants if p.footnotes}
    assert footnoted == {"DEU": ["2"], "AUT": ["3"], "BIH": ["4"]}  # the real markers only


def pages_url(mtdsg_no: str) -> str:
    return next(p.url for p in snapshot.pages() if p.mtdsg_no == mtdsg_no)


def test_load_records_snapshot_polls_archived_and_checked(engine: Engine, tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    before = datetime.now(UTC)
    assert snapshot.is_empty(engine)
    reports = snapshot.load_if_empty(engine, archive=archive)
    assert [str(r.outcome) for r in reports] == ["new"] * 6
    assert not snapshot.is_empty(engine)
    assert snapshot.load_if_empty(engine, archive=archive) == []
    with db.session(engine) as s:
        polls = list(s.exec(select(Poll).order_by(col(Poll.id))))
        assert {(p.source, p.published_on, p.http_status) for p in polls} == {
            ("snapshot", PUBLISHED, 200)
        }
        assert all(p.started_at >= before - timedelta(seconds=1) for p in polls)  # loaded now
        assert all(archive.has(p.content_hash or "") for p in polls)
        verified = {t.last_verified_at for t in s.exec(select(Treaty))}
        assert verified == {datetime(2015, 3, 14, tzinfo=UTC)}  # as published, not as loaded
        source = queries.data_source(session=s)
        assert (source.kind, source.snapshot, source.live) == ("snapshot", 6, 0)
        assert source.as_of == datetime(2015, 3, 14, tzinfo=UTC)
        assert source.snapshot_published == PUBLISHED
        opic = {r.mtdsg_no: r for r in queries.country_overview(session=s, code="BEL")}["IV-11-d"]
        assert (opic.source, opic.published_on) == ("snapshot", PUBLISHED)
        assert queries.events(session=s) == []
        report = integrity.check_database(session=s, archive=archive)
    assert report.ok, report.findings
    assert "history" in report.checks
    assert opic.consent_date == date(2014, 5, 30)

    again = snapshot.load(engine, archive=archive)
    assert [str(r.outcome) for r in again] == ["unchanged"] * 6
    with db.session(engine) as s:
        assert {t.last_verified_at for t in s.exec(select(Treaty))} == {
            datetime(2015, 3, 14, tzinfo=UTC)
        }
        assert integrity.check_database(session=s, archive=archive).ok


def test_replay_rebuilds_the_snapshot_as_snapshot(sqlite_engine: Engine, tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    snapshot.load(sqlite_engine, archive=archive)
    target_engine = replay.scratch_engine()
    with Session(sqlite_engine) as source, Session(target_engine) as target:
        result = replay.replay(source=source, target=target, archive=archive)
        assert result.skipped == [] and result.replayed == 6
        assert replay.compare(stored=source, replayed=target) == []
        rebuilt = list(target.exec(select(Poll)))
        assert {(p.source, p.published_on) for p in rebuilt} == {("snapshot", PUBLISHED)}
        assert {t.last_verified_at for t in target.exec(select(Treaty))} == {
            datetime(2015, 3, 14, tzinfo=UTC)
        }
    target_engine.dispose()


def test_broken_manifest(tmp_path: Path) -> None:
    (tmp_path / "pages.json").write_text(json.dumps([{"file": "missing.html"}]))
    with pytest.raises(snapshot.SnapshotError):
        snapshot.pages(tmp_path)


def test_snapshot_command_then_check_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a newcomer does after ``make run``: the snapshot is loaded, ``check`` is clean."""
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        assert main(["snapshot", "--if-empty"]) == 0
        out = capsys.readouterr().out
        assert "IV-11-d: new" in out
        assert main(["check"]) == 0, capsys.readouterr()
        assert "OK: 6 checks passed" in capsys.readouterr().out
        assert main(["replay", "--dry-run"]) == 0
        assert "no differences" in capsys.readouterr().out
        assert main(["snapshot", "--if-empty"]) == 0
        assert "not empty" in capsys.readouterr().out
        assert main(["snapshot", "--dir", str(tmp_path)]) == 2
    finally:
        get_settings.cache_clear()


def test_upgrade_marks_polls_stored_at_the_old_snapshot_time(tmp_path: Path) -> None:
    """Databases filled before migration 0004 told snapshot polls apart only by their start
    time (2015-03-14 00:00 UTC); the upgrade records them as snapshot polls."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    db.upgrade(engine, "0002")
    with engine.begin() as c:
        for when in ("2015-03-14 00:00:00.000000", "2017-10-01 06:00:00.000000"):
            c.execute(
                text(
                    "INSERT INTO poll (mtdsg_no, url, started_at, outcome, inserts, updates, "
                    "noops, events) VALUES ('IV-11-d', 'u', :when, 'new', 0, 0, 0, 0)"
                ),
                {"when": when},
            )
    db.upgrade(engine)
    with engine.connect() as c:
        rows = c.execute(text("SELECT source, published_on FROM poll ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("snapshot", "2015-03-14"), ("live", None)]
