"""The parser benchmark runs and prints its figures (a smoke test, not a timed test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "untc" / "data" / "untreaties-2015"


@pytest.fixture(autouse=True)
def _shared_data() -> None:
    """The benchmarks read the shared 2015 data set; without it: skip, or fail under CI."""
    if not SHARED.is_dir():
        message = f"the shared 2015 data set is missing ({SHARED})"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def test_bench_parse_prints_its_figures(tmp_path: Path) -> None:
    # issue 13 item 10: distinct pages (the 2015 reconstructions), so it takes --pages/--rounds
    summary = tmp_path / "targets.txt"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_parse.py"), "--pages", "4", "--rounds", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
        env={**os.environ, "TRACKER_BENCH_SUMMARY": str(summary)},
    )
    for line in (
        "4 distinct pages",
        "treaty-tracker parser",
        "pandas.read_html",
        "lxml bare parse",
        "ours / pandas",
        "target: parse within 3x of lxml's bare parse, on 4 distinct pages: ",
        "where the parser's time goes",
    ):
        assert line in result.stdout
    # the headline line says met or NOT met, and is repeated in the summary `make bench` prints
    (headline,) = [line for line in result.stdout.splitlines() if line.startswith("target:")]
    assert headline.endswith((" -> met", " -> NOT met"))
    assert summary.read_text(encoding="utf-8") == headline + "\n"


def test_bench_corpus_prints_its_figures() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_corpus.py"), "--pages", "6"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    for line in ("design part", "held-out part", "pages parsed", "participants exact", "warnings"):
        assert line in result.stdout
