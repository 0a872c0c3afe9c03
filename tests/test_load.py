"""Load: the app's read queries never fail ("database is locked" or anything else) while a
full poll writes.

A real crawl (child process) polls a generated corpus — ``bench/corpus.py``, here 60 pages
instead of its 560 to keep ``make test`` short — and records every page (the first poll of
each: about 200 status rows each), while four reader threads run the queries the app uses
(``tracker.queries``: treaties, a country overview, a treaty's participants, the latest
events, health) in a loop. Every read must succeed. How fast they are is measured by
``bench/bench_load.py`` (max, p95, median), not asserted here: a loaded machine is slow.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bench import corpus
from tests import faults
from tests.faults import FaultServer
from tracker import db, queries
from tracker.crawl import run_crawl_subprocess

PAGES = 60
READERS = 4


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultServer]:
    yield from faults.fault_site(tmp_path, monkeypatch)


def build_corpus(root: Path, size: int) -> list[str]:
    """The bench corpus (each page's title renumbered to match its made-up reference)."""
    return corpus.build(root, size)


def readers(engine: Engine, ids: list[str], stop: threading.Event) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    reads: list[Callable[[Any, random.Random], Any]] = [
        lambda s, r: queries.treaties(session=s),
        lambda s, r: queries.country_overview(session=s, code=r.choice(["BEL", "ARG", "FRA"])),
        lambda s, r: queries.participants(session=s, mtdsg_no=r.choice(ids)),
        lambda s, r: queries.events(session=s, limit=50),
        lambda s, r: queries.health(session=s, treaties=ids[:10]),
    ]

    def loop(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            read = rng.choice(reads)
            started = time.perf_counter()
            try:
                with db.session(engine) as s:
                    read(s, rng)
            except Exception as exc:  # recorded, and the test fails on it
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(READERS)]
    for t in threads:
        t.start()
    stop.wait()
    for t in threads:
        t.join(timeout=30)
    return latencies, errors


def poll_while_reading(engine: Engine, root: Path, pages: int) -> dict[str, Any]:
    """Poll ``pages`` pages of the corpus (served from ``root``, TRACKER_* set for it) into
    ``engine`` while :data:`READERS` threads read. Returns the reports, the read latencies
    (seconds), the read errors and the poll's wall time."""
    ids = build_corpus(root, pages)
    stop = threading.Event()
    result: dict[str, Any] = {"ids": ids}

    def read() -> None:
        result["latencies"], result["errors"] = readers(engine, ids, stop)

    reader = threading.Thread(target=read)
    reader.start()
    started = time.monotonic()
    try:
        crawl_settings = faults.FAST_CRAWL | {"DOWNLOAD_TIMEOUT": 60}  # the server shares our GIL
        result["reports"] = run_crawl_subprocess(ids, timeout=1200, scrapy_settings=crawl_settings)
    finally:
        stop.set()
        reader.join(timeout=120)
    result["seconds"] = time.monotonic() - started
    return result


@pytest.mark.timeout(900)
def test_reads_never_fail_while_a_poll_writes(
    engine: Engine, site: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults.use_database(monkeypatch, engine.url.render_as_string(hide_password=False))
    run = poll_while_reading(engine, site.root, PAGES)
    assert [r["outcome"] for r in run["reports"]] == ["new"] * PAGES, {
        r["mtdsg_no"]: r["error"] for r in run["reports"] if r["outcome"] != "new"
    }
    assert run["errors"] == []
    assert len(run["latencies"]) >= READERS  # every reader read while the poll wrote
