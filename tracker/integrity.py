"""Checks that the database is whole and consistent (``treaty-tracker check``).

Each check adds :class:`Finding` objects; none changes anything. The checks:

``orphans``
    Rows pointing at rows that do not exist: status rows without their treaty, participant
    or last poll; events without their poll; reads without their event; alerts without
    their watch or event.
``polls``
    Every poll has exactly one known outcome (new, changed, unchanged, suspect, error) and a
    known source (live, or snapshot with its publication date); its
    ``events`` count equals the events stored for it; only a ``changed`` poll has events and
    a ``changed`` poll has at least one; a failed poll says why; every event belongs to a
    poll of the same treaty; every treaty has exactly one ``new`` poll (its baseline), and
    it is the treaty's first successful poll.
``archive``
    Every poll that the service archives a page for (all outcomes except ``error``) has its
    page in the raw archive, and the archived bytes hash to ``Poll.content_hash``. Error
    polls record the hash of whatever body a failed fetch brought back, which is not
    archived: their pages are checked only when present.
``event-order``
    Per treaty, event ids increase with ``observed_at`` (ids never go back in time).
``status``
    The stored state of every treaty is exactly the page of its last *applied* poll,
    re-parsed from the archive: the last successful poll, skipping ``unchanged`` polls that
    the service settled without parsing (same bytes as the previous successful poll of the
    same address). Every status row of a participant on that page must equal the page's
    values (name, footnotes, dates, consent kind, withdrawn, declarations, entry into force
    for that participant, listed); every other row must be unlisted; the treaty's counts
    and dates must equal the page's.
``history`` (unless ``quick``)
    Every current row is explained by the event history: all archived pages, recorded
    again in order into a scratch database with :func:`tracker.replay.replay`, give the
    same sequence of events and the same status rows (:func:`tracker.replay.compare`).

``status`` and ``history`` use the current parser: after a parser change, differences may
mean the parser changed, not the data (``treaty-tracker replay --dry-run`` shows them).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from tracker import db, eif, models, replay, store
from tracker.archive import Archive, ArchiveError
from tracker.config import get_settings
from tracker.domain import ParseError, PollOutcome, PollSource
from tracker.models import (
    SUCCESSFUL_OUTCOMES,
    Alert,
    ChangeEvent,
    EventRead,
    Participant,
    ParticipantStatus,
    Poll,
    Treaty,
    Watch,
)
from tracker.sources import read_status

logger = logging.getLogger(__name__)

CHECKS: tuple[str, ...] = ("orphans", "polls", "archive", "event-order", "status", "history")
OUTCOMES = frozenset(str(o) for o in PollOutcome)
SOURCES = frozenset(str(s) for s in PollSource)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing found wrong."""

    check: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.message}"


@dataclass
class CheckReport:
    """The findings of :func:`check_database` and what was looked at."""

    findings: list[Finding] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.findings

    def add(self, check: str, message: str) -> None:
        self.findings.append(Finding(check, message))

    def summary(self) -> str:
        rows = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        if self.ok:
            return f"OK: {len(self.checks)} checks passed ({rows})"
        return f"{len(self.findings)} problem(s) found by {len(self.checks)} checks ({rows})"

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checks": list(self.checks),
            "counts": dict(self.counts),
            "findings": [asdict(f) for f in self.findings],
            "summary": self.summary(),
        }


def check_database(
    *, session: Session, archive: Archive, quick: bool = False, mtdsg_no: str | None = None
) -> CheckReport:
    """Run every check (``history`` skipped if ``quick``) and return the findings."""
    report = CheckReport()
    for table in models.metadata.sorted_tables:
        report.counts[table.name] = int(
            session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        )
    _orphans(session, report)
    _polls(session, report)
    _archive(session, archive, report)
    _event_order(session, report)
    _status(session, archive, report)
    if not quick:
        _history(session, archive, report, mtdsg_no)
    return report


def _orphans(session: Session, report: CheckReport) -> None:
    report.checks.append("orphans")
    links: list[tuple[Any, Any, Any, str]] = [
        (ParticipantStatus, ParticipantStatus.treaty_id, Treaty.id, "status row {} has no treaty"),
        (
            ParticipantStatus,
            ParticipantStatus.participant_code,
            Participant.code,
            "status row {} has no participant",
        ),
        (
            ParticipantStatus,
            ParticipantStatus.last_poll_id,
            Poll.id,
            "status row {} names a poll that does not exist",
        ),
        (ChangeEvent, ChangeEvent.poll_id, Poll.id, "event {} has no poll"),
        (EventRead, EventRead.event_id, ChangeEvent.id, "read mark of event {} has no event"),
        (Alert, Alert.watch_id, Watch.id, "alert {} has no watch"),
        (Alert, Alert.event_id, ChangeEvent.id, "alert {} has no event"),
    ]
    for model, fk, target, text in links:
        pk = next(iter(model.__table__.primary_key.columns))
        query = (
            sa.select(pk, fk)
            .select_from(model)
            .outerjoin(target.class_, fk == target)
            .where(fk.is_not(None), target.is_(None))
            .order_by(pk)
        )
        for key, value in session.execute(query):
            report.add("orphans", text.format(key) + f" ({fk.key}={value!r})")


def _polls(session: Session, report: CheckReport) -> None:
    report.checks.append("polls")
    counted: dict[int, int] = {
        poll_id: int(n)
        for poll_id, n in session.execute(
            sa.select(col(ChangeEvent.poll_id), sa.func.count()).group_by(col(ChangeEvent.poll_id))
        )
    }
    baselines: dict[str, list[int]] = defaultdict(list)
    first_success: dict[str, int] = {}
    for poll in session.exec(select(Poll).order_by(col(Poll.id))):
        where = f"poll {poll.id} ({poll.mtdsg_no})"
        if poll.outcome not in OUTCOMES:
            report.add("polls", f"{where} has no known outcome: {poll.outcome!r}")
            continue
        stored = counted.get(poll.id or 0, 0)
        if poll.events != stored:
            report.add("polls", f"{where} says {poll.events} event(s) but {stored} are stored")
        if poll.outcome == PollOutcome.CHANGED and stored == 0:
            report.add("polls", f"{where} is 'changed' but has no events")
        if poll.outcome != PollOutcome.CHANGED and stored:
            report.add("polls", f"{where} is '{poll.outcome}' but has {stored} event(s)")
        if poll.source not in SOURCES:
            report.add("polls", f"{where} has no known source: {poll.source!r}")
        elif poll.source == PollSource.SNAPSHOT and poll.published_on is None:
            report.add("polls", f"{where} is a snapshot poll without its publication date")
        if poll.outcome in models.FAILED_OUTCOMES and not (poll.error or "").strip():
            report.add("polls", f"{where} is '{poll.outcome}' but does not say why")
        if poll.outcome == PollOutcome.NEW:
            baselines[poll.mtdsg_no].append(poll.id or 0)
        if poll.outcome in SUCCESSFUL_OUTCOMES:
            first_success.setdefault(poll.mtdsg_no, poll.id or 0)
    for treaty in session.exec(select(Treaty).order_by(col(Treaty.mtdsg_no))):
        ids = baselines.get(treaty.mtdsg_no, [])
        if len(ids) != 1:
            report.add("polls", f"treaty {treaty.mtdsg_no} has {len(ids)} baseline ('new') polls")
        elif ids[0] != first_success.get(treaty.mtdsg_no):
            report.add(
                "polls",
                f"treaty {treaty.mtdsg_no}: baseline poll {ids[0]} is not its first "
                f"successful poll ({first_success.get(treaty.mtdsg_no)})",
            )
    mismatched = session.execute(
        sa.select(col(ChangeEvent.id), col(ChangeEvent.mtdsg_no), col(Poll.id), col(Poll.mtdsg_no))
        .join(Poll, col(Poll.id) == col(ChangeEvent.poll_id))
        .where(col(Poll.mtdsg_no) != col(ChangeEvent.mtdsg_no))
        .order_by(col(ChangeEvent.id))
    )
    for event_id, event_no, poll_id, poll_no in mismatched:
        report.add("polls", f"event {event_id} ({event_no}) belongs to poll {poll_id} ({poll_no})")


def _archive(session: Session, archive: Archive, report: CheckReport) -> None:
    report.checks.append("archive")
    query = (
        select(Poll.id, Poll.content_hash, Poll.outcome)
        .where(col(Poll.content_hash).is_not(None))
        .order_by(col(Poll.id))
    )
    verified: dict[str, str | None] = {}
    for poll_id, digest, outcome in session.execute(query):
        required = outcome != PollOutcome.ERROR
        try:
            present = archive.has(digest)
        except ValueError:
            report.add("archive", f"poll {poll_id} has a malformed content hash {digest!r}")
            continue
        if not present:
            if required:
                report.add("archive", f"poll {poll_id}: page {digest} is missing from the archive")
            continue
        if digest not in verified:
            try:
                archive.get(digest)
                verified[digest] = None
            except ArchiveError as exc:
                verified[digest] = str(exc)
        if verified[digest] is not None:
            report.add("archive", f"poll {poll_id}: {verified[digest]}")


def _event_order(session: Session, report: CheckReport) -> None:
    report.checks.append("event-order")
    last: dict[str, tuple[int, Any]] = {}
    query = select(ChangeEvent.id, ChangeEvent.mtdsg_no, ChangeEvent.observed_at).order_by(
        col(ChangeEvent.id)
    )
    for event_id, number, observed in session.execute(query):
        previous = last.get(number)
        if previous is not None and observed < previous[1]:
            report.add(
                "event-order",
                f"{number}: event {event_id} observed {observed.isoformat()} is before event "
                f"{previous[0]} observed {previous[1].isoformat()}",
            )
        last[number] = (event_id, observed)


def applied_poll(*, session: Session, mtdsg_no: str) -> Poll | None:
    """The last poll whose page was applied to the stored state of a treaty (see ``status``
    in the module docstring)."""
    successful = list(
        session.exec(
            select(Poll)
            .where(Poll.mtdsg_no == mtdsg_no, col(Poll.outcome).in_(SUCCESSFUL_OUTCOMES))
            .order_by(col(Poll.id))
        )
    )
    applied: Poll | None = None
    last_by_url: dict[str, Poll] = {}
    for poll in successful:
        before = last_by_url.get(poll.url)
        cheap = (
            poll.outcome == PollOutcome.UNCHANGED
            and before is not None
            and before.content_hash == poll.content_hash
        )
        if not cheap:
            applied = poll
        last_by_url[poll.url] = poll
    return applied


def _status(session: Session, archive: Archive, report: CheckReport) -> None:
    report.checks.append("status")
    for treaty in store.list_treaties(session=session):
        number = treaty.mtdsg_no
        assert treaty.id is not None
        rows = {
            r.participant_code: r for r in store.status_rows(session=session, treaty_id=treaty.id)
        }
        poll = applied_poll(session=session, mtdsg_no=number)
        if poll is None:
            report.add("status", f"{number}: stored state not explained by any successful poll")
            continue
        where = f"{number} (poll {poll.id})"
        try:
            body = archive.get(poll.content_hash or "")
        except (ArchiveError, ValueError) as exc:
            report.add("status", f"{where}: cannot verify the state, page not readable: {exc}")
            continue
        try:
            page = read_status(body.decode("utf-8", errors="replace"), poll.url, number)
        except ParseError as exc:
            report.add("status", f"{where}: the archived page no longer parses: {exc.reason}")
            continue
        in_force = eif.entry_into_force_by_participant(page)
        territorial = store.territorial_actions(page)
        for fact in page.participants:
            row = rows.pop(fact.code, None)
            if row is None:
                report.add("status", f"{where}: {fact.code} is on the page but has no status row")
                continue
            expected = store._values(
                fact,
                page.declarations.get(fact.code),
                in_force.get(fact.code),
                territorial.get(fact.code),
            )
            wrong = [
                f"{key} is {getattr(row, key)!r}, page says {value!r}"
                for key, value in expected.items()
                if getattr(row, key) != value
            ]
            if wrong:
                report.add("status", f"{where}: {fact.code}: " + "; ".join(wrong))
        for code, row in rows.items():
            if row.listed:
                report.add("status", f"{where}: {code} is listed but not on the page")
        conclusion = page.conclusion
        eif_info = page.entry_into_force
        expected_treaty = {
            "language": page.language,
            "signatories": page.counts.signatories,
            "parties": page.counts.parties,
            "status_as_at": page.status_as_at,
            "eif_date": eif_info.date if eif_info else None,
            "conclusion_date": conclusion.date if conclusion else None,
            "registration": page.registration,
        }
        wrong = [
            f"{key} is {getattr(treaty, key)!r}, page says {value!r}"
            for key, value in expected_treaty.items()
            if getattr(treaty, key) != value
        ]
        if wrong:
            report.add("status", f"{where}: treaty " + "; ".join(wrong))


def _history(session: Session, archive: Archive, report: CheckReport, mtdsg_no: str | None) -> None:
    report.checks.append("history")
    engine = replay.scratch_engine()
    try:
        with Session(engine, expire_on_commit=False) as target:
            result = replay.replay(
                source=session, target=target, archive=archive, mtdsg_no=mtdsg_no
            )
            for message in replay.compare(stored=session, replayed=target, mtdsg_no=mtdsg_no):
                report.add("history", message)
    finally:
        engine.dispose()
    logger.info("history check replayed %d poll(s)", result.replayed)


class DatabaseUnavailable(Exception):
    """The database cannot be used by a command; the message is one plain sentence."""


def open_database(url: str | None, *, create: bool = False) -> Engine:
    """An engine on ``url`` (default: the configured database) that was reached once.

    A SQLite file that does not exist is an error unless ``create``; so is a database whose
    tables are missing or at another schema revision than this tracker's (unless
    ``create``: then an empty database is accepted). Raises :class:`DatabaseUnavailable`.
    """
    try:
        parsed = db.normalise_url(url if url is not None else get_settings().resolved_database_url)
    except db.DatabaseURLError as exc:
        raise DatabaseUnavailable(str(exc)) from exc
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite" and not create:
        path = parsed.database
        if (
            path
            and path != ":memory:"
            and not path.startswith("file:")
            and not Path(path).is_file()
        ):
            raise DatabaseUnavailable(f"no database file at {path}")
    engine = db.make_engine(parsed.render_as_string(hide_password=False))
    try:
        revision = db.current_revision(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseUnavailable(f"cannot reach the database {shown}: {first_line(exc)}") from exc
    head = db.head_revision()
    if create:
        return engine
    if revision is None:
        engine.dispose()
        raise DatabaseUnavailable(
            f"the database {shown} has no tracker tables; run: treaty-tracker db upgrade"
        )
    if revision != head:
        engine.dispose()
        raise DatabaseUnavailable(
            f"the database {shown} is at schema revision {revision}, this tracker expects "
            f"{head}; run: treaty-tracker db upgrade"
        )
    return engine


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (the driver's own message if wrapped)."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
