"""The parser benchmark runs and prints its figures (a smoke test, not a timed test)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_parse_prints_its_figures() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_parse.py"), "--seconds", "0.05"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    for line in ("treaty-tracker parser", "pandas.read_html", "lxml bare parse", "ours / pandas"):
        assert line in result.stdout
