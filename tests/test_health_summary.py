"""The Health view's grouped messages (tracker.health_summary) and "poll now" in the
background (tracker.poll_job) against the local fixture site."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.app_support import _changes_template, app_db  # noqa: F401  (fixtures)
from tests.plugin_http import UntcServer
from tracker import db, health_summary, poll_job, queries
from tracker.config import get_settings
from tracker.queries import HealthRow

NOW = datetime(2017, 10, 20, tzinfo=UTC)
SNAP = datetime(2015, 3, 14, tzinfo=UTC)
STALE = timedelta(days=30)
TRACKED = ("IV-2", "IV-3", "IV-4", "IV-8", "IV-9", "IV-11", "IV-11-a", "IV-11-b", "IV-11-c",
           "IV-11-d", "IV-13", "IV-15", "IV-16")  # fmt: skip


def row(no: str, **kw: object) -> HealthRow:
    values: dict[str, object] = {
        "mtdsg_no": no,
        "last_poll_at": None,
        "outcome": None,
        "http_status": None,
        "error": None,
        "failures_in_a_row": 0,
        "last_success_at": None,
        "status_as_at": None,
        "last_verified_at": None,
    }
    values.update(kw)
    return HealthRow(**values)  # type: ignore[arg-type]


def snapshot(no: str, **kw: object) -> HealthRow:
    base: dict[str, object] = {
        "last_poll_at": SNAP,
        "outcome": "new",
        "last_success_at": SNAP,
        "last_verified_at": SNAP,
        "from_snapshot": True,
        "published_on": date(2015, 3, 14),
    }
    base.update(kw)
    return row(no, **base)


def test_thirteen_snapshot_treaties_make_one_message() -> None:
    found = health_summary.messages([snapshot(n) for n in TRACKED], now=NOW, stale_after=STALE)
    assert [(m.level, m.text) for m in found] == [
        ("info", "13 treaties: no live poll yet — data from the bundled snapshot of 14 Mar 2015")
    ]
    assert found[0].treaties == TRACKED
    [fr] = health_summary.messages(
        [snapshot(n) for n in TRACKED], now=NOW, stale_after=STALE, language="fr"
    )
    assert fr.text.startswith("13 traités : pas encore d'interrogation en direct")
    assert "14 mars 2015" in fr.text


def test_failures_grouped_by_cause_addresses_left_out() -> None:
    refused = "Connection was refused by other side: 111: Connection refused."
    rows = [
        snapshot("IV-11", failures_in_a_row=2, outcome="error",
                 error=f"{refused} https://treaties.un.org/?mtdsg_no=IV-11"),
        snapshot("IV-11-a", failures_in_a_row=1, outcome="error",
                 error=f"{refused} https://treaties.un.org/?mtdsg_no=IV-11-a"),
        snapshot("IV-15", failures_in_a_row=1, outcome="suspect",
                 error="IV-15: the page lists far fewer participants than last time"),
        row("IV-16"),
        row("IV-13", last_poll_at=NOW, outcome="error", failures_in_a_row=1, error="timeout"),
    ]  # fmt: skip
    found = health_summary.messages(rows, now=NOW, stale_after=STALE)
    texts = [m.text for m in found]
    assert texts[0] == (
        f"2 treaties: the last poll failed (error: {refused} …), 1 to 2 times in a row"
    )
    assert found[0].treaties == ("IV-11", "IV-11-a") and found[0].level == "error"
    assert "1 treaty: the last poll failed (suspect: …: the page lists far fewer" in texts[1]
    assert "1 treaty: the last poll failed (error: timeout), once in a row" in texts
    assert "1 treaty: never polled — no data yet" in texts
    assert "1 treaty: polled, but no poll has succeeded yet — no data yet" in texts
    assert sum("bundled snapshot" in t for t in texts) == 1
    # no Python representation anywhere
    assert not any("[" in t or "None" in t or "'" in t for t in texts)


def test_live_stale_counts_and_accepted() -> None:
    live = {"last_poll_at": NOW, "outcome": "unchanged", "last_success_at": NOW}
    rows = [
        row("IV-11", **live, last_verified_at=NOW - timedelta(days=2)),
        row("IV-11-d", **live, last_verified_at=NOW,
            count_discrepancy=("The page states 17 parties but its rows give 16.",),
            accepted_by="ops", accepted_at=NOW),
        row("IV-15", **live, last_verified_at=NOW - timedelta(days=45)),
    ]  # fmt: skip
    found = {m.cause: m for m in health_summary.messages(rows, now=NOW, stale_after=STALE)}
    assert found["stale"].text == (
        "1 treaty: not verified for more than 30 days (last on 5 Sep 2017)"
    )
    assert found["counts"].details == ("IV-11-d: The page states 17 parties but its rows give 16.",)
    assert found["accepted"].details == ("IV-11-d: ops, 20 Oct 2017",)
    assert (
        found["live"].text == "2 treaties: live data, verified between 18 Oct 2017 and 20 Oct 2017"
    )
    assert found["live"].level == "success"


def test_read_side_database_groups(app_db: str) -> None:  # noqa: F811
    settings = get_settings()
    with db.session(db.make_engine(app_db)) as s:
        rows = queries.health(session=s, treaties=settings.treaties)
    found = health_summary.messages(rows, now=NOW, stale_after=STALE)
    texts = [m.text for m in found]
    assert texts[0].startswith("1 treaty: the last poll failed (error: connection refused)")
    assert "5 treaties: no live poll yet — data from the bundled snapshot of 14 Mar 2015" in texts
    assert "8 treaties: never polled — no data yet" in texts


# --- poll now in the background ---------------------------------------------------------------


@pytest.fixture
def crawl_db(
    sqlite_engine: Engine, untc_server: UntcServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Engine]:
    monkeypatch.setenv(
        "TRACKER_DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False)
    )
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield sqlite_engine
    get_settings.cache_clear()


def test_poll_now_runs_in_the_background_and_reports_progress(
    crawl_db: Engine, untc_server: UntcServer, tmp_path: Path
) -> None:
    untc_server.fail("mtdsg_no=IV-11-a", status=404, times=10)
    treaties = ("IV-11-d", "IV-11-a")
    with db.session(crawl_db) as s:
        job = poll_job.start(
            session=s, treaties=treaties, languages=("en",), log_dir=tmp_path / "logs", now=NOW
        )
        first = poll_job.progress(job, session=s)
    assert first.total == 2 and first.done <= 2
    deadline = time.monotonic() + 120  # a bound on waiting, not a timed assertion
    while job.exit_status() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    with db.session(crawl_db) as s:
        last = poll_job.progress(job, session=s)
    assert last.finished and last.exit_status == 1  # one page failed
    assert last.done == 2 and last.fraction == 1.0
    assert last.outcomes == {"new": 1, "error": 1}
    assert last.failed == ("IV-11-a",)
    assert "IV-11-a" in job.log_tail()


def test_progress_sentences() -> None:
    running = poll_job.Progress(3, 13, {"unchanged": 3}, (), False, None)
    assert health_summary.progress_text(running) == ("info", "Polling: 3 of 13 pages recorded")
    assert running.fraction == 3 / 13
    done = poll_job.Progress(2, 2, {"changed": 1, "unchanged": 1}, (), True, 0)
    assert health_summary.progress_text(done, "fr") == (
        "success",
        "Interrogation terminée : 2 pages enregistrées sur 2 (1 modifiée(s), 1 inchangée(s)).",
    )
    failed = poll_job.Progress(2, 2, {"error": 1, "new": 1}, ("IV-11-a",), True, 1)
    assert health_summary.progress_text(failed) == (
        "error",
        "Poll finished with failures: 2 of 2 pages recorded (1 failed, 1 first poll); "
        "failed: IV-11-a.",
    )
    nothing = poll_job.Progress(0, 2, {}, (), True, 2)
    assert health_summary.progress_text(nothing)[1].startswith(
        "The poll ended without recording any page (exit status 2)"
    )
