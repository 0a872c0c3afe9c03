"""``treaty-tracker accept --treaty ID``: apply a suspect page after an operator inspected it."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys

from tracker import accept, db
from tracker.archive import Archive
from tracker.commands import open_engine

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "accept",
        help="accept a suspect status page after inspecting it, and apply it",
        description=(
            "Accept the newest poll of a treaty when it was recorded as suspect (for example "
            "a page whose stated counts disagree with its rows, or that lists far fewer "
            "participants than before) after you have inspected the page: its archived copy "
            "is recorded again and applied, its change events are recorded, and the "
            "acceptance is kept with who accepted it and when (shown on the Health page). "
            "Another treaty's page is never applied. Exit status 0 when applied, 1 when the "
            "page is still not applied, 2 when there is no suspect page to accept."
        ),
    )
    p.add_argument("--treaty", required=True, metavar="ID", help="MTDSG number, e.g. IV-11-d")
    p.add_argument(
        "--by",
        metavar="NAME",
        default=None,
        help="who accepts the page (default: the name of the user running the command)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    who = args.by or getpass.getuser()
    engine = open_engine()
    try:
        db.upgrade(engine)
        with db.session(engine) as s:
            try:
                suspect, report = accept.accept_suspect(
                    session=s, archive=Archive(), mtdsg_no=args.treaty.strip(), accepted_by=who
                )
            except accept.AcceptError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
    finally:
        engine.dispose()
    print(f"{report.mtdsg_no}: poll #{suspect.id} was suspect because:")
    for reason in (suspect.error or "").splitlines():
        print(f"  {reason}")
    if report.outcome in ("suspect", "error"):
        print(f"Not applied ({report.outcome}): {report.error}", file=sys.stderr)
        return 1
    print(
        f"Accepted by {who}: recorded as poll #{report.poll_id}, {report.outcome}, "
        f"{len(report.events)} event(s)."
    )
    for event in report.events:
        print(f"  {event.kind} {event.participant_name or ''} {event.new_value or ''}".rstrip())
    return 0
