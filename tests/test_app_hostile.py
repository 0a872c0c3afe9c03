"""Hostile scraped text in the app: shown as text, never run as HTML or script.

The OPIC reconstruction is edited (visibly, below) so that Belgium's declaration carries
markup a compromised or broken page could show: ``<script>`` and ``<img onerror>`` written as
text on the page. The app must show those characters literally (AppTest), and a real browser
must neither run the script nor create the image.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app_support import CHANGE_TIME, FIXTURES, SNAPSHOT_TIME, open_view, poll, view_path
from tests.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    require_chromium,
    streamlit_app,
    wait_idle,
)
from tracker import db
from tracker.config import get_settings

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;"
BELGIUM_DECLARATION = (
    "<p>The Kingdom of Belgium recognizes the competence of the Committee on the Rights of the "
    "Child to receive, pursuant to article 12 of the Optional Protocol, communications from a "
    "State party which claims that another State is not fulfilling its obligations.</p>"
)


def hostile_opic() -> bytes:
    """DERIVED EDIT of the reconstruction: hostile text appended to Belgium's declaration."""
    text = (FIXTURES / "IV-11-d.en.html").read_text(encoding="utf-8")
    assert text.count(BELGIUM_DECLARATION) == 1
    text = text.replace(BELGIUM_DECLARATION, BELGIUM_DECLARATION + f"\n<p>{ESCAPED}</p>")
    return text.encode("utf-8")


@pytest.fixture
def hostile_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    assert poll(engine, "IV-11-d", (FIXTURES / "IV-11-d.en.html").read_bytes(), SNAPSHOT_TIME)
    assert poll(engine, "IV-11-d", hostile_opic(), CHANGE_TIME) == "changed"
    engine.dispose()
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRACKER_ADMIN_PASSWORD", raising=False)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_hostile_declaration_is_shown_as_text(hostile_db: str) -> None:
    at = open_view("treaty", timeout=120)
    assert not at.exception
    texts = [t.value for t in at.text]
    assert any(HOSTILE in value for value in texts), "the declaration is not shown as text"
    for md in at.markdown:
        assert "<script" not in md.value and "<img" not in md.value, md.value

    at.switch_page(view_path("alerts")).run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert frame.astype(str).apply(lambda col: col.str.contains(HOSTILE, regex=False)).any().any()
    for md in at.markdown:
        assert "<script" not in md.value and "<img" not in md.value, md.value


@pytest.mark.browser
def test_hostile_declaration_does_not_run_in_a_browser(hostile_db: str, tmp_path: Path) -> None:
    require_chromium()
    from playwright.sync_api import Dialog, expect, sync_playwright

    log = tmp_path / "streamlit.log"
    with streamlit_app({**os.environ}, log) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            timeout=180_000,  # a hang guard: Chromium starts slowly on a loaded machine
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            page.set_default_timeout(120_000)  # a hang guard: a loaded machine is slow
            dialogs: list[str] = []

            def dismiss(dialog: Dialog) -> None:
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", dismiss)
            page.goto(f"{base}/treaty", wait_until="domcontentloaded")
            wait_idle(page)
            page.get_by_text("Belgium", exact=True).last.click()
            expect(page.get_by_text("alert(1)", exact=False).first).to_be_visible(timeout=120_000)
            page.wait_for_timeout(1000)
            assert dialogs == [], f"a script ran: {dialogs}"
            assert page.locator("img[src='x']").count() == 0
            shown = page.get_by_text("alert(1)", exact=False).first.inner_text()
            assert "<script>alert(1)</script>" in shown
        finally:
            browser.close()
