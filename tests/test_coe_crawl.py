"""End to end for the Council of Europe: real Scrapy crawls (in a child process, as ``poll``
and the scheduler run them) of the local stand-in (``coe_server``, answering in the
documented shape with the reconstructed answers of ``tests/fixtures/coe/``), recorded in
SQLite and PostgreSQL, shown by the CLI and the Country view beside the UN's OPIC.

What is real in the answers is listed in ``tests/fixtures/coe/README.md``: Belgium's dates
(signed 25 Oct 2007, ratified 8 Mar 2013, in force 1 Jul 2013) come from one secondary source,
and the later answer adds Armenia's real ratification (7 Sep 2020, in force 1 Jan 2021).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests import coe_fixtures as fx
from tests.app_support import open_view
from tests.plugin_coe import TEST_KEY, CoeServer
from tests.plugin_http import UntcServer
from tests.test_crawl_e2e import Crawl, _crawler, only
from tracker import alerts, db
from tracker.cli import main
from tracker.config import get_settings
from tracker.crawl import check_treaties
from tracker.sources.coe import ids

ROOT = Path(__file__).resolve().parent.parent
CETS = "CETS-201"
OPIC = "IV-11-d"


@pytest.fixture
def crawl(
    engine: Engine,
    untc_server: UntcServer,
    coe_server: CoeServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Crawl:
    """One crawl in a child process against both local servers, into ``engine``."""
    return _crawler(engine, tmp_path, monkeypatch)


@pytest.fixture
def sqlite_crawl(
    sqlite_engine: Engine,
    untc_server: UntcServer,
    coe_server: CoeServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Crawl:
    return _crawler(sqlite_engine, tmp_path, monkeypatch)


def stored(engine: Engine, treaty: str = CETS) -> list[tuple[Any, ...]]:
    with engine.connect() as c:
        return [
            tuple(r)
            for r in c.execute(
                text(
                    "SELECT s.participant_code, s.signature_date, s.consent_date, "
                    "s.in_force_date, s.withdrawn, s.denunciation_date, s.suspension_date, "
                    "s.has_declarations FROM participant_status s "
                    "JOIN treaty t ON t.id = s.treaty_id WHERE t.mtdsg_no = :t "
                    "ORDER BY s.participant_code"
                ),
                {"t": treaty},
            )
        ]


def events(engine: Engine, treaty: str = CETS) -> list[tuple[Any, ...]]:
    with engine.connect() as c:
        return [
            tuple(r)
            for r in c.execute(
                text(
                    "SELECT e.kind, e.participant_code, e.new_value, e.source_url "
                    "FROM change_event e JOIN poll p ON p.id = e.poll_id "
                    "WHERE p.mtdsg_no = :t ORDER BY e.id"
                ),
                {"t": treaty},
            )
        ]


def polls(engine: Engine, treaty: str = CETS) -> list[tuple[Any, ...]]:
    with engine.connect() as c:
        return [
            tuple(r)
            for r in c.execute(
                text("SELECT outcome, error, url FROM poll WHERE mtdsg_no = :t ORDER BY id"),
                {"t": treaty},
            )
        ]


# --- polled, stored, shown beside OPIC -----------------------------------------------------------


def test_cets_201_is_polled_stored_and_shown_for_belgium_beside_opic(
    crawl: Crawl,
    engine: Engine,
    coe_server: CoeServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    reports = crawl([OPIC, "CETS 201"])
    assert only(reports, OPIC)["outcome"] == "new"
    coe = only(reports, CETS)
    assert coe["outcome"] == "new" and coe["error"] is None and coe["inserts"] == 46

    # The token came from the chart page and went to the service only, in a header.
    [chart] = coe_server.requests_for("/web/conventions/full-list")
    assert chart.header("token") is None
    api = coe_server.requests_for("/WS_LFRConventions/api/")
    assert [r.path.split("?")[0] for r in api] == [
        "/WS_LFRConventions/api/signatures",
        "/WS_LFRConventions/api/conventions/getDeclarations",
    ]
    assert all(r.header("token") == TEST_KEY for r in api)
    assert all(r.header("Accept") == "application/json" for r in api)

    # Stored: Belgium's sourced dates, the treaty as the Council's, its chart as the source.
    belgium = next(r for r in stored(engine) if r[0] == "BEL")
    assert [str(v) for v in belgium[1:4]] == ["2007-10-25", "2013-03-08", "2013-07-01"]
    chart_url = ids.chart_url(CETS, "en", site=coe_server.base_url)
    with engine.connect() as c:
        depositary, source_url = c.execute(
            text("SELECT depositary, source_url FROM treaty WHERE mtdsg_no = :t"), {"t": CETS}
        ).one()
    assert depositary == "coe" and source_url == chart_url
    assert polls(engine) == [("new", None, chart_url)]

    # Archived: both raw answers, verbatim, and never the key.
    archive = tmp_path / "data" / "archive"
    bodies = [gzip.decompress(p.read_bytes()) for p in archive.rglob("*") if p.is_file()]
    bundles = [json.loads(b) for b in bodies if b"coe-answer" in b]
    assert len(bundles) == 1
    assert bundles[0]["signatures"]["body"] == fx.answer_text("signatures")
    assert bundles[0]["declarations"]["body"] == fx.answer_text("declarations")
    assert not any(TEST_KEY.encode() in b for b in bodies)

    # The CLI lists both treaties for Belgium, each with its own source link.
    assert main(["status", "--country", "BEL"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    cets = next(line for line in lines if line.startswith("CETS-201 "))
    assert cets.split()[:2] == ["CETS-201", "party"]
    assert "2013-03-08" in cets
    assert any(line.startswith("IV-11-d ") for line in lines)
    assert f"CETS-201: {chart_url}" in lines  # its own source link, beside OPIC's
    assert any(line.startswith("IV-11-d: http://127.0.0.1:") for line in lines)
    assert main(["status", "--country", "BEL", "--json"]) == 0
    rows = {r["treaty"]: r for r in json.loads(capsys.readouterr().out)["treaties"]}
    assert rows[CETS]["source_url"] == chart_url
    assert rows[CETS]["consent_kind"] == "ratification_or_accession"
    assert rows[CETS]["in_force_date"] == "2013-07-01"
    assert "mtdsg_no=IV-11-d" in rows[OPIC]["source_url"]


def test_country_view_shows_cets_201_for_belgium(
    sqlite_crawl: Crawl, coe_server: CoeServer
) -> None:
    reports = sqlite_crawl([OPIC, CETS])
    assert {r["mtdsg_no"]: r["outcome"] for r in reports} == {OPIC: "new", CETS: "new"}
    at = open_view("country", timeout=120, country="BEL")
    assert not at.exception
    frame = at.dataframe[0].value
    by_treaty = frame.set_index("MTDSG no.")
    cets = by_treaty.loc[CETS].to_dict()
    assert cets["Treaty"] == "Lanzarote Convention (CETS-201)"
    assert cets["Status"] == "party"
    assert cets["Signature"] == "25 Oct 2007"
    assert cets["Ratification, accession…"] == "8 Mar 2013"
    assert cets["In force for it"] == "1 Jul 2013"
    assert cets["Source"] == ids.chart_url(CETS, "en", site=coe_server.base_url)
    assert "mtdsg_no=IV-11-d" in by_treaty.loc[OPIC].to_dict()["Source"]
    # beside OPIC in the page's words too, with its own dates
    words = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Belgium signed Lanzarote Convention on 25 October 2007" in words
    assert "Belgium signed OPIC on 28 February 2012" in words


# --- a later answer: one new ratification, one event ----------------------------------------------


def test_a_new_ratification_gives_exactly_one_change_event(
    crawl: Crawl, engine: Engine, coe_server: CoeServer
) -> None:
    assert only(crawl([CETS]), CETS)["outcome"] == "new"
    assert only(crawl([CETS]), CETS)["outcome"] == "unchanged"
    # The later answer: Armenia's real ratification (see tests/fixtures/coe/README.md).
    coe_server.answer("signatures").write_text(
        fx.dump(fx.with_armenia_ratification()), encoding="utf-8"
    )
    report = only(crawl([CETS]), CETS)
    assert report["outcome"] == "changed", report
    [event] = report["events"]
    assert event["participant_code"] == "ARM"
    chart_url = ids.chart_url(CETS, "en", site=coe_server.base_url)
    assert events(engine) == [(event["kind"], "ARM", "2020-09-07", chart_url)]
    armenia = next(r for r in stored(engine) if r[0] == "ARM")
    assert [str(v) for v in armenia[2:4]] == ["2020-09-07", "2021-01-01"]
    assert only(crawl([CETS]), CETS)["outcome"] == "unchanged"
    assert len(events(engine)) == 1


# --- broken answers: no event, nothing lost, a failed poll ---------------------------------------

NO_KEY_PAGE = (
    "<!DOCTYPE html><html><head><title>Treaty Office</title></head><body>"
    "<div id='conventions-app'></div></body></html>"
)
MAINTENANCE = (
    "<!DOCTYPE html><html><head><title>Maintenance</title></head><body><h1>The site is under "
    "maintenance</h1><p>Please come back later.</p></body></html>"
)


def _renamed_field() -> str:
    data = fx.signatures()
    for row in data[0]:
        row["DateRatification"] = row.pop("DateConsentement")
    return fx.dump(data)


BROKEN: dict[str, tuple[str, Any, str]] = {
    # name: (what is replaced, its new content, words of the recorded error)
    "invalid JSON": ("signatures", lambda: fx.truncated(fx.answer_text("signatures")), "not JSON"),
    "HTML maintenance page": ("signatures", lambda: MAINTENANCE, "not JSON"),
    "missing fields": ("signatures", _renamed_field, "has no DateConsentement"),
    "partial answer": ("signatures", lambda: fx.dump(fx.partial()), "member States"),
    "chart page without token": ("chart", lambda: NO_KEY_PAGE, "holds no service key"),
    "maintenance instead of the chart": ("chart", lambda: MAINTENANCE, "holds no service key"),
    "declarations not JSON": ("declarations", lambda: MAINTENANCE, "not JSON"),
}


def test_broken_answers_give_no_event_and_lose_nothing(
    crawl: Crawl, engine: Engine, coe_server: CoeServer
) -> None:
    assert only(crawl([CETS]), CETS)["outcome"] == "new"
    before = stored(engine)
    good = {
        k: coe_server.answer(k).read_text(encoding="utf-8") for k in ("signatures", "declarations")
    }
    for name, (part, content, words) in BROKEN.items():
        target = coe_server.chart() if part == "chart" else coe_server.answer(part)
        target.write_text(content(), encoding="utf-8")
        report = only(crawl([CETS]), CETS)
        assert report["outcome"] == "error", name
        assert words in (report["error"] or ""), (name, report["error"])
        assert report["events"] == [], name
        assert stored(engine) == before, name
        if part == "chart":
            target.unlink()
        else:
            target.write_text(good[part], encoding="utf-8")
    assert events(engine) == []
    outcomes = [p[0] for p in polls(engine)]
    assert outcomes == ["new"] + ["error"] * len(BROKEN)
    # Back to the good answer: the same state, still no event.
    assert only(crawl([CETS]), CETS)["outcome"] == "unchanged"
    assert stored(engine) == before and events(engine) == []


def test_service_errors_are_failed_polls_with_the_step_named(
    sqlite_crawl: Crawl, sqlite_engine: Engine, coe_server: CoeServer
) -> None:
    assert only(sqlite_crawl([CETS]), CETS)["outcome"] == "new"
    coe_server.fail("/api/signatures", status=503, times=10)
    report = only(sqlite_crawl([CETS]), CETS)
    assert report["outcome"] == "error"
    assert report["error"].startswith("the signatures answer: the server answered HTTP 503")
    assert events(sqlite_engine) == []


# --- which treaties, which hosts ------------------------------------------------------------------


def test_treaty_ids_as_typed_are_canonical() -> None:
    assert check_treaties(["CETS 210", "cets-197", "IV-11-d", "STCE n° 201"]) == [
        "CETS-210",
        "CETS-197",
        "IV-11-d",
        "CETS-201",
    ]
    with pytest.raises(ValueError, match="CETS-201"):
        check_treaties(["Lanzarote"])


def test_poll_cets_210_on_request(
    sqlite_crawl: Crawl, sqlite_engine: Engine, coe_server: CoeServer
) -> None:
    # No answers for 210 are served here (none could be sourced): the service's 404 is a
    # failed poll of CETS-210 at its own chart address; 201 is not polled.
    report = only(sqlite_crawl(["CETS 210"]), "CETS-210")
    assert report["outcome"] == "error"
    assert "HTTP 404" in report["error"]
    assert coe_server.requests_for("NumSte=210&langue=ENG")
    assert not coe_server.requests_for("treatynum=201")
    assert polls(sqlite_engine, "CETS-210")[0][2] == ids.chart_url(
        "CETS-210", "en", site=coe_server.base_url
    )


def test_default_poll_includes_cets_201(
    sqlite_crawl: Crawl, coe_server: CoeServer, untc_server: UntcServer
) -> None:
    assert "CETS-201" in get_settings().treaties
    reports = sqlite_crawl(None)
    outcomes = {r["mtdsg_no"]: r["outcome"] for r in reports}
    assert outcomes[CETS] == "new"
    assert outcomes[OPIC] == "new"


def test_coe_hosts_not_allowed_is_a_failed_poll(
    sqlite_crawl: Crawl, sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_COE_API_URL", "https://conventions-ws.coe.int/WS_LFRConventions/")
    get_settings.cache_clear()
    report = only(sqlite_crawl([CETS]), CETS)
    assert report["outcome"] == "error"
    assert "TRACKER_COE_API_URL points at 'conventions-ws.coe.int'" in report["error"]


def test_downstream_commands_accept_a_council_of_europe_treaty(
    sqlite_crawl: Crawl,
    sqlite_engine: Engine,
    coe_server: CoeServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert only(sqlite_crawl([CETS]), CETS)["outcome"] == "new"
    watch = ["watch", "add", "--treaty", CETS, "--country", "Armenia", "--kinds", "consent"]
    assert main([*watch, "--notify", "json://127.0.0.1:9/x", "--label", "Lanzarote"]) == 0
    coe_server.answer("signatures").write_text(
        fx.dump(fx.with_armenia_ratification()), encoding="utf-8"
    )
    assert only(sqlite_crawl([CETS]), CETS)["outcome"] == "changed"
    capsys.readouterr()
    with db.session(sqlite_engine) as s:  # what the scheduler does after each poll
        assert alerts.enqueue(session=s) == 1  # the watch's one alert: Armenia's ratification
        s.commit()
    with sqlite_engine.connect() as c:
        queued = c.execute(
            text("SELECT e.participant_code FROM alert a JOIN change_event e ON e.id = a.event_id")
        ).scalars()
        assert list(queued) == ["ARM"]

    assert main(["changes", "--treaty", CETS, "--json"]) == 0
    [event] = json.loads(capsys.readouterr().out)
    assert event["participant_code"] == "ARM"
    assert main(["history", "--treaty", CETS, "--at", "2021-06-01", "--json"]) == 0
    history = json.loads(capsys.readouterr().out)
    assert "ARM" in json.dumps(history)
    assert main(["check"]) == 0, capsys.readouterr()
    capsys.readouterr()
    assert main(["replay", "--dry-run", "--treaty", CETS]) == 0, capsys.readouterr()
    capsys.readouterr()
    feed = tmp_path / "feed.xml"
    assert main(["feed", "--output", str(feed)]) == 0
    assert "Armenia" in feed.read_text(encoding="utf-8")
    assert main(["export", "--format", "json", "--output", str(tmp_path / "export")]) == 0
    exported = json.loads((tmp_path / "export" / "treaty.json").read_text(encoding="utf-8"))
    assert any(t["mtdsg_no"] == CETS and t["depositary"] == "coe" for t in exported)
