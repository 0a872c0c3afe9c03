"""``treaty-tracker watch``: add, list, test and remove watches (who is told about which
events)."""

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
        help="add, list, test or remove watches: who is alerted about which changes",
        description=(
            "A watch sends an alert for each new change event about a country (on every "
            "tracked treaty), a treaty (every participant), or a country on one treaty. "
            "Alerts go to an e-mail address (sent through the mail server set in "
            "TRACKER_SMTP_URL) or to a link for another service: Slack, Microsoft Teams, "
            "Matrix, ntfy, webhooks ... (apprise URLs, see "
            "https://github.com/caronc/apprise/wiki). Only events observed after the watch "
            "was added are alerted."
        ),
    )
    parser.add_argument("--database-url", metavar="URL", help="instead of TRACKER_DATABASE_URL")
    actions = parser.add_subparsers(
        dest="watch_action", metavar="ACTION", required=True, help="add, list, test or remove"
    )
    add = actions.add_parser(
        "add",
        help="add a watch",
        description=(
            "Add a watch. Give --country, --treaty or both, and --notify. The address is "
            "checked before it is saved: an e-mail address needs the mail server "
            "(TRACKER_SMTP_URL), a link must be one apprise can use. Then send a test message "
            "with 'watch test ID'."
        ),
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
        metavar="ADDRESS",
        help="where to send the alerts: an e-mail address such as officer@example.org, or a "
        "link for another service such as slack://TOKEN_A/TOKEN_B/TOKEN_C or ntfy://TOPIC "
        "(kept secret: shown only as …@example.org or scheme://host)",
    )
    add.add_argument(
        "--digest", action="store_true", help="one message per day listing the day's events"
    )
    add.add_argument("--lang", choices=notify.LANGUAGES, default="en", help="message language")
    add.add_argument("--label", required=True, metavar="TEXT", help="a name for the watch")
    actions.add_parser(
        "list",
        help="list the watches (notification addresses masked)",
        description=(
            "List the watches; addresses are masked: an e-mail address shows its domain only "
            "(…@example.org), a link its scheme and host only."
        ),
    )
    test = actions.add_parser(
        "test",
        help="send a test message to a watch's address",
        description=(
            "Send a test message to the watch's address now, to check that its alerts "
            "arrive. Exit status 0 when delivered, 1 with the reason when not."
        ),
    )
    test.add_argument("id", type=int, metavar="ID", help="the watch's id (see 'watch list')")
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
            if args.watch_action == "test":
                return _test(s, args.id)
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
    s.commit()
    print(f"watch {watch.id} added: {_describe(watch)}")
    print(f"Check that its alerts arrive: treaty-tracker watch test {watch.id}")
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


def _test(s: Any, watch_id: int) -> int:
    watch = s.get(Watch, watch_id)
    if watch is None:
        print(f"error: no watch with id {watch_id}", file=sys.stderr)
        return 1
    try:
        notify.send_test(watch.notify_url, label=watch.label, language=watch.language)
    except notify.DeliveryError as exc:
        print(f"error: the test message was not sent: {exc}", file=sys.stderr)
        return 1
    shown = notify.mask_url(watch.notify_url)
    print(f"test message sent to {shown} (watch {watch_id}, {watch.label!r})")
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
