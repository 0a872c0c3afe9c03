"""``treaty-tracker status --country NAME_OR_CODE``: where a country stands on each treaty."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, date, datetime
from typing import Any

from tracker import coverage, db, queries
from tracker.commands import open_engine
from tracker.config import get_settings
from tracker.country_names import explain

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "status",
        help="show where one country stands on every tracked treaty",
        description=(
            "Show, for each tracked treaty, where a country stands: not_signed, signed, "
            "party, withdrawn, or no_data (the treaty's page has not been read yet: nothing "
            "is known); its signature date, consent date and kind, the date the treaty "
            "entered into force for it, declarations, the source page and when that page was "
            "last verified. Then the gaps (signed but not ratified, not signed, unknown), the "
            "oldest verification among the rows, the rows that are only the bundled snapshot "
            "or stale, and pages whose stated counts disagree with their rows. Names people "
            "type are accepted (UK, USA, DRC, Holland ...). Exit status 2 when the country "
            "is unknown or could mean several countries (they are listed) or the treaty is "
            "unknown."
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
        help="country name in English or French (any UN spelling, or a common short form such "
        "as UK or DRC) or ISO code, e.g. Belgium, Belgique, BE or BEL",
    )


def resolve_country_or_explain(query: str) -> str | None:
    """The participant code for ``query``; prints why not (and the candidates) otherwise."""
    match = queries.resolve_country(query)
    if match.code is not None:
        return match.code
    if not match.candidates:
        print(f"error: {explain(match)}", file=sys.stderr)
        return None
    print(f"error: {explain(match)}:", file=sys.stderr)
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
            tracked = list(settings.treaties)
            rows = queries.country_overview(session=s, code=code, treaties=tracked)
    finally:
        engine.dispose()
    if args.treaty:
        wanted = args.treaty.strip().casefold()
        rows = [r for r in rows if r.mtdsg_no.casefold() == wanted]
        if not rows:
            print(f"error: treaty {args.treaty!r} has not been recorded", file=sys.stderr)
            return 2
    fresh = coverage.freshness(rows, now=datetime.now(UTC), stale_after=settings.stale_after)
    gaps = coverage.gaps(rows)
    if args.json:
        out: dict[str, Any] = {
            "country": {"code": code, "name": queries.country_name(code, "en")},
            "treaties": [r.to_json() for r in rows],
            "gaps": gaps.to_json(),
            "freshness": fresh.to_json(),
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"{queries.country_name(code, 'en')} ({code})")
    header = (
        "Treaty", "Status", "Signed", "Consent", "Kind", "In force", "Declarations", "Verified",
    )  # fmt: skip
    table = [header]
    for r in rows:
        known = r.status != "no_data"
        table.append(
            (
                r.mtdsg_no,
                r.status,
                _d(r.signature_date, known),
                _d(r.consent_date, known),
                r.consent_kind or ("-" if known else "?"),
                _d(r.in_force_date, known),
                ("yes" if r.has_declarations else "no") if known else "?",
                _verified(r),
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    if any(r.status == "no_data" for r in rows):
        print("(no_data: the treaty's page has not been read yet; ? = not known)")
    print()
    for label, found in (
        ("Signed but not ratified", gaps.signed),
        ("Not signed", gaps.not_signed),
    ):
        empty = coverage.empty_gap_text(gaps)
        listed = ", ".join(found) + "." if found else empty[0].lower() + empty[1:]
        print(f"{label}: {listed}")
    unknown = coverage.unknown_gap_text(gaps)
    if unknown:
        print(unknown)
    print()
    for line in coverage.freshness_lines(fresh, include_unknown=False):
        print(line)
    notes = [(r.mtdsg_no, note) for r in rows for note in r.count_discrepancy]
    for mtdsg_no, note in notes:
        print(f"{mtdsg_no}: counts disagree with the rows (kept as found): {note}")
    sources = [(r.mtdsg_no, r.source_url) for r in rows if r.source_url]
    if sources:
        print()
        for mtdsg_no, url in sources:
            print(f"{mtdsg_no}: {url}")
    return 0


def _d(value: date | None, known: bool = True) -> str:
    """A date (or datetime) as ISO 8601; "-" when there is none, "?" when it is not known."""
    if value is None:
        return "-" if known else "?"
    return value.isoformat()


def _verified(r: queries.CountryTreatyRow) -> str:
    if r.last_verified_at is None:
        return "?"
    when = r.last_verified_at.date().isoformat()
    return f"{when} (snapshot)" if r.source == coverage.SNAPSHOT else when
