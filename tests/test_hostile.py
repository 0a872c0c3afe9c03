"""Hostile input: markup in scraped text, addresses off the allowed hosts, oversized and
deeply nested pages, and secrets that must not leak into logs or command output.

Pages are the reconstructed OPIC page (tests/fixtures/untc/IV-11-d.en.html) with DERIVED
edits, labelled where they are made.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import select

from tests import faults
from tests.faults import FaultServer
from tests.helpers_webhook import Webhook, free_port
from tracker import alerts, cli, db, feed, notify, store
from tracker.config import Settings
from tracker.crawl import run_crawl_subprocess
from tracker.domain import ParseError
from tracker.models import Alert, ChangeEvent, Poll
from tracker.service import record_poll
from tracker.sources import untc

OPIC = "IV-11-d"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
ALBANIA_DECLARATION_END = "to which the State is a party.”</p>"
SECRET = "Hunter2-s3cret-Pa55"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultServer]:
    yield from faults.fault_site(tmp_path, monkeypatch)


def hostile_declaration(body: bytes) -> bytes:
    """DERIVED EDIT: Albania's declaration gains markup written as text (escaped, as a page
    would show it) and a live <script> element (which is page code, not text)."""
    html = body.decode("utf-8")
    assert ALBANIA_DECLARATION_END in html
    added = (
        " &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;"
        "<script>document.title='pwned'</script>"
    )
    return html.replace(
        ALBANIA_DECLARATION_END, ALBANIA_DECLARATION_END[: -len("</p>")] + added + "</p>"
    ).encode("utf-8")


def test_markup_in_scraped_text_stays_text_and_is_escaped_in_alerts_and_feed(
    sqlite_engine: Engine,
) -> None:
    original = faults.page_bytes(OPIC)
    url = faults.status_page_url("http://127.0.0.1:8000", OPIC)
    status = untc.parse_status_page(hostile_declaration(original).decode("utf-8"), url)
    albania = status.declarations["ALB"]
    assert albania.endswith(f"{SCRIPT} {IMG}")  # kept as text, exactly
    assert "pwned" not in albania  # the <script> element is not text

    when = datetime(2015, 3, 20, 6, tzinfo=UTC)
    with db.session(sqlite_engine) as s:
        for i, body in enumerate((original, hostile_declaration(original))):
            page = faults.FetchedPage(OPIC, url, when + timedelta(hours=i), 200, body)
            record_poll(session=s, page=page, expected_language="en")
        (event,) = s.exec(select(ChangeEvent)).all()
        assert event.kind == "declaration" and SCRIPT in (event.new_value or "")
        ctx = alerts.event_context(session=s, event=event, language="en")
        # a hostile participant name too (as if the UN page carried one)
        named = notify.EventContext(
            change=dataclasses.replace(ctx.change, participant_name=f"Albania{IMG}"),
            treaty_title=f"{SCRIPT}Protocol",
        )
        # and stored, so the feed reads it from the database (an extra event, derived)
        poll = s.get(Poll, event.poll_id)
        assert poll is not None
        store.add_events(session=s, poll=poll, changes=[named.change])
        s.commit()
        atom = feed.build_feed(session=s, now=when, contact="ops@example.org")

    for context in (ctx, named):
        html_body = notify.event_message(context, fmt="html")
        assert "<script" not in html_body and "<img" not in html_body
        tree = etree.fromstring(f"<div>{html_body}</div>")  # well-formed: tags are ours only
        assert {el.tag for el in tree.iter()} <= {"div", "p", "a"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Protocol" in notify.event_message(
        named, fmt="html"
    )
    assert "Albania&lt;img src=x onerror=alert(2)&gt;" in notify.event_message(named, fmt="html")
    assert f"Albania{IMG}" in notify.event_message(named, fmt="text")  # plain text stays plain

    assert b"<script" not in atom and b"<img" not in atom
    root = etree.fromstring(atom)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert {el.tag for el in root.iter()} <= {
        f"{{{ns['a']}}}{t}"
        for t in ("feed", "id", "title", "updated", "author", "name", "generator", "entry",
                  "link", "category", "content")
    }  # fmt: skip
    contents = root.findall("a:entry/a:content", ns)
    assert len(contents) == 2 and all(c.get("type") == "text" for c in contents)
    assert any(f"Albania{IMG}" in (c.text or "") for c in contents)  # text, not markup
    assert b"Albania&lt;img src=x onerror=alert(2)&gt;" in atom


@pytest.mark.parametrize(
    ("base_url", "allowed", "says"),
    [
        ("ftp://treaties.un.org", None, "must be an http(s) address"),
        ("file:///etc/passwd", None, "must be an http(s) address"),
        ("javascript:alert(1)", None, "must be an http(s) address"),
        ("https://evil.example.org", None, "'evil.example.org', which is not in"),
        ("https://treaties.un.org.evil.example", None, "not in TRACKER_ALLOWED_HOSTS"),
        ("http://127.0.0.1:8000", ["treaties.un.org"], "add it there to allow it"),
    ],
)
def test_base_address_is_http_on_an_allowed_host(
    base_url: str, allowed: list[str] | None, says: str
) -> None:
    kwargs: dict[str, Any] = {"allowed_hosts": allowed} if allowed else {}
    with pytest.raises(ValidationError, match="TRACKER_UNTC_BASE_URL") as caught:
        Settings(untc_base_url=base_url, **kwargs)
    assert says in str(caught.value)
    ok = Settings(untc_base_url="http://127.0.0.1:8000", allowed_hosts=["127.0.0.1"])
    assert ok.untc_base_url == "http://127.0.0.1:8000"


@pytest.mark.timeout(300)
def test_offsite_redirect_and_oversized_pages_are_refused(
    site: FaultServer, sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults.use_database(monkeypatch, sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("TRACKER_MAX_PAGE_BYTES", "2000000")
    offsite = site.base_url.replace("127.0.0.1", "localhost") + "/Pages/offsite-target.aspx"
    site.inject("mtdsg_no=IV-11-d&", "redirect", location=offsite)
    site.inject("mtdsg_no=IV-11-c&", "huge", size=50_000_000)  # announced
    site.inject("mtdsg_no=IV-11-b&", "huge", size=50_000_000, announce=False)
    reports = {
        r["mtdsg_no"]: r
        for r in run_crawl_subprocess(
            ["IV-11-d", "IV-11-c", "IV-11-b"], timeout=240, scrapy_settings=faults.FAST_CRAWL
        )
    }
    # the huge bodies were not read to the end: the crawler hung up early on both
    while len(site.huge_sent) < 2:
        time.sleep(0.05)  # the server notices the hang-up on its next write
    assert len(site.huge_sent) == 2
    assert all(sent < 25_000_000 for _, sent in site.huge_sent), site.huge_sent  # of 50 MB
    assert {t: r["outcome"] for t, r in reports.items()} == dict.fromkeys(
        ("IV-11-d", "IV-11-c", "IV-11-b"), "error"
    )
    assert reports["IV-11-d"]["error"] == (
        "the site redirected to localhost, which is not an allowed host (127.0.0.1); "
        "the redirect was not followed"
    )
    assert not site.requests_for("offsite-target")  # never fetched
    assert reports["IV-11-c"]["error"] == "page too large (50000000 bytes, limit 2000000)"
    assert reports["IV-11-b"]["error"] == "page too large (more than 2000000 bytes, limit 2000000)"
    assert all(r["events"] == [] for r in reports.values())


def nested_page() -> tuple[str, str, str]:
    """DERIVED: 100,000 nested <div> elements put before the participants table of the OPIC
    page; returns (nested page, original page, url)."""
    html = faults.page_bytes(OPIC).decode("utf-8")
    at = html.index('<div id="participants">')
    page = html[:at] + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + html[at:]
    return page, html, faults.status_page_url("http://127.0.0.1:8000", OPIC)


def test_deeply_nested_markup_is_a_clear_parse_error() -> None:
    """(Its time and memory are measured by bench/bench_hostile.py.)"""
    page, html, url = nested_page()
    with pytest.raises(ParseError, match="nested more than 256 levels deep"):
        untc.parse_status_page(page, url)
    # the same page without the nesting still parses
    assert len(untc.parse_status_page(html, url).participants) == 51


def test_secrets_stay_out_of_logs_and_watch_list(
    sqlite_engine: Engine,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    hook = Webhook().start()
    good = hook.url.replace("json://", f"json://alerts:{SECRET}@")
    refused = f"json://alerts:{SECRET}@127.0.0.1:{free_port()}/hook"
    when = datetime(2015, 3, 20, 6, tzinfo=UTC)
    original = faults.page_bytes(OPIC)
    url = faults.status_page_url("http://127.0.0.1:8000", OPIC)
    try:
        with db.session(sqlite_engine) as s:
            alerts.add_watch(session=s, label="ok", notify_url=good, mtdsg_no=OPIC, created_at=when)
            alerts.add_watch(
                session=s, label="down", notify_url=refused, mtdsg_no=OPIC, created_at=when
            )
            s.commit()
            for i, body in enumerate((original, hostile_declaration(original))):
                page = faults.FetchedPage(OPIC, url, when + timedelta(hours=i), 200, body)
                record_poll(session=s, page=page, expected_language="en")
            assert alerts.enqueue(session=s, now=when + timedelta(hours=2)) == 2
            s.commit()
        alerts.deliver_due(engine=sqlite_engine, now=when + timedelta(hours=2))
        assert len(hook.messages()) == 1  # the good one was delivered
        with db.session(sqlite_engine) as s:
            rows = s.exec(select(Alert)).all()
        assert sorted(a.status for a in rows) == ["failed", "sent"]  # "down" is retried later
        assert all(SECRET not in (a.last_error or "") for a in rows)
        assert any(a.last_error for a in rows)
        assert caplog.text  # delivery did log
        assert SECRET not in caplog.text

        database = sqlite_engine.url.render_as_string(hide_password=False)
        assert cli.main(["watch", "--database-url", database, "list"]) == 0
        out, err = capsys.readouterr()
        assert "ok" in out and "down" in out
        assert SECRET not in out and SECRET not in err
    finally:
        hook.stop()
    assert SECRET not in caplog.text
