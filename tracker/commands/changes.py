"""``treaty-tracker changes``: the recorded change events, newest first."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date

from tracker import db, queries
from tracker.commands import open_engine
from tracker.commands.status import add_country_argument, resolve_country_or_explain

logger = logging.getLogger(__name__)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from exc


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "changes",
        help="list the recorded changes (signatures, ratifications, withdrawals ...)",
        description=(
            "List the change events the tracker recorded, newest first, one sentence each "
            "with the treaty, the participant, old and new values, the effective date, when "
            "it was observed and the source page. Changes found by a catch-up poll (the first "
            "live poll after the bundled snapshot or after a long gap) are marked: they "
            "happened on their effective date, while the tracker was not watching. Exit "
            "status 2 on an unknown or ambiguous country."
        ),
    )
    p.add_argument("--treaty", metavar="ID", help="only this treaty (MTDSG number, e.g. IV-11-d)")
    add_country_argument(p, required=False)
    p.add_argument(
        "--since",
        type=_date,
        metavar="DATE",
        help="only changes observed on or after this date (YYYY-MM-DD)",
    )
    p.add_argument("--json", action="store_true", help="print a JSON array instead of text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    code = None
    if args.country:
        code = resolve_country_or_explain(args.country)
        if code is None:
            return 2
    engine = open_engine()
    try:
        db.upgrade(engine)
        with db.session(engine) as s:
            found = queries.events(session=s, mtdsg_no=args.treaty, country=code, since=args.since)
    finally:
        engine.dispose()
    if args.json:
        json.dump([e.to_json() for e in found], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not found:
        print("No changes recorded.")
        return 0
    for e in found:
        effective = e.effective_date.isoformat() if e.effective_date else "not given"
        marker = "  [catch-up: happened before it was observed]" if e.catch_up else ""
        print(
            f"{e.observed_at.date().isoformat()}  {e.mtdsg_no}  {e.kind}  {e.sentence('en')}"
            f"{marker}"
        )
        print(
            f"    old: {e.old_value or '-'}  new: {e.new_value or '-'}  "
            f"effective: {effective}  source: {e.source_url}"
        )
    return 0
