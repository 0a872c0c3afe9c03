"""``treaty-tracker replay``: rebuild statuses and events from the raw-page archive."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from tracker import db, integrity, portable, replay
from tracker.archive import Archive
from tracker.config import get_settings

logger = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="rebuild statuses and events from the archived pages with the current parser",
        description=(
            "Record every archived page again, in the original order, with the current "
            "parser (for when the parser was fixed), and list how the result differs from "
            "the database: treaties, change events and status rows. The database itself is "
            "never changed. With --dry-run the pages are replayed into a temporary database "
            "and only the differences are shown; otherwise --into names a new, empty "
            "database that receives the rebuilt history (watches, alerts and read marks are "
            "not copied). Polls without an archived page (failed fetches) are listed as "
            "skipped. Exit status 0 when the replay agrees with the database, 1 when it "
            "differs, 2 on error."
        ),
    )
    parser.add_argument(
        "--treaty", metavar="ID", help="replay only this treaty (MTDSG reference, e.g. IV-11-d)"
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--dry-run",
        action="store_true",
        help="replay into a temporary database and only report the differences",
    )
    target.add_argument(
        "--into",
        metavar="URL",
        help="empty database to write the rebuilt history to (sqlite:///file or postgresql://)",
    )
    parser.add_argument(
        "--database-url", metavar="URL", help="database to replay instead of TRACKER_DATABASE_URL"
    )
    parser.add_argument(
        "--archive",
        metavar="DIR",
        type=Path,
        help="raw-page archive folder (default: the archive folder in TRACKER_DATA_DIR)",
    )
    parser.set_defaults(func=run)


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _target(url: str | None) -> Engine:
    if url is None:
        return replay.scratch_engine()
    engine = integrity.open_database(url, create=True)
    with engine.connect() as connection:
        busy = portable.non_empty_tables(connection)
    if busy:
        engine.dispose()
        raise integrity.DatabaseUnavailable(
            f"the database given with --into is not empty ({', '.join(busy)})"
        )
    db.upgrade(engine)
    return engine


def run(args: argparse.Namespace) -> int:
    try:
        archive = Archive(args.archive if args.archive is not None else get_settings().archive_dir)
        if not archive.root.is_dir():
            return _error(f"the archive folder {archive.root} does not exist")
        source = integrity.open_database(args.database_url)
    except (integrity.DatabaseUnavailable, ValueError) as exc:
        return _error(str(exc))
    target: Engine | None = None
    try:
        target = _target(args.into)
        with (
            Session(source, expire_on_commit=False) as stored,
            Session(target, expire_on_commit=False) as rebuilt,
        ):
            result = replay.replay(
                source=stored, target=rebuilt, archive=archive, mtdsg_no=args.treaty
            )
            differences = replay.compare(stored=stored, replayed=rebuilt, mtdsg_no=args.treaty)
    except integrity.DatabaseUnavailable as exc:
        return _error(str(exc))
    except SQLAlchemyError as exc:
        return _error(f"the replay failed: {integrity.first_line(exc)}")
    finally:
        source.dispose()
        if target is not None:
            target.dispose()
    for skipped in result.skipped:
        print(f"skipped poll {skipped.poll_id} ({skipped.mtdsg_no}): {skipped.reason}")
    for line in differences:
        print(line)
    where = "a temporary database" if args.dry_run else "the --into database"
    print(
        f"replayed {result.replayed} poll(s) into {where}, skipped {len(result.skipped)}; "
        + (f"{len(differences)} difference(s)" if differences else "no differences")
    )
    return 1 if differences else 0
