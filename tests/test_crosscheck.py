"""The OHCHR cross-check: the pure comparison, and ``treaty-tracker crosscheck`` on a stored
ICESCR status built from the real 2015 participants table (tests/ohchr_support.py)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests import ohchr_support as sup
from tracker import db
from tracker.cli import main
from tracker.config import get_settings
from tracker.crosscheck import Field, crosscheck
from tracker.domain import Participant
from tracker.models import ChangeEvent, Poll
from tracker.sources.ohchr import OhchrExport, read_export

#: What the real 2015 table and the real 2025 export disagree on. Every one is an act after
#: 14 March 2015 (checked below): the tracker's stored status is ten years older.
EXPECTED = [
    ("AND", Field.PRESENCE),  # signed 23 Sep 2025
    ("ATG", Field.PRESENCE),  # acceded 3 Jul 2019
    ("FJI", Field.PRESENCE),
    ("MHL", Field.PRESENCE),
    ("MMR", Field.PRESENCE),  # signed 16 Jul 2015, ratified 6 Oct 2017
    ("OMN", Field.PRESENCE),
    ("QAT", Field.PRESENCE),
    ("KNA", Field.PRESENCE),
    ("STP", Field.CONSENT),  # signed 1995 (in both), ratified 10 Jan 2017
    ("SSD", Field.PRESENCE),
]


def _export() -> OhchrExport:
    path = sup.shared_file(sup.OHCHR_XLS)
    return read_export(path.read_bytes(), source=path.name)


def test_2015_status_against_the_2025_export() -> None:
    ours = sup.icescr_2015_status()
    assert len(ours.participants) == 169
    result = crosscheck(ours, _export(), verified_at=sup.GATHERED_AT)
    assert [(d.code, d.field) for d in result.disagreements] == EXPECTED
    assert result.counts() == {"presence": 9, "signature": 0, "consent": 1}
    assert result.compared == 198
    for d in result.disagreements:
        assert d.ours is None and d.theirs is not None
        assert d.theirs > sup.GATHERED_AT.date()  # newer than our data, not a conflict of record
    stp = result.disagreements[EXPECTED.index(("STP", Field.CONSENT))]
    assert (stp.name, stp.theirs) == ("Sao Tome and Principe", date(2017, 1, 10))
    mmr = result.disagreements[EXPECTED.index(("MMR", Field.PRESENCE))]
    assert (mmr.our_note, mmr.their_note) == ("not listed", "party, signed 2015-07-16")
    data = result.to_json()
    assert data["ours"] == {
        "source_url": sup.ICESCR_URL,
        "verified_at": "2015-03-14T09:01:22+00:00",
    }
    assert data["theirs"]["last_updated"] == "2025-10-10T11:26:54"


def _edit(ours: object, code: str, **changes: object) -> object:
    participants = tuple(
        dataclasses.replace(p, **changes) if p.code == code else p
        for p in ours.participants  # type: ignore[attr-defined]
    )
    return dataclasses.replace(ours, participants=participants)  # type: ignore[type-var]


def test_each_kind_of_disagreement() -> None:
    """Visible edits of our side: each gives its own kind of disagreement."""
    base = sup.icescr_2015_status()
    export = _export()
    cases = [
        ("DZA", {"signature": date(1968, 12, 11)}, Field.SIGNATURE),  # one day off
        ("BEL", {"signature": None}, Field.SIGNATURE),
        ("AUS", {"consent": None}, Field.CONSENT),
    ]
    for code, changes, field in cases:
        result = crosscheck(_edit(base, code, **changes), export, verified_at=None)  # type: ignore[arg-type]
        extra = [d for d in result.disagreements if (d.code, d.field) not in EXPECTED]
        assert [(d.code, d.field) for d in extra] == [(code, field)], code
    # a State we list that the export has without any date, or not at all
    vut = Participant(name="Vanuatu", code="VUT", signature=date(2000, 1, 1))
    yug = Participant(name="Yugoslavia (former)", code="YUG", signature=date(1967, 8, 8))
    more = dataclasses.replace(base, participants=(*base.participants, vut, yug))
    result = crosscheck(more, export, verified_at=None)
    by_code = {d.code: d for d in result.disagreements if (d.code, d.field) not in EXPECTED}
    assert by_code["VUT"].field is Field.PRESENCE and by_code["VUT"].their_note == "no date"
    assert by_code["YUG"].their_note == "not in the export"
    assert by_code["YUG"].ours == date(1967, 8, 8) and by_code["YUG"].theirs is None


def test_missing_shared_file_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = sup.SHARED / "no-such-file.xls"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        sup.shared_file(missing)
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        sup.shared_file(missing)


# --- the command ----------------------------------------------------------------------------


@pytest.fixture
def icescr_db(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A database (SQLite and PostgreSQL) holding the 2015 ICESCR status; the CLI points at it."""
    with db.session(engine) as s:
        sup.store_status(s, sup.icescr_2015_status(), verified_at=sup.GATHERED_AT)
    monkeypatch.setenv("TRACKER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as c:
        events = c.execute(sa.select(sa.func.count()).select_from(ChangeEvent)).scalar_one()
        polls = c.execute(sa.select(sa.func.count()).select_from(Poll)).scalar_one()
    return events, polls


def test_crosscheck_command(icescr_db: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    before = _counts(icescr_db)
    assert main(["crosscheck", str(sup.shared_file(sup.OHCHR_XLS))]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == (
        "Cross-check of IV-3: International Covenant on Economic, Social and Cultural Rights"
    )
    assert lines[1] == f"  ours:   {sup.ICESCR_URL}, last verified 2015-03-14 09:01 UTC"
    assert lines[2] == (
        "  theirs: UnderlyingData_ICESCR_OHCHR_02_07_2026.xls (OHCHR), Last Updated "
        "2025-10-10 11:26:54 (time zone not stated)"
    )
    assert lines[3] == (
        "198 States compared: 10 disagreement(s) (presence 9, signature 0, consent 1)."
    )
    andorra = next(line for line in lines if line.startswith("Andorra (AND)"))
    assert andorra.split() == [
        "Andorra",
        "(AND)",
        "presence",
        "-",
        "(not",
        "listed)",
        "2025-09-23",
        "(signatory)",
    ]
    assert lines[-1].startswith("Disagreements are not change events")
    # nothing was written: no event, no poll
    assert _counts(icescr_db) == before


def test_crosscheck_command_json(icescr_db: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(sup.shared_file(sup.OHCHR_XLS))
    assert main(["crosscheck", path, "--treaty", "iv-3", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["treaty"] == "IV-3"
    assert data["counts"] == {"presence": 9, "signature": 0, "consent": 1}
    assert [(d["code"], d["field"]) for d in data["disagreements"]] == [
        (c, str(f)) for c, f in EXPECTED
    ]
    assert data["disagreements"][0] == {
        "code": "AND",
        "name": "Andorra",
        "field": "presence",
        "ours": None,
        "theirs": "2025-09-23",
        "our_note": "not listed",
        "their_note": "signatory",
    }


def test_crosscheck_command_errors(
    icescr_db: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(sup.shared_file(sup.OHCHR_XLS))
    assert main(["crosscheck", path, "--treaty", "IV-4"]) == 2
    assert "treaty 'IV-4' has not been recorded" in capsys.readouterr().err
    assert main(["crosscheck", str(tmp_path / "missing.xls")]) == 2
    assert "cannot read" in capsys.readouterr().err
    bad = tmp_path / "export.xls"
    bad.write_bytes(b"<html>not a spreadsheet</html>")
    assert main(["crosscheck", str(bad)]) == 2
    assert "not a readable Excel .xls file" in capsys.readouterr().err


def test_crosscheck_needs_the_treaty_when_no_title_matches(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    other = dataclasses.replace(sup.icescr_2015_status(), mtdsg_no="IV-4", title="Another")
    with db.session(engine) as s:
        sup.store_status(s, other, verified_at=sup.GATHERED_AT)
    monkeypatch.setenv("TRACKER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    try:
        assert main(["crosscheck", str(sup.shared_file(sup.OHCHR_XLS))]) == 2
    finally:
        get_settings.cache_clear()
    assert "give it with --treaty ID" in capsys.readouterr().err
