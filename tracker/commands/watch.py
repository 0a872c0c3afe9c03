"""``treaty-tracker watch``: add, list and remove watches (who is told about which events)."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from sqlmodel import col, select

from tracker import alerts, db, notify
from tracker.commands import open_engine
from tracker.domain import ChangeKind
from tracker.models import Watch

logger = logging.getLogger(__name__)

KINDS = ", ".join(str(k) for k in ChangeKind)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "watch",
        help="add, list or remove watches: who is alerted about which changes",
        description=(
            "A watch sends an alert for each new change event about a country (on every "
            "tracked treaty), a treaty (every participant), or a country on one treaty. "
            "Alerts go to an apprise URL (e-mail, Slack, Teams, Matrix, ntfy, webhooks ...; "
            "see https://github.com/caronc/apprise/wiki). Only events observed after the "
            "watch was added are alerted."
        ),
    )
    parser.add_argument("--database-url", metavar="URL", help="instead of TRACKER_DATABASE_URL")
    actions = parser.add_subparsers(
        dest="watch_action", metavar="ACTION", required=True, help="add, list or remove"
    )
    add = actions.add_parser(
        "add",
        help="add a watch",
        description="Add a watch. Give --country, --treaty or both, and --notify.",
    )
    add.add_argument("--country", metavar="NAME_OR_CODE", help="e.g. Belgium, Belgique or BEL")
    add.add_argument("--treaty", metavar="ID", help="MTDSG number, e.g. IV-11-d")
    add.add_argument(
        "--kinds",
        metavar="KIND,...",
        default="",
        help=f"event kinds to alert on, comma-separated (default: all): {KINDS}",
    )
    add.add_argument(
        "--notify",
        required=True,
        metavar="APPRISE_URL",
        help="where to send the alerts, e.g. mailtos://user:password@example.org "
        "(kept secret: only its scheme and host are ever shown)",
    )
    add.add_argument(
        "--digest", action="store_true", help="one message per day listing the day's events"
    )
    add.add_argument("--lang", choices=notify.LANGUAGES, default="en", help="message language")
    add.add_argument("--label", required=True, metavar="TEXT", help="a name for the watch")
    actions.add_parser(
        "list",
        help="list the watches (notification addresses masked)",
        description="List the watches; notification addresses show their scheme and host only.",
    )
    remove = actions.add_parser(
        "remove",
        help="remove a watch and its alert history",
        description="Remove a watch and its queued and sent alerts.",
    )
    remove.add_argument("id", type=int, metavar="ID", help="the watch's id (see 'watch list')")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    engine = open_engine(args.database_url)
    try:
        db.upgrade(engine)
        with db.session(engine) as s:
            if args.watch_action == "add":
                return _add(s, args)
            if args.watch_action == "list":
                return _list(s)
            return _remove(s, args.id)
    finally:
        engine.dispose()


def _add(s: Any, args: argparse.Namespace) -> int:
    try:
        country = alerts.resolve_country(args.country) if args.country else None
        treaty = args.treaty.strip() if args.treaty else None
        watch = alerts.add_watch(
            session=s,
            label=args.label,
            notify_url=args.notify,
            country_code=country,
            mtdsg_no=treaty,
            kinds=alerts.parse_kinds(args.kinds),
            digest=args.digest,
            language=args.lang,
        )
    except alerts.WatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if notify.mask_url(watch.notify_url).endswith("://…"):
        print(
            f"error: apprise cannot use the address {notify.mask_url(args.notify)}", file=sys.stderr
        )
        s.rollback()
        return 2
    s.commit()
    print(f"watch {watch.id} added: {_describe(watch)}")
    return 0


def _describe(watch: Watch) -> str:
    what = []
    if watch.country_code:
        what.append(f"country {watch.country_code}")
    if watch.mtdsg_no:
        what.append(f"treaty {watch.mtdsg_no}")
    kinds = watch.kinds or "all kinds"
    mode = "daily digest" if watch.digest else "each event"
    return (
        f"{watch.label!r}: {' on '.join(what)}, {kinds}, {mode} in {watch.language} "
        f"to {notify.mask_url(watch.notify_url)}"
    )


def _list(s: Any) -> int:
    watches = s.exec(select(Watch).order_by(col(Watch.id))).all()
    if not watches:
        print("no watches")
        return 0
    for watch in watches:
        state = "" if watch.active else " (inactive)"
        print(f"{watch.id}\t{_describe(watch)}{state}")
    return 0


def _remove(s: Any, watch_id: int) -> int:
    watch = s.get(Watch, watch_id)
    if watch is None:
        print(f"error: no watch with id {watch_id}", file=sys.stderr)
        return 1
    s.delete(watch)
    s.commit()
    print(f"watch {watch_id} removed")
    return 0
