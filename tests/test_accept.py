"""A first page whose stated counts disagree with its rows is baselined anyway (the
discrepancy kept and shown); a later change of the discrepancy is suspect; an operator can
accept a suspect page after inspection (``treaty-tracker accept``), recorded with who and when.

Pages are DERIVED EDITS of the OPIC reconstruction (tests/fixtures/untc/IV-11-d.en.html, real
values published on 14 March 2015), each written out below. The disagreeing counts are
INVENTED for these tests (the real page's counts agree with its rows).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tests.app_support import FIXTURES, url_of
from tracker import db, integrity, queries
from tracker.archive import Archive
from tracker.cli import main
from tracker.config import get_settings
from tracker.domain import FetchedPage
from tracker.models import Poll
from tracker.service import record_poll

OPIC = "IV-11-d"
BODY = (FIXTURES / "IV-11-d.en.html").read_text(encoding="utf-8")
T0 = datetime(2024, 1, 10, 6, tzinfo=UTC)


def edited(*edits: tuple[str, str]) -> bytes:
    text = BODY
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text.encode("utf-8")


#: The page states 17 parties; its rows give 16 (invented disagreement).
STATES_17 = ("Signatories : 48. Parties : 16", "Signatories : 48. Parties : 17")
#: Argentina's real ratification of 14 Apr 2015 (rows then give 17).
ARGENTINA = (
    "<tr><td>Argentina</td><td>25 Jul\t 2012</td><td></td></tr>",
    "<tr><td>Argentina</td><td>25 Jul\t 2012</td><td>14 Apr\t 2015</td></tr>",
)


def record(engine: Engine, body: bytes, at: datetime, archive: Archive | None = None) -> Poll:
    page = FetchedPage(
        mtdsg_no=OPIC, url=url_of("IV-11-d.en.html"), fetched_at=at, started_at=at,
        http_status=200, body=body,
    )  # fmt: skip
    with db.session(engine) as s:
        report = record_poll(session=s, page=page, archive=archive, clock=lambda: at)
        poll = s.get(Poll, report.poll_id)
        assert poll is not None
        s.expunge(poll)
        return poll


def test_first_page_with_disagreeing_counts_is_baselined_and_the_discrepancy_kept(
    engine: Engine,
) -> None:
    first = record(engine, edited(STATES_17), T0)
    assert first.outcome == "new"  # it used to be suspect forever
    baselined = "Baselined although the counts disagree: The page states 17 parties but its rows"
    assert f"{baselined} give 16." in (first.warnings or "").splitlines()
    with db.session(engine) as s:
        [summary] = queries.treaties(session=s)
        assert summary.count_discrepancy == ("The page states 17 parties but its rows give 16.",)
        [health] = queries.health(session=s)
        assert health.count_discrepancy == summary.count_discrepancy
        belgium = {r.mtdsg_no: r for r in queries.country_overview(session=s, code="BEL")}
        assert belgium[OPIC].count_discrepancy == summary.count_discrepancy

    # the same quirk again is no reason for doubt; a real change is recorded as usual
    second = record(engine, edited(STATES_17, ARGENTINA, ("Parties : 17", "Parties : 18")), T0)
    assert second.outcome == "changed" and second.events == 1
    # a different discrepancy is suspect, and nothing is applied
    third = record(engine, edited(ARGENTINA, ("Parties : 16", "Parties : 20")), T0)
    assert third.outcome == "suspect"
    assert third.error == "The page states 20 parties but its rows give 17."
    with db.session(engine) as s:
        assert queries.treaties(session=s)[0].parties == 18


def test_a_first_page_with_another_fault_is_still_suspect(sqlite_engine: Engine) -> None:
    argentina_twice = ARGENTINA[0] + "\n" + ARGENTINA[0]
    poll = record(sqlite_engine, edited(STATES_17, (ARGENTINA[0], argentina_twice)), T0)
    assert poll.outcome == "suspect"
    assert "more than once" in (poll.error or "")
    with db.session(sqlite_engine) as s:
        assert queries.treaties(session=s) == []


@pytest.fixture
def data_dir(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Archive]:
    monkeypatch.setenv("TRACKER_DATABASE_URL", sqlite_engine.url.render_as_string(False))
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield Archive(get_settings().archive_dir)
    get_settings.cache_clear()


def test_accept_command_applies_a_suspect_page_and_says_who_and_when(
    sqlite_engine: Engine, data_dir: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    assert record(sqlite_engine, BODY.encode(), T0, data_dir).outcome == "new"
    assert main(["accept", "--treaty", OPIC, "--by", "alice"]) == 2
    assert "nothing to accept" in capsys.readouterr().err

    later = T0 + timedelta(days=1)
    suspect = record(
        sqlite_engine, edited(ARGENTINA, ("Parties : 16", "Parties : 19")), later, data_dir
    )
    assert suspect.outcome == "suspect"
    before = datetime.now(UTC)
    assert main(["accept", "--treaty", OPIC, "--by", "alice"]) == 0
    out = capsys.readouterr().out
    assert "The page states 19 parties but its rows give 17." in out
    assert "Accepted by alice" in out and "changed, 1 event(s)" in out
    with Session(sqlite_engine) as s:
        accepted = s.exec(select(Poll).order_by(col(Poll.id).desc())).first()
        assert accepted is not None
        assert (accepted.outcome, accepted.accepted_by) == ("changed", "alice")
        assert accepted.finished_at is not None and accepted.finished_at >= before  # when
        assert "Accepted by alice after inspection although" in (accepted.warnings or "")
        [health] = queries.health(session=s)
        assert health.accepted_by == "alice" and health.accepted_at == accepted.finished_at
        [event] = queries.events(session=s)
        assert (event.participant_code, event.observed_at) == ("ARG", later)  # when fetched
        assert integrity.check_database(session=s, archive=data_dir).ok  # replays the same
    assert main(["accept", "--treaty", OPIC]) == 2  # nothing suspect any more
    capsys.readouterr()


def test_another_treatys_page_is_never_accepted(
    sqlite_engine: Engine, data_dir: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    assert record(sqlite_engine, BODY.encode(), T0, data_dir).outcome == "new"
    other = (FIXTURES / "IV-11-b.en.html").read_bytes()
    assert record(sqlite_engine, other, T0 + timedelta(days=1), data_dir).outcome == "suspect"
    assert main(["accept", "--treaty", OPIC, "--by", "bob"]) == 1
    assert "Not applied (suspect)" in capsys.readouterr().err
    with Session(sqlite_engine) as s:
        assert queries.treaties(session=s)[0].parties == 16


def test_the_discrepancy_is_shown_in_status_and_on_the_health_page(
    sqlite_engine: Engine, data_dir: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.app_support import open_view

    assert record(sqlite_engine, edited(STATES_17), T0, data_dir).outcome == "new"
    assert main(["status", "--country", "BEL", "--treaty", OPIC]) == 0
    assert (
        "IV-11-d: counts disagree with the rows (kept as found): The page states 17 parties "
        "but its rows give 16."
    ) in capsys.readouterr().out.splitlines()
    at = open_view("health", timeout=120)
    assert not at.exception
    frame = at.dataframe[0].value.set_index("Treaty")
    assert frame.loc[OPIC, "Counts vs rows"] == "The page states 17 parties but its rows give 16."
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any("The page states 17 parties but its rows give 16." in w for w in warnings)
