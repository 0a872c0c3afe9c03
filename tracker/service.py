"""Record one poll of one treaty page: archive, parse, check, diff, persist — one transaction.

:func:`record_poll` ends every poll as exactly one :class:`~tracker.domain.PollOutcome`:

* ``error`` — the fetch failed, the page could not be parsed, or something raised while
  recording (then everything is rolled back and only the failed poll is recorded);
* ``unchanged`` — same bytes as the last successful poll of that page (no parsing), or a
  page that parses to the stored state;
* ``suspect`` — parsed, but :func:`tracker.changes.assess` gives reasons not to trust it:
  nothing is applied and no events are made;
* ``new`` — the first successful poll of the treaty: the baseline, stored without events;
* ``changed`` — change events were appended and the current status updated.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import Session

from tracker import changes, db, eif, store
from tracker.archive import Archive, sha256_hex
from tracker.domain import Change, FetchedPage, ParseError, PollOutcome, TreatyStatus
from tracker.models import Poll
from tracker.sources import untc

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one call of :func:`record_poll` did."""

    poll_id: int | None
    mtdsg_no: str
    outcome: PollOutcome
    events: list[Change] = field(default_factory=list)
    inserts: int = 0
    updates: int = 0
    noops: int = 0
    error: str | None = None
    warnings: tuple[str, ...] = ()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _decode(page: FetchedPage, body: bytes) -> str:
    try:
        return body.decode(page.encoding or "utf-8", errors="replace")
    except LookupError:
        logger.warning("unknown encoding %r for %s; decoding as UTF-8", page.encoding, page.url)
        return body.decode("utf-8", errors="replace")


def _fetch_error(page: FetchedPage) -> str | None:
    if page.body is None:
        return page.error or "the fetch brought back no page"
    if page.http_status is not None and page.http_status >= 400:
        return page.error or f"the server answered HTTP {page.http_status}"
    if not page.body.strip():
        return page.error or "the server sent an empty page"
    return None


def record_poll(
    *,
    session: Session,
    page: FetchedPage,
    archive: Archive | None = None,
    expected_language: str | None = None,
    clock: Callable[[], datetime] = _now,
) -> PollReport:
    """Record the poll that fetched ``page``, in one transaction, and commit it.

    If anything raises while recording, the transaction is rolled back (the stored state is
    left exactly as it was) and the poll is recorded as ``error`` with the exception text in
    a fresh, small transaction. ``clock`` gives the poll's finishing time (tests pass a
    fixed one).
    """
    try:
        report = _record(
            session=session,
            page=page,
            archive=archive,
            expected_language=expected_language,
            clock=clock,
        )
        session.commit()
    except Exception as exc:  # any failure becomes an error poll
        session.rollback()
        message = f"{type(exc).__name__}: {exc}"
        logger.exception("recording the poll of %s failed; nothing was applied", page.url)
        poll = _new_poll(page, clock=clock)
        poll.outcome = PollOutcome.ERROR
        poll.error = f"recording failed, nothing was applied: {message}"
        session.add(poll)
        session.commit()
        return PollReport(
            poll_id=poll.id,
            mtdsg_no=page.mtdsg_no,
            outcome=PollOutcome.ERROR,
            error=poll.error,
        )
    logger.info(
        "poll %s of %s: %s (%d events, %d inserts, %d updates, %d no-ops)",
        report.poll_id,
        report.mtdsg_no,
        report.outcome,
        len(report.events),
        report.inserts,
        report.updates,
        report.noops,
    )
    return report


def _new_poll(page: FetchedPage, *, clock: Callable[[], datetime]) -> Poll:
    content_hash = page.content_hash
    if page.body is not None and content_hash is None:
        content_hash = sha256_hex(page.body)
    return Poll(
        mtdsg_no=page.mtdsg_no,
        url=page.url,
        started_at=_aware(page.started_at or page.fetched_at),
        finished_at=clock(),
        http_status=page.http_status,
        content_hash=content_hash,
        outcome=PollOutcome.ERROR,
    )


def _record(
    *,
    session: Session,
    page: FetchedPage,
    archive: Archive | None,
    expected_language: str | None,
    clock: Callable[[], datetime],
) -> PollReport:
    # Take the write lock before reading the stored state the diff is based on.
    db.begin_write(session, key=page.mtdsg_no)
    poll = _new_poll(page, clock=clock)
    observed_at = _aware(page.fetched_at)

    def finish(
        outcome: PollOutcome,
        *,
        error: str | None = None,
        warnings: tuple[str, ...] = (),
        events: list[Change] | None = None,
        counts: tuple[int, int, int] = (0, 0, 0),
    ) -> PollReport:
        poll.outcome = outcome
        poll.error = error
        poll.warnings = "\n".join(warnings) or None
        poll.inserts, poll.updates, poll.noops = counts
        poll.events = len(events or [])
        poll.finished_at = clock()
        session.add(poll)
        session.flush()
        return PollReport(
            poll_id=poll.id,
            mtdsg_no=page.mtdsg_no,
            outcome=outcome,
            events=list(events or []),
            inserts=counts[0],
            updates=counts[1],
            noops=counts[2],
            error=error,
            warnings=warnings,
        )

    fetch_error = _fetch_error(page)
    if fetch_error is not None or page.body is None:
        return finish(PollOutcome.ERROR, error=fetch_error)

    body = page.body
    digest = sha256_hex(body)
    if page.content_hash is not None and page.content_hash != digest:
        logger.warning("%s: the crawler's content hash does not match the body", page.url)
    poll.content_hash = digest
    if archive is not None:
        archive.put(body, digest=digest)

    if store.last_content_hash(session=session, mtdsg_no=page.mtdsg_no, url=page.url) == digest:
        store.mark_verified(session=session, mtdsg_no=page.mtdsg_no, verified_at=observed_at)
        return finish(PollOutcome.UNCHANGED)

    text = _decode(page, body)
    try:
        status = untc.parse_status_page(text, page.url)
    except ParseError as exc:
        return finish(PollOutcome.ERROR, error=f"the page could not be read: {exc.reason}")
    if status.mtdsg_no != page.mtdsg_no and _same_id(status.mtdsg_no, page.mtdsg_no):
        # Same treaty spelt differently (case): store it under the requested number.
        status = dataclasses.replace(status, mtdsg_no=page.mtdsg_no)
    poll.language = status.language
    warnings = tuple(status.warnings)

    previous, unlisted = store.load_state(session=session, mtdsg_no=page.mtdsg_no)
    reasons = changes.assess(
        previous,
        status,
        expected_mtdsg_no=page.mtdsg_no,
        expected_language=expected_language,
        unlisted=unlisted,
    )
    reasons.extend(_older_than_stored(previous, status))
    other = untc.other_treaty_number(text, page.mtdsg_no)
    if other is not None:
        reasons.append(
            f"The page's title gives treaty number {other} of its chapter, not that of "
            f"{page.mtdsg_no}: it is another treaty's page."
        )
    if reasons:
        return finish(PollOutcome.SUSPECT, error="\n".join(reasons), warnings=warnings)

    in_force = eif.entry_into_force_by_participant(status)
    events = changes.diff(previous, status, observed_at=observed_at, unlisted=unlisted)
    session.add(poll)
    session.flush()  # the poll id is needed by the status rows and events
    treaty = store.upsert_treaty(session=session, status=status, verified_at=observed_at)
    counts = store.apply_status(
        session=session,
        treaty=treaty,
        status=status,
        poll=poll,
        in_force=in_force,
        seen_at=observed_at,
    )
    if previous is None:
        return finish(PollOutcome.NEW, warnings=warnings, counts=counts)
    store.add_events(session=session, poll=poll, changes=events)
    outcome = PollOutcome.CHANGED if events else PollOutcome.UNCHANGED
    return finish(outcome, warnings=warnings, events=events, counts=counts)


def _same_id(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _older_than_stored(previous: TreatyStatus | None, status: TreatyStatus) -> list[str]:
    """A page dated before the stored state is an old copy (a cache or a replay): suspect."""
    if previous is None or previous.status_as_at is None or status.status_as_at is None:
        return []
    old, new = previous.status_as_at, status.status_as_at
    if (old.tzinfo is None) != (new.tzinfo is None):
        return []
    if new < old:
        return [
            f"The page is dated {new.isoformat()}, before the stored state "
            f"({old.isoformat()}): it is an older copy."
        ]
    return []


def replay_from_archive(
    *,
    session: Session,
    archive: Archive,
    pages: Iterator[FetchedPage] | list[FetchedPage],
    expected_language: str | None = None,
) -> list[PollReport]:
    """Record again pages whose bodies are in the archive (``body`` may be None: it is then
    read from the archive by ``content_hash``). Each page is its own transaction."""
    reports = []
    for page in pages:
        if page.body is None and page.content_hash and archive.has(page.content_hash):
            page = FetchedPage(
                mtdsg_no=page.mtdsg_no,
                url=page.url,
                fetched_at=page.fetched_at,
                http_status=page.http_status or 200,
                body=archive.get(page.content_hash),
                content_hash=page.content_hash,
                started_at=page.started_at,
                encoding=page.encoding,
            )
        reports.append(
            record_poll(
                session=session, page=page, archive=None, expected_language=expected_language
            )
        )
    return reports
