"""Hostile input: time and memory to refuse a page with 100,000 nested <div>s.

The page is the reconstructed OPIC page (tests/fixtures/untc/IV-11-d.en.html) with 100,000
nested <div> elements put before its participants table (a DERIVED edit, the same as in
tests/test_hostile.py, which checks that it is refused with a clear ParseError). Prints the
time to refuse it, the peak of Python allocations (tracemalloc) and the growth of the
resident set, against the figures the tracker aims for (under 2 s, under 20 MB, under
100 MB). Each run is a fresh process, so nothing is cached.

    .venv/bin/python bench/bench_hostile.py
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_hostile import nested_page  # noqa: E402
from tracker.domain import ParseError  # noqa: E402
from tracker.sources import untc  # noqa: E402

TARGETS = {"seconds": 2.0, "python_mb": 20.0, "rss_mb": 100.0}


def main() -> int:
    page, _, url = nested_page()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    tracemalloc.start()
    started = time.perf_counter()
    try:
        untc.parse_status_page(page, url)
    except ParseError as exc:
        outcome = f"refused: {exc}"
    else:
        outcome = "NOT refused"
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    figures = {"seconds": seconds, "python_mb": peak / 2**20, "rss_mb": rss_mb}
    print(f"100,000 nested <div>s ({len(page) / 1e6:.1f} MB page): {outcome}")
    labels = {
        "seconds": "time to refuse",
        "python_mb": "peak Python allocations (MB)",
        "rss_mb": "resident set growth (MB)",
    }
    for key, label in labels.items():
        verdict = "meets" if figures[key] < TARGETS[key] else "MISSES"
        print(f"  {label}: {figures[key]:.3f} ({verdict} the target < {TARGETS[key]:g})")
    return 0 if outcome.startswith("refused") else 1


if __name__ == "__main__":
    sys.exit(main())
