"""A benchmark corpus: 560 status pages derived from the reconstructed CRC page (IV-11.en.html).

Each page is the reconstruction with a different "STATUS AS AT" time, served under its own
made-up MTDSG reference (chapters I-XXVIII, treaties 101-120) with the title renumbered to
match it (the tracker refuses a page whose title names another treaty), so every body is
distinct (a distinct archive entry). The participant data are the real 2015 CRC values, unchanged;
the references and times are invented for load only.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from tracker.mtdsg import int_to_roman

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "fixtures" / "untc" / "IV-11.en.html"
STATUS_TIME = "14-03-2015 05:01:22"
SIZE = 560


def treaty_ids(size: int = SIZE) -> list[str]:
    """``size`` references: 20 per chapter, chapters I, II, ... (``IV-101`` ... ``IV-120``)."""
    return [f"{int_to_roman(1 + i // 20)}-{101 + i % 20}" for i in range(size)]


def build(target: Path, size: int = SIZE) -> list[str]:
    """Write the corpus as ``<ID>.en.html`` files into ``target``; return the references."""
    source = SOURCE.read_text(encoding="utf-8")
    if STATUS_TIME not in source:
        raise RuntimeError(f"{SOURCE} no longer carries the status time {STATUS_TIME}")
    target.mkdir(parents=True, exist_ok=True)
    ids = treaty_ids(size)
    for i, mtdsg_no in enumerate(ids):
        minutes, seconds = divmod(i, 60)
        text = source.replace(
            STATUS_TIME, f"14-03-2015 {5 + minutes // 60:02d}:{minutes % 60:02d}:{seconds:02d}"
        )
        number = mtdsg_no.split("-")[1]
        text = re.sub(r'(tcTreaty">)11 \. ', rf"\g<1>{number} . ", text, count=1)
        (target / f"{mtdsg_no}.en.html").write_text(text, encoding="utf-8")
    return ids
