"""Crawl benchmark: poll 560 status pages from the local test server, twice.

Prints pages per second, CPU seconds per page (crawl child process: download, parse,
diff, store), and the cost of the second, unchanged poll as a ratio of the first.
Politeness delays are switched off (it measures our cost, not the site's).

Run: .venv/bin/python bench/bench_crawl.py [--pages N]
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
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


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=SIZE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        site = Path(tmp) / "site"
        ids = build(site, args.pages)
        with serve(site) as server:
            os.environ["TRACKER_UNTC_BASE_URL"] = server.base_url
            os.environ["TRACKER_ALLOWED_HOSTS"] = '["127.0.0.1"]'
            os.environ["TRACKER_DATA_DIR"] = str(Path(tmp) / "data")
            os.environ.pop("TRACKER_DATABASE_URL", None)
            from tracker.config import get_settings
            from tracker.crawl import run_crawl_subprocess

            get_settings.cache_clear()
            runs = []
            for label in ("first poll", "second poll (unchanged)"):
                cpu0, t0 = child_cpu(), time.perf_counter()
                reports = run_crawl_subprocess(ids, timeout=3600, scrapy_settings=FAST)
                wall, cpu = time.perf_counter() - t0, child_cpu() - cpu0
                outcomes: dict[str, int] = {}
                for r in reports:
                    outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
                runs.append((wall, cpu))
                n = len(reports)
                print(
                    f"{label}: {n} pages in {wall:.1f} s = {n / wall:.1f} pages/s; "
                    f"CPU {cpu / n * 1000:.1f} ms/page; outcomes {outcomes}"
                )
    (w1, c1), (w2, c2) = runs
    print(f"second poll / first poll: wall {w2 / w1:.2f}, CPU {c2 / c1:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
