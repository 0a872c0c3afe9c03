"""``treaty-tracker db``: create or update the database tables, show the schema revision."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from tracker import db
from tracker.commands import open_engine

logger = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "db",
        help="create or update the database tables, or show their revision",
        description=(
            "Manage the tracker's database: 'upgrade' creates the tables or brings them up "
            "to date (safe to run again), 'current' shows the schema revision. The database "
            "is TRACKER_DATABASE_URL (default: the SQLite file tracker.db in the data folder)."
        ),
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="database to use instead of TRACKER_DATABASE_URL "
        "(sqlite:///path/to/file.db or postgresql://user@host/dbname)",
    )
    actions = parser.add_subparsers(
        dest="db_action", metavar="ACTION", required=True, help="what to do: upgrade or current"
    )
    actions.add_parser(
        "upgrade",
        help="create the tables or apply the missing migrations",
        description="Create the tables, or apply the migrations the database is missing.",
    )
    actions.add_parser(
        "current",
        help="show the database's schema revision (exit status 1 if not up to date)",
        description=(
            "Print the schema revision of the database and the newest one this version of "
            "the tracker knows. Exit status 0 when up to date, 1 otherwise."
        ),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    engine = open_engine(args.database_url)
    try:
        head = db.head_revision()
        if args.db_action == "upgrade":
            db.upgrade(engine)
            print(f"database at revision {db.current_revision(engine)} (up to date)")
            return 0
        current = db.current_revision(engine)
        if current is None:
            print(
                f"database not initialised (newest revision: {head}); "
                "run: treaty-tracker db upgrade"
            )
            return 1
        if current != head:
            print(
                f"database at revision {current}; newest is {head}: run treaty-tracker db upgrade"
            )
            return 1
        print(f"database at revision {current} (up to date)")
        return 0
    except SQLAlchemyError as exc:
        print(f"error: the database cannot be used: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
