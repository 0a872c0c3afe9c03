"""Load: the app's read queries stay fast and never fail with "database is locked" while a
full poll writes.

A real crawl (child process) polls a generated corpus — ``bench/corpus.py``, here 60 pages
instead of its 560 to keep ``make test`` short — and records every page (the first poll of
each: about 200 status rows each), while four reader threads run the queries the app uses
(``tracker.queries``: treaties, a country overview, a treaty's participants, the latest
events, health) in a loop. Every read must succeed and take under :data:`READ_LIMIT`
seconds; the max and p95 are printed (``pytest -s``) and reported in docs/reliability.md.
"""

from __future__ import annotations

import random
import statistics
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
READ_LIMIT = 1.0  # seconds


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


@pytest.mark.timeout(120)
def test_reads_stay_fast_while_a_poll_writes(
    engine: Engine, site: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults.use_database(monkeypatch, engine.url.render_as_string(hide_password=False))
    ids = build_corpus(site.root, PAGES)
    stop = threading.Event()
    result: dict[str, Any] = {}

    def read() -> None:
        result["latencies"], result["errors"] = readers(engine, ids, stop)

    reader = threading.Thread(target=read)
    reader.start()
    started = time.monotonic()
    try:
        crawl_settings = faults.FAST_CRAWL | {"DOWNLOAD_TIMEOUT": 30}  # the server shares our GIL
        reports = run_crawl_subprocess(ids, timeout=100, scrapy_settings=crawl_settings)
    finally:
        stop.set()
        reader.join(timeout=60)
    took = time.monotonic() - started
    assert [r["outcome"] for r in reports] == ["new"] * PAGES, {
        r["mtdsg_no"]: r["error"] for r in reports if r["outcome"] != "new"
    }
    latencies = sorted(result["latencies"])
    assert result["errors"] == []
    assert len(latencies) > 50
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(
        f"\nload [{engine.dialect.name}]: {PAGES} pages polled in {took:.1f} s; "
        f"{len(latencies)} reads by {READERS} threads: max {latencies[-1] * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, median {statistics.median(latencies) * 1000:.0f} ms"
    )
    assert latencies[-1] < READ_LIMIT
