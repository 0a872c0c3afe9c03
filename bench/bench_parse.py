"""Parser speed on the reconstructed CRC page (tests/fixtures/untc/IV-11.en.html).

Prints, in one run, pages per second for:
  * our parser (every field: header, counts, participants, footnotes, declarations),
  * pandas.read_html on the same page (the method of an earlier UNTC scraper; tables only),
  * lxml's bare HTML parse (the floor: no extraction at all),
and the ratios. Targets: >= 5x pandas.read_html, and within 3x of the bare parse.

Run: .venv/bin/python bench/bench_parse.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pandas as pd

from tracker import parsing
from tracker.parsing import parse_status_page

PAGE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "untc" / "IV-11.en.html"
URL = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-11&chapter=4&clang=_en"


def rate(fn: Callable[[], object], seconds: float) -> float:
    fn()  # warm-up
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn()
        n += 1
    return n / elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0, help="time per method")
    args = ap.parse_args()
    text = PAGE.read_text(encoding="utf-8")
    status = parse_status_page(text, URL)
    print(f"page: {PAGE.name}, {len(text):,} characters, {len(status.participants)} participants")
    ours = rate(lambda: parse_status_page(text, URL), args.seconds)
    cold = rate(lambda: (clear_caches(), parse_status_page(text, URL)), args.seconds)
    pandas = rate(lambda: pd.read_html(io.StringIO(text), flavor="lxml"), args.seconds)
    bare = rate(lambda: lxml.html.document_fromstring(text), args.seconds)
    print(f"{'method':<28}{'pages/s':>10}")
    print(f"{'treaty-tracker parser':<28}{ours:>10.1f}  (memo caches warm: names, dates repeat)")
    print(f"{'  the same, caches cleared':<28}{cold:>10.1f}  (every page as if first seen)")
    print(f"{'pandas.read_html (lxml)':<28}{pandas:>10.1f}")
    print(f"{'lxml bare parse (floor)':<28}{bare:>10.1f}")
    print(f"ours / pandas.read_html: {ours / pandas:.1f}x faster (target >= 5x)")
    print(f"bare parse / ours: {bare / ours:.2f}x slower than the floor (target <= 3x)")
    print(f"with cleared caches: {cold / pandas:.1f}x pandas, {bare / cold:.2f}x the floor")


def clear_caches() -> None:
    """Forget the parser's memoised names, dates and cells (not the country tables)."""
    for value in vars(parsing).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


if __name__ == "__main__":
    main()
