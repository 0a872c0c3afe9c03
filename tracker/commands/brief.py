"""``treaty-tracker brief --country NAME_OR_CODE``: a one-page country brief (HTML, A4)."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

from tracker import brief, db
from tracker.commands import CommandError, open_engine
from tracker.commands.status import add_country_argument, resolve_country_or_explain
from tracker.config import get_settings

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "brief",
        help="write a one-page country brief (HTML to print or attach)",
        description=(
            "Write a one-page brief on where a country stands on every tracked treaty, as an "
            "HTML page with print styles (A4): signature, consent and entry into force for "
            "it, the gaps (signed but not ratified, not signed, no data yet), declarations "
            "and reservations, recent changes, each treaty's source page and when it was last "
            "verified, and how far the data can be trusted (bundled snapshot, stale rows). "
            "To make a PDF, open the file in a browser and print it to PDF. Exit status 2 "
            "when the country is unknown or could mean several countries (they are listed)."
        ),
    )
    add_country_argument(p, required=True)
    p.add_argument(
        "--lang", choices=["en", "fr"], default="en", help="language of the brief (default en)"
    )
    p.add_argument(
        "--output",
        metavar="FILE",
        type=Path,
        help="write the brief to FILE (default: print it to standard output)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    code = resolve_country_or_explain(args.country)
    if code is None:
        return 2
    settings = get_settings()
    engine = open_engine()
    try:
        db.upgrade(engine)
        with db.session(engine) as s:
            data = brief.collect(
                session=s,
                code=code,
                treaties=list(settings.treaties),
                language=args.lang,
                stale_after=settings.stale_after,
            )
    finally:
        engine.dispose()
    html = brief.render(data, generated_at=datetime.now(UTC))
    if args.output is None:
        sys.stdout.write(html)
        return 0
    try:
        args.output.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    print(f"Wrote the brief on {data.country} ({code}) to {args.output}", file=sys.stderr)
    return 0
