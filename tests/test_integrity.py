"""``treaty-tracker check`` (tracker.integrity) on databases built through the real service.

The history used here (and by tests/test_portable.py and tests/test_replay.py) is recorded
with :func:`tracker.service.record_poll` from the reconstructed OPIC page
(tests/fixtures/untc/IV-11-d.en.html, values of 2015-03-14) and edits of it written out
below:

* ``B``: Argentina's ratification of 14 Apr 2015 (a real act, after the page's date) added,
  plus an accession by Panama on 1 Jun 2015 INVENTED for this test; counts and the "as at"
  date adjusted;
* ``C``: ``B`` with "The former Yugoslav Republic of Macedonia" renamed "North Macedonia"
  (the real 2019 name);
* ``D``: ``C`` with the row of Mauritius removed (a disappearance invented for this test);
* ``E``: ``D`` with a ratification by Austria on 1 Jul 2015 (INVENTED for this test), used
  to record one more poll after an import.

The reconstructed OPAC page (IV-11-b.en.html) is polled once as a second treaty.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker import integrity
from tracker.archive import Archive, sha256_hex
from tracker.cli import main
from tracker.domain import FetchedPage, PollOutcome
from tracker.models import Poll
from tracker.service import PollReport, record_poll

FIXTURES = Path(__file__).parent / "fixtures" / "untc"
BASE = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={}&chapter=4&clang=_en"
T0 = datetime(2015, 3, 14, 12, 0, tzinfo=UTC)


def page_a() -> str:
    return (FIXTURES / "IV-11-d.en.html").read_text(encoding="utf-8")


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"edit anchor not found once: {old!r}"
    return text.replace(old, new)


def page_b() -> str:
    text = _edit(
        page_a(),
        "<tr><td>Argentina</td><td>25 Jul\t 2012</td><td></td></tr>",
        "<tr><td>Argentina</td><td>25 Jul\t 2012</td><td>14 Apr\t 2015</td></tr>",
    )
    text = _edit(
        text,
        "<tr><td>Paraguay</td>",
        "<tr><td>Panama</td><td></td><td> 1 Jun\t 2015 a</td></tr>\n<tr><td>Paraguay</td>",
    )
    text = _edit(text, "Signatories : 48. Parties : 16", "Signatories : 48. Parties : 18")
    return _edit(text, ">14-03-2015 05:01:22<", ">02-06-2015 05:01:22<")


def page_c() -> str:
    return _edit(
        page_b(), "<td>The former Yugoslav Republic of Macedonia</td>", "<td>North Macedonia</td>"
    )


def page_d() -> str:
    text = _edit(page_c(), "<tr><td>Mauritius</td><td>13 Aug\t 2012</td><td></td></tr>\n", "")
    return _edit(text, "Signatories : 48. Parties : 18", "Signatories : 47. Parties : 18")


def page_e() -> str:
    text = _edit(
        page_d(),
        "<tr><td>Austria</td><td>28 Feb\t 2012</td><td></td></tr>",
        "<tr><td>Austria</td><td>28 Feb\t 2012</td><td> 1 Jul\t 2015</td></tr>",
    )
    text = _edit(text, "Signatories : 47. Parties : 18", "Signatories : 47. Parties : 19")
    return _edit(text, ">02-06-2015 05:01:22<", ">03-07-2015 05:01:22<")


def fetched(mtdsg_no: str, body: str | None, at: datetime, status: int | None = 200) -> FetchedPage:
    raw = None if body is None else body.encode("utf-8")
    return FetchedPage(
        mtdsg_no=mtdsg_no,
        url=BASE.format(mtdsg_no),
        fetched_at=at,
        started_at=at - timedelta(seconds=2),
        http_status=status,
        body=raw,
        content_hash=None if raw is None else sha256_hex(raw),
        error=None if raw is not None else "connection refused",
    )


def poll(
    session: Session, archive: Archive, mtdsg_no: str, body: str | None, day: int
) -> PollReport:
    at = T0 + timedelta(days=day)
    return record_poll(
        session=session,
        page=fetched(mtdsg_no, body, at),
        archive=archive,
        clock=lambda: at + timedelta(seconds=1),
    )


def build_history(session: Session, archive: Archive) -> list[PollReport]:
    """A history with every kind of poll: baseline, changes (consent, accession, rename,
    disappearance), cheap and parsed 'unchanged', a failed fetch, a suspect half page,
    and a second treaty."""
    half = page_b()
    start = half.index("<tr><td>Guinea-Bissau</td>")
    half = half[:start] + half[half.index("</table>", start) :]
    steps: list[tuple[str, str | None]] = [
        ("IV-11-d", page_a()),
        ("IV-11-b", (FIXTURES / "IV-11-b.en.html").read_text(encoding="utf-8")),
        ("IV-11-d", page_a()),  # same bytes: unchanged without parsing
        ("IV-11-d", None),  # the fetch failed
        ("IV-11-d", page_b()),
        ("IV-11-d", half),  # suspect: far fewer rows
        ("IV-11-d", page_b() + "\n<!-- other bytes -->"),  # parsed, unchanged
        ("IV-11-d", page_c()),
        ("IV-11-d", page_d()),
    ]
    return [poll(session, archive, no, body, day) for day, (no, body) in enumerate(steps)]


def built(engine: Engine, archive: Archive) -> list[PollReport]:
    with Session(engine, expire_on_commit=False) as s:
        return build_history(s, archive)


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def run_check(engine: Engine, archive: Archive, *extra: str) -> int:
    return main(["check", "--database-url", url_of(engine), "--archive", str(archive.root), *extra])


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(tmp_path / "archive")


def _check(engine: Engine, archive: Archive, **kw: Any) -> integrity.CheckReport:
    with Session(engine) as s:
        return integrity.check_database(session=s, archive=archive, **kw)


def _sql(engine: Engine, statement: str, **params: Any) -> None:
    with engine.begin() as connection:
        connection.execute(text(statement), params)


def test_a_history_recorded_by_the_service_passes(
    engine: Engine, archive: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = built(engine, archive)
    assert [r.outcome for r in reports].count(PollOutcome.CHANGED) == 3
    result = _check(engine, archive)
    assert result.ok, [str(f) for f in result.findings]
    assert result.checks == list(integrity.CHECKS)
    assert result.counts["poll"] == 9 and result.counts["change_event"] == 4
    assert run_check(engine, archive) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("OK: 6 checks passed")


def test_a_tampered_status_row_is_found(
    engine: Engine, archive: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    built(engine, archive)
    _sql(
        engine,
        "UPDATE participant_status SET consent_date = :d WHERE participant_code = 'ARG'",
        d=date(2015, 4, 15),
    )
    result = _check(engine, archive)
    by_check = {f.check: f.message for f in result.findings}
    assert "ARG: consent_date is datetime.date(2015, 4, 15)" in by_check["status"]
    assert "2015-04-14" in by_check["status"] or "2015, 4, 14" in by_check["status"]
    assert "IV-11-d ARG: status differs: consent_date" in by_check["history"]
    assert run_check(engine, archive, "--json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert {f["check"] for f in data["findings"]} == {"status", "history"}


def test_listed_row_missing_from_the_page_and_wrong_counts_are_found(
    sqlite_engine: Engine, archive: Archive
) -> None:
    built(sqlite_engine, archive)
    _sql(sqlite_engine, "UPDATE participant_status SET listed = 1 WHERE participant_code = 'MUS'")
    _sql(sqlite_engine, "UPDATE treaty SET parties = 17 WHERE mtdsg_no = 'IV-11-d'")
    messages = [str(f) for f in _check(sqlite_engine, archive, quick=True).findings]
    assert any("MUS is listed but not on the page" in m for m in messages), messages
    assert any("treaty parties is 17, page says 18" in m for m in messages), messages
    assert len(messages) == 2


def test_missing_and_damaged_archive_pages_are_found(
    sqlite_engine: Engine, archive: Archive
) -> None:
    reports = built(sqlite_engine, archive)
    with Session(sqlite_engine) as s:
        first = s.get(Poll, reports[0].poll_id)
        changed = s.get(Poll, reports[4].poll_id)
    assert first is not None and changed is not None
    archive.path_for(first.content_hash or "").unlink()
    damaged = archive.path_for(changed.content_hash or "")
    damaged.write_bytes(gzip.compress(b"<html>something else</html>"))
    messages = [str(f) for f in _check(sqlite_engine, archive, quick=True).findings]
    # the baseline page was also polled again (poll 3, same bytes): both lack their page
    missing = [m for m in messages if "missing from the archive" in m]
    assert len(missing) == 2 and f"poll {first.id}:" in missing[0]
    assert any(f"poll {changed.id}:" in m and "damaged" in m for m in messages), messages


def test_orphans_wrong_counts_and_event_order_are_found(
    sqlite_engine: Engine, archive: Archive
) -> None:
    reports = built(sqlite_engine, archive)
    raw = sqlite_engine.raw_connection()
    try:
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute(
            "INSERT INTO change_event (id, poll_id, mtdsg_no, kind, observed_at, source_url) "
            "VALUES (100, 999, 'IV-11-d', 'consent', '2015-03-01 00:00:00', 'x')"
        )
        raw.execute(
            "INSERT INTO alert (id, watch_id, event_id, status, attempts, created_at) "
            "VALUES (7, 42, 1, 'pending', 0, '2015-03-30 00:00:00')"
        )
        raw.execute("INSERT INTO event_read (event_id, read_at) VALUES (555, '2015-03-30')")
        raw.commit()
    finally:
        raw.close()
    _sql(sqlite_engine, "UPDATE poll SET events = 5 WHERE id = :i", i=reports[7].poll_id)
    _sql(sqlite_engine, "UPDATE poll SET outcome = 'maybe' WHERE id = :i", i=reports[2].poll_id)
    messages = [str(f) for f in _check(sqlite_engine, archive, quick=True).findings]
    expected = [
        "[orphans] event 100 has no poll (poll_id=999)",
        "[orphans] read mark of event 555 has no event (event_id=555)",
        "[orphans] alert 7 has no watch (watch_id=42)",
        f"[polls] poll {reports[2].poll_id} (IV-11-d) has no known outcome: 'maybe'",
        f"[polls] poll {reports[7].poll_id} (IV-11-d) says 5 event(s) but 1 are stored",
        "[event-order] IV-11-d: event 100 observed 2015-03-01T00:00:00+00:00 is before event 4 "
        "observed 2015-03-22T12:00:00+00:00",
    ]
    for line in expected:
        assert line in messages, (line, messages)
    assert len(messages) == len(expected), messages


def test_check_errors_are_one_line_with_status_2(
    tmp_path: Path, sqlite_engine: Engine, archive: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    built(sqlite_engine, archive)
    cases = [
        ["--database-url", f"sqlite:///{tmp_path / 'nothing.db'}"],
        ["--database-url", "postgresql://postgres@127.0.0.1:1/none"],
        ["--database-url", url_of(sqlite_engine), "--archive", str(tmp_path / "no-archive")],
    ]
    for args in cases:
        assert main(["check", *args]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1, err
    assert not (tmp_path / "nothing.db").exists()


def test_check_help_is_plain(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for word in ("--json", "--archive", "--quick", "Exit status 0"):
        assert word in out
