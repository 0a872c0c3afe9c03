"""``treaty-tracker status --country NAME_OR_CODE``: where a country stands on each treaty."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any

from tracker import db, queries
from tracker.commands import open_engine
from tracker.config import get_settings

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "status",
        help="show where one country stands on every tracked treaty",
        description=(
            "Show, for each tracked treaty, where a country stands: not_signed, signed, "
            "party or withdrawn; its signature date, consent date and kind, the date the "
            "treaty entered into force for it, the source page and when that page was last "
            "verified. Exit status 2 when the country is unknown or matches several names "
            "(they are listed) or the treaty is unknown."
        ),
    )
    add_country_argument(p, required=True)
    p.add_argument("--treaty", metavar="ID", help="only this treaty (MTDSG number, e.g. IV-11-d)")
    p.add_argument("--json", action="store_true", help="print a JSON object instead of a table")
    p.set_defaults(func=run)


def add_country_argument(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument(
        "--country",
        required=required,
        metavar="NAME_OR_CODE",
        help="country name in English or French (any UN spelling) or ISO code, e.g. Belgium, "
        "Belgique, BE or BEL",
    )


def resolve_country_or_explain(query: str) -> str | None:
    """The participant code for ``query``; prints why not (and the candidates) otherwise."""
    match = queries.resolve_country(query)
    if match.code is not None:
        return match.code
    if not match.candidates:
        print(f"error: no country matches {query!r}", file=sys.stderr)
        return None
    print(f"error: {query!r} matches several countries; use one of:", file=sys.stderr)
    for code in match.candidates:
        print(f"  {code}  {queries.country_name(code, 'en')}", file=sys.stderr)
    return None


def run(args: argparse.Namespace) -> int:
    code = resolve_country_or_explain(args.country)
    if code is None:
        return 2
    settings = get_settings()
    engine = open_engine()
    try:
        db.upgrade(engine)
        with db.session(engine) as s:
            tracked = [] if args.treaty else list(settings.treaties)
            rows = queries.country_overview(session=s, code=code, treaties=tracked)
    finally:
        engine.dispose()
    if args.treaty:
        wanted = args.treaty.strip().casefold()
        rows = [r for r in rows if r.mtdsg_no.casefold() == wanted]
        if not rows:
            print(f"error: treaty {args.treaty!r} has not been recorded", file=sys.stderr)
            return 2
    if args.json:
        out: dict[str, Any] = {
            "country": {"code": code, "name": queries.country_name(code, "en")},
            "treaties": [r.to_json() for r in rows],
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"{queries.country_name(code, 'en')} ({code})")
    header = ("Treaty", "Status", "Signed", "Consent", "Kind", "In force", "Verified")
    table = [header]
    for r in rows:
        table.append(
            (
                r.mtdsg_no,
                r.status,
                _d(r.signature_date),
                _d(r.consent_date),
                r.consent_kind or "-",
                _d(r.in_force_date),
                _d(r.last_verified_at.date() if r.last_verified_at else None),
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    sources = [(r.mtdsg_no, r.source_url) for r in rows if r.source_url]
    if sources:
        print()
        for mtdsg_no, url in sources:
            print(f"{mtdsg_no}: {url}")
    return 0


def _d(value: object) -> str:
    return "-" if value is None else value.isoformat()  # type: ignore[attr-defined]
