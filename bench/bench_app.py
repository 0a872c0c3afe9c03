"""Render time of each page of the app (AppTest) with a database of 560 treaties.

The database is built through the real service: each of the six reconstructed status pages
(tests/fixtures/untc, real values published on 14 March 2015) is recorded under many made-up
MTDSG numbers (BENCH-1-copy-of-IV-11 ..., clearly not real treaties) by record_poll, so the
participants tables are real-sized. Prints one line per page: first render (cold caches)
and a second render (warm st.cache_data).

    .venv/bin/python bench/bench_app.py [--treaties 560]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from tests.app_support import FIXTURES, PAGES, build_with_changes  # noqa: E402
from tracker import db, service  # noqa: E402
from tracker.config import get_settings  # noqa: E402
from tracker.domain import FetchedPage  # noqa: E402

VIEWS = ["country", "treaty", "alerts", "watchlists", "health"]


def build(url: str, treaties: int) -> float:
    start = time.perf_counter()
    engine = db.make_engine(url)
    build_with_changes(engine)
    bodies = [(FIXTURES / f"{no}.en.html").read_text(encoding="utf-8") for no in PAGES]
    at = datetime(2015, 3, 14, tzinfo=UTC)
    for index in range(treaties - len(PAGES)):
        source_no = PAGES[index % len(PAGES)]
        number = f"BENCH-{index + 1}-copy-of-{source_no}"
        body = bodies[index % len(PAGES)].replace(f"mtdsg_no={source_no}&", f"mtdsg_no={number}&")
        page = FetchedPage(
            mtdsg_no=number,
            url=f"https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={number}"
            "&chapter=4&clang=_en",
            fetched_at=at,
            http_status=200,
            body=body.encode("utf-8"),
        )
        with db.session(engine) as s:
            report = service.record_poll(session=s, page=page, expected_language="en")
        if report.outcome != "new":
            raise SystemExit(f"{number}: {report.outcome} {report.error}")
    engine.dispose()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--treaties", type=int, default=560)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        os.environ["TRACKER_DATABASE_URL"] = url
        os.environ["TRACKER_DATA_DIR"] = folder
        get_settings.cache_clear()
        seconds = build(url, args.treaties)
        engine = db.make_engine(url)
        with engine.connect() as c:
            treaties = c.exec_driver_sql("SELECT count(*) FROM treaty").scalar()
            rows = c.exec_driver_sql("SELECT count(*) FROM participant_status").scalar()
        engine.dispose()
        print(f"database: {treaties} treaties, {rows} participant rows (built in {seconds:.1f} s)")
        for view in VIEWS:
            # the app's entry script, switched to the view (its language bar runs too)
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            start = time.perf_counter()
            at.run()
            if view != "country":
                at.switch_page(f"webapp/views/{view}.py").run()
            cold = time.perf_counter() - start
            start = time.perf_counter()
            at.run()
            warm = time.perf_counter() - start
            status = "ok" if not at.exception else f"EXCEPTION {at.exception[0].message}"
            print(f"{view:<11} first {cold * 1000:7.0f} ms   again {warm * 1000:7.0f} ms  {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
