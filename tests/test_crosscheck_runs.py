"""Kept cross-check runs: ``treaty-tracker crosscheck FILE`` keeps each run (table
``crosscheck_run``, migration 0006), ``--last`` and :func:`tracker.queries.crosscheck_runs` read
them back, and the Health view shows them. Never a change event, never a poll. The export is
the real OHCHR ICESCR file; our side the stored 2015 ICESCR status (tests/ohchr_support.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from sqlalchemy.engine import Engine

from tests import app_support as sup_app
from tests import ohchr_support as sup
from tests.test_crosscheck import EXPECTED, _counts
from tracker import db, queries
from tracker.cli import main
from tracker.config import get_settings
from tracker.models import CrosscheckRun

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def icescr_db(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    with db.session(engine) as s:
        sup.store_status(s, sup.icescr_2015_status(), verified_at=sup.GATHERED_AT)
    monkeypatch.setenv("TRACKER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()


def _runs(engine: Engine) -> int:
    with engine.connect() as c:
        return int(c.execute(sa.select(sa.func.count()).select_from(CrosscheckRun)).scalar_one())


def test_a_run_is_kept_read_back_and_makes_no_event(
    icescr_db: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _counts(icescr_db)  # (change events, polls)
    path = str(sup.shared_file(sup.OHCHR_XLS))
    assert main(["crosscheck", path, "--no-save"]) == 1
    assert _runs(icescr_db) == 0  # --no-save writes nothing
    assert main(["crosscheck", path]) == 1
    capsys.readouterr()
    assert _runs(icescr_db) == 1
    assert _counts(icescr_db) == before  # no change event, no poll

    with db.session(icescr_db) as s:
        [run] = queries.crosscheck_runs(session=s)
    assert run.mtdsg_no == "IV-3" and run.compared == 198
    assert run.their_source == "UnderlyingData_ICESCR_OHCHR_02_07_2026.xls"
    assert run.their_last_updated == "2025-10-10T11:26:54"
    assert run.our_source_url == sup.ICESCR_URL
    assert run.counts == {"presence": 9, "signature": 0, "consent": 1}
    assert [(d["code"], d["field"]) for d in run.disagreements] == [
        (c, str(f)) for c, f in EXPECTED
    ]

    assert main(["crosscheck", "--last", "--json"]) == 0
    [data] = json.loads(capsys.readouterr().out)
    assert data["treaty"] == "IV-3"
    assert data["theirs"]["last_updated_time_zone"] is None
    assert data["ours"]["verified_at"] == "2015-03-14T09:01:22+00:00"
    assert data["disagreements"][0]["code"] == "AND"
    assert main(["crosscheck", "--last"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("IV-3: 10 disagreement(s) among 198 States")
    assert "Disagreements are not change events" in out


def test_latest_run_per_treaty(icescr_db: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(sup.shared_file(sup.OHCHR_XLS))
    assert main(["crosscheck", path]) == 1
    assert main(["crosscheck", path]) == 1
    capsys.readouterr()
    with db.session(icescr_db) as s:
        latest = queries.crosscheck_runs(session=s)
        every = queries.crosscheck_runs(session=s, latest_only=False)
        other = queries.crosscheck_runs(session=s, treaty="IV-4")
    assert len(latest) == 1 and len(every) == 2 and other == []
    assert latest[0].id == max(r.id for r in every)


def test_no_file_and_no_last_is_a_usage_error(
    icescr_db: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["crosscheck"]) == 2
    assert "give the exported .xls FILE" in capsys.readouterr().err


def test_health_view_shows_the_crosscheck_panel(
    icescr_db: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    at = sup_app.open_view("health")
    assert not at.exception
    assert any("No cross-check kept yet" in c.value for c in at.caption)
    assert main(["crosscheck", str(sup.shared_file(sup.OHCHR_XLS))]) == 1
    st.cache_data.clear()  # the app's queries are cached for a minute
    at = sup_app.open_view("health")
    assert not at.exception
    assert any("Second opinion" in h.value for h in at.subheader)
    text = " ".join(m.value for m in at.markdown)
    assert "IV\\-3: 10 disagreement\\(s\\) among 198 States" in text
    assert "Last Updated 2025\\-10\\-10 11:26:54, time zone not stated" in text
    frame = at.dataframe[1].value  # after the health table
    assert list(frame.columns) == ["State", "Field", "Ours", "Theirs"]
    andorra = frame[frame["State"] == "Andorra (AND)"].iloc[0].to_dict()
    assert andorra["Field"] == "presence"
    assert andorra["Ours"] == "– (not listed)"
    assert andorra["Theirs"] == "2025-09-23 (signatory)"
    assert any("not change events" in c.value for c in at.caption)
