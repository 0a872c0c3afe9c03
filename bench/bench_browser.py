"""Load time of every view of the app in a real browser, with all 560 treaties stored.

Debian's Chromium, driven by Playwright, against ``streamlit run`` (the command
``treaty-tracker run`` uses). The database is built through the real service, as
bench/bench_app.py builds it: the six reconstructed status pages of tests/fixtures/untc (real
values published on 14 March 2015) and copies of them under made-up MTDSG numbers
(BENCH-1-copy-of-IV-11 …, clearly not real treaties), so every participants table has a real
size.

For each view:

* **first load**: a freshly started app process (no query cached, nothing imported yet
  beyond Streamlit's own start) and a new browser profile: from the navigation until the
  view's script has finished and its title is shown;
* **warm load**: the same view opened again in new tabs (new Streamlit sessions) of the same
  browser, with the app's query caches filled: the median of ``--warm`` loads.

Aims (issue 12): warm under 1.5 s, first under 3 s. This is a benchmark that prints figures,
not a test: nothing fails when a loaded machine is slow.

    .venv/bin/python bench/bench_browser.py [--treaties 560] [--views country,treaty,...]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_app import build  # noqa: E402
from tracker.commands.run import app_command  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: view name -> path of its address (the Country view is the app's default page)
VIEWS = {
    "country": "/",
    "treaty": "/treaty",
    "alerts": "/alerts",
    "watchlists": "/watchlists",
    "health": "/health",
}
AIM_WARM, AIM_FIRST = 1.5, 3.0
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
TITLE = "[data-testid='stMain'] h1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def app(env: dict[str, str], folder: Path) -> Iterator[str]:
    """``streamlit run app.py`` on a free port; yields its base URL once it answers."""
    port = _free_port()
    log = (folder / f"streamlit-{port}.log").open("wb")
    child = subprocess.Popen(
        app_command(port), cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if child.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"streamlit did not start; see {log.name}")
            time.sleep(0.2)
        yield base
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        log.close()


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def load(context: Any, url: str) -> tuple[float, str | None]:
    """Open ``url`` in a new tab: seconds until the view's script has finished with its
    title shown, and the text of an exception box if the view raised one."""
    page = context.new_page()
    page.set_default_timeout(180_000)  # a hang guard, not a measure
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(TITLE, state="visible")
        page.wait_for_selector(IDLE)
        seconds = time.perf_counter() - start
        error = page.locator("[data-testid='stException']")
        problem = error.first.inner_text()[:200] if error.count() else None
        return seconds, problem
    finally:
        page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--treaties", type=int, default=560, help="treaties stored (560)")
    parser.add_argument(
        "--views",
        default=",".join(VIEWS),
        help=f"comma-separated views to measure ({', '.join(VIEWS)})",
    )
    parser.add_argument("--warm", type=int, default=3, help="warm loads per view (median)")
    args = parser.parse_args()
    views = [v.strip() for v in args.views.split(",") if v.strip()]
    unknown = [v for v in views if v not in VIEWS]
    if unknown:
        parser.error(f"unknown view(s): {', '.join(unknown)}")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'tracker.db'}"
        env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_DATA_DIR": str(folder)}
        env["TRACKER_ADMIN_PASSWORD"] = ""  # no admin form: every user sees the same page
        os.environ.update(TRACKER_DATABASE_URL=url, TRACKER_DATA_DIR=str(folder))
        seconds = build(url, args.treaties)
        print(f"database: {args.treaties} treaties stored (built in {seconds:.0f} s, SQLite)")
        print(f"aims: first load < {AIM_FIRST:g} s, warm load < {AIM_WARM:g} s")
        print(
            f"machine: {os.cpu_count()} CPUs, load average {_load()} (figures mean little when"
            " the load is above the number of CPUs)"
        )
        print(f"{'view':<11} {'first':>8} {'warm':>8}   (warm: median of {args.warm})")
        results: list[tuple[str, float, float]] = []
        with sync_playwright() as p:
            for view in views:
                with app(env, folder) as base:
                    browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    try:
                        first_context = browser.new_context(viewport={"width": 1400, "height": 900})
                        first, problem = load(first_context, base + VIEWS[view])
                        first_context.close()
                        context = browser.new_context(viewport={"width": 1400, "height": 900})
                        load(context, base + VIEWS[view])  # the browser's own cache, once
                        warm_runs = [load(context, base + VIEWS[view])[0] for _ in range(args.warm)]
                        context.close()
                    finally:
                        browser.close()
                warm = statistics.median(warm_runs) if warm_runs else float("nan")
                marks = []
                if first >= AIM_FIRST:
                    marks.append("first over aim")
                if warm >= AIM_WARM:
                    marks.append("warm over aim")
                if problem:
                    marks.append(f"EXCEPTION {problem!s}")
                note = "; ".join(marks) or "within aims"
                print(f"{view:<11} {first:7.2f}s {warm:7.2f}s   {note}", flush=True)
                results.append((view, first, warm))
        if results:
            worst_first = max(results, key=lambda r: r[1])
            worst_warm = max(results, key=lambda r: r[2])
            print(
                f"slowest first load: {worst_first[0]} {worst_first[1]:.2f} s; "
                f"slowest warm load: {worst_warm[0]} {worst_warm[2]:.2f} s; "
                f"load average now {_load()}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
