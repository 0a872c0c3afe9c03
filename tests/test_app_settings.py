"""Settings that stay (AppTest, through the app's entry script): the language and the admin
password survive page changes; the address carries the language and opens the view it
names (``/?treaty=IV-11-b`` is the Treaty view); ``/`` is the Country view."""

from __future__ import annotations

import pytest

from tests.app_support import _changes_template, app_db, open_view, view_path  # noqa: F401
from tracker.config import get_settings

pytestmark = pytest.mark.usefixtures("app_db")


def test_french_and_the_admin_password_stay_across_page_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRACKER_ADMIN_PASSWORD", "s3cret")
    get_settings.cache_clear()
    at = open_view("alerts", timeout=120)
    at.sidebar.radio(key="_lang_widget").set_value("fr").run()
    at.sidebar.text_input(key="_admin").input("s3cret").run()
    assert at.title[0].value == "Alertes"
    assert at.query_params["lang"] in ("fr", ["fr"])
    assert [b for b in at.button if b.key == "alerts_mark"]  # the admin's action is offered
    for view, title in (
        ("watchlists", "Veilles"),
        ("health", "État du suivi"),
        ("treaty", "Traité"),
        ("country", "Vue par pays"),
        ("watchlists", "Veilles"),
    ):
        at.switch_page(view_path(view)).run()
        assert not at.exception, view
        assert at.title[0].value == title, view
        assert at.sidebar.radio(key="_lang_widget").value == "fr", view
    assert at.get("form")  # the watch form: the password was not asked again
    at.switch_page(view_path("health")).run()
    assert [b for b in at.button if b.key == "poll_now"]


def test_the_address_opens_a_view_and_sets_the_language() -> None:
    at = open_view("country", timeout=120, treaty="IV-11-b", lang="fr")
    assert not at.exception
    assert at.title[0].value == "Traité"  # "/?treaty=..." opens the Treaty view
    assert at.selectbox(key="treaty").value == "IV-11-b"
    at = open_view("country", timeout=120)
    assert at.title[0].value == "Country overview"  # "/" is the Country view
    assert at.query_params.get("lang") in ("en", ["en"])
    at = open_view("country", timeout=120, lang="xx")  # not a language: English
    assert at.title[0].value == "Country overview"
