"""The item pipeline: polls are recorded in writer threads, off the Twisted reactor thread,
by a bounded number of writers; a crawl never migrates the database.

The crawls are real (Scrapy in a child process against the local fake UNTC server).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from scraper.pipelines import RecordPollPipeline
from tests.plugin_http import UntcServer
from tracker import db
from tracker.config import get_settings
from tracker.crawl import crawl, run_crawl_subprocess

FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RETRY_BACKOFF_BASE": 0}
TREATIES = ["IV-11", "IV-11-a", "IV-11-b", "IV-11-c", "IV-11-d", "IV-15"]


def use(monkeypatch: pytest.MonkeyPatch, url: str, tmp_path: Path) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()


@pytest.mark.timeout(300)
def test_the_crawl_goes_on_while_the_database_is_locked(
    untc_server: UntcServer,
    sqlite_engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another process holds SQLite's write lock. The crawl, one request at a time, still
    fetches every page while the lock is held: recording waits in a writer thread, not on the
    reactor thread (where the first page would stall the crawl for the 30 s busy timeout,
    and end as an error poll). Once the lock is released every page is recorded."""
    use(monkeypatch, sqlite_engine.url.render_as_string(hide_password=False), tmp_path)
    holder = sqlite_engine.connect()
    holder.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock, as a busy writer holds it
    results: dict[str, Any] = {}

    def run() -> None:
        results["reports"] = run_crawl_subprocess(
            TREATIES, timeout=240, scrapy_settings=FAST | {"CONCURRENT_REQUESTS": 1}
        )

    thread = threading.Thread(target=run)
    thread.start()
    try:
        while len(untc_server.requests_for("mtdsg_no=")) < len(TREATIES):
            assert thread.is_alive(), "the crawl ended before fetching every page"
            thread.join(timeout=0.2)
        # every page fetched, and not one poll recorded yet: they wait for the lock
        with db.session(
            db.make_engine(sqlite_engine.url.render_as_string(hide_password=False))
        ) as s:
            assert s.connection().exec_driver_sql("SELECT COUNT(*) FROM poll").scalar() == 0
    finally:
        holder.rollback()
        holder.close()
    thread.join(timeout=240)
    outcomes = {r["mtdsg_no"]: r["outcome"] for r in results["reports"]}
    assert outcomes == dict.fromkeys(TREATIES, "new"), results["reports"]


@pytest.mark.parametrize("asked", [0, 3])
def test_writers_are_bounded(engine: Engine, tmp_path: Path, asked: int) -> None:
    """One writer on SQLite (it takes one at a time anyway), two on PostgreSQL, unless
    TRACKER_DB_WRITERS asks for another number."""
    url = engine.url.render_as_string(hide_password=False)
    pipeline = RecordPollPipeline(url, str(tmp_path), writers=asked)
    pipeline.open_spider()
    try:
        default = 1 if engine.dialect.name == "sqlite" else 2
        assert pipeline.pool is not None and pipeline.pool.max == (asked or default)
    finally:
        pipeline.close_spider()


@pytest.fixture
def fresh_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A SQLite database that does not exist yet (TRACKER_DATABASE_URL points at it)."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    use(monkeypatch, url, tmp_path)
    return url


def test_a_crawl_never_migrates_the_database(
    untc_server: UntcServer, fresh_url: str, tmp_path: Path
) -> None:
    with pytest.raises(db.DatabaseNotReadyError, match="run: treaty-tracker db upgrade"):
        crawl(["IV-11-d"], scrapy_settings=FAST, timeout=120)
    # the child refuses too, when started directly (as `scrapy crawl` would be)
    child = subprocess.run(
        [sys.executable, "-m", "scraper.runner", "--output", str(tmp_path / "out.jsonl"),
         "--treaty", "IV-11-d"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert child.returncode == 4, child.stderr
    assert "has no tracker tables" in (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert untc_server.requests_for("mtdsg_no=") == []
    engine = db.make_engine(fresh_url)
    assert inspect(engine).get_table_names() == []  # still empty: nothing was migrated
    engine.dispose()


def test_the_poll_command_migrates_at_start(untc_server: UntcServer, fresh_url: str) -> None:
    sets = [a for n, v in FAST.items() for a in ("--set", f"{n}={str(v).lower()}")]
    result = subprocess.run(
        [sys.executable, "-m", "tracker.cli", "poll", "--treaty", "IV-11-d", *sets],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["IV-11-d: new, 0 event(s)"]
    engine = db.make_engine(fresh_url)
    assert db.current_revision(engine) == db.head_revision()
    engine.dispose()
