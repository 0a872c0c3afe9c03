"""Load with the real app: AppTest sessions render pages while a poll writes.

A real crawl (child process) polls generated pages of ``bench/corpus.py`` (each about 200
participants; here :data:`PAGES` of its 560, to keep ``make test`` short) into a SQLite
database that already holds the bundled snapshot, while two reader processes
(``tests/load_reader.py``) render the Country, Treaty, Alerts and Health pages with AppTest
in a loop, with query caches cleared before each render. The crawl starts once both readers
are rendering, so renders and the poll's writes overlap. No render may fail ("database is
locked" or anything else). How long renders take is measured by ``bench/bench_load.py``
(the full corpus), not asserted here: a loaded machine is slow.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench import corpus
from tests import faults
from tests.faults import FaultServer
from tracker import db, snapshot
from tracker.crawl import run_crawl_subprocess

ROOT = Path(__file__).resolve().parent.parent
READERS = 2
PAGES = 120


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultServer]:
    yield from faults.fault_site(tmp_path, monkeypatch)


def render_while_polling(root: Path, work: Path, pages: int) -> dict[str, Any]:
    """Poll ``pages`` pages of the corpus (served from ``root``; TRACKER_* set for it and a
    migrated database) while :data:`READERS` processes render app pages. Returns the reports,
    the renders, and the poll's start and end (wall-clock times)."""
    ids = corpus.build(root, pages)
    stop, ready = work / "stop", [work / f"ready-{i}" for i in range(READERS)]
    outputs = [work / f"reader-{i}.json" for i in range(READERS)]
    log = (work / "readers.log").open("wb")
    readers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.load_reader",
                "--stop",
                str(stop),
                "--out",
                str(out),
                "--ready",
                str(flag),
                "--seed",
                str(i),
            ],
            cwd=ROOT,
            env={**os.environ},
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        for i, (out, flag) in enumerate(zip(outputs, ready, strict=True))
    ]
    try:
        while not all(flag.exists() for flag in ready):
            if any(r.poll() is not None for r in readers):
                raise AssertionError(f"a reader ended: {(work / 'readers.log').read_text()}")
            time.sleep(0.1)
        started = time.time()
        crawl_settings = faults.FAST_CRAWL | {"DOWNLOAD_TIMEOUT": 60, "CONCURRENT_REQUESTS": 4}
        reports = run_crawl_subprocess(ids, timeout=1200, scrapy_settings=crawl_settings)
        ended = time.time()
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=600)
        log.close()
    renders = [r for out in outputs for r in json.loads(out.read_text(encoding="utf-8"))]
    return {"ids": ids, "reports": reports, "renders": renders, "started": started, "ended": ended}


def snapshot_database(url: str) -> None:
    engine = db.make_engine(url)
    db.upgrade(engine)
    assert [str(r.outcome) for r in snapshot.load(engine)] == ["new"] * 6
    engine.dispose()


@pytest.mark.timeout(1500)
def test_app_pages_render_while_a_poll_writes(
    site: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'load.db'}"
    faults.use_database(monkeypatch, url)
    snapshot_database(url)
    run = render_while_polling(site.root, tmp_path, PAGES)
    outcomes = [r["outcome"] for r in run["reports"]]
    assert outcomes == ["new"] * len(run["ids"]), {
        r["mtdsg_no"]: r["error"] for r in run["reports"] if r["outcome"] != "new"
    }
    assert [r for r in run["renders"] if r["errors"]] == []
    during = [
        r
        for r in run["renders"]
        if r["started"] < run["ended"] and r["started"] + r["seconds"] > run["started"]
    ]
    assert len(during) >= READERS  # each reader was rendering when the poll started
