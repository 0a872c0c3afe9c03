"""``treaty-tracker schedule``: poll on a schedule, deliver alerts, watch the health."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from tracker import scheduler
from tracker.config import get_settings
from tracker.crawl import parse_setting
from tracker.db import DatabaseURLError

logger = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "schedule",
        help="run the scheduler in the foreground: poll, alert, check health",
        description=(
            "Run the scheduler in the foreground until stopped (SIGTERM or Ctrl-C). Each "
            "poll crawls the treaties in TRACKER_TREATIES in a child process limited to "
            "TRACKER_POLL_TIMEOUT_SECONDS, then queues and delivers the watchers' alerts and "
            "alerts the operator (TRACKER_OPERATOR_NOTIFY_URLS) after "
            "TRACKER_FAILURE_THRESHOLD failed polls in a row or when no poll succeeded for "
            "twice the schedule interval. Polls run on TRACKER_POLL_CRON (UTC, default "
            "'0 6 * * *'). The schedule is kept in the database (table apscheduler_jobs), so "
            "a restart neither loses nor repeats it, and only one scheduler can run per "
            "database. Exit status 3 if another scheduler already runs on the database."
        ),
    )
    parser.add_argument(
        "--interval",
        type=float,
        metavar="SECONDS",
        help="poll every SECONDS seconds instead of on TRACKER_POLL_CRON (for tests and demos)",
    )
    parser.add_argument(
        "--once",
        action="store_true",
        help="run one poll (crawl, alerts, health check) now and exit; "
        "exit status 1 if a step failed",
    )
    parser.add_argument(
        "--catch-up",
        action="store_true",
        help="also poll right after starting when no treaty was polled successfully within "
        "one schedule period (what `treaty-tracker run` does)",
    )
    parser.add_argument(
        "--set",
        dest="scrapy_settings",
        action="append",
        default=[],
        type=parse_setting,
        metavar="NAME=VALUE",
        help="a Scrapy setting for the crawls, e.g. DOWNLOAD_DELAY=5 (repeatable)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # A long-running service: say what it does (start, polls, stop) unless asked for more.
    tracker_logger = logging.getLogger("tracker")
    if tracker_logger.getEffectiveLevel() > logging.INFO:
        tracker_logger.setLevel(logging.INFO)
    try:
        settings = get_settings()
        return scheduler.run(
            settings,
            interval=args.interval,
            once=args.once,
            catch_up=args.catch_up,
            scrapy_settings=dict(args.scrapy_settings),
        )
    except (ValueError, DatabaseURLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
