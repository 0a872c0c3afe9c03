"""The Alerts page (AppTest): events newest first, filters, mark as read, CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app_support import _changes_template, app_db, open_view  # noqa: F401  (fixtures)
from tracker.config import get_settings

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("app_db")
VIEW = "alerts"


def test_brazil_event_and_filters() -> None:
    at = open_view(VIEW, timeout=120)
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame["Participant"]) == ["Brazil"]
    event = frame.iloc[0]
    assert event["What changed"] == (
        "Brazil ratified the Optional Protocol to the Convention on the Rights of the Child "
        "on a communications procedure (IV-11-d) on 29 September 2017."
    )
    assert event["New value"] == "29 Sep 2017" and event["Effective date"] == "29 Sep 2017"
    assert event["Observed"] == "1 Oct 2017 06:00 UTC"
    at.selectbox(key="alerts_treaty").set_value("IV-11").run()
    assert (
        "The filters hide the one recorded change event: clear the treaty, country, kind, "
        "date or “unread only” filter to see it."
    ) in [i.value.replace("\\", "") for i in at.info]
    assert at.get("download_button")  # the CSV button stays, with the columns only
    at.selectbox(key="alerts_treaty").set_value("IV-11-d").run()
    at.text_input(key="alerts_country").input("Belgium").run()
    assert not at.dataframe
    at.text_input(key="alerts_country").input("Brésil").run()
    assert len(at.dataframe[0].value) == 1
    at.multiselect(key="alerts_kinds").set_value(["withdrawal"]).run()
    assert not at.dataframe
    at.multiselect(key="alerts_kinds").set_value(["consent"]).run()
    assert len(at.dataframe[0].value) == 1
    # Without an admin password, marking as read is not offered.
    assert not at.button


def test_mark_read_needs_the_admin_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_ADMIN_PASSWORD", "s3cret")
    get_settings.cache_clear()
    at = open_view(VIEW, timeout=120)
    assert not at.multiselect(key="alerts_kinds").value
    assert not [b for b in at.button if b.key == "alerts_mark"]
    at.sidebar.text_input(key="_admin").input("wrong").run()
    assert at.sidebar.error[0].value == "Wrong admin password."
    at.sidebar.text_input(key="_admin").input("s3cret").run()
    at.multiselect(key="alerts_pick").set_value([1]).run()  # the Brazil event
    at.button(key="alerts_mark").click().run()
    assert not at.exception
    at.checkbox(key="alerts_unread").check().run()
    assert any("The filters hide the one" in i.value for i in at.info)


def test_french() -> None:
    at = open_view(VIEW, timeout=120)
    at.sidebar.radio(key="_lang_widget").set_value("fr").run()
    event = at.dataframe[0].value.iloc[0]
    assert event["Changement"] == "Brésil : ratification le 29 septembre 2017 — traité IV-11-d."
    assert event["Date d'effet"] == "29 sept. 2017"


def test_an_empty_list_says_why(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Only the bundled snapshot, no poll yet: the list is empty and the page says why."""
    from tests.app_support import build
    from tracker import db

    url = f"sqlite:///{tmp_path / 'snapshot-only.db'}"
    engine = db.make_engine(url)
    build(engine)
    engine.dispose()
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    get_settings.cache_clear()
    at = open_view(VIEW, timeout=120)
    assert not at.exception
    assert not at.dataframe
    shown = " ".join(i.value for i in at.info).replace("\\", "")
    assert (
        "No change has been seen yet: the data is the bundled snapshot (values as published "
        "on 14 Mar 2015) and no live poll has succeeded." in shown
    )
    assert at.get("download_button")
    at = open_view(VIEW, timeout=120, lang="fr")
    assert "Aucun changement constaté pour l'instant" in " ".join(i.value for i in at.info)


def test_observed_since_field_in_the_page_language() -> None:
    """The date filter's hint reads "aaaa-mm-jj" in French; a typed date filters (the Brazil
    event was observed on 1 October 2017), in ISO or in words; a wrong one is said wrong."""
    at = open_view(VIEW, timeout=120)
    assert at.text_input(key="alerts_since").placeholder == "yyyy-mm-dd"
    at.text_input(key="alerts_since").input("2017-10-02").run()
    assert not at.dataframe
    at.text_input(key="alerts_since").input("1 October 2017").run()
    assert list(at.dataframe[0].value["Participant"]) == ["Brazil"]
    at.text_input(key="alerts_since").input("2017-13-45").run()
    assert "2017-13-45: not a date" in at.warning[0].value.replace("\\", "")
    french = open_view(VIEW, timeout=120, lang="fr")
    assert french.text_input(key="alerts_since").placeholder == "aaaa-mm-jj"
    assert french.text_input(key="alerts_since").label == "Constatés depuis"
    french.text_input(key="alerts_since").input("2 octobre 2017").run()
    assert not french.dataframe
