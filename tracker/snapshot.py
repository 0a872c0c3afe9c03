"""The bundled snapshot: status pages carrying the values the UN Treaty Collection published
on 14 March 2015 (see ``data/snapshot/README.md``).

The snapshot is a source of its own. Loading goes through the real parser and
:func:`tracker.service.record_poll` with ``Origin(source="snapshot", published_on=...)``: each
page is archived like any fetched page (so ``treaty-tracker check`` and ``replay`` work on
it), recorded under its UN address, and its facts count as verified on the day they were
published, not on the day they were loaded. The app and the CLI tell snapshot data from
live data by the poll's stored source.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib.resources import files
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from tracker import db
from tracker.archive import Archive, sha256_hex
from tracker.domain import FetchedPage, PollSource
from tracker.models import Poll, Treaty
from tracker.service import Origin, PollReport, record_poll

logger = logging.getLogger(__name__)

#: The snapshot folder shipped inside the package. In a checkout ``tracker/bundled_snapshot``
#: is a link to ``data/snapshot`` (where the pages are kept, beside the other data); an
#: installed wheel carries copies of the pages there (pyproject.toml's package data).
SNAPSHOT_DIR = Path(str(files("tracker").joinpath("bundled_snapshot")))


class SnapshotError(RuntimeError):
    """The snapshot folder is missing or its manifest is unreadable."""


@dataclass(frozen=True, slots=True)
class SnapshotPage:
    path: Path
    mtdsg_no: str
    url: str
    published_on: date  # the day the UN Treaty Collection published these values


def pages(directory: Path | None = None) -> list[SnapshotPage]:
    """The pages listed in ``pages.json`` of the snapshot folder."""
    folder = directory or SNAPSHOT_DIR
    manifest = folder / "pages.json"
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        result = [
            SnapshotPage(
                folder / str(e["file"]),
                str(e["mtdsg_no"]),
                str(e["url"]),
                date.fromisoformat(str(e["published_on"])),
            )
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


def load(
    engine: Engine, directory: Path | None = None, archive: Archive | None = None
) -> list[PollReport]:
    """Record every snapshot page as a ``snapshot`` poll (one transaction each), archiving
    its bytes in ``archive`` (default: the configured archive folder).

    Loading it again is harmless: the same bytes give ``unchanged`` polls, and a database
    that holds newer pages records the snapshot as ``suspect`` (an older copy) and changes
    nothing.
    """
    archive = archive if archive is not None else Archive()
    reports = []
    for page in pages(directory):
        body = page.path.read_bytes()
        loaded_at = datetime.now(UTC)
        fetched = FetchedPage(
            mtdsg_no=page.mtdsg_no,
            url=page.url,
            fetched_at=loaded_at,
            http_status=200,
            body=body,
            content_hash=sha256_hex(body),
            started_at=loaded_at,
        )
        origin = Origin(source=PollSource.SNAPSHOT, published_on=page.published_on)
        with db.session(engine) as s:
            report = record_poll(session=s, page=fetched, archive=archive, origin=origin)
        logger.info("snapshot %s: %s", page.mtdsg_no, report.outcome)
        reports.append(report)
    return reports


def load_if_empty(
    engine: Engine, directory: Path | None = None, archive: Archive | None = None
) -> list[PollReport]:
    """:func:`load` when the database is empty; otherwise nothing (an empty list)."""
    if not is_empty(engine):
        return []
    return load(engine, directory, archive)
