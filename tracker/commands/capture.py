"""``treaty-tracker capture``: save live UNTC status pages as test fixtures.

For a machine with internet: real captures can then replace the reconstructed pages in
``tests/fixtures/untc``. Each page is saved byte for byte as ``<ID>.<lang>.html`` next to a
``<ID>.<lang>.capture.json`` that says where and when it was fetched. The fetch is polite:
it obeys robots.txt, sends the tracker's User-Agent and waits between pages.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
import sys
import time
import urllib.error
import urllib.request
import urllib.robotparser
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from tracker.config import Settings, get_settings

logger = logging.getLogger(__name__)

_MTDSG = re.compile(r"^(?P<roman>[IVXLC]+)-[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


class CaptureError(Exception):
    """A page could not be captured; the message says why."""


def chapter_number(mtdsg_no: str) -> int:
    match = _MTDSG.match(mtdsg_no)
    if not match:
        raise CaptureError(f"not an MTDSG treaty reference: {mtdsg_no!r} (e.g. IV-11-d)")
    roman = match["roman"]
    total = 0
    for i, ch in enumerate(roman):
        value = _ROMAN[ch]
        total += -value if i + 1 < len(roman) and _ROMAN[roman[i + 1]] > value else value
    return total


def page_url(base_url: str, mtdsg_no: str, language: str) -> str:
    query = urlencode(
        {
            "src": "TREATY",
            "mtdsg_no": mtdsg_no,
            "chapter": chapter_number(mtdsg_no),
            "clang": f"_{language}",
        }
    )
    return f"{base_url}/Pages/ViewDetails.aspx?{query}"


def user_agent(settings: Settings) -> str:
    try:
        ver = version("treaty-tracker")
    except PackageNotFoundError:
        ver = "0+unknown"
    return f"treaty-tracker/{ver} (+{settings.contact})"


def _robots(base_url: str, agent: str, timeout: float) -> urllib.robotparser.RobotFileParser:
    parser = urllib.robotparser.RobotFileParser(f"{base_url}/robots.txt")
    request = urllib.request.Request(f"{base_url}/robots.txt", headers={"User-Agent": agent})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            parser.parse(response.read().decode("utf-8", "replace").splitlines())
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            parser.parse(["User-agent: *", "Disallow: /"])
        else:
            parser.parse([])  # no robots.txt: everything allowed
    except (urllib.error.URLError, TimeoutError) as exc:
        raise CaptureError(f"could not read {base_url}/robots.txt: {exc}") from exc
    return parser


def capture(mtdsg_no: str, language: str, output: Path, *, settings: Settings, agent: str) -> Path:
    """Fetch one status page into ``output``; return the saved HTML file."""
    url = page_url(settings.untc_base_url, mtdsg_no, language)
    request = urllib.request.Request(url, headers={"User-Agent": agent})
    started = datetime.now(UTC)
    try:
        with urllib.request.urlopen(request, timeout=settings.download_timeout_seconds) as resp:
            final_url = resp.geturl()
            host = urlsplit(final_url).hostname
            if host not in settings.allowed_hosts:
                raise CaptureError(f"{url} redirected to {final_url}, off the allowed hosts")
            body = resp.read(settings.max_page_bytes + 1)
            status = resp.status
            content_type = resp.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        raise CaptureError(f"{url}: the server answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError) as exc:
        raise CaptureError(f"{url}: {exc}") from exc
    if len(body) > settings.max_page_bytes:
        raise CaptureError(f"{url}: page larger than {settings.max_page_bytes} bytes")
    output.mkdir(parents=True, exist_ok=True)
    target = output / f"{mtdsg_no}.{language}.html"
    target.write_bytes(body)
    meta = {
        "what": "capture of a live UN Treaty Collection page (not a reconstruction)",
        "mtdsg_no": mtdsg_no,
        "language": language,
        "url": url,
        "final_url": final_url,
        "http_status": status,
        "content_type": content_type,
        "fetched_at": started.isoformat(),
        "sha256": hashlib.sha256(body).hexdigest(),
        "bytes": len(body),
        "user_agent": agent,
    }
    sidecar = output / f"{mtdsg_no}.{language}.capture.json"
    sidecar.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return target


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "capture",
        help="save live status pages as fixture files (needs internet)",
        description=(
            "Fetch the live UN Treaty Collection status page of each --treaty and save it "
            "byte for byte as OUTPUT/<ID>.<lang>.html, with OUTPUT/<ID>.<lang>.capture.json "
            "recording the address, time, HTTP status and SHA-256. Real captures can replace "
            "the reconstructed test pages. Obeys robots.txt and waits --delay seconds "
            "between pages. Exit status 0 when every page was saved, 1 otherwise."
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
    settings = get_settings()
    agent = user_agent(settings)
    languages = args.lang or ["en"]
    try:
        for treaty in args.treaty:
            chapter_number(treaty)
        robots = _robots(settings.untc_base_url, agent, settings.download_timeout_seconds)
    except CaptureError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1 if "robots.txt" in str(exc) else 2
    failures = 0
    first = True
    for treaty in args.treaty:
        for language in languages:
            url = page_url(settings.untc_base_url, treaty, language)
            if not robots.can_fetch(agent, url):
                print(f"error: robots.txt forbids {url}", file=sys.stderr)
                failures += 1
                continue
            if not first and args.delay > 0:
                time.sleep(args.delay)
            first = False
            try:
                saved = capture(treaty, language, args.output, settings=settings, agent=agent)
            except CaptureError as exc:
                print(f"error: {exc}", file=sys.stderr)
                failures += 1
                continue
            print(f"{treaty} ({language}): saved {saved}")
    return 1 if failures else 0
