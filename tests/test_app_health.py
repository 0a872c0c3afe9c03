"""The Health page (AppTest): last poll, failures in a row, freshness, next poll."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app_support import _changes_template, app_db, open_view  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("app_db")


def test_health_table() -> None:
    at = open_view("health", timeout=120)
    assert not at.exception
    frame = at.dataframe[0].value.set_index("Treaty")
    assert frame.loc["IV-15", "Outcome"] == "error"
    assert frame.loc["IV-15", "Failures in a row"] == 1
    assert frame.loc["IV-15", "Error"] == "connection refused"
    assert frame.loc["IV-15", "Last poll"] == "2 Oct 2017 06:00 UTC"
    assert frame.loc["IV-11-d", "Outcome"] == "changed"
    assert frame.loc["IV-11-d", "Status as at (page)"] == "30 Sep 2017"
    assert frame.loc["IV-16", "Last poll"] == "never"  # tracked, never polled
    assert "IV-15: 1 × error" in at.error[0].value.replace("\\", "")
    assert at.metric[0].label == "Next scheduled poll"
    assert at.metric[0].value.endswith("06:00 UTC")  # TRACKER_POLL_CRON 0 6 * * *
    assert not [b for b in at.button if b.key == "poll_now"]  # no admin password: no action
    at.sidebar.radio(key="_lang_widget").set_value("fr").run()
    assert "Échecs consécutifs" in at.dataframe[0].value.columns
