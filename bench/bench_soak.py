"""Soak benchmark: the full count of polls through real crawls of the fault-injecting server.

Runs ``CRAWLS`` crawls (Scrapy in a child process each, as the scheduler runs them) of the six
fixture treaties against ``tests.faults.FaultServer`` on 127.0.0.1, with seeded random faults
(about half the polls) and the three OPIC edits (one REAL, two DERIVED: see
``tests.faults.OPIC_EDITS``), into a fresh SQLite file; then ``DIRECT`` polls straight through
``record_poll``. Prints the figures reported in docs/reliability.md and exits 1 if any check
fails. Usage: ``.venv/bin/python bench/bench_soak.py [CRAWLS] [DIRECT] [SEED]``.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

logger = logging.getLogger(__name__)


def main(argv: list[str]) -> int:
    from tests import faults
    from tracker import db
    from tracker.archive import Archive
    from tracker.config import get_settings
    from tracker.crawl import run_crawl_subprocess

    crawls = int(argv[0]) if argv else 34
    direct = int(argv[1]) if len(argv) > 1 else 2000
    seed = int(argv[2]) if len(argv) > 2 else 20150414
    logging.basicConfig(level=logging.WARNING)
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as tmp:
        work = Path(tmp)
        root = faults.copy_fixture_site(work / "site")
        url = f"sqlite:///{work / 'served.db'}"
        engine = db.make_engine(url)
        db.upgrade(engine)
        with faults.serve_faults(root, seed=seed) as site:
            os.environ.update(
                TRACKER_UNTC_BASE_URL=site.base_url,
                TRACKER_ALLOWED_HOSTS='["127.0.0.1"]',
                TRACKER_DATABASE_URL=url,
                TRACKER_DATA_DIR=str(work / "data"),
            )
            get_settings.cache_clear()
            logging.getLogger().setLevel(logging.CRITICAL)  # children inherit the level

            def crawl(treaties: list[str]) -> list[dict[str, object]]:
                return run_crawl_subprocess(
                    treaties, timeout=120, scrapy_settings=faults.FAST_CRAWL
                )

            served = faults.run_served_soak(site, crawl, crawls=crawls, seed=seed)
        ok &= report("real crawls", engine, served, Archive(work / "data" / "archive"))
        engine.dispose()

        engine = db.make_engine(f"sqlite:///{work / 'direct.db'}")
        db.upgrade(engine)
        archive = Archive(work / "direct-archive")
        result = faults.run_direct_soak(engine, polls=direct, seed=seed, archive=archive)
        ok &= report("record_poll", engine, result, archive)
        engine.dispose()
    return 0 if ok else 1


def report(label: str, engine: object, result: object, archive: object) -> bool:
    from sqlmodel import select

    from tracker import db, integrity
    from tracker.models import ChangeEvent, Poll

    with db.session(engine) as s:  # type: ignore[arg-type]
        polls = list(s.exec(select(Poll)))
        events = list(s.exec(select(ChangeEvent)))
        check = integrity.check_database(session=s, archive=archive)  # type: ignore[arg-type]
    by_id = {p.id: p for p in polls}
    got = sorted((e.kind, e.participant_code, e.new_value, e.consent_kind) for e in events)
    expected = sorted(result.expected_events)  # type: ignore[attr-defined]
    failed = [p for p in polls if p.outcome in ("error", "suspect")]
    partial = [p for p in polls if not p.outcome or not p.finished_at]
    events_in_failed = [e for e in events if by_id[e.poll_id].outcome != "changed"]
    faults_by_kind = dict(sorted(result.faults.items()))  # type: ignore[attr-defined]
    outcomes = dict(sorted(result.outcomes.items()))  # type: ignore[attr-defined]
    print(f"== soak through {label}")
    print(f"polls run:              {len(polls)} in {result.seconds:.1f} s")  # type: ignore[attr-defined]
    print(f"faults injected:        {sum(faults_by_kind.values())}")
    for kind, n in faults_by_kind.items():
        print(f"  {kind:<20} {n}")
    print(f"outcomes:               {outcomes}")
    print(f"error/suspect polls:    {len(failed)}")
    print(
        f"events expected:        {len(expected)}  produced: {len(got)}  equal: {got == expected}"
    )
    print(f"events in failed polls: {len(events_in_failed)}")
    print(f"partial polls:          {len(partial)}")
    print(f"integrity check:        {check.summary()}")
    return got == expected and not events_in_failed and not partial and check.ok


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
