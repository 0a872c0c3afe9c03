"""Soak: hundreds of polls in a row with seeded random faults and a few real edits mixed in.

* :func:`test_direct_soak` — 240 polls of the six fixture treaties through ``record_poll``
  (SQLite and PostgreSQL), about half of them faulty (every kind of tests/faults.py but the
  reordered table), while the OPIC page gets three edits: Argentina's ratification of
  14 April 2015 (REAL) and two DERIVED ones (see ``tests.faults.OPIC_EDITS``).
* :func:`test_served_soak` — a shorter segment through real crawls of the fault server.
  ``bench/bench_soak.py`` runs the full count through real crawls.

At the end: every edit produced exactly its events, no fault produced one, no poll left
partial state, each fault is a failed or suspect poll, the health counters agree, and
``tracker.integrity.check_database`` (what ``treaty-tracker check`` runs) finds nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from tests import faults
from tests.faults import FaultServer, SoakResult
from tracker import db, integrity, store
from tracker.archive import Archive
from tracker.crawl import run_crawl_subprocess
from tracker.models import ChangeEvent, ParticipantStatus, Poll, Treaty
from tracker.sources import untc

SEED = 20150414


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultServer]:
    yield from faults.fault_site(tmp_path, monkeypatch, seed=SEED)


def verify(engine: Engine, result: SoakResult, archive: Archive, *, direct: bool) -> None:
    with db.session(engine) as s:
        polls = list(s.exec(select(Poll).order_by(Poll.id)))  # type: ignore[arg-type]
        events = list(s.exec(select(ChangeEvent)))
        rows = list(s.exec(select(ParticipantStatus)))
        treaty = store.get_treaty(session=s, mtdsg_no="IV-11-d")
        failures = {t: store.consecutive_failures(session=s, mtdsg_no=t) for t in faults.TREATIES}
        check = integrity.check_database(session=s, archive=archive)
    by_id = {p.id: p for p in polls}
    assert len(polls) == result.polls

    # every edit produced exactly its events, each once, in a `changed` poll of OPIC
    got = sorted((e.kind, e.participant_code, e.new_value, e.consent_kind) for e in events)
    assert got == sorted(result.expected_events)
    assert all(by_id[e.poll_id].outcome == "changed" for e in events)
    assert {by_id[e.poll_id].mtdsg_no for e in events} == {"IV-11-d"}

    # no poll left partial state; failed polls applied nothing
    assert all(p.outcome in integrity.OUTCOMES and p.finished_at for p in polls)
    failed = {p.id for p in polls if p.outcome in ("error", "suspect")}
    assert not [r for r in rows if r.last_poll_id in failed]
    assert all(p.events == 0 for p in polls if p.id in failed)

    if direct:  # one poll per plan entry, in order: each fault is a failed/suspect poll
        for (mtdsg_no, kind), poll in zip(result.plan, polls, strict=True):
            assert poll.mtdsg_no == mtdsg_no
            if kind is not None:
                assert poll.outcome in ("error", "suspect"), (kind, poll)
                assert poll.error, (kind, poll)
        trailing = {}
        for mtdsg_no in faults.TREATIES:
            kinds = [k for t, k in result.plan if t == mtdsg_no]
            n = 0
            while n < len(kinds) and kinds[-1 - n] is not None:
                n += 1
            trailing[mtdsg_no] = n
        assert failures == trailing
    assert result.outcomes.get("error", 0) + result.outcomes.get("suspect", 0) == len(failed)

    # the stored OPIC state is the last true page
    final = untc.parse_status_page(
        faults.opic_after(len(faults.OPIC_EDITS)).decode("utf-8"),
        faults.status_page_url("http://127.0.0.1:8000", "IV-11-d"),
    )
    assert treaty is not None and treaty.parties == final.counts.parties == 19
    stored = {(r.participant_code, r.consent_date) for r in rows if r.treaty_id == treaty.id}
    assert stored == {(p.code, p.consent.date if p.consent else None) for p in final.participants}

    assert check.ok, [str(f) for f in check.findings]


@pytest.mark.timeout(600)
def test_direct_soak(engine: Engine, tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    result = faults.run_direct_soak(engine, polls=240, seed=SEED, archive=archive)
    assert result.polls == 240
    assert set(result.faults) == set(faults.SOAK_KINDS)  # every kind drawn at least once
    assert sum(result.faults.values()) >= 100
    verify(engine, result, archive, direct=True)


@pytest.mark.timeout(600)
def test_served_soak(
    site: FaultServer, sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults.use_database(monkeypatch, sqlite_engine.url.render_as_string(hide_password=False))

    def crawl(treaties: list[str]) -> list[dict[str, Any]]:
        return run_crawl_subprocess(treaties, timeout=240, scrapy_settings=faults.FAST_CRAWL)

    result = faults.run_served_soak(site, crawl, crawls=5, seed=SEED)
    assert result.polls == 5 * len(faults.TREATIES)
    assert sum(result.faults.values()) >= 8
    verify(engine=sqlite_engine, result=result, archive=Archive(tmp_path / "data" / "archive"),
           direct=False)  # fmt: skip
    with db.session(sqlite_engine) as s:
        assert len(list(s.exec(select(Treaty)))) == len(faults.TREATIES)
