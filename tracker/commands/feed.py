"""``treaty-tracker feed``: write an Atom feed of the change events."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracker import db, feed
from tracker.commands import open_engine
from tracker.config import get_settings

logger = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "feed",
        help="write an Atom feed of the change events (all, or one watch's)",
        description=(
            "Write an Atom feed of the change events, newest first: all of them, or those "
            "matching one watch (--watch). Each entry links to the UN status page it was "
            "read from. Serve the file with any web server, or open it in a feed reader."
        ),
    )
    parser.add_argument(
        "--output", required=True, metavar="FILE", help="file to write ('-': stdout)"
    )
    parser.add_argument("--watch", type=int, metavar="ID", help="only the events of this watch")
    parser.add_argument(
        "--limit", type=int, default=feed.DEFAULT_LIMIT, metavar="N", help="at most N entries"
    )
    parser.add_argument("--database-url", metavar="URL", help="instead of TRACKER_DATABASE_URL")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    engine = open_engine(args.database_url)
    try:
        db.upgrade(engine)
        with db.session(engine) as s:
            data = feed.build_feed(
                session=s,
                now=datetime.now(UTC),
                contact=get_settings().contact,
                watch_id=args.watch,
                limit=args.limit,
            )
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(args.output).write_bytes(data)
    return 0
