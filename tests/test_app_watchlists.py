"""The Watchlists page (AppTest): masked apprise URLs; edits only with the admin password."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app_support import _changes_template, app_db, open_view  # noqa: F401  (fixtures)
from tracker import db, queries
from tracker.config import get_settings

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("app_db")
VIEW = "watchlists"


def test_no_password_no_edits() -> None:
    at = open_view(VIEW, timeout=120)
    assert not at.exception
    assert "No watches yet." in [i.value for i in at.info]
    assert not at.get("form")
    assert "TRACKER_ADMIN_PASSWORD" in " ".join(c.value for c in at.caption)


def test_add_watch_shows_it_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_ADMIN_PASSWORD", "s3cret")
    get_settings.cache_clear()
    at = open_view(VIEW, timeout=120)
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
    assert "No watches yet." in [i.value for i in at.info]
    engine.dispose()


def admin_page(monkeypatch: pytest.MonkeyPatch, smtp_url: str | None = None) -> AppTest:
    """The page with the admin password typed in, and the mail server set (or not)."""
    monkeypatch.setenv("TRACKER_ADMIN_PASSWORD", "s3cret")
    if smtp_url:
        monkeypatch.setenv("TRACKER_SMTP_URL", smtp_url)
    else:
        monkeypatch.delenv("TRACKER_SMTP_URL", raising=False)
    get_settings.cache_clear()
    at = open_view(VIEW, timeout=120)
    at.sidebar.text_input(key="_admin").input("s3cret").run()
    return at


def fill_and_save(at: AppTest, address: str) -> None:
    at.text_input(key="watch_label").input("Belgium desk")
    at.text_input(key="watch_url").input(address)
    at.text_input(key="watch_country").input("BEL")
    at.button[0].click().run()  # the form's Save button


def stored_watches() -> list[queries.WatchRow]:
    engine = db.make_engine(os.environ["TRACKER_DATABASE_URL"])
    try:
        with db.session(engine) as s:
            return queries.watches(session=s)
    finally:
        engine.dispose()


def test_the_form_says_what_to_type(monkeypatch: pytest.MonkeyPatch) -> None:
    at = admin_page(monkeypatch)
    assert at.text_input(key="watch_url").label == (
        "E-mail address, or link for another service (kept secret)"
    )
    captions = " ".join(c.value for c in at.caption)
    assert "Type an e-mail address, such as officer@ecpat.be" in captions
    assert "Slack (slack://…), Microsoft Teams (msteams://…)" in captions
    assert "E-mail addresses cannot be used yet: no mail server is set up" in captions
    assert "Apprise URL" not in captions


def test_plain_address_without_mail_server_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    at = admin_page(monkeypatch)
    fill_and_save(at, "officer@ecpat.be")
    assert not at.exception
    assert [e.value for e in at.error] == [
        "••••@ecpat.be is an e-mail address, but no mail server is set up to send e-mail. Ask "
        "the operator to set TRACKER_SMTP_URL, or use a link for another service (Slack, "
        "Teams, Matrix, ntfy ...). Nothing was saved."
    ]
    assert stored_watches() == []
    assert at.text_input(key="watch_label").value == "Belgium desk"  # kept, to be corrected


def test_bad_link_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    at = admin_page(monkeypatch)
    fill_and_save(at, "slack://nonsense")
    assert [e.value for e in at.error] == [
        "This link cannot be used: An invalid Slack (second) Token (None) was specified. The "
        "form of each service's link is at https://github.com/caronc/apprise/wiki. Nothing "
        "was saved."
    ]
    assert stored_watches() == []


def test_plain_address_saved_then_test_message(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers_mail import smtp_server

    with smtp_server() as box:
        at = admin_page(monkeypatch, box.server_url)
        assert "E-mail addresses cannot be used yet" not in " ".join(c.value for c in at.caption)
        fill_and_save(at, "officer@ecpat.be")
        assert not at.exception and not at.error
        assert at.success[0].value.startswith("Watch saved. Send it a test message below")
        assert list(at.dataframe[0].value["Notify (masked)"]) == ["••••@ecpat.be"]
        assert at.text_input(key="watch_label").value == ""  # the form starts afresh
        [watch] = stored_watches()
        at.button(key="watch_test").click().run()
        assert [s.value for s in at.success] == [
            "Test message sent to ••••@ecpat.be. Check that it arrived."
        ]
    assert box.recipients == [["officer@ecpat.be"]]
    assert box.messages[0]["Subject"] == "Treaty tracker: test message"
    at.button(key="watch_test").click().run()  # the mail server is gone
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The test message was not delivered: delivery to …@ecpat.be failed: "
        'Connection error while submitting email to "127.0.0.1"'
    ]
    assert "officer@ecpat.be" not in str([e.value for e in at.error])
    assert watch.label == "Belgium desk"
