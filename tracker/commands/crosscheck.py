"""``treaty-tracker crosscheck FILE``: compare an OHCHR dashboard export with the stored status."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from tracker import db, store
from tracker.commands import CommandError, open_engine
from tracker.dates import iso_minute_utc
from tracker.domain import ParseError, TreatyStatus
from tracker.models import Treaty

if TYPE_CHECKING:  # imported when the command runs: other commands do not pay for xlrd
    from tracker.crosscheck import CrossCheck, Disagreement
    from tracker.sources.ohchr import OhchrExport

logger = logging.getLogger(__name__)

NOT_EVENTS = (
    "Disagreements are not change events: OHCHR's export mirrors the depositary's record and "
    "can lag behind it. Check the depositary's page before acting on one."
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "crosscheck",
        help="compare an OHCHR ratification-dashboard export with the stored status",
        description=(
            "Read an export of OHCHR's Status of Ratification Interactive Dashboard (the .xls "
            "file of one treaty) and list every State where it disagrees with the status the "
            "tracker has stored for that treaty: presence (one side has a date, the other "
            "none), signature date, ratification/accession date. Each line gives our value "
            "(with the page it was read from and when it was last verified) and theirs (with "
            "the export's Last Updated time). The run is kept for the Health view (--no-save: "
            "not kept); disagreements are never change events. --last lists the kept runs "
            "instead. Exit status 0 when they agree, 1 when disagreements were found, 2 "
            "when the check cannot run (unreadable file, treaty not recorded)."
        ),
    )
    p.add_argument("file", metavar="FILE", type=Path, nargs="?", help="the exported .xls file")
    p.add_argument(
        "--no-save",
        action="store_true",
        help="do not keep this run for the Health view (nothing is written)",
    )
    p.add_argument(
        "--last",
        action="store_true",
        help="list the latest kept run of each treaty instead of reading a file",
    )
    p.add_argument(
        "--treaty",
        metavar="ID",
        help="the treaty it is an export of, e.g. IV-3 (default: the recorded treaty whose "
        "title is the export's)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.set_defaults(func=run)


def _read(path: Path) -> OhchrExport:
    from tracker.sources.ohchr import read_export

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return read_export(data, source=path.name)
    except ParseError as exc:
        raise CommandError(str(exc)) from None


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _treaty(session: Session, wanted: str | None, export: OhchrExport) -> Treaty:
    treaties = store.list_treaties(session=session)
    if wanted is not None:
        found = [t for t in treaties if _norm(t.mtdsg_no) == _norm(wanted)]
        if not found:
            raise CommandError(f"treaty {wanted!r} has not been recorded: poll it first")
        return found[0]
    title = _norm(export.title)
    found = [t for t in treaties if title and title in (_norm(t.title_en), _norm(t.title_fr))]
    if len(found) != 1:
        raise CommandError(
            f"cannot tell which recorded treaty the export {export.title!r} is about; "
            "give it with --treaty ID (e.g. --treaty IV-3)"
        )
    return found[0]


def load(session: Session, wanted: str | None, export: OhchrExport) -> CrossCheck:
    """The stored status of the export's treaty, compared with the export."""
    from tracker.crosscheck import crosscheck

    treaty = _treaty(session, wanted, export)
    state: TreatyStatus | None
    state, _unlisted = store.load_state(session=session, mtdsg_no=treaty.mtdsg_no)
    if state is None:
        raise CommandError(f"treaty {treaty.mtdsg_no} has no stored status yet: poll it first")
    # Participants no longer listed on the page are not part of what the page says now.
    listed = tuple(p for p in state.participants if p.code not in _unlisted)
    state = TreatyStatus(
        mtdsg_no=state.mtdsg_no,
        language=state.language,
        title=state.title,
        url=state.url,
        participants=listed,
    )
    return crosscheck(state, export, verified_at=treaty.last_verified_at)


def run(args: argparse.Namespace) -> int:
    if args.last:
        return show_last(args)
    if args.file is None:
        raise CommandError("give the exported .xls FILE to compare (or --last)")
    export = _read(args.file)
    engine = open_engine()
    try:
        db.upgrade(engine)
        with db.session(engine) as session:
            result = load(session, args.treaty, export)
            if not args.no_save:
                store.add_crosscheck_run(
                    session=session, result=result.to_json(), checked_at=datetime.now(UTC)
                )
                session.commit()
    finally:
        engine.dispose()
    if args.json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_text(result, export)
    return 1 if result.disagreements else 0


def show_last(args: argparse.Namespace) -> int:
    """``--last``: the latest kept run of each treaty (or of ``--treaty``)."""
    from tracker.queries.health import crosscheck_runs

    engine = open_engine()
    try:
        db.upgrade(engine)
        with db.session(engine) as session:
            runs = crosscheck_runs(session=session, treaty=args.treaty)
    finally:
        engine.dispose()
    if args.json:
        json.dump([r.to_json() for r in runs], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not runs:
        print("No cross-check has been kept yet (treaty-tracker crosscheck FILE keeps one).")
        return 0
    for r in runs:
        print(
            f"{r.mtdsg_no}: {len(r.disagreements)} disagreement(s) among {r.compared} States, "
            f"checked {_when(r.checked_at)} against {r.their_source} (Last Updated "
            f"{r.their_last_updated or 'not stated'}, time zone not stated)"
        )
    print()
    print(NOT_EVENTS)
    return 0


def _when(value: datetime | None) -> str:
    if value is None:
        return "never verified"
    return iso_minute_utc(value)


def _value(value: Any, note: str | None) -> str:
    text = "-" if value is None else value.isoformat()
    return f"{text} ({note})" if note else text


def print_text(result: CrossCheck, export: OhchrExport) -> None:
    counts = result.counts()
    print(f"Cross-check of {result.treaty_id}: {result.treaty_title}")
    print(f"  ours:   {result.our_source_url}, last verified {_when(result.our_verified_at)}")
    print(
        f"  theirs: {result.their_source} (OHCHR), Last Updated "
        f"{result.their_last_updated.isoformat(sep=' ')} (time zone not stated)"
    )
    summary = ", ".join(f"{field} {n}" for field, n in counts.items())
    print(
        f"{result.compared} States compared: {len(result.disagreements)} disagreement(s) "
        f"({summary})."
    )
    for warning in export.warnings:
        print(f"warning: {warning}")
    if result.disagreements:
        print()
        table = [("State", "Field", "Ours", "Theirs")]
        table += [_line(d) for d in result.disagreements]
        widths = [max(len(row[i]) for row in table) for i in range(4)]
        for row in table:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print()
    print(NOT_EVENTS)


def _line(d: Disagreement) -> tuple[str, str, str, str]:
    return (
        f"{d.name} ({d.code})",
        str(d.field),
        _value(d.ours, d.our_note),
        _value(d.theirs, d.their_note),
    )
