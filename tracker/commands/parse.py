"""``treaty-tracker parse PATH [--json]``: parse a saved status page and print what it says."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from tracker.domain import ParseError, SignatureKind, TreatyStatus
from tracker.mtdsg import UNTC_BASE_URL, parse_mtdsg_no, status_url
from tracker.sources.untc import parse_status_page

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "parse",
        help="parse a saved UN Treaty Collection status page and print its facts",
        description=(
            "Parse a saved UN Treaty Collection status page (HTML) and print the treaty's "
            "facts and its participants. Exit status 2 if the file is not a status page."
        ),
    )
    p.add_argument("path", type=Path, metavar="PATH", help="the saved HTML page")
    p.add_argument(
        "--url",
        help=(
            "the address the page came from (default: guessed from a file name such as "
            "IV-11-d.en.html)"
        ),
    )
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.set_defaults(func=run)


def guess_url(path: Path) -> str | None:
    """A UNTC status-page URL from a file name like ``IV-11-d.en.html`` (or ``IV-11-d.html``);
    None when the name does not start with an MTDSG number."""
    parts = path.name.split(".")
    mtdsg_no = parse_mtdsg_no(parts[0])
    if mtdsg_no is None:
        return None
    lang = parts[1] if len(parts) > 2 and parts[1] in ("en", "fr") else "en"
    return status_url(UNTC_BASE_URL, mtdsg_no, lang)


def run(args: argparse.Namespace) -> int:
    path: Path = args.path
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    url = args.url or guess_url(path)
    if url is None:
        print(
            f"error: the file name {path.name!r} does not say which treaty the page is for "
            "(name it like IV-11-d.en.html, or give the page's address with --url)",
            file=sys.stderr,
        )
        return 2
    try:
        status = parse_status_page(text, url)
    except ParseError as exc:
        print(f"error: {path} is not a treaty status page: {exc.reason}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(status.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(render_table(status))
    return 0


def render_table(status: TreatyStatus) -> str:
    lines = [
        f"{status.mtdsg_no} ({status.language}): {status.title}",
    ]
    if status.conclusion:
        lines.append(f"Concluded: {status.conclusion.text}")
    if status.status_as_at:
        lines.append(f"Status as at: {status.status_as_at.isoformat()}")
    if status.entry_into_force:
        eif = status.entry_into_force
        lines.append(f"Entry into force: {eif.date.isoformat() if eif.date else '-'} ({eif.text})")
    if status.registration:
        lines.append(f"Registration: {status.registration}")
    c = status.counts
    lines.append(
        f"Signatories: {c.signatories if c.signatories is not None else '-'}  "
        f"Parties: {c.parties if c.parties is not None else '-'}"
    )
    lines.append("")
    width = max([len(p.name) for p in status.participants] + [11])
    lines.append(f"{'Participant':<{width}}  Code  Signature   Consent     Kind")
    for p in status.participants:
        name = f"[{p.name}]" if p.withdrawn else p.name
        sig = p.signature.isoformat() if p.signature else "-"
        cons = p.consent.date.isoformat() if p.consent else "-"
        kind = str(p.consent.kind) if p.consent else ""
        mark = " *" if p.has_declarations else ""
        lines.append(f"{name:<{width}}  {p.code:<4}  {sig:<10}  {cons:<10}  {kind}{mark}")
        if p.signature_kind is not None and p.signature_kind is not SignatureKind.SIGNATURE:
            lines.append(
                f"{'':<{width}}    the signature is a {p.signature_kind.replace('_', ' ')}"
            )
        for a in p.actions:
            what = str(a.kind).replace("_", " ")
            lines.append(
                f"{'':<{width}}    {what} {a.date.isoformat()} (column {a.column!r}; not a consent)"
            )
    if any(p.has_declarations for p in status.participants):
        lines.append("")
        lines.append("* has declarations or reservations")
    for w in status.warnings:
        lines.append(f"warning: {w}")
    return "\n".join(lines)
