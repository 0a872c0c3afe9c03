"""Crash safety: ``kill -9`` of a process recording polls, of ``treaty-tracker poll`` and of
the scheduler, at seeded random moments, on SQLite and PostgreSQL; then the database is
checked (``tracker.integrity.check_database``, what ``treaty-tracker check`` runs; SQLite
``PRAGMA integrity_check``) and the next poll must complete. Also: two processes recording
polls of the same treaty at the same time (no "database is locked", no duplicate events).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import select

from tests import faults
from tracker import db, integrity
from tracker.archive import Archive
from tracker.models import ChangeEvent, Poll
from tracker.service import record_poll

ROOT = Path(__file__).resolve().parent.parent
SEED = 1989

#: A child that records polls in a loop: OPIC alternating between its page before and
#: after the REAL edit (Argentina's ratification) and the large CRC page. It prints
#: "begin N" before and "done N" after each poll, so the parent knows where it killed it.
LOOP_CHILD = """
import sys
from datetime import UTC, datetime, timedelta
from tests import faults
from tracker import db
from tracker.archive import Archive
from tracker.service import record_poll
url, archive_dir, start, count = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
engine = db.make_engine(url)
archive = Archive(archive_dir)
bodies = [("IV-11-d", faults.opic_after(0)), ("IV-11", faults.page_bytes("IV-11")),
          ("IV-11-d", faults.opic_after(1)), ("IV-15", faults.page_bytes("IV-15"))]
print("ready", flush=True)
for i in range(count):
    mtdsg_no, body = bodies[i % len(bodies)]
    when = datetime.fromtimestamp(start, UTC) + timedelta(minutes=i)
    page = faults.FetchedPage(mtdsg_no, faults.status_page_url("http://127.0.0.1:8000", mtdsg_no),
                              when, 200, body)
    print("begin", i, flush=True)
    with db.session(engine) as s:
        report = record_poll(session=s, page=page, archive=archive, expected_language="en")
    print("done", i, report.outcome, report.error or "", flush=True)
"""


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def check(engine: Engine, archive: Archive) -> integrity.CheckReport:
    """The integrity checks, plus PRAGMA integrity_check on SQLite."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    with db.session(engine) as s:
        report = integrity.check_database(session=s, archive=archive, quick=True)
    assert report.ok, [str(f) for f in report.findings]
    with engine.connect() as c:
        unfinished = c.execute(
            text("SELECT COUNT(*) FROM poll WHERE outcome IS NULL OR finished_at IS NULL")
        ).scalar_one()
        orphan_events = c.execute(
            text(
                "SELECT COUNT(*) FROM change_event e JOIN poll p ON p.id = e.poll_id "
                "WHERE p.outcome <> 'changed'"
            )
        ).scalar_one()
    assert unfinished == 0 and orphan_events == 0
    return report


def next_poll_completes(engine: Engine, archive: Archive, when: datetime) -> str:
    page = faults.faulty_page(None, "IV-11-c", fetched_at=when, rng=random.Random(0))
    with db.session(engine) as s:
        report = record_poll(session=s, page=page, archive=archive, expected_language="en")
    assert report.outcome in ("new", "unchanged"), report
    return str(report.outcome)


@pytest.mark.timeout(600)
def test_kill_9_while_recording_polls(engine: Engine, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    url = engine.url.render_as_string(hide_password=False)
    archive = Archive(tmp_path / "archive")
    start = datetime(2015, 3, 15, tzinfo=UTC)
    inside = 0
    rounds = 6
    for k in range(rounds):
        child = subprocess.Popen(
            [sys.executable, "-c", LOOP_CHILD, url, str(archive.root),
             str((start + timedelta(days=k)).timestamp()), "100000"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=child_env(),
            cwd=ROOT,
        )  # fmt: skip
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        # Once the child has recorded two polls (however slow a loaded machine is) ...
        lines: list[str] = []
        while sum(line.startswith("done") for line in lines) < 2:
            line = child.stdout.readline()
            assert line, f"the child ended: {lines}"
            lines.append(line.rstrip("\n"))
        time.sleep(rng.uniform(0.05, 0.8))  # ... pull the plug at a random moment
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        lines += child.stdout.read().splitlines()
        child.stdout.close()
        assert all(" error " not in line for line in lines if line.startswith("done")), lines
        if lines and lines[-1].startswith("begin"):
            inside += 1  # killed inside a poll's transaction
        check(engine, archive)
        next_poll_completes(engine, archive, start + timedelta(days=k, hours=23))
    print(f"\ncrash [{engine.dialect.name}]: {rounds} kills, {inside} inside a poll's transaction")
    assert inside >= rounds // 2  # most kills landed inside a poll
    with engine.connect() as c:
        polls = c.execute(text("SELECT COUNT(*) FROM poll")).scalar_one()
    assert polls > rounds * 2


def cli_poll(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    sets = [a for n, v in faults.FAST_CRAWL.items() for a in ("--set", f"{n}={v}")]
    return subprocess.Popen(
        [sys.executable, "-m", "tracker.cli", "poll", *args, *sets],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT,
        start_new_session=True,
    )  # fmt: skip


@pytest.mark.timeout(600)
def test_kill_9_of_the_poll_command(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(SEED + 1)
    with faults.serve_faults(
        faults.copy_fixture_site(tmp_path / "site"), stall_seconds=1.5
    ) as site:
        env = child_env(
            TRACKER_UNTC_BASE_URL=site.base_url,
            TRACKER_ALLOWED_HOSTS='["127.0.0.1"]',
            TRACKER_DATABASE_URL=engine.url.render_as_string(hide_password=False),
            TRACKER_DATA_DIR=str(tmp_path / "data"),
        )
        archive = Archive(tmp_path / "data" / "archive")
        treaties = [a for t in faults.TREATIES for a in ("--treaty", t)]
        for k in range(4):
            site.page("IV-11-d").write_bytes(faults.opic_after(k))  # edits go live in turn
            site.clear()
            site.inject("mtdsg_no=IV-15&", "stall", times=1)  # keeps the crawl going a while
            child = cli_poll(*treaties, env=env)
            time.sleep(rng.uniform(0.8, 2.5))
            os.killpg(child.pid, signal.SIGKILL)
            child.wait(timeout=10)
            check(engine, archive)
        # the next poll completes, for every treaty
        site.clear()
        done = cli_poll(*treaties, env=env)
        assert done.wait(timeout=240) == 0
    check(engine, archive)
    with engine.connect() as c:
        last: dict[str, str] = dict(
            c.execute(
                text(
                    "SELECT mtdsg_no, outcome FROM poll WHERE id IN "
                    "(SELECT MAX(id) FROM poll GROUP BY mtdsg_no)"
                )
            ).all()
        )
    assert set(last) == set(faults.TREATIES)
    assert set(last.values()) <= {"new", "unchanged", "changed"}, last


@pytest.fixture
def jobs_table_dropped(engine: Engine) -> Iterator[Engine]:
    """The scheduler creates its job table; drop it afterwards (the PostgreSQL test database
    is shared by the session, and other tests compare its tables with the models)."""
    yield engine
    with engine.begin() as c:
        c.execute(text("DROP TABLE IF EXISTS apscheduler_jobs"))


@pytest.mark.timeout(600)
def test_kill_9_of_the_scheduler(jobs_table_dropped: Engine, tmp_path: Path) -> None:
    engine = jobs_table_dropped
    rng = random.Random(SEED + 2)
    with faults.serve_faults(faults.copy_fixture_site(tmp_path / "site")) as site:
        env = child_env(
            TRACKER_UNTC_BASE_URL=site.base_url,
            TRACKER_ALLOWED_HOSTS='["127.0.0.1"]',
            TRACKER_DATABASE_URL=engine.url.render_as_string(hide_password=False),
            TRACKER_DATA_DIR=str(tmp_path / "data"),
            TRACKER_TREATIES='["IV-11", "IV-11-b", "IV-11-d"]',
            TRACKER_POLL_TIMEOUT_SECONDS="60",
        )
        archive = Archive(tmp_path / "data" / "archive")
        sets = [a for n, v in faults.FAST_CRAWL.items() for a in ("--set", f"{n}={v}")]
        for k in range(2):
            site.page("IV-11-d").write_bytes(faults.opic_after(k))  # edits go live in turn
            proc = subprocess.Popen(
                [sys.executable, "-m", "tracker.cli", "schedule", "--interval", "1", *sets],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT,
                start_new_session=True,
            )  # fmt: skip
            # once the scheduler runs its first poll (its job stored, a page asked for) ...
            asked = len(site.requests_for("mtdsg_no="))
            while not (_has_jobs_table(engine) and len(site.requests_for("mtdsg_no=")) > asked):
                assert proc.poll() is None, "the scheduler ended on its own"
                time.sleep(0.1)
            time.sleep(rng.uniform(0.0, 1.5))  # ... pull the plug at a random moment
            for pid in _descendants(proc.pid):
                os.kill(pid, signal.SIGKILL)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            check(engine, archive)
        with engine.connect() as c:
            jobs = c.execute(text("SELECT id FROM apscheduler_jobs")).all()
        assert [tuple(j) for j in jobs] == [("poll",)]  # not lost, not duplicated
        # the next poll completes
        done = cli_poll("--treaty", "IV-11-d", env=env)
        assert done.wait(timeout=240) == 0
    check(engine, archive)


def _has_jobs_table(engine: Engine) -> bool:
    return "apscheduler_jobs" in inspect(engine).get_table_names()


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


#: Two of these run at once: each records the same sequence of OPIC pages (the three edits
#: going live one after the other), each page several times.
PAIR_CHILD = """
import sys
from datetime import UTC, datetime, timedelta
from tests import faults
from tracker import db
from tracker.service import record_poll
url, which = sys.argv[1], int(sys.argv[2])
engine = db.make_engine(url)
start = datetime(2015, 3, 15, tzinfo=UTC)
print("ready", flush=True)
sys.stdin.readline()  # go
errors = []
for version in range(len(faults.OPIC_EDITS) + 1):
    body = faults.opic_after(version)
    for i in range(6):
        when = start + timedelta(days=version, minutes=2 * i + which)
        page = faults.FetchedPage("IV-11-d",
            faults.status_page_url("http://127.0.0.1:8000", "IV-11-d"), when, 200, body)
        with db.session(engine) as s:
            report = record_poll(session=s, page=page, expected_language="en")
        if report.outcome == "error":
            errors.append(report.error)
print("errors", len(errors), errors[:1], flush=True)
"""


@pytest.mark.timeout(600)
def test_two_processes_polling_at_once(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", PAIR_CHILD, url, str(which)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=child_env(),
            cwd=ROOT,
        )  # fmt: skip
        for which in (0, 1)
    ]
    outputs: list[Any] = []
    for child in children:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        out, _ = child.communicate(timeout=300)
        outputs.append(out)
        assert child.returncode == 0
    assert all(out.startswith("errors 0 ") for out in outputs), outputs
    with db.session(engine) as s:
        events = list(s.exec(select(ChangeEvent)))
        polls = list(s.exec(select(Poll)))
    assert len(polls) == 2 * 6 * (len(faults.OPIC_EDITS) + 1)
    got = sorted((e.kind, e.participant_code, e.new_value, e.consent_kind) for e in events)
    assert got == sorted(e for edit in faults.OPIC_EDITS for e in edit.events)  # each once
    assert [p.outcome for p in polls].count("new") == 1
    assert "database is locked" not in "".join(outputs)
