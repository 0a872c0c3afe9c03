"""The Health page (AppTest): last poll, failures in a row, freshness, next poll."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.app_support import _changes_template, app_db, open_view  # noqa: F401  (fixtures)
from tests.plugin_http import UntcServer
from tracker.config import get_settings

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
    # one box per cause (tracker.health_summary), the treaties under it
    errors = [e.value.replace("\\", "") for e in at.error]
    assert errors == [
        "1 treaty: the last poll failed (error: connection refused), once in a row  \nIV-15"
    ]
    infos = [i.value.replace("\\", "") for i in at.info]
    [snapshot] = [i for i in infos if "no live poll yet" in i]
    assert snapshot.startswith(
        "5 treaties: no live poll yet — data from the bundled snapshot of 14 Mar 2015"
    )
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any(w.startswith("8 treaties: never polled — no data yet") for w in warnings)
    assert at.metric[0].label == "Next scheduled poll"
    assert at.metric[0].value.endswith("06:00 UTC")  # TRACKER_POLL_CRON 0 6 * * *
    assert not [b for b in at.button if b.key == "poll_now"]  # no admin password: no action
    at.sidebar.radio(key="_lang_widget").set_value("fr").run()
    assert "Échecs consécutifs" in at.dataframe[0].value.columns


def test_poll_now_in_the_background(
    monkeypatch: pytest.MonkeyPatch, untc_server: UntcServer
) -> None:
    """Poll now starts the poll without waiting, shows its progress, and when it ends the
    page shows the new figures and one sentence (no Python list)."""
    monkeypatch.setenv("TRACKER_ADMIN_PASSWORD", "s3cret")
    get_settings.cache_clear()
    at = open_view("health", timeout=120)
    at.sidebar.text_input(key="_admin").input("s3cret").run()
    at.multiselect(key="poll_pick").set_value(["IV-15"]).run()
    at.button(key="poll_now").click().run()
    job = at.session_state["_poll_now_job"]
    assert job.treaties == ("IV-15",)
    at.run()
    if job.exit_status() is None:  # still running after this run: it showed the progress
        assert not [b for b in at.button if b.key == "poll_now"]  # no second poll meanwhile
    deadline = time.monotonic() + 120  # a bound on waiting, not a timed assertion
    while job.exit_status() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    at.run()
    assert not at.exception
    texts = [s.value.replace("\\", "") for s in at.success]
    assert "Poll finished: 1 of 1 pages recorded (1 unchanged)." in texts
    # the figures were refreshed: IV-15's failure is gone from the table and the boxes
    frame = at.dataframe[0].value.set_index("Treaty")
    assert frame.loc["IV-15", "Outcome"] == "unchanged"
    assert frame.loc["IV-15", "Failures in a row"] == 0
    assert not [e for e in at.error if "failed" in e.value]
    assert "['" not in " ".join(m.value for m in [*at.success, *at.error, *at.markdown])
