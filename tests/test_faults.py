"""The UN site misbehaving: every fault kind of :mod:`tests.faults`, served on 127.0.0.1 to a
real crawl (Scrapy in a child process, as the scheduler runs it) and handed straight to
``record_poll`` on SQLite and PostgreSQL.

For each fault: the poll is recorded as ``error`` or ``suspect`` (a reordered table whose
headings moved with it is read correctly: ``unchanged``), with zero events, no change to
the stored state, and an error text that says plainly what happened; faults that happen
fewer times than the crawler retries are overcome.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests import faults
from tests.faults import FaultServer
from tracker import db, store
from tracker.crawl import run_crawl_subprocess
from tracker.service import record_poll

#: What the recorded error text must say, per fault kind.
SAYS: dict[str, str] = {
    "http_500": "the server answered HTTP 500 (after 3 attempts)",
    "http_502": "the server answered HTTP 502 (after 3 attempts)",
    "http_503": "the server answered HTTP 503 (after 3 attempts)",
    "http_429": "the server answered HTTP 429 (after 3 attempts)",
    "reset": "the connection was lost before the page arrived",
    "stall": "no answer in time (after 3 attempts)",
    "redirect_loop": "the page redirects in a loop",
    "cut_transfer": "the connection closed before the whole page arrived",
    "maintenance": "this is the UNTC maintenance page",
    "cut_body": "the page",  # where it was cut decides the rest (see test_cut_body_*)
    "wrong_language": "The page is in language 'fr', but 'en' was requested.",
    "other_treaty": "it is another treaty's page",
    "reshape_rename": "no participants table",
    # issue 10: a table of signatures alone is a participants table (a treaty open for
    # signature only); without its consent column the page's own counts then disagree
    "reshape_drop": "parties but its rows give 0",
}
#: Three crawls of the six fixture treaties, one fault per treaty per crawl.
PLANS: list[dict[str, str]] = [
    {"IV-11": "http_500", "IV-11-a": "http_502", "IV-11-b": "http_503", "IV-11-c": "http_429",
     "IV-11-d": "reset", "IV-15": "stall"},
    {"IV-11": "redirect_loop", "IV-11-a": "cut_transfer", "IV-11-b": "maintenance",
     "IV-11-c": "cut_body", "IV-11-d": "wrong_language", "IV-15": "other_treaty"},
    {
        "IV-11": "reshape_rename",
        "IV-11-b": "reshape_drop",
        "IV-11-c": "reshape_reorder",
        "IV-11-d": "other_treaty",
        "IV-15": "cut_body",
    },
]  # fmt: skip
#: Transient faults, each fewer times than the crawler retries (RETRY_TIMES = 2).
TRANSIENT: dict[str, tuple[str, int]] = {
    "IV-11": ("http_503", 1),
    "IV-11-a": ("http_429", 2),
    "IV-11-b": ("reset", 1),
    "IV-11-c": ("http_500", 2),
    "IV-11-d": ("cut_transfer", 1),
    "IV-15": ("stall", 1),
}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultServer]:
    yield from faults.fault_site(tmp_path, monkeypatch, seed=7)


def stored_state(engine: Engine) -> list[tuple[Any, ...]]:
    """Every stored fact: treaty rows (but the time last verified) and status rows."""
    with engine.connect() as c:
        treaties = c.execute(
            text(
                "SELECT mtdsg_no, title_en, title_fr, language, signatories, parties, eif_date, "
                "status_as_at, source_url FROM treaty ORDER BY mtdsg_no"
            )
        ).all()
        rows = c.execute(
            text(
                "SELECT t.mtdsg_no, s.participant_code, s.name, s.signature_date, "
                "s.consent_date, s.consent_kind, s.withdrawn, s.declaration_text, s.listed, "
                "s.in_force_date, s.updated_at, s.last_poll_id FROM participant_status s "
                "JOIN treaty t ON t.id = s.treaty_id ORDER BY t.mtdsg_no, s.participant_code"
            )
        ).all()
    return [tuple(r) for r in treaties] + [tuple(r) for r in rows]


def count(engine: Engine, sql: str) -> int:
    with engine.connect() as c:
        return int(c.execute(text(sql)).scalar_one())


def by_treaty(reports: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for report in reports:
        assert report["mtdsg_no"] not in out, reports
        out[report["mtdsg_no"]] = report
    return out


def crawl() -> dict[str, dict[str, Any]]:
    return by_treaty(
        run_crawl_subprocess(list(faults.TREATIES), timeout=240, scrapy_settings=faults.FAST_CRAWL)
    )


@pytest.mark.timeout(600)
def test_served_faults_fail_plainly_and_change_nothing(
    site: FaultServer, sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults.use_database(monkeypatch, sqlite_engine.url.render_as_string(hide_password=False))
    baseline = crawl()
    assert {t: r["outcome"] for t, r in baseline.items()} == dict.fromkeys(faults.TREATIES, "new")
    state = stored_state(sqlite_engine)

    met: dict[str, int] = {}
    for plan in PLANS:
        site.clear()
        for mtdsg_no, kind in plan.items():
            site.inject(f"mtdsg_no={mtdsg_no}&", kind)
        reports = crawl()
        assert set(reports) == set(faults.TREATIES)  # no poll went missing
        for mtdsg_no, kind in plan.items():
            report = reports[mtdsg_no]
            met[kind] = met.get(kind, 0) + 1
            assert report["events"] == [], (kind, report)
            if kind == "reshape_reorder":  # headings moved with their columns: same facts
                assert report["outcome"] == "unchanged", report
                continue
            assert report["outcome"] in ("error", "suspect"), (kind, report)
            assert SAYS[kind] in (report["error"] or ""), (kind, report["error"])
            assert "Traceback" not in report["error"] and "<twisted" not in report["error"]
        assert stored_state(sqlite_engine) == state, plan
    assert count(sqlite_engine, "SELECT COUNT(*) FROM change_event") == 0
    assert set(met) == set(faults.KINDS)  # every kind was served

    # What the soak hands to record_poll for transport faults is what the crawl records.
    with db.session(sqlite_engine) as s:
        errors = {p.error for p in store.polls(session=s) if p.outcome == "error"}
    for mtdsg_no, kind in PLANS[0].items():
        simulated = faults.faulty_page(
            kind, mtdsg_no, fetched_at=datetime.now(UTC), rng=random.Random(0)
        )
        assert simulated.error in errors, simulated.error

    # Health: each treaty's run of failed polls is counted (reorder and IV-11-a recovered).
    with db.session(sqlite_engine) as s:
        failures = {t: store.consecutive_failures(session=s, mtdsg_no=t) for t in faults.TREATIES}
    assert failures == {"IV-11": 3, "IV-11-a": 0, "IV-11-b": 3, "IV-11-c": 0, "IV-11-d": 3,
                        "IV-15": 3}  # fmt: skip

    # Transient faults are overcome by the retries: same page again, so "unchanged".
    site.clear()
    for mtdsg_no, (kind, times) in TRANSIENT.items():
        site.inject(f"mtdsg_no={mtdsg_no}&", kind, times=times)
    reports = crawl()
    assert {t: r["outcome"] for t, r in reports.items()} == dict.fromkeys(
        faults.TREATIES, "unchanged"
    ), reports
    served = site.served_kinds()
    for kind, times in TRANSIENT.values():
        assert served[kind] >= times
    assert stored_state(sqlite_engine) == state
    with db.session(sqlite_engine) as s:
        assert all(store.consecutive_failures(session=s, mtdsg_no=t) == 0 for t in faults.TREATIES)


def test_body_faults_through_record_poll(engine: Engine) -> None:
    """The same wrong pages, recorded directly, on SQLite and PostgreSQL."""
    rng = random.Random(11)
    when = datetime(2015, 3, 20, 6, tzinfo=UTC)
    with db.session(engine) as s:
        for mtdsg_no in faults.TREATIES:
            page = faults.faulty_page(None, mtdsg_no, fetched_at=when, rng=rng)
            assert record_poll(session=s, page=page, expected_language="en").outcome == "new"
    state = stored_state(engine)
    kinds = [k for k in faults.KINDS if k != "reshape_reorder"]
    for i, kind in enumerate(kinds):
        mtdsg_no = faults.RESHAPE_TREATIES[i % len(faults.RESHAPE_TREATIES)]
        page = faults.faulty_page(kind, mtdsg_no, fetched_at=when + timedelta(hours=i + 1), rng=rng)
        with db.session(engine) as s:
            report = record_poll(session=s, page=page, expected_language="en")
        assert report.outcome in ("error", "suspect"), (kind, report)
        assert report.events == []
        assert SAYS[kind] in (report.error or ""), (kind, report.error)
        assert stored_state(engine) == state, kind
    assert count(engine, "SELECT COUNT(*) FROM change_event") == 0
    assert count(engine, "SELECT COUNT(*) FROM poll WHERE outcome IN ('error', 'suspect')") == len(
        kinds
    )


def test_cut_body_at_any_byte_is_never_applied(sqlite_engine: Engine) -> None:
    """A page cut at 60 random bytes (derived): never applied, never an event."""
    rng = random.Random(2015)
    when = datetime(2015, 3, 20, 6, tzinfo=UTC)
    with db.session(sqlite_engine) as s:
        page = faults.faulty_page(None, "IV-11-d", fetched_at=when, rng=rng)
        record_poll(session=s, page=page, expected_language="en")
    state = stored_state(sqlite_engine)
    outcomes: dict[str, int] = {}
    for i in range(60):
        page = faults.faulty_page(
            "cut_body", "IV-11-d", fetched_at=when + timedelta(minutes=i + 1), rng=rng
        )
        with db.session(sqlite_engine) as s:
            report = record_poll(session=s, page=page, expected_language="en")
        outcomes[report.outcome] = outcomes.get(report.outcome, 0) + 1
        assert report.outcome in ("error", "suspect"), report
        assert report.error and report.events == []
    assert stored_state(sqlite_engine) == state
    assert count(sqlite_engine, "SELECT COUNT(*) FROM change_event") == 0
