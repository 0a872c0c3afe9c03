"""``treaty-tracker alerts``: list the alert queue, deliver due alerts, retry failed ones."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from tracker import alerts, db, notify
from tracker.commands import open_engine

logger = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "alerts",
        help="list, deliver or retry the watchers' alerts",
        description=(
            "The alert queue: one alert per watch and matching change event. 'deliver' "
            "queues new events and sends what is due (the scheduler does this after each "
            "poll); 'list' shows the queue with attempts, errors and the next try; 'retry' "
            "queues failed alerts again now."
        ),
    )
    parser.add_argument("--database-url", metavar="URL", help="instead of TRACKER_DATABASE_URL")
    actions = parser.add_subparsers(
        dest="alerts_action", metavar="ACTION", required=True, help="list, deliver or retry"
    )
    show = actions.add_parser(
        "list", help="show the alert queue", description="Show alerts, newest first."
    )
    show.add_argument(
        "--status", choices=[alerts.PENDING, alerts.SENT, alerts.FAILED], help="only these"
    )
    show.add_argument("--limit", type=int, default=50, metavar="N", help="at most N (default 50)")
    actions.add_parser(
        "deliver",
        help="queue new events and send the alerts that are due",
        description=(
            "Queue an alert for each new event matching a watch, then send every alert that "
            "is due. Exit status 1 if a delivery failed (it will be retried later)."
        ),
    )
    retry = actions.add_parser(
        "retry",
        help="queue failed alerts again now",
        description="Queue failed alerts (all, or the given ids) for delivery at the next run.",
    )
    retry.add_argument("ids", nargs="*", type=int, metavar="ID", help="alert ids (default: all)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    engine = open_engine(args.database_url)
    try:
        db.upgrade(engine)
        if args.alerts_action == "deliver":
            with db.session(engine) as s:
                queued = alerts.enqueue(session=s)
            report = alerts.deliver_due(engine=engine)
            print(
                f"{queued} alert(s) queued; {report.sent} sent in {report.messages} "
                f"message(s); {report.failed} failed"
            )
            for error in report.errors:
                print(f"  {error}")
            return 1 if report.failed else 0
        with db.session(engine) as s:
            if args.alerts_action == "retry":
                count = alerts.retry(session=s, alert_ids=args.ids or None)
                print(f"{count} failed alert(s) queued again")
                return 0
            rows = alerts.list_alerts(session=s, status=args.status, limit=args.limit)
            if not rows:
                print("no alerts")
            for alert, watch, event in rows:
                when = alert.sent_at or alert.next_attempt_at
                when_text = "" if when is None else when.isoformat(timespec="seconds")
                note = {
                    alerts.SENT: f"sent {when_text}",
                    alerts.PENDING: "due" if not when_text else f"next try {when_text}",
                    alerts.FAILED: f"next try {when_text}" if when_text else "given up",
                }.get(alert.status, alert.status)
                print(
                    f"{alert.id}\t{alert.status}\twatch {watch.id} ({watch.label})\t"
                    f"event {event.id} {event.kind} {event.participant_code or ''} "
                    f"{event.mtdsg_no}\tattempts {alert.attempts}\t{note}"
                    f"\t{notify.mask_url(watch.notify_url)}"
                    + (f"\terror: {alert.last_error}" if alert.last_error else "")
                )
            return 0
    finally:
        engine.dispose()
