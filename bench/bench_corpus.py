"""The parser over all 282 treaties of 2015: pages parsed, participants exact, warnings by kind.

The pages are reconstructions built from the real participants tables in
``../shared/untc/data/untreaties-2015`` (tests/fixtures/untc/layouts/: one page per treaty,
each with its own markup variant), and the expected values come from the oracle there, which
never calls the parser. Printed, for the design part of the layouts, the held-out part (a
third of the layouts chosen by hash, and the synthetic layouts), and every layout in French:

* pages parsed (not refused with ParseError),
* participants exact: signature date, consent date and consent kind equal the oracle's
  (and, separately, every field: names, codes, footnotes, kinds, actions ...),
* warnings by kind, and whether each participant the oracle calls unsure is named in one.

Run: .venv/bin/python bench/bench_corpus.py
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "untc" / "layouts"))

import layout_oracle as oracle  # noqa: E402
import layout_pages as pages  # noqa: E402

from tracker.domain import ParseError  # noqa: E402
from tracker.sources.untc import parse_status_page  # noqa: E402

#: Warning kinds, by the wording of the parser's warnings (first match).
WARNING_KINDS = (
    ("unknown participant name", "unknown participant name"),
    ("may be any of", "date without suffix under a heading naming several modes"),
    ("is not named by the heading", "suffix the heading does not name"),
    ("unknown suffix", "unknown suffix"),
    ("names no mode without", "date without suffix, heading names none"),
    ("is not understood", "column (or mode) not understood"),
    ("consents on one row", "two consents on one row"),
    ("second signature date", "two signatures on one row"),
    ("two tables give different", "tables disagree"),
    ("cannot read the date|unknown month|no such day", "unreadable date"),
    ("cells where the header has", "row with another number of cells"),
    ("listed twice", "participant listed twice"),
    ("but its rows show", "stated counts disagree with the rows"),
    ("declarations", "declarations not placed or not found"),
    ("time zone", "status time zone"),
    ("title was not found|Status field", "header field missing"),
)


def warning_kind(text: str) -> str:
    for pattern, kind in WARNING_KINDS:
        if re.search(pattern, text):
            return kind
    return "other"


@dataclass
class Tally:
    pages: int = 0
    parsed: int = 0
    exact_pages: int = 0
    participants: int = 0
    exact_core: int = 0  # signature, consent date and kind
    exact_all: int = 0  # every field of the participant
    unsure: int = 0
    unsure_named: int = 0
    warnings: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def score(built: pages.Built, tally: Tally, label: str) -> None:
    tally.pages += 1
    want = built.expected
    try:
        got = parse_status_page(built.page, built.url).to_json()
    except ParseError as exc:
        tally.failures.append(f"{label}: ParseError: {exc.reason}")
        tally.participants += len(want["participants"])
        return
    tally.parsed += 1
    for w in got["warnings"]:
        tally.warnings[warning_kind(w)] += 1
    tally.unsure += len(built.unsure)
    tally.unsure_named += sum(1 for n in built.unsure if any(n in w for w in got["warnings"]))
    by_name = {p["name"]: p for p in got["participants"]}
    page_exact = len(got["participants"]) == len(want["participants"])
    for w in want["participants"]:
        tally.participants += 1
        g = by_name.get(w["name"])
        if g is None:
            page_exact = False
            tally.failures.append(f"{label}: {w['name']} missing")
            continue
        core = ("signature", "consent")
        if all(g[k] == w[k] for k in core):
            tally.exact_core += 1
        else:
            tally.failures.append(f"{label}: {w['name']}: got {[g[k] for k in core]}")
        expected = dict(w, code=g["code"] if w["code"] is None else w["code"])
        if g == expected:
            tally.exact_all += 1
        else:
            page_exact = False
    header = [k for k in want if k not in ("participants", "warnings")]
    if page_exact and all(got[k] == want[k] for k in header):
        tally.exact_pages += 1


def report(name: str, t: Tally) -> None:
    pct = lambda a, b: f"{100 * a / b:.1f} %" if b else "-"  # noqa: E731
    print(f"\n{name}")
    print(f"  pages parsed            {t.parsed}/{t.pages}  ({pct(t.parsed, t.pages)})")
    print(f"  pages exact (all JSON)  {t.exact_pages}/{t.pages}")
    share = pct(t.exact_core, t.participants)
    print(
        f"  participants exact      {t.exact_core}/{t.participants}  ({share})"
        "  signature, consent date and kind"
    )
    print(
        f"  participants, all fields {t.exact_all}/{t.participants}  "
        f"({pct(t.exact_all, t.participants)})"
    )
    print(f"  unsure participants named in a warning  {t.unsure_named}/{t.unsure}")
    print(f"  warnings: {sum(t.warnings.values())}")
    for kind, n in t.warnings.most_common():
        print(f"    {n:>5}  {kind}")
    for line in t.failures[:10]:
        print(f"  FAIL {line}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=None, help="only the first N treaties")
    args = ap.parse_args()
    if not oracle.available():
        print(f"the shared data set is missing: {oracle.SHARED}", file=sys.stderr)
        return 2
    design, held, french = Tally(), Tally(), Tally()
    sources = oracle.sources()[: args.pages]
    for source in (*sources, *oracle.synthetic_sources()):
        built = pages.build(source, pages.default_variant(source))
        score(built, held if oracle.held_out(source) else design, source.key)
    layouts: dict[tuple[str, ...], oracle.Source] = {}
    for source in sources:
        layouts.setdefault(source.layout, source)
    for source in layouts.values():
        variant = pages.replace(pages.default_variant(source), lang="fr")
        score(pages.build(source, variant), french, source.key)
    n_layouts = len(layouts)
    n_held = len({s.layout for s in sources if oracle.held_out(s)})
    print(f"{len(sources)} treaties of 2015, {n_layouts} layouts (heading rows); reconstructions")
    report(f"design part: {n_layouts - n_held} layouts, {design.pages} pages", design)
    report(
        f"held-out part: {n_held} layouts + {len(oracle.synthetic_sources())} synthetic, "
        f"{held.pages} pages",
        held,
    )
    report(f"every layout once in French: {french.pages} pages", french)
    total = Tally()
    for t in (design, held):
        for k in ("pages", "parsed", "exact_pages", "participants", "exact_core", "exact_all"):
            setattr(total, k, getattr(total, k) + getattr(t, k))
    print(
        f"\nall {total.pages} pages: parsed {total.parsed}, participants exact "
        f"{total.exact_core}/{total.participants}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
