"""The scheduler: triggers, the one-scheduler-per-database lock, and a real run killed with
SIGKILL during a poll and restarted (no lost or duplicated job, no partial poll, each alert
delivered exactly once)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tests.helpers_webhook import Webhook
from tests.plugin_http import UntcServer
from tracker import alerts, cli, db, scheduler
from tracker.config import get_settings
from tracker.models import Alert, ChangeEvent, Poll

ROOT = Path(__file__).resolve().parent.parent
BELGIUM_ROW = "Belgium</a></td><td>28 Feb\t 2012</td><td>30 May\t 2014</td></tr>"
BELGIUM_SIGNED_ONLY = "Belgium</a></td><td>28 Feb\t 2012</td><td></td></tr>"


def test_poll_trigger_and_period() -> None:
    now = datetime(2025, 1, 6, 12, tzinfo=UTC)
    daily = scheduler.poll_trigger(cron="0 6 * * *")
    assert daily.get_next_fire_time(None, now) == datetime(2025, 1, 7, 6, tzinfo=UTC)
    assert scheduler.trigger_period(daily, now) == timedelta(days=1)
    weekdays = scheduler.poll_trigger(cron="0 6 * * 1-5")
    assert scheduler.trigger_period(weekdays, now) == timedelta(days=3)  # Friday -> Monday
    assert scheduler.trigger_period(scheduler.poll_trigger(cron="", interval=2), now) == (
        timedelta(seconds=2)
    )
    with pytest.raises(ValueError, match="not a cron expression"):
        scheduler.poll_trigger(cron="every day")


def test_only_one_scheduler_per_database(engine: Engine) -> None:
    first = scheduler.SchedulerLock(engine)
    first.acquire()
    try:
        other_engine = db.make_engine(engine.url.render_as_string(hide_password=False))
        try:
            with pytest.raises(scheduler.SchedulerLockedError, match="another scheduler"):
                scheduler.SchedulerLock(other_engine).acquire()
        finally:
            other_engine.dispose()
    finally:
        first.release()
    with scheduler.SchedulerLock(engine):  # free again once released
        pass


def test_in_memory_sqlite_is_refused() -> None:
    engine = db.make_engine("sqlite://")
    with pytest.raises(scheduler.SchedulerLockedError, match="in-memory"):
        scheduler.SchedulerLock(engine).acquire()


# --------------------------------------------------------------------------------------
# a real scheduler process


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _wait(what: str, condition: Callable[[], Any], timeout: float, log: Path) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; scheduler log:\n{log.read_text()}")


def _start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "tracker.cli",
        "-v",
        "schedule",
        "--interval",
        "2",
        "--set",
        "DOWNLOAD_DELAY=0",
        "--set",
        "AUTOTHROTTLE_ENABLED=false",
    ]
    with log.open("ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _polls(engine: Engine) -> list[Poll]:
    with Session(engine) as s:
        return list(s.exec(select(Poll).order_by(col(Poll.id))))


@pytest.mark.timeout(600)
def test_scheduler_killed_during_a_poll_and_restarted(
    untc_server: UntcServer, tmp_path: Path
) -> None:
    page = untc_server.page("IV-11-d")
    real = page.read_text(encoding="utf-8")
    assert BELGIUM_ROW in real and "Parties : 16" in real
    # Baseline: the page as it was before Belgium's ratification (real values otherwise).
    page.write_text(
        real.replace(BELGIUM_ROW, BELGIUM_SIGNED_ONLY).replace("Parties : 16", "Parties : 15"),
        encoding="utf-8",
    )
    database = tmp_path / "tracker.db"
    url = f"sqlite:///{database}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    hook = Webhook().start()
    with db.session(engine) as s:
        alerts.add_watch(
            session=s, label="Belgium", notify_url=hook.url, country_code="BEL", kinds=["consent"]
        )
        alerts.add_watch(session=s, label="OPIC", notify_url=hook.url, mtdsg_no="IV-11-d")
        s.commit()
    env = dict(os.environ)
    env.update(
        TRACKER_DATABASE_URL=url,
        TRACKER_DATA_DIR=str(tmp_path / "data"),
        TRACKER_TREATIES='["IV-11-d"]',
        TRACKER_LANGUAGES='["en"]',
        TRACKER_POLL_TIMEOUT_SECONDS="60",
        PYTHONPATH=str(ROOT),
    )
    log = tmp_path / "scheduler.log"
    proc = _start(env, log)
    try:
        _wait(
            "the baseline poll", lambda: any(p.outcome == "new" for p in _polls(engine)), 180, log
        )
        # Belgium ratifies; the next poll's first answer is a 503 asking to retry in 30 s, so
        # the crawl sits waiting while we pull the plug on the scheduler and its crawl.
        before = len(untc_server.requests_for("mtdsg_no=IV-11-d"))
        untc_server.fail("mtdsg_no=IV-11-d", status=503, times=1, headers={"Retry-After": "30"})
        page.write_text(real, encoding="utf-8")
        _wait(
            "a poll in progress",
            lambda: len(untc_server.requests_for("mtdsg_no=IV-11-d")) > before,
            180,
            log,
        )
        crawl = _children(proc.pid)
        assert crawl, "the crawl child should be running"
        os.killpg(proc.pid, signal.SIGKILL)  # the crawl child is in the scheduler's group
        for pid in crawl:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.wait(timeout=10)
        # Nothing of the interrupted poll landed.
        with Session(engine) as s:
            assert s.exec(select(ChangeEvent)).all() == []
        assert all(p.outcome in ("new", "unchanged") for p in _polls(engine))

        proc = _start(env, log)
        _wait("two alerts delivered", lambda: len(hook.messages()) >= 2, 180, log)
        polls_then = len(_polls(engine))
        _wait("two more polls", lambda: len(_polls(engine)) >= polls_then + 2, 180, log)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=120) == 0, log.read_text()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        hook.stop()

    with Session(engine) as s:
        jobs = s.execute(sa.text("SELECT id FROM apscheduler_jobs")).all()
        events = s.exec(select(ChangeEvent)).all()
        alert_rows = s.exec(select(Alert)).all()
        polls = {p.id: p for p in s.exec(select(Poll))}
    engine.dispose()
    assert [tuple(j) for j in jobs] == [("poll",)]  # one job, not lost, not duplicated
    assert all(p.outcome and p.finished_at for p in polls.values())
    assert [e.kind for e in events] == ["consent"]
    assert all(polls[e.poll_id].outcome == "changed" for e in events)
    assert sorted((a.watch_id, a.status) for a in alert_rows) == [(1, "sent"), (2, "sent")]
    messages = hook.messages()
    assert len(messages) == 2  # exactly once per watch
    assert all(
        m["message"].startswith(
            "Belgium ratified the Optional Protocol to the Convention on the Rights of the Child "
            "on a communications procedure (IV-11-d) on 30 May 2014; it entered into force for "
            "Belgium on 30 August 2014. Source: http://127.0.0.1:"
        )
        for m in messages
    ), [m["message"] for m in messages]
    text = log.read_text()
    assert "poll job added" in text and "poll job kept" in text  # restart kept the stored job
    assert "poll job replaced" not in text
    assert "SIGTERM received: stopping" in text


def test_same_schedule_ignores_interval_start_date() -> None:
    a = scheduler.poll_trigger(cron="", interval=2)
    time.sleep(0.01)
    assert scheduler.same_schedule(a, scheduler.poll_trigger(cron="", interval=2))
    assert not scheduler.same_schedule(a, scheduler.poll_trigger(cron="", interval=3))
    daily = scheduler.poll_trigger(cron="0 6 * * *")
    assert scheduler.same_schedule(daily, scheduler.poll_trigger(cron="0 6 * * *"))
    assert not scheduler.same_schedule(daily, scheduler.poll_trigger(cron="0 7 * * *"))
    assert not scheduler.same_schedule(daily, a)


@pytest.mark.timeout(600)
def test_schedule_once_polls_alerts_and_checks_health(
    untc_server: UntcServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'once.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    hook = Webhook().start()
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRACKER_TREATIES", '["IV-11-d", "IV-99-z"]')
    monkeypatch.setenv("TRACKER_FAILURE_THRESHOLD", "1")
    monkeypatch.setenv("TRACKER_OPERATOR_NOTIFY_URLS", f'["{hook.url}"]')
    get_settings.cache_clear()
    try:
        status = cli.main(["schedule", "--once", "--set", "DOWNLOAD_DELAY=0"])
        held = scheduler.SchedulerLock(engine)
        held.acquire()  # the lock was released at exit
        try:  # ... and a second scheduler on the same database is refused
            assert cli.main(["schedule", "--once"]) == scheduler.EXIT_LOCKED
        finally:
            held.release()
    finally:
        hook.stop()
        get_settings.cache_clear()
    assert status == 0
    outcomes = {p.mtdsg_no: p.outcome for p in _polls(engine)}
    engine.dispose()
    assert outcomes == {"IV-11-d": "new", "IV-99-z": "error"}  # the unknown page failed
    [health] = hook.messages()  # threshold 1: the operator is told about IV-99-z
    assert health["title"] == "Treaty tracker health"
    assert health["message"].startswith("IV-99-z: the last 1 polls failed or were suspect")
