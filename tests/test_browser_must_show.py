"""Issue 12's "must show", in a real browser: Playwright drives Debian's Chromium against
``streamlit run`` of the app (as ``treaty-tracker run`` starts it) on a temporary SQLite file
loaded from the bundled snapshot (the real values published on 14 March 2015).

- ``/?country=LUX&lang=fr`` opens Luxembourg in French;
- the Country view for Belgium states OPIC's ratification date (30 May 2014, as the snapshot
  has it: data/snapshot/IV-11-d.en.html) in the page's text, not only in the canvas table;
- French stays French across four page changes made with the sidebar's links, and the
  address keeps ``lang=fr``;
- no visible text reads "None"; there is no "Deploy" button;
- a screenshot of every view in English and French goes to ``test-artifacts/``.

One Streamlit server for the module. Skipped when /usr/bin/chromium is missing, except
under CI (then it fails).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.test_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    assert_no_developer_tools,
    require_chromium,
    streamlit_app,
    wait_idle,
)
from tracker import db, snapshot
from tracker.archive import Archive

pytestmark = pytest.mark.browser

#: (url path, sidebar link and title in English, in French)
VIEWS = (
    ("country", "Country", "Country overview", "Pays", "Vue par pays"),
    ("treaty", "Treaty", "Treaty", "Traité", "Traité"),
    ("alerts", "Alerts", "Alerts", "Alertes", "Alertes"),
    ("watchlists", "Watchlists", "Watchlists", "Veilles", "Veilles"),
    ("health", "Health", "Health", "État du suivi", "État du suivi"),
)
#: Words that must never be shown: Python's and pandas' values for "nothing".
NOTHING = re.compile(r"\b(None|nan|NaT|no_data)\b")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    folder = tmp_path_factory.mktemp("must-show")
    url = f"sqlite:///{folder / 'tracker.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    assert [r.outcome for r in snapshot.load(engine, archive=Archive(folder / "archive"))] == [
        "new"
    ] * 6
    engine.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_DATABASE_URL=url, TRACKER_DATA_DIR=str(folder))
    with streamlit_app(env, folder / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser(app_url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser: Any, url: str) -> Any:
    # tall: Streamlit scrolls inside its main area, so a screenshot shows the viewport only
    page = browser.new_page(viewport={"width": 1400, "height": 2600})
    page.set_default_timeout(120_000)  # a hang guard: a loaded machine is slow
    page.goto(url, wait_until="domcontentloaded")
    return page


def main_text(page: Any) -> str:
    """What the page shows in its text (canvas-drawn tables are not text)."""
    return str(page.locator("[data-testid='stMain']").first.inner_text())


def settle(page: Any, title: str) -> None:
    """Wait until the view titled ``title`` has finished running and painting."""
    from playwright.sync_api import expect

    expect(page.locator("h1").filter(has_text=title).first).to_be_visible(timeout=120_000)
    wait_idle(page)
    page.wait_for_timeout(800)  # charts and tables paint after the script ends
    wait_idle(page)


def check_view(page: Any, path: str, lang: str) -> None:
    """What every view must show (and not show); then its screenshot."""
    text = main_text(page)
    assert page.get_by_text("Page not found").count() == 0, path
    assert page.locator("[data-testid='stException']").count() == 0, path
    found = NOTHING.findall(text)
    assert not found, (path, lang, found)
    assert_no_developer_tools(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"view-{path}-{lang}.png"), full_page=True)


def test_luxembourg_in_french_from_the_address(browser: Any, app_url: str) -> None:
    page = open_page(browser, f"{app_url}/?country=LUX&lang=fr")
    settle(page, "Vue par pays")
    text = main_text(page)
    assert "Luxembourg : partie à " in text
    # in words, not only in the canvas table (Luxembourg signed OPIC, had not ratified it)
    assert "Luxembourg — OPIC : signé le 28 février 2012, non ratifié" in text
    assert "Country overview" not in text
    assert "country=LUX" in page.url and "lang=fr" in page.url
    page.close()


def test_belgium_opic_ratification_is_in_the_page_text(browser: Any, app_url: str) -> None:
    page = open_page(browser, f"{app_url}/?country=BEL")
    settle(page, "Country overview")
    text = main_text(page)
    assert (
        "Belgium signed OPIC on 28 February 2012, ratified it on 30 May 2014; in force for "
        "Belgium since 30 August 2014 (source: UN Treaty Collection as published on 14 March "
        "2015, bundled snapshot)." in text
    )
    # findable the way a person finds it (Ctrl-F finds text in the DOM)
    assert page.get_by_text("ratified it on 30 May 2014", exact=False).count() >= 1
    assert_no_developer_tools(page, open_menu=True)
    page.close()


def test_french_stays_french_across_page_changes(browser: Any, app_url: str) -> None:
    """Every view in French, reached with the sidebar's links (five page changes), then
    every view in English after switching the language in the sidebar."""
    from playwright.sync_api import expect

    page = open_page(browser, f"{app_url}/?lang=fr")
    settle(page, "Vue par pays")
    expect(page).to_have_title("Pays — Suivi des traités")
    check_view(page, "country", "fr")
    sidebar = page.locator("[data-testid='stSidebarNav']")
    for path, _, _, link, title in (*VIEWS[1:], VIEWS[0]):
        sidebar.get_by_text(link, exact=True).first.click()
        settle(page, title)
        assert "lang=fr" in page.url, (path, page.url)
        links = sidebar.inner_text()
        assert "Veilles" in links and "Watchlists" not in links, (path, links)
        # the browser tab's title too: the view's name and the app's, in French
        expect(page).to_have_title(f"{link} — Suivi des traités")
        if path != "country":
            check_view(page, path, "fr")
    # back to English from the sidebar; English stays across the views too
    page.locator("[data-testid='stSidebar'] label").filter(has_text="English").first.click()
    settle(page, "Country overview")
    check_view(page, "country", "en")
    for path, link, title, _, _ in VIEWS[1:]:
        sidebar.get_by_text(link, exact=True).first.click()
        settle(page, title)
        assert "lang=fr" not in page.url
        expect(page).to_have_title(f"{link} — Treaty tracker")
        check_view(page, path, "en")
    page.close()


def test_shared_addresses_open_the_treaty_view_on_a_date(browser: Any, app_url: str) -> None:
    page = open_page(browser, f"{app_url}/?treaty=IV-11-d&at=2014-04-13&lang=fr")
    settle(page, "Traité")
    text = main_text(page)
    assert "Participants tels qu'ils étaient le 13 avr. 2014." in text
    assert "partie" in text
    assert "/treaty" in page.url and "at=2014-04-13" in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "view-treaty-as-at-fr.png"), full_page=True)
    # a date typed in the field applies on Enter
    field = page.get_by_role("textbox", name="Participants à la date du")
    field.fill("2012-02-28")
    field.press("Enter")
    from playwright.sync_api import expect

    expect(page.get_by_text("Participants tels qu'ils étaient le 28 févr. 2012.")).to_be_visible()
    wait_idle(page)
    assert "at=2012-02-28" in page.url
    page.close()
