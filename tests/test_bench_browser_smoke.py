"""The browser benchmark runs and prints its figures (a smoke test, not a timed test): six
treaties, one view, one warm load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_browser import require_chromium

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.browser


def test_bench_browser_prints_its_figures() -> None:
    require_chromium()
    result = subprocess.run(
        [
            sys.executable, str(ROOT / "bench" / "bench_browser.py"),
            "--treaties", "6", "--views", "health", "--warm", "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )  # fmt: skip
    out = result.stdout
    assert "database: 6 treaties stored" in out
    assert "aims: first load < 3 s, warm load < 1.5 s" in out
    [line] = [line for line in out.splitlines() if line.startswith("health ")]
    first, warm = (float(cell.rstrip("s")) for cell in line.split()[1:3])
    assert first > 0 and warm > 0
    assert "EXCEPTION" not in line
