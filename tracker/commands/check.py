"""``treaty-tracker check``: verify the database and the raw-page archive; change nothing."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col

from tracker import integrity
from tracker.archive import Archive
from tracker.config import get_settings
from tracker.models import Poll

logger = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="verify that the database is whole and consistent",
        description=(
            "Verify the database without changing it: no rows pointing at missing rows; "
            "every poll has exactly one outcome and the events it says it made; every "
            "archived page is present and undamaged; event ids follow the order in which "
            "events were observed; the stored status of each treaty is exactly its last "
            "applied page, re-read from the archive; and recording all archived pages again "
            "gives the same events and statuses. Prints one line per problem and a summary. "
            "Exit status 0 when all is well, 1 when problems were found, 2 when the check "
            "could not run (database unreachable, archive folder missing)."
        ),
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="database to check instead of TRACKER_DATABASE_URL",
    )
    parser.add_argument(
        "--archive",
        metavar="DIR",
        type=Path,
        help="raw-page archive folder (default: the archive folder in TRACKER_DATA_DIR)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="skip the slowest check (recording every archived page again)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=run)


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    try:
        archive = Archive(args.archive if args.archive is not None else get_settings().archive_dir)
        engine = integrity.open_database(args.database_url)
    except (integrity.DatabaseUnavailable, ValueError) as exc:
        return _error(str(exc))
    try:
        with Session(engine, expire_on_commit=False) as session:
            if not archive.root.is_dir():
                hashed = session.execute(
                    sa.select(sa.func.count())
                    .select_from(Poll)
                    .where(col(Poll.content_hash).is_not(None))
                ).scalar_one()
                if hashed:
                    return _error(
                        f"the archive folder {archive.root} does not exist ({hashed} polls "
                        "refer to archived pages); give it with --archive DIR"
                    )
            report = integrity.check_database(session=session, archive=archive, quick=args.quick)
    except SQLAlchemyError as exc:
        return _error(f"the database cannot be read: {integrity.first_line(exc)}")
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            print(finding)
        print(report.summary())
    return 0 if report.ok else 1
