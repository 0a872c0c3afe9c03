"""Crawl benchmark: a first full poll of the 560 generated status pages, then an unchanged
re-poll, each a real crawl (child process) from the local test server into a fresh SQLite
database (``--database-url`` for another, e.g. PostgreSQL: it must be empty).

Prints, for each poll: pages per second, and CPU per page of the crawl process, split into
the crawl itself (download, parse, diff, store: the work each page causes; CPU from the
spider's start to its end), its start-up (interpreter, imports, settings: once per poll,
whatever the number of pages) and, within the crawl, the recording of polls in the writer
threads (parse, diff, store). Then the targets:

* first full poll: at most 20 ms of crawl CPU per page;
* unchanged re-poll: at most 10 % of the first poll's crawl CPU.

Politeness delays are switched off (it measures our cost, not the site's). Each poll is a
fresh process on distinct pages: no cache is warm.

Run: .venv/bin/python bench/bench_crawl.py [--pages N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import SIZE, build  # noqa: E402
from tests.plugin_http import serve  # noqa: E402

logger = logging.getLogger(__name__)

FAST = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "RETRY_BACKOFF_BASE": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}
FIRST_POLL_TARGET_MS = 20.0
REPOLL_TARGET_RATIO = 0.10


def target(text: str, met: bool) -> None:
    """Print a headline figure against its target (and add it to the summary of `make bench`
    when TRACKER_BENCH_SUMMARY names a file)."""
    line = f"target: {text} -> {'met' if met else 'NOT met'}"
    print(line)
    summary = os.environ.get("TRACKER_BENCH_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as out:
            out.write(line + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=SIZE)
    parser.add_argument("--database-url", help="an empty database to poll into")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        site = Path(tmp) / "site"
        ids = build(site, args.pages)
        with serve(site) as server:
            os.environ["TRACKER_UNTC_BASE_URL"] = server.base_url
            os.environ["TRACKER_ALLOWED_HOSTS"] = '["127.0.0.1"]'
            os.environ["TRACKER_DATA_DIR"] = str(Path(tmp) / "data")
            os.environ["TRACKER_DATABASE_URL"] = args.database_url or (
                f"sqlite:///{Path(tmp) / 'data' / 'tracker.db'}"
            )
            from tracker import db
            from tracker.config import get_settings
            from tracker.crawl import crawl

            get_settings.cache_clear()
            engine = db.make_engine()
            db.upgrade(engine)  # as `treaty-tracker db upgrade` does; crawls never migrate
            print(f"database: {engine.url.render_as_string(hide_password=True)}")
            engine.dispose()
            runs = []
            for label in ("first full poll", "unchanged re-poll"):
                started = time.perf_counter()
                run = crawl(ids, timeout=3600, scrapy_settings=FAST)
                wall = time.perf_counter() - started
                n = len(run.reports)
                outcomes: dict[str, int] = {}
                for r in run.reports:
                    outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
                stats = run.stats
                per_page = {k: stats.get(k, 0.0) / max(n, 1) * 1000 for k in stats}
                runs.append(per_page)
                print(
                    f"{label}: {n} pages in {wall:.1f} s = {n / wall:.1f} pages/s; outcomes "
                    f"{outcomes}; CPU per page: crawl {per_page.get('crawl', 0):.1f} ms "
                    f"(of which recording {per_page.get('record', 0):.1f} ms), plus start-up "
                    f"{stats.get('startup', 0):.2f} s once ({per_page.get('startup', 0):.1f} ms "
                    f"per page here)"
                )
    first, second = runs
    crawl_ms = first.get("crawl", 0.0)
    ratio = second.get("crawl", 0.0) / crawl_ms if crawl_ms else float("nan")
    record_ratio = (
        second.get("record", 0.0) / first["record"] if first.get("record") else float("nan")
    )
    total_ratio = (second.get("crawl", 0) + second.get("startup", 0)) / (
        first.get("crawl", 0) + first.get("startup", 0)
    )
    own = second.get("crawl", 0.0) - second.get("record", 0.0)
    target(
        f"first full poll of {args.pages} pages <= {FIRST_POLL_TARGET_MS:g} ms crawl CPU per "
        f"page: {crawl_ms:.1f} ms (recording {first.get('record', 0):.1f} ms of it)",
        crawl_ms <= FIRST_POLL_TARGET_MS,
    )
    target(
        f"unchanged re-poll <= {REPOLL_TARGET_RATIO:.0%} of the first (crawl CPU): "
        f"{ratio:.1%}, {second.get('crawl', 0):.1f} ms per page (recording alone "
        f"{second.get('record', 0):.1f} ms, {record_ratio:.1%}; the crawler's own work "
        f"{own:.1f} ms, {own / crawl_ms if crawl_ms else float('nan'):.1%}; with start-up "
        f"{total_ratio:.1%})",
        ratio <= REPOLL_TARGET_RATIO,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
