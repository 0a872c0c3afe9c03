"""`treaty-tracker run` starts the scheduler with --catch-up: a fresh install (only the
bundled 2015 snapshot) is polled at once, a recently polled database is not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from tests.app_support import FIXTURES, SNAPSHOT_TIME, build, poll
from tracker import scheduler
from tracker.config import Settings


def runtime(now: datetime) -> scheduler.Runtime:
    settings = Settings(treaties=["IV-11-d", "IV-11"])  # type: ignore[call-arg]
    return scheduler.make_runtime(settings, period=timedelta(days=1), started_at=now)


def test_empty_database_is_stale(sqlite_engine: Engine) -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert scheduler._stale(sqlite_engine, runtime(now), now)


def test_snapshot_only_is_stale_and_a_recent_poll_is_not(sqlite_engine: Engine) -> None:
    build(sqlite_engine)  # the 2015 snapshot pages, recorded at SNAPSHOT_TIME
    now = SNAPSHOT_TIME + timedelta(days=3000)
    assert scheduler._stale(sqlite_engine, runtime(now), now)
    body = (FIXTURES / "IV-11-d.en.html").read_bytes()
    poll(sqlite_engine, "IV-11-d", body, now - timedelta(hours=2))
    assert not scheduler._stale(sqlite_engine, runtime(now), now)
    # a recent *failed* poll does not count as fresh data
    later = now + timedelta(days=2)
    poll(sqlite_engine, "IV-11", None, later - timedelta(hours=1), http_status=503)
    assert scheduler._stale(sqlite_engine, runtime(later), later)
