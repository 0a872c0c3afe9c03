"""A reader for the load test: renders app pages with AppTest in a loop until told to stop.

Run as ``python -m tests.load_reader --stop FILE --out FILE --ready FILE --seed N`` with
``TRACKER_DATABASE_URL`` set; touches ``--ready`` once the first page has rendered, and
writes one JSON list of ``{page, started, seconds, errors}`` (``started``: wall-clock time)
to ``--out``. Query caches are cleared before each render, so every render reads the
database.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app_support import APP, view_path

ROOT = Path(__file__).resolve().parent.parent
PAGES = tuple(view_path(v) for v in ("country", "treaty", "alerts", "health"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stop", type=Path, required=True, help="stop once this file exists")
    ap.add_argument("--out", type=Path, required=True, help="where to write the timings")
    ap.add_argument("--ready", type=Path, help="touched once the first page has rendered")
    ap.add_argument("--seed", type=int, default=0, help="seed of the page order")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    renders = []
    while not args.stop.exists():
        page = rng.choice(PAGES)
        st.cache_data.clear()
        started = time.time()
        clock = time.perf_counter()
        at = AppTest.from_file(str(APP), default_timeout=600).run()
        at.switch_page(page).run()
        renders.append(
            {
                "page": page,
                "started": started,
                "seconds": time.perf_counter() - clock,
                "errors": [str(e.value) for e in at.exception],
            }
        )
        if args.ready is not None:
            args.ready.touch()
    args.out.write_text(json.dumps(renders), encoding="utf-8")


if __name__ == "__main__":
    main()
