"""``treaty-tracker history --treaty ID [--at DATE]``: a treaty's participants on a date."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, date, datetime

from tracker import coverage, db, queries
from tracker.commands import open_engine
from tracker.commands.changes import _date
from tracker.config import get_settings

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "history",
        help="show a treaty's signatories and parties as they stood on a date",
        description=(
            "Show the participants of a treaty and the counts of signatories and parties as "
            "they stood at the end of a date, rebuilt from the signature and consent dates "
            "on the stored status page, and whether the treaty itself was in force on that "
            "date and how many instruments its entry into force needed (from its final "
            "clauses, for the catalogued treaties; otherwise it says that is not known). "
            "Withdrawn participants are listed apart. Exit status 2 when the treaty has not "
            "been recorded (no data yet)."
        ),
    )
    p.add_argument("--treaty", required=True, metavar="ID", help="MTDSG number, e.g. IV-11-d")
    p.add_argument("--at", type=_date, metavar="DATE", help="the date (YYYY-MM-DD; default: today)")
    p.add_argument("--json", action="store_true", help="print a JSON object instead of text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    at: date = args.at or datetime.now(UTC).date()
    engine = open_engine()
    try:
        db.upgrade(engine)
        with db.session(engine) as s:
            summary = queries.treaty(session=s, mtdsg_no=args.treaty)
            view = in_force = None
            if summary is not None:
                view = queries.history_at(session=s, mtdsg_no=summary.mtdsg_no, at=at)
                in_force = queries.in_force_at(session=s, mtdsg_no=summary.mtdsg_no, at=at)
    finally:
        engine.dispose()
    if summary is None or view is None or in_force is None:
        tracked = args.treaty.strip() in get_settings().treaties
        why = "is tracked but its page has not been read yet" if tracked else "is not recorded"
        print(f"error: no data yet: treaty {args.treaty!r} {why}", file=sys.stderr)
        return 2
    if args.json:
        out = queries.history_json(view)
        out["treaty_in_force"] = coverage.in_force_json(in_force)
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"{summary.mtdsg_no}: {summary.title()}")
    signatories = view.counts.signatories
    signed = (
        "signatories not given on the page" if signatories is None else f"{signatories} signatories"
    )
    print(f"As at {at.isoformat()}: {signed}, {view.counts.parties} parties")
    for line in coverage.in_force_lines(in_force):
        print(line)
    for heading, group in (
        ("Parties", view.parties),
        ("Signed, not (yet) party", view.signed),
        ("Withdrawn", view.withdrawn),
    ):
        if not group:
            continue
        print()
        print(f"{heading} ({len(group)}):")
        for p in group:
            # only what had happened by that date: a later signature or consent is not shown
            sig = p.signature.isoformat() if p.signature and p.signature <= at else "-"
            consent = (
                f"{p.consent.date.isoformat()} {p.consent.kind}"
                if p.consent and p.consent.date <= at
                else "-"
            )
            print(f"  {p.code:<4} {p.name:<40} signed {sig:<10}  consent {consent}")
    return 0
