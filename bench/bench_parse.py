"""Parser speed on distinct pages: the reconstructions of all 282 treaties of 2015.

What users cause: each poll runs in a fresh process and reads pages of different treaties, so
the headline parses every page once per round, each in a fresh cache state (any memo of the
parser's modules is cleared before each page, outside the timing). Compared, on the same pages
and in the same rounds:

  * our parser (every field: header, counts, participants and their columns, footnotes,
    actions, declarations),
  * pandas.read_html on the same pages (the method of an earlier UNTC scraper; tables only),
  * lxml's bare HTML parse (the floor: no extraction at all),

and the ratios. Target: within 3x of the bare parse. Also printed: where the parser's time
goes (its stages, timed apart), and the one-time cost per process of building the country
index (tracker.countries), which the per-page figures leave out.

The pages are built from ../shared/untc/data/untreaties-2015 (tests/fixtures/untc/layouts/).
Times are the CPU time of this process (so that other work on a shared machine does not
count); the methods take turns in rounds and each keeps its best round.

Run: .venv/bin/python bench/bench_parse.py [--rounds 5] [--pages N]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import lxml.etree
import lxml.html
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "untc" / "layouts"))

import layout_oracle as oracle  # noqa: E402
import layout_pages as pages  # noqa: E402

from tracker import countries, dates  # noqa: E402
from tracker.sources.untc import (  # noqa: E402
    columns,
    declarations,
    header,
    markup,
    parse_status_page,
    parsing,
    table,
)

BARE_TARGET = 3.0  # at most this many times lxml's bare parse


def target(text: str, met: bool) -> None:
    """Print a headline figure against its target (and add it to the summary of `make bench`
    when TRACKER_BENCH_SUMMARY names a file)."""
    line = f"target: {text} -> {'met' if met else 'NOT met'}"
    print(line)
    summary = os.environ.get("TRACKER_BENCH_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as out:
            out.write(line + "\n")


PARSER_MODULES: tuple[ModuleType, ...] = (
    parsing,
    columns,
    table,
    header,
    declarations,
    markup,
    dates,
)


def clear_caches() -> None:
    """Forget anything the parser's modules memoise (none do today; kept so that a cache
    added later cannot flatter this benchmark)."""
    for module in PARSER_MODULES:
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def corpus(limit: int | None) -> list[tuple[str, str, str]]:
    """(key, page, url) for each treaty, in its own markup variant."""
    out = []
    for source in oracle.sources()[:limit]:
        built = pages.build(source, pages.default_variant(source))
        out.append((source.key, built.page, built.url))
    return out


def one_round(fn: Callable[[str, str], object], items: list[tuple[str, str, str]]) -> float:
    """Seconds to run ``fn`` once on every page, caches cleared before each (not timed)."""
    spent = 0.0
    for _key, page, url in items:
        clear_caches()
        t0 = time.process_time()
        fn(page, url)
        spent += time.process_time() - t0
    return spent


def stages(items: list[tuple[str, str, str]]) -> dict[str, float]:
    """Seconds per stage of the parser over all pages (the stages of parse_status_page)."""
    spent = dict.fromkeys(
        ("HTML parse (lxml)", "find tables", "read rows", "header", "declarations"), 0.0
    )
    for _key, page, url in items:
        clear_caches()
        t = time.process_time()
        doc = markup.parse_html(page)
        lxml.etree.strip_elements(doc, "script", "style", "noscript", with_tail=False)
        spent["HTML parse (lxml)"] += time.process_time() - t
        t = time.process_time()
        found = table.find_participants_tables(doc)
        spent["find tables"] += time.process_time() - t
        warnings: list[str] = []
        t = time.process_time()
        rows = table.read_participants(found, warnings)
        spent["read rows"] += time.process_time() - t
        t = time.process_time()
        head = header.head_span(page)
        header.language(url, page, warnings, head)
        header.read_header(doc, warnings)
        header.status_as_at(page, head, warnings)
        spent["header"] += time.process_time() - t
        t = time.process_time()
        declarations.read_declarations(doc, rows, found[-1].element, page)
        spent["declarations"] += time.process_time() - t
    return spent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="rounds; each times every method once")
    ap.add_argument("--pages", type=int, default=None, help="only the first N treaties")
    args = ap.parse_args()
    if not oracle.available():
        print(f"the shared data set is missing: {oracle.SHARED}", file=sys.stderr)
        return 2
    items = corpus(args.pages)
    size = sum(len(page) for _k, page, _u in items)
    rows = sum(len(parse_status_page(p, u).participants) for _k, p, u in items)
    print(
        f"{len(items)} distinct pages (reconstructions of the 2015 treaties, each in its own "
        f"markup), {size / 1e6:.1f} million characters, {rows} participant rows"
    )
    t0 = time.process_time()
    countries._index.cache_clear()
    countries.code_for("Belgium")
    index_ms = (time.process_time() - t0) * 1000

    methods: dict[str, Callable[[str, str], object]] = {
        "ours": parse_status_page,
        "pandas": lambda page, url: pd.read_html(io.StringIO(page), flavor="lxml"),
        "bare": lambda page, url: lxml.html.document_fromstring(page),
    }
    best = dict.fromkeys(methods, float("inf"))
    for _ in range(max(1, args.rounds)):
        for name, fn in methods.items():
            best[name] = min(best[name], one_round(fn, items))
    n = len(items)
    ours, pandas_s, bare = best["ours"], best["pandas"], best["bare"]
    print(
        f"best of {args.rounds} interleaved rounds; every page once per round, caches cleared; "
        "CPU time"
    )
    print(f"{'method':<32}{'pages/s':>10}{'ms/page':>10}")
    for label, seconds in (
        ("treaty-tracker parser", ours),
        ("pandas.read_html (lxml)", pandas_s),
        ("lxml bare parse (floor)", bare),
    ):
        print(f"{label:<32}{n / seconds:>10.1f}{1000 * seconds / n:>10.2f}")
    ratio = ours / bare
    print(f"ours / pandas.read_html: {pandas_s / ours:.1f}x faster")
    target(
        f"parse within {BARE_TARGET:g}x of lxml's bare parse, on {n} distinct pages: "
        f"{ratio:.1f}x ({1000 * ours / n:.2f} ms against {1000 * bare / n:.2f} ms per page)",
        ratio <= BARE_TARGET,
    )
    print(f"once per process: the country index, {index_ms:.0f} ms (not in the figures above)")
    spent = stages(items)
    total = sum(spent.values())
    print("where the parser's time goes (stages timed apart):")
    for stage, seconds in spent.items():
        print(f"  {stage:<20}{1000 * seconds / n:>8.2f} ms/page  {100 * seconds / total:>5.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
