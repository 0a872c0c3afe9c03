"""Checks against the real UN Treaty Collection site. Marked `live`: excluded by default.

Run them on a machine with internet access with: .venv/bin/pytest -m live
"""

from __future__ import annotations

import urllib.request
from datetime import date

import pytest

from tracker.sources.untc import parse_status_page

pytestmark = pytest.mark.live

OPIC = (
    "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-11-d&chapter=4&clang=_en"
)


def fetch(url: str) -> str:
    request = urllib.request.Request(url, headers={"User-Agent": "treaty-tracker live test"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return str(response.read().decode("utf-8", errors="replace"))


def test_live_opic_page_parses_and_holds_the_known_facts() -> None:
    status = parse_status_page(fetch(OPIC), OPIC)
    belgium = status.participant("BEL")
    assert belgium is not None
    assert belgium.signature == date(2012, 2, 28)
    assert belgium.consent is not None and belgium.consent.date == date(2014, 5, 30)
    assert status.entry_into_force is not None
    assert status.entry_into_force.date == date(2014, 4, 14)
    assert not [w for w in status.warnings if "unknown participant" in w], status.warnings
