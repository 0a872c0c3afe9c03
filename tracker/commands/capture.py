"""``treaty-tracker capture``: save live UNTC status pages as test fixtures.

For a machine with internet: real captures can then replace the reconstructed pages in
``tests/fixtures/untc``. Each page is saved byte for byte as ``<ID>.<lang>.html`` next to a
``<ID>.<lang>.capture.json`` that says where and when it was fetched. The pages are fetched
by the same Scrapy crawler as every poll (:func:`tracker.crawl.crawl` in capture mode): it
obeys robots.txt, sends the tracker's User-Agent, retries with backoff, refuses redirects
off the allowed hosts and pages over the size limit, and waits between pages.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from tracker.crawl import check_treaties, crawl

logger = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "capture",
        help="save live status pages as fixture files (needs internet)",
        description=(
            "Fetch the live UN Treaty Collection status page of each --treaty and save it "
            "byte for byte as OUTPUT/<ID>.<lang>.html, with OUTPUT/<ID>.<lang>.capture.json "
            "recording the address, time, HTTP status and SHA-256. Real captures can replace "
            "the reconstructed test pages. Uses the tracker's crawler: obeys robots.txt and "
            "waits --delay seconds between pages. Exit status 0 when every page was saved, "
            "1 otherwise, 2 on bad arguments."
        ),
    )
    parser.add_argument(
        "--treaty",
        action="append",
        required=True,
        metavar="ID",
        help="MTDSG reference of the treaty, e.g. IV-11-d (may be repeated)",
    )
    parser.add_argument(
        "--lang",
        action="append",
        choices=["en", "fr"],
        default=[],
        help="page language (may be repeated; default: en)",
    )
    parser.add_argument(
        "--output", required=True, type=Path, metavar="DIR", help="folder to save the pages in"
    )
    parser.add_argument(
        "--delay",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="pause between two pages (default: 2)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    languages = args.lang or ["en"]
    try:
        check_treaties(args.treaty)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    polite = {
        "DOWNLOAD_DELAY": max(0.0, args.delay),
        "AUTOTHROTTLE_ENABLED": False,  # the delay asked for, not an adaptive one
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    }
    result = crawl(
        args.treaty,
        languages=languages,
        scrapy_settings=polite,
        capture_dir=args.output.resolve(),
    )
    saved = {(c["mtdsg_no"], c["language"]): c for c in result.captures}
    failures = 0
    for treaty in args.treaty:
        for language in languages:
            capture = saved.get((treaty, language))
            if capture is None:
                print(f"error: {treaty} ({language}): the page was not fetched", file=sys.stderr)
                failures += 1
            elif "error" in capture:
                print(f"error: {treaty} ({language}): {capture['error']}", file=sys.stderr)
                failures += 1
            else:
                print(f"{treaty} ({language}): saved {capture['saved']}")
    for problem in result.problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if failures or result.problems else 0
