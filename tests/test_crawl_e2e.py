"""End to end: real Scrapy crawls (in a child process, as the scheduler runs them) of the
local fake UNTC server, recorded in SQLite and PostgreSQL.

The pages served are the reconstructions in tests/fixtures/untc (real 2015 values); where a
test needs a changed page it edits the served copy and says so (a *derived* edit).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.plugin_http import UntcServer
from tracker.config import get_settings
from tracker.crawl import run_crawl_subprocess

#: Test speed: no politeness delays, no backoff (the production values are in scraper/settings.py).
FAST = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "RETRY_BACKOFF_BASE": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
}
OPIC = "IV-11-d"

Crawl = Callable[..., list[dict[str, Any]]]


def _crawler(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Crawl:
    monkeypatch.setenv("TRACKER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()

    def run(treaties: list[str] | None = None, **kwargs: Any) -> list[dict[str, Any]]:
        return run_crawl_subprocess(
            treaties, timeout=kwargs.pop("timeout", 300), scrapy_settings=FAST, **kwargs
        )

    return run


@pytest.fixture
def crawl(
    engine: Engine, untc_server: UntcServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Crawl:
    """Run one crawl in a child process against ``untc_server``, recording into ``engine``
    (SQLite and PostgreSQL)."""
    return _crawler(engine, tmp_path, monkeypatch)


@pytest.fixture
def sqlite_crawl(
    sqlite_engine: Engine, untc_server: UntcServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Crawl:
    """The same on SQLite only, for crawl behaviour that does not depend on the database."""
    return _crawler(sqlite_engine, tmp_path, monkeypatch)


def only(reports: list[dict[str, Any]], mtdsg_no: str = OPIC) -> dict[str, Any]:
    mine = [r for r in reports if r["mtdsg_no"] == mtdsg_no]
    assert len(mine) == 1, reports
    return mine[0]


def participant_rows(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as c:
        return [
            tuple(row)
            for row in c.execute(
                text(
                    "SELECT participant_code, signature_date, consent_date, consent_kind "
                    "FROM participant_status ORDER BY participant_code"
                )
            )
        ]


def count(engine: Engine, sql: str) -> int:
    with engine.connect() as c:
        return int(c.execute(text(sql)).scalar_one())


# ---------------------------------------------------------------- derived edits of OPIC


def add_argentina_ratification_and_new_accession(html: str) -> str:
    """DERIVED EDIT (not real data): Argentina ratifies on 14 Apr 2015, and Viet Nam (not a
    participant of OPIC in 2015) accedes on the same day; the Status counts follow
    (Parties 16 -> 18) so the page stays consistent with itself."""
    argentina = "<tr><td>Argentina</td><td>25 Jul\t 2012</td><td></td></tr>"
    assert argentina in html
    html = html.replace(
        argentina, "<tr><td>Argentina</td><td>25 Jul\t 2012</td><td>14 Apr\t 2015</td></tr>"
    )
    uruguay = "<tr><td>Uruguay</td><td>28 Feb\t 2012</td><td>23 Feb\t 2015</td></tr>"
    assert uruguay in html
    html = html.replace(
        uruguay, uruguay + "\n<tr><td>Viet Nam</td><td></td><td>14 Apr\t 2015 a</td></tr>"
    )
    assert "Signatories : 48. Parties : 16" in html
    return html.replace("Signatories : 48. Parties : 16", "Signatories : 48. Parties : 18")


def table_rows(html: str) -> list[str]:
    """The rows of the participants table (``...tblgrid``), header row first."""
    start = html.index("tblgrid")
    end = html.index("</table>", start)
    return re.findall(r"<tr[ >].*?</tr>", html[start:end], flags=re.S)


def empty_participants_table(html: str) -> str:
    """DERIVED EDIT: every participant row removed, the header row kept."""
    start = html.index("tblgrid")
    end = html.index("</table>", start)
    emptied = html[start:end]
    rows = table_rows(html)
    assert len(rows) > 40
    for row in rows[1:]:
        emptied = emptied.replace(row, "")
    return html[:start] + emptied + html[end:]


# ---------------------------------------------------------------- tests


def test_baseline_then_changes_then_unchanged(
    crawl: Crawl, untc_server: UntcServer, engine: Engine
) -> None:
    page = untc_server.page(OPIC)
    original = page.read_text(encoding="utf-8")

    first = only(crawl([OPIC]))
    assert first["outcome"] == "new"
    assert first["events"] == []
    assert first["error"] is None
    baseline = participant_rows(engine)
    assert len(baseline) == len(table_rows(original)) - 1  # minus the header row

    page.write_text(add_argentina_ratification_and_new_accession(original), encoding="utf-8")
    second = only(crawl([OPIC]))
    assert second["outcome"] == "changed", second
    events = sorted(second["events"], key=lambda e: e["participant_code"])
    assert [
        (e["kind"], e["participant_name"], e["new_value"], e["consent_kind"]) for e in events
    ] == [
        ("consent", "Argentina", "2015-04-14", "ratification"),
        ("consent", "Viet Nam", "2015-04-14", "accession"),
    ]
    assert count(engine, "SELECT COUNT(*) FROM change_event") == 2

    third = only(crawl([OPIC]))
    assert third["outcome"] == "unchanged"
    assert third["events"] == []
    assert count(engine, "SELECT COUNT(*) FROM change_event") == 2
    assert count(engine, "SELECT COUNT(*) FROM poll") == 3

    # politeness: our User-Agent on every request, robots.txt asked for
    agents = {r.header("User-Agent") for r in untc_server.requests}
    assert len(agents) == 1
    (agent,) = agents
    assert re.fullmatch(r"treaty-tracker/\S+ \(\+.+\)", agent or ""), agent
    assert get_settings().contact in (agent or "")
    assert untc_server.requests_for("/robots.txt")
    status_requests = untc_server.requests_for("mtdsg_no=IV-11-d")
    assert len(status_requests) == 3
    assert "chapter=4" in status_requests[0].path and "clang=_en" in status_requests[0].path


def test_broken_pages_are_failed_polls_and_change_nothing(
    crawl: Crawl, untc_server: UntcServer, engine: Engine
) -> None:
    page = untc_server.page(OPIC)
    original = page.read_bytes()
    assert only(crawl([OPIC]))["outcome"] == "new"
    baseline = participant_rows(engine)

    broken = untc_server.root / "broken"
    variants = {
        "maintenance page": (broken / "maintenance.html").read_bytes(),
        "empty participants table (derived edit)": empty_participants_table(
            original.decode("utf-8")
        ).encode("utf-8"),
        "page cut in half": (broken / "truncated.html").read_bytes(),
        "empty body": b"",
    }
    for label, body in variants.items():
        page.write_bytes(body)
        report = only(crawl([OPIC]))
        assert report["outcome"] in ("error", "suspect"), (label, report)
        assert report["events"] == [], label
        assert participant_rows(engine) == baseline, label
    assert count(engine, "SELECT COUNT(*) FROM change_event") == 0

    page.write_bytes(original)
    assert only(crawl([OPIC]))["outcome"] == "unchanged"
    assert count(engine, "SELECT COUNT(*) FROM change_event") == 0


def test_retry_after_503_twice(
    sqlite_crawl: Crawl, untc_server: UntcServer, sqlite_engine: Engine
) -> None:
    untc_server.fail("mtdsg_no=IV-11-d", status=503, times=2, headers={"Retry-After": "0"})
    reports = sqlite_crawl([OPIC])
    report = only(reports)
    assert report["outcome"] == "new", report
    assert len(untc_server.requests_for("mtdsg_no=IV-11-d")) == 3
    assert count(sqlite_engine, "SELECT COUNT(*) FROM poll") == 1


def test_server_error_after_retries_is_an_error_poll(
    sqlite_crawl: Crawl, untc_server: UntcServer, sqlite_engine: Engine
) -> None:
    untc_server.fail("mtdsg_no=IV-11-d", status=503, times=10)
    report = only(sqlite_crawl([OPIC]))
    assert report["outcome"] == "error"
    assert "503" in (report["error"] or "")
    assert report["events"] == []
    assert len(untc_server.requests_for("mtdsg_no=IV-11-d")) == 4  # 1 + RETRY_TIMES (3)
    with sqlite_engine.connect() as c:
        row = c.execute(text("SELECT outcome, http_status FROM poll")).one()
    assert tuple(row) == ("error", 503)


def test_robots_txt_forbidding_the_page_is_an_error_poll(
    sqlite_crawl: Crawl, untc_server: UntcServer
) -> None:
    (untc_server.root / "robots.txt").write_text("User-agent: *\nDisallow: /Pages/\n")
    report = only(sqlite_crawl([OPIC]))
    assert report["outcome"] == "error"
    assert "robots.txt" in (report["error"] or "")
    assert untc_server.requests_for("mtdsg_no=") == []


def test_discover_all_from_chapter_pages(
    sqlite_crawl: Crawl, untc_server: UntcServer, sqlite_engine: Engine
) -> None:
    # Visible edit of the served copy: the chapter list keeps chapters IV and V only, so the
    # crawl stays small (the 27 other chapter pages are still served but not linked).
    chapter_list = untc_server.root / "ParticipationStatus.en.html"
    kept = [
        line
        for line in chapter_list.read_text(encoding="utf-8").splitlines()
        if "Treaties.aspx?id=" not in line or "id=4&amp;" in line or "id=5&amp;" in line
    ]
    chapter_list.write_text("\n".join(kept), encoding="utf-8")

    reports = sqlite_crawl(None, all_treaties=True)
    polled = {r["mtdsg_no"] for r in reports}
    chapter_iv = {
        "IV-1", "IV-2", "IV-2-a", "IV-3", "IV-3-a", "IV-4", "IV-5", "IV-6", "IV-7", "IV-8",
        "IV-8-a", "IV-8-b", "IV-9", "IV-9-a", "IV-9-b", "IV-10", "IV-11", "IV-11-a",
        "IV-11-b", "IV-11-c", "IV-11-d", "IV-12", "IV-13", "IV-14", "IV-15", "IV-15-a",
        "IV-16",
    }  # fmt: skip
    assert polled >= chapter_iv
    assert {f"V-{n}" for n in range(1, 6)} <= polled
    assert len(polled) == 27 + 5 == len(reports)
    by_id = {r["mtdsg_no"]: r for r in reports}
    for mtdsg_no in ("IV-11", "IV-11-a", "IV-11-b", "IV-11-c", "IV-11-d", "IV-15"):
        assert by_id[mtdsg_no]["outcome"] == "new", by_id[mtdsg_no]
    # treaties with no fixture page get UNTC's "unknown treaty" page: a failed poll, no events
    assert by_id["IV-1"]["outcome"] == "error"
    assert all(not r["events"] for r in reports)
    # chapter V links answer 302 to the ViewDetailsII template, which the crawl followed
    assert untc_server.requests_for("ViewDetailsII.aspx?src=TREATY&mtdsg_no=V-2")
    with sqlite_engine.connect() as c:
        url = c.execute(text("SELECT url FROM poll WHERE mtdsg_no = 'V-2'")).scalar_one()
    assert "ViewDetailsII.aspx" in url
    assert untc_server.requests_for("Treaties.aspx?id=4&subid=A")
    assert not untc_server.requests_for("Treaties.aspx?id=6&")


def test_crawl_timeout_records_failed_polls(
    sqlite_crawl: Crawl, untc_server: UntcServer, sqlite_engine: Engine
) -> None:
    # A server that keeps answering 503 with a long Retry-After: the crawl cannot finish
    # within its time limit; the requested treaty still gets a (failed) poll.
    untc_server.fail("mtdsg_no=IV-11-d", status=503, times=100, headers={"Retry-After": "60"})
    reports = run_crawl_subprocess(
        [OPIC], timeout=4, scrapy_settings=FAST | {"RETRY_AFTER_MAX": 600}
    )
    report = only(reports)
    assert report["outcome"] == "error"
    assert "did not finish within 4 s" in report["error"]
    assert count(sqlite_engine, "SELECT COUNT(*) FROM poll WHERE outcome = 'error'") == 1


# ---------------------------------------------------------------- the commands


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``treaty-tracker ARGS`` in a child process (the environment carries TRACKER_*)."""
    return subprocess.run(
        [sys.executable, "-m", "tracker.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


FAST_ARGS = [a for name, value in FAST.items() for a in ("--set", f"{name}={json.dumps(value)}")]


def test_poll_command(sqlite_crawl: Crawl, untc_server: UntcServer) -> None:
    first = cli("poll", "--treaty", OPIC, *FAST_ARGS)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == ["IV-11-d: new, 0 event(s)"]

    page = untc_server.page(OPIC)
    page.write_text(
        add_argentina_ratification_and_new_accession(page.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    second = cli("poll", "--treaty", OPIC, *FAST_ARGS)
    assert second.returncode == 0, second.stderr
    lines = second.stdout.splitlines()
    assert lines[0] == "IV-11-d: changed, 2 event(s)"
    assert sorted(lines[1:]) == [
        "  consent Argentina (ARG) 2015-04-14 [ratification]",
        "  consent Viet Nam (VNM) 2015-04-14 [accession]",
    ]

    page.write_bytes((untc_server.root / "broken" / "maintenance.html").read_bytes())
    third = cli("poll", "--treaty", OPIC, "--json", *FAST_ARGS)
    assert third.returncode == 1
    (report,) = json.loads(third.stdout)
    assert report["mtdsg_no"] == OPIC
    assert report["outcome"] == "error"
    assert report["events"] == []
    assert report["error"]


def test_poll_command_refuses_a_bad_reference(sqlite_crawl: Crawl, untc_server: UntcServer) -> None:
    result = cli("poll", "--treaty", "rights of the child", *FAST_ARGS)
    assert result.returncode == 2
    assert "not a treaty id: 'rights of the child'" in result.stderr
    assert untc_server.requests == []


def test_capture_command(untc_server: UntcServer, tmp_path: Path) -> None:
    out = tmp_path / "captured"
    result = cli(
        "capture", "--treaty", OPIC, "--lang", "en", "--lang", "fr", "--output", str(out),
        "--delay", "0",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for language in ("en", "fr"):
        saved = out / f"{OPIC}.{language}.html"
        assert saved.read_bytes() == untc_server.page(OPIC, language).read_bytes()
        meta = json.loads((out / f"{OPIC}.{language}.capture.json").read_text())
        assert meta["http_status"] == 200
        assert meta["url"].endswith(f"mtdsg_no=IV-11-d&chapter=4&clang=_{language}")
        assert "not a reconstruction" in meta["what"]
    assert untc_server.requests_for("/robots.txt")
    assert all(
        (r.header("User-Agent") or "").startswith("treaty-tracker/") for r in untc_server.requests
    )


def test_capture_obeys_robots_txt(untc_server: UntcServer, tmp_path: Path) -> None:
    (untc_server.root / "robots.txt").write_text("User-agent: *\nDisallow: /Pages/\n")
    result = cli("capture", "--treaty", OPIC, "--output", str(tmp_path / "c"), "--delay", "0")
    assert result.returncode == 1
    assert "robots.txt forbids" in result.stderr
    assert not (tmp_path / "c").exists()
