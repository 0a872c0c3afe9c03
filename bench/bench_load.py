"""Load benchmark: how fast the app reads while a full poll writes.

Two scenarios, each a real crawl (child process) of the generated corpus of
``bench/corpus.py`` (560 status pages by default, each about 200 participants, all new):

* **queries** — four threads run the app's read queries (``tracker.queries``) in a loop
  during the poll: reads, max / p95 / median latency, errors (the target: every read under
  1 s, none failing);
* **app** — two processes render the Country, Treaty, Alerts and Health pages with
  Streamlit's AppTest in a loop, query caches cleared before each render, on a database that
  already holds the bundled snapshot: renders, median / max, slowest per page, errors (the
  target: every render under 10 s, none failing).

``tests/test_load.py`` and ``tests/test_load_app.py`` run the same scenarios on fewer pages
and check only that nothing fails: the figures are measured here, not asserted there.

    .venv/bin/python bench/bench_load.py [--pages 560] [--database-url URL] [--skip-app]

``--database-url`` runs the queries scenario on that (empty, migrated here) database, e.g.
a PostgreSQL one; by default a SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import SIZE  # noqa: E402
from tests import faults  # noqa: E402
from tests.test_load import READERS as QUERY_READERS  # noqa: E402
from tests.test_load import poll_while_reading  # noqa: E402
from tests.test_load_app import READERS as APP_READERS  # noqa: E402
from tests.test_load_app import render_while_polling, snapshot_database  # noqa: E402
from tracker import db  # noqa: E402
from tracker.config import get_settings  # noqa: E402

READ_TARGET = 1.0  # seconds
RENDER_TARGET = 10.0  # seconds


def serve_env(server: faults.FaultServer, data: Path, url: str) -> None:
    os.environ["TRACKER_UNTC_BASE_URL"] = server.base_url
    os.environ["TRACKER_ALLOWED_HOSTS"] = '["127.0.0.1"]'
    os.environ["TRACKER_DATA_DIR"] = str(data)
    os.environ["TRACKER_DATABASE_URL"] = url
    get_settings.cache_clear()


def verdict(value: float, target: float) -> str:
    word = "meets" if value < target else "MISSES"
    return f"{word} the target < {target:g} s"


def queries(tmp: Path, pages: int, url: str | None) -> None:
    url = url or f"sqlite:///{tmp / 'queries.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with faults.serve_faults(faults.copy_fixture_site(tmp / "site-q")) as server:
        serve_env(server, tmp / "data-q", url)
        run = poll_while_reading(engine, server.root, pages)
    engine.dispose()
    lat = sorted(run["latencies"])
    outcomes = {o: [r["outcome"] for r in run["reports"]].count(o) for o in ("new", "error")}
    print(
        f"queries [{engine.dialect.name}]: {pages} pages polled in {run['seconds']:.1f} s "
        f"({outcomes}); {len(lat)} reads by {QUERY_READERS} threads: "
        f"max {lat[-1] * 1000:.0f} ms ({verdict(lat[-1], READ_TARGET)}), "
        f"p95 {statistics.quantiles(lat, n=20)[-1] * 1000:.0f} ms, "
        f"median {statistics.median(lat) * 1000:.0f} ms; errors {len(run['errors'])}"
    )


def app(tmp: Path, pages: int) -> None:
    url = f"sqlite:///{tmp / 'app.db'}"
    with faults.serve_faults(faults.copy_fixture_site(tmp / "site-a")) as server:
        serve_env(server, tmp / "data-a", url)
        snapshot_database(url)
        run = render_while_polling(server.root, tmp, pages)
    renders = [
        r
        for r in run["renders"]
        if r["started"] < run["ended"] and r["started"] + r["seconds"] > run["started"]
    ]
    seconds = sorted(r["seconds"] for r in renders)
    slowest = {
        page.split("/")[-1]: max(r["seconds"] for r in renders if r["page"] == page)
        for page in sorted({r["page"] for r in renders})
    }
    print(
        f"app [sqlite]: {pages} pages polled in {run['ended'] - run['started']:.0f} s while "
        f"{APP_READERS} AppTest readers rendered {len(seconds)} pages: "
        f"median {statistics.median(seconds):.2f} s, max {seconds[-1]:.2f} s "
        f"({verdict(seconds[-1], RENDER_TARGET)}); slowest per page: "
        + ", ".join(f"{p} {s:.2f} s" for p, s in slowest.items())
        + f"; errors {sum(1 for r in renders if r['errors'])}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=SIZE)
    parser.add_argument("--database-url", help="database for the queries scenario")
    parser.add_argument("--skip-app", action="store_true", help="only the queries scenario")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        queries(Path(tmp), args.pages, args.database_url)
        if not args.skip_app:
            app(Path(tmp), args.pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
