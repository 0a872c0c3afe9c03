"""``treaty-tracker snapshot``: load the bundled snapshot (pages as published 14 Mar 2015)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from tracker import db, snapshot
from tracker.commands import open_engine

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "snapshot",
        help="load the bundled snapshot of status pages (as published on 14 March 2015)",
        description=(
            "Record the bundled snapshot (data/snapshot: reconstructed status pages carrying "
            "the values the UN Treaty Collection published on 14 March 2015, see its "
            "README.md) through the parser and the normal recording of polls, as polls whose "
            "source is 'snapshot' with the date the values were published (their facts count "
            "as verified on that date), each page archived like a fetched one. Loading it "
            "into a database that holds newer pages changes nothing (the older pages are "
            "recorded as suspect). Exit status 1 if a page could not be recorded, 2 if the "
            "snapshot folder is unreadable."
        ),
    )
    p.add_argument(
        "--dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="snapshot folder with pages.json (default: the bundled data/snapshot)",
    )
    p.add_argument(
        "--if-empty",
        action="store_true",
        help="load only when the database holds no treaty and no poll yet",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    engine = open_engine()
    try:
        db.upgrade(engine)
        if args.if_empty and not snapshot.is_empty(engine):
            print("The database is not empty; the snapshot was not loaded.")
            return 0
        reports = snapshot.load(engine, args.dir)
    except snapshot.SnapshotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    failed = 0
    for r in reports:
        note = f": {r.error}" if r.error else ""
        print(f"{r.mtdsg_no}: {r.outcome}{note}")
        failed += r.outcome in ("error",)
    return 1 if failed else 0
