"""``treaty-tracker poll``: fetch the status pages once, record what changed, print a summary."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from tracker import db
from tracker.commands import CommandError, open_engine
from tracker.crawl import check_treaties, crawl, parse_setting

logger = logging.getLogger(__name__)

FAILED_OUTCOMES = ("error", "suspect")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "poll",
        help="fetch the treaties' status pages once and record what changed",
        description=(
            "Fetch the status of each treaty once from its depositary (the UN Treaty "
            "Collection's status page; the Council of Europe Treaty Office's JSON service for "
            "CETS treaties), record the poll "
            "and any change in the database, and print one line per treaty (outcome and "
            "number of events) followed by one line per event. Treaties: the --treaty "
            "options, or --all, or else TRACKER_TREATIES. Exit status 0 when every treaty "
            "was polled successfully, 1 when any poll failed (error or suspect page) or a "
            "chapter page could not be read, 2 on bad arguments."
        ),
    )
    parser.add_argument(
        "--treaty",
        action="append",
        default=[],
        metavar="ID",
        help="treaty to poll: an MTDSG reference (IV-11-d) or a Council of Europe treaty "
        "(CETS-201, CETS-210, CETS-197); may be repeated",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        dest="all_treaties",
        help="poll every treaty listed on UNTC's chapter pages (chapters I to XXIX)",
    )
    parser.add_argument(
        "--language",
        action="append",
        choices=["en", "fr"],
        default=[],
        help="page language to poll (may be repeated; default: TRACKER_LANGUAGES)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the poll reports as JSON instead of text"
    )
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        type=parse_setting,
        metavar="NAME=VALUE",
        help="override a Scrapy setting for this run (may be repeated), e.g. --set "
        "DOWNLOAD_DELAY=5; VALUE is read as JSON when it is JSON",
    )
    parser.set_defaults(func=run)


def format_event(event: Mapping[str, Any]) -> str:
    """One readable line for one change event (from a report's dict form)."""
    who = event.get("participant_name") or event.get("participant_code") or "(treaty)"
    if event.get("participant_code") and event.get("participant_name"):
        who = f"{event['participant_name']} ({event['participant_code']})"
    parts = [str(event.get("kind")), who]
    old, new = event.get("old_value"), event.get("new_value")
    if old is not None and new is not None:
        parts.append(f"{old} -> {new}")
    elif new is not None:
        parts.append(str(new))
    elif old is not None:
        parts.append(f"was {old}")
    if event.get("consent_kind"):
        parts.append(f"[{event['consent_kind']}]")
    if event.get("effective_date") and event.get("effective_date") != new:
        parts.append(f"effective {event['effective_date']}")
    if event.get("detail"):
        parts.append(f"- {event['detail']}")
    return " ".join(parts)


def format_report(report: Mapping[str, Any]) -> list[str]:
    events = report.get("events") or []
    line = f"{report['mtdsg_no']}: {report['outcome']}, {len(events)} event(s)"
    if report.get("error"):
        line += f" - {report['error']}"
    if events and report.get("catch_up_since"):
        since = str(report["catch_up_since"])[:10]
        line += f" (catch-up: not verified since {since}; they happened on their own dates)"
    lines = [line]
    lines += [f"  {format_event(e)}" for e in events]
    lines += [f"  warning: {w}" for w in report.get("warnings") or ()]
    return lines


def run(args: argparse.Namespace) -> int:
    try:
        args.treaty = check_treaties(args.treaty)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    engine = open_engine()  # a bad database URL is reported before any page is fetched
    try:
        db.upgrade(engine)  # migrations run here, at the start, never inside the crawl
    except SQLAlchemyError as exc:
        raise CommandError(f"the database cannot be used: {exc}") from None
    finally:
        engine.dispose()
    try:
        result = crawl(
            args.treaty or None,
            all_treaties=args.all_treaties,
            languages=args.language or None,
            scrapy_settings=dict(args.set),
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    reports = list(result.reports)
    order = {t: i for i, t in enumerate(args.treaty)}
    reports.sort(key=lambda r: (order.get(r["mtdsg_no"], len(order)), r["mtdsg_no"]))
    if args.json:
        print(json.dumps(reports, ensure_ascii=False, indent=2))
    else:
        for report in reports:
            print("\n".join(format_report(report)))
    for problem in result.problems:
        print(f"error: {problem}", file=sys.stderr)
    failed = [r for r in reports if r["outcome"] in FAILED_OUTCOMES]
    if not reports and not result.problems:
        print("error: no page was polled", file=sys.stderr)
        return 1
    return 1 if failed or result.problems else 0
