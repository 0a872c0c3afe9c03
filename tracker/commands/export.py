"""``treaty-tracker export``: write the whole history to JSON or CSV files (secrets masked)."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from tracker import integrity, portable

logger = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write the whole history to JSON or CSV files",
        description=(
            "Write every table (treaties, participants, statuses, polls, change events, read "
            "marks, watches, alerts, health conditions) to a new folder: one file per table "
            "and manifest.json (format version, tracker version, time of export, schema "
            "revision, row counts). Dates and times are ISO 8601, times in UTC. Watches' "
            "notification addresses are secrets and are NOT exported: each is replaced by a "
            "masked form and flagged to be entered again. The raw-page archive is not "
            "included: copy its folder as it is. Exit status 0 on success, 2 on error."
        ),
    )
    parser.add_argument(
        "--format",
        choices=portable.FORMATS,
        default="json",
        dest="fmt",
        help="file format: json (default) or csv",
    )
    parser.add_argument(
        "--output",
        metavar="DIR",
        type=Path,
        help="folder to create (default: tracker-export-<UTC time> in the current folder)",
    )
    parser.add_argument(
        "--database-url", metavar="URL", help="database to export instead of TRACKER_DATABASE_URL"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    now = datetime.now(UTC).replace(microsecond=0)
    output = args.output or Path(f"tracker-export-{now.strftime('%Y%m%dT%H%M%SZ')}")
    try:
        engine = integrity.open_database(args.database_url)
    except integrity.DatabaseUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        manifest = portable.export_database(engine, output, fmt=args.fmt, exported_at=now)
    except portable.PortableError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"error: the database cannot be read: {integrity.first_line(exc)}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    tables = manifest["tables"]
    total = sum(t["rows"] for t in tables.values())
    print(f"exported {total} rows of {len(tables)} tables to {output} ({args.fmt})")
    for name, entry in tables.items():
        print(f"  {name}: {entry['rows']}")
    watches = tables.get(portable.SECRET_TABLE, {}).get("rows", 0)
    if watches:
        print(f"note: the notification addresses of {watches} watch(es) are masked, not exported")
    return 0
