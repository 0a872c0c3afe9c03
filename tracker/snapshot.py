"""The bundled snapshot: reconstructed status pages carrying the values the UN Treaty
Collection published on 14 March 2015 (see ``data/snapshot/README.md``).

Loading goes through the real parser and :func:`tracker.service.record_poll`, with each
page's UN address and ``fetched_at`` = :data:`tracker.queries.SNAPSHOT_AT`, so the app can
tell snapshot data from live data.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from tracker import db
from tracker.archive import sha256_hex
from tracker.domain import FetchedPage
from tracker.models import Poll, Treaty
from tracker.queries import SNAPSHOT_AT
from tracker.service import PollReport, record_poll

logger = logging.getLogger(__name__)

#: The snapshot folder shipped with the project.
SNAPSHOT_DIR = Path(__file__).resolve().parent.parent / "data" / "snapshot"


class SnapshotError(RuntimeError):
    """The snapshot folder is missing or its manifest is unreadable."""


@dataclass(frozen=True, slots=True)
class SnapshotPage:
    path: Path
    mtdsg_no: str
    url: str


def pages(directory: Path | None = None) -> list[SnapshotPage]:
    """The pages listed in ``pages.json`` of the snapshot folder."""
    folder = directory or SNAPSHOT_DIR
    manifest = folder / "pages.json"
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        result = [
            SnapshotPage(folder / str(e["file"]), str(e["mtdsg_no"]), str(e["url"]))
            for e in entries
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(f"cannot read the snapshot manifest {manifest}: {exc}") from exc
    missing = [str(p.path) for p in result if not p.path.is_file()]
    if missing:
        raise SnapshotError(f"snapshot page(s) missing: {', '.join(missing)}")
    return result


def is_empty(engine: Engine) -> bool:
    """True when no treaty and no poll has been recorded yet."""
    with db.session(engine) as s:
        return (
            s.exec(select(Treaty.id).limit(1)).first() is None
            and s.exec(select(Poll.id).limit(1)).first() is None
        )


def load(engine: Engine, directory: Path | None = None) -> list[PollReport]:
    """Record every snapshot page as a poll fetched on 14 March 2015 (one transaction each).

    Loading it again is harmless: the same bytes give ``unchanged`` polls, and a database
    that holds newer pages records the snapshot as ``suspect`` (an older copy) and changes
    nothing.
    """
    reports = []
    for page in pages(directory):
        body = page.path.read_bytes()
        fetched = FetchedPage(
            mtdsg_no=page.mtdsg_no,
            url=page.url,
            fetched_at=SNAPSHOT_AT,
            http_status=200,
            body=body,
            content_hash=sha256_hex(body),
            started_at=SNAPSHOT_AT,
        )
        with db.session(engine) as s:
            report = record_poll(session=s, page=fetched)
        logger.info("snapshot %s: %s", page.mtdsg_no, report.outcome)
        reports.append(report)
    return reports


def load_if_empty(engine: Engine, directory: Path | None = None) -> list[PollReport]:
    """:func:`load` when the database is empty; otherwise nothing (an empty list)."""
    if not is_empty(engine):
        return []
    return load(engine, directory)
