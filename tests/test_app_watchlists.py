"""The Watchlists page (AppTest): masked apprise URLs; edits only with the admin password."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app_support import _changes_template, app_db  # noqa: F401  (fixtures)
from tracker import db, queries
from tracker.config import get_settings

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("app_db")
PAGE = str(ROOT / "pages" / "watchlists.py")


def test_no_password_no_edits() -> None:
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception
    assert at.info[0].value == "No watches yet."
    assert not at.get("form")
    assert "TRACKER_ADMIN_PASSWORD" in " ".join(c.value for c in at.caption)


def test_add_watch_shows_it_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_ADMIN_PASSWORD", "s3cret")
    get_settings.cache_clear()
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.sidebar.text_input(key="_admin").input("s3cret").run()
    at.text_input(key="watch_label").input("Belgium desk")
    at.text_input(key="watch_url").input("mailto://officer:hunter2@example.org")
    at.text_input(key="watch_country").input("Belgique")
    at.selectbox(key="watch_treaty").set_value("IV-11-d")
    at.multiselect(key="watch_kinds").set_value(["consent", "withdrawal"])
    at.button[0].click().run()  # the form's Save button
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame["Label"]) == ["Belgium desk"]
    assert list(frame["Notify (masked)"]) == ["mailto://••••"]
    assert list(frame["Country"]) == ["BEL"]
    assert "hunter2" not in frame.to_string()
    engine = db.make_engine(os.environ["TRACKER_DATABASE_URL"])
    with db.session(engine) as s:
        [watch] = queries.watches(session=s)
    assert watch.kinds == ("consent", "withdrawal") and watch.mtdsg_no == "IV-11-d"
    at.button(key="watch_toggle").click().run()
    assert list(at.dataframe[0].value["Active"]) == ["no"]
    at.button(key="watch_delete").click().run()
    assert at.info[0].value == "No watches yet."
    engine.dispose()
