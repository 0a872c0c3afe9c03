"""Parser speed on the reconstructed CRC page (tests/fixtures/untc/IV-11.en.html).

Prints, in one run, pages per second for:
  * our parser (every field: header, counts, participants, footnotes, declarations), with its
    memo caches warm (as when the tracker polls the same pages again: most rows repeat) and
    with them cleared before every parse (as the first parse of a page; the clearing itself
    is not timed),
  * pandas.read_html on the same page (the method of an earlier UNTC scraper; tables only),
  * lxml's bare HTML parse (the floor: no extraction at all),
and the ratios. Targets: >= 5x pandas.read_html, and within 3x of the bare parse.

The methods take turns in rounds and each keeps its best round, so that a machine that slows
down for a while (a shared virtual machine does) slows them alike; use more seconds for
steadier figures.

Run: .venv/bin/python bench/bench_parse.py [--seconds 8] [--rounds 8]
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pandas as pd

from tracker.sources.untc import parse_status_page, parsing

PAGE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "untc" / "IV-11.en.html"
URL = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-11&chapter=4&clang=_en"


def rate(fn: Callable[[], object], seconds: float, before: Callable[[], object] | None) -> float:
    """Calls of ``fn`` per second over about ``seconds``; ``before`` runs ahead of each call,
    outside the timing."""
    n, spent, start = 0, 0.0, time.perf_counter()
    while time.perf_counter() - start < seconds or n == 0:
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn()
        spent += time.perf_counter() - t0
        n += 1
    return n / spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=8.0, help="time per method, in all")
    ap.add_argument("--rounds", type=int, default=8, help="rounds; each times every method once")
    args = ap.parse_args()
    text = PAGE.read_text(encoding="utf-8")
    status = parse_status_page(text, URL)
    print(f"page: {PAGE.name}, {len(text):,} characters, {len(status.participants)} participants")
    methods: dict[str, Callable[[], object]] = {
        "ours": lambda: parse_status_page(text, URL),
        "cold": lambda: parse_status_page(text, URL),
        "pandas": lambda: pd.read_html(io.StringIO(text), flavor="lxml"),
        "bare": lambda: lxml.html.document_fromstring(text),
    }
    for fn in methods.values():
        fn()  # warm-up
    best = dict.fromkeys(methods, 0.0)
    for _ in range(max(1, args.rounds)):
        for name, fn in methods.items():
            before = clear_caches if name == "cold" else None
            best[name] = max(best[name], rate(fn, args.seconds / max(1, args.rounds), before))
    ours, cold_rate, pandas, bare = best["ours"], best["cold"], best["pandas"], best["bare"]
    print(f"best of {args.rounds} interleaved rounds, {args.seconds:g} s per method in all")
    print(f"{'method':<28}{'pages/s':>10}")
    print(f"{'treaty-tracker parser':<28}{ours:>10.1f}  (memo caches warm: rows and dates repeat)")
    print(f"{'  the same, caches cleared':<28}{cold_rate:>10.1f}  (every page as if first seen)")
    print(f"{'pandas.read_html (lxml)':<28}{pandas:>10.1f}")
    print(f"{'lxml bare parse (floor)':<28}{bare:>10.1f}")
    print(f"ours / pandas.read_html: {ours / pandas:.1f}x faster (target >= 5x)")
    print(f"bare parse / ours: {bare / ours:.2f}x slower than the floor (target <= 3x)")
    print(
        f"with cleared caches: {cold_rate / pandas:.1f}x pandas, {bare / cold_rate:.2f}x the floor"
    )


def clear_caches() -> None:
    """Forget the parser's memoised rows, cells and blocks (not the country tables)."""
    for value in vars(parsing).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


if __name__ == "__main__":
    main()
