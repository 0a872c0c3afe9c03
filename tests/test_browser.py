"""The app in a real browser: Playwright drives Debian's Chromium against ``streamlit run``.

Opens each page, checks what a person sees, and saves a screenshot of each page under
``test-artifacts/``. Skipped (with the reason) when /usr/bin/chromium is missing, except
when CI is set: then it fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.app_support import build_with_changes
from tests.ci import missing
from tracker import db
from tracker.commands.run import app_command

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
#: Flags for Debian's Chromium here: headless as root, no outside connections of its own.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = ROOT / "test-artifacts"

PAGES = [
    ("", ["Country overview", "Belgium", "Signed but not ratified", "Not signed"]),
    ("country", ["Country overview", "ratified it on 30 May 2014"]),  # a deep link, at once
    ("treaty", ["World map by status", "Parties over time", "Declarations per participant"]),
    ("alerts", ["Alerts", "1 change event."]),
    ("watchlists", ["Watchlists", "No watches yet."]),
    ("health", ["Next scheduled poll", "the last poll failed (error: connection refused)"]),
]


def require_chromium() -> None:
    """Skip when Debian's Chromium is missing — or, under CI, fail."""
    if not CHROMIUM.exists():
        missing(
            f"{CHROMIUM} is missing: install Debian's Chromium "
            "(apt-get update && apt-get install -y chromium)"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'tracker.db'}"
    engine = db.make_engine(url)
    build_with_changes(engine)
    engine.dispose()
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": url,
        "TRACKER_DATA_DIR": str(folder),
        "TRACKER_DEFAULT_COUNTRY": "BEL",
    }
    env.pop("TRACKER_ADMIN_PASSWORD", None)
    with streamlit_app(env, folder / "streamlit.log") as base:
        yield base


@contextmanager
def streamlit_app(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """The app as ``treaty-tracker run`` starts it, on a free port of 127.0.0.1, from a folder
    outside the project; yields its base URL once healthy."""
    port = _free_port()
    command = app_command(port)
    log = log_path.open("wb")
    child = subprocess.Popen(
        command, cwd=log_path.parent, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a hang guard: a loaded machine is slow
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if child.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start: {log_path.read_text()}")
            time.sleep(0.3)
        yield base
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        log.close()


def wait_idle(page: object) -> None:
    """Wait until Streamlit has finished running the page's script (a busy machine is slow)."""
    page.wait_for_selector(  # type: ignore[attr-defined]
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=120_000
    )


def assert_no_developer_tools(page: Any, *, open_menu: bool = False) -> None:
    """No "Deploy" button; with ``open_menu``, the menu holds the viewer's items but no
    developer items (the toolbar mode set in .streamlit/config.toml)."""
    from playwright.sync_api import expect

    assert page.get_by_role("button", name="Deploy").count() == 0
    assert page.locator("[data-testid='stAppDeployButton']").count() == 0
    if not open_menu:
        return
    page.locator("[data-testid='stMainMenu'] button").first.click()
    popover = page.locator("[data-testid='stMainMenuPopover']")
    expect(popover.get_by_text("Print", exact=True)).to_be_visible(timeout=120_000)
    for item in ("Rerun", "Clear cache", "Deploy", "Settings"):
        assert popover.get_by_text(item, exact=True).count() == 0, item
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden(timeout=120_000)


def test_every_page_in_chromium(app_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            timeout=180_000,  # a hang guard: Chromium starts slowly on a loaded machine
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            page.set_default_timeout(120_000)  # a hang guard: a loaded machine is slow
            for path, texts in PAGES:
                page.goto(f"{app_url}/{path}", wait_until="domcontentloaded")
                wait_idle(page)
                main = page.locator("section.stMain, [data-testid='stMain']").first
                for text in texts:
                    expect(main.get_by_text(text, exact=False).first).to_be_visible(timeout=120_000)
                page.wait_for_timeout(1500)  # let charts and tables paint
                assert page.locator("[data-testid='stException']").count() == 0, path
                assert page.get_by_text("Page not found").count() == 0, path
                assert_no_developer_tools(page, open_menu=not path)
                page.screenshot(
                    path=str(ARTIFACTS / f"page-{path or 'country'}.png"), full_page=True
                )
            # Switching the language in the sidebar relabels the page.
            page.close()
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(120_000)  # a hang guard: a loaded machine is slow
            page.goto(f"{app_url}/", wait_until="domcontentloaded")
            expect(page.get_by_text("Country overview").first).to_be_visible(timeout=120_000)
            wait_idle(page)
            assert page.get_by_text("Page not found").count() == 0
            sidebar_labels = page.locator("[data-testid='stSidebar'] label")
            sidebar_labels.filter(has_text="Français").first.click(timeout=120_000)
            expect(page.get_by_text("Vue par pays").first).to_be_visible(timeout=120_000)
            page.wait_for_timeout(1000)
            page.screenshot(path=str(ARTIFACTS / "page-country-fr.png"), full_page=True)
        finally:
            browser.close()
