"""``treaty-tracker import``: restore an export into an empty database."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from tracker import integrity, portable

logger = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="restore an export into an empty database",
        description=(
            "Restore a folder written by 'treaty-tracker export' (JSON or CSV) into an EMPTY "
            "database (SQLite or PostgreSQL), in one transaction, keeping every id; "
            "PostgreSQL id sequences are moved past the imported ids. A database that has "
            "rows is refused. A database without tables is created. Watches come back "
            "inactive, because their notification addresses were not exported: enter them "
            "again, then switch the watches on. Exit status 0 on success, 2 on error."
        ),
    )
    parser.add_argument("directory", metavar="DIR", type=Path, help="the export folder")
    parser.add_argument(
        "--database-url", metavar="URL", help="database to fill instead of TRACKER_DATABASE_URL"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        portable.read_manifest(args.directory)
        engine = integrity.open_database(args.database_url, create=True)
    except (portable.PortableError, integrity.DatabaseUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        result = portable.import_export(engine, args.directory)
    except portable.PortableError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"error: the import failed: {integrity.first_line(exc)}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    total = sum(result.counts.values())
    print(f"imported {total} rows of {len(result.counts)} tables from {args.directory}")
    for name, count in result.counts.items():
        print(f"  {name}: {count}")
    for watch_id, label in result.masked_watches:
        print(
            f"watch {watch_id} ({label}): enter its notification address again; "
            "it was imported inactive"
        )
    return 0
