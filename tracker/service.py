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

Three cases are recorded with more care (issue 11):

* **Where the page came from** (:class:`Origin`): a page of the bundled snapshot is stored as
  a ``snapshot`` poll with the date its values were published; that date, not the time it
  was loaded, is when its facts were last verified.
* **Catch-up**: the first live poll of a treaty whose last good poll is a snapshot, or whose
  state was last verified longer ago than ``stale_after`` (``TRACKER_STALE_AFTER_DAYS``),
  records its events marked ``catch_up`` (they happened while nobody was watching, on their
  effective dates); the poll keeps since when (``catch_up_since``) and why
  (``catch_up_from``: ``snapshot`` or ``gap``). Alerts sum them up in one message per watch.
* **First-poll count mismatch**: a first page whose stated counts disagree with its rows,
  and which has nothing else wrong (no parser warning but that one), is baselined anyway, the
  discrepancy stored in the poll's warnings; a later change of the discrepancy is suspect
  as before. An operator may accept a suspect page after inspection (``Origin.accepted_by``,
  ``treaty-tracker accept``), except another treaty's page.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from tracker import changes, db, eif, sources, store
from tracker.archive import Archive, sha256_hex
from tracker.config import get_settings
from tracker.domain import (
    Change,
    FetchedPage,
    ParseError,
    PollOutcome,
    PollSource,
    TreatyStatus,
)
from tracker.models import Poll, Treaty
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
    #: Set when the events were recorded as catch-up: since when the state was not verified.
    catch_up_since: datetime | None = None


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a recorded page came from; stored on the poll.

    ``source`` is live or snapshot; ``published_on`` the date a snapshot's values were
    published (they count as verified on that day); ``accepted_by`` names the operator who
    accepted this page after it was found suspect (``treaty-tracker accept``).
    """

    source: PollSource = PollSource.LIVE
    published_on: date | None = None
    accepted_by: str | None = None

    def __post_init__(self) -> None:
        if self.source is PollSource.SNAPSHOT and self.published_on is None:
            raise ValueError("a snapshot page needs the date its values were published")


LIVE = Origin()


def origin_of(poll: Poll) -> Origin:
    """The :class:`~tracker.service.Origin` a stored poll was recorded with."""
    try:
        source = PollSource(poll.source or PollSource.LIVE)
    except ValueError:
        source = PollSource.LIVE
    if source is PollSource.SNAPSHOT and poll.published_on is None:
        source = PollSource.LIVE
    return Origin(source=source, published_on=poll.published_on, accepted_by=poll.accepted_by)


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
    origin: Origin = LIVE,
    stale_after: timedelta | None = None,
) -> PollReport:
    """Record the poll that fetched ``page``, in one transaction, and commit it.

    If anything raises while recording, the transaction is rolled back (the stored state is
    left exactly as it was) and the poll is recorded as ``error`` with the exception text in
    a fresh, small transaction. ``clock`` gives the poll's finishing time (tests pass a
    fixed one). ``origin`` says where the page came from (default: a live fetch);
    ``stale_after`` is the gap after which a live poll catches up (default:
    ``TRACKER_STALE_AFTER_DAYS``).
    """
    try:
        report = _record(
            session=session,
            page=page,
            archive=archive,
            expected_language=expected_language,
            clock=clock,
            origin=origin,
            stale_after=stale_after if stale_after is not None else get_settings().stale_after,
        )
        session.commit()
    except Exception as exc:  # any failure becomes an error poll
        session.rollback()
        message = f"{type(exc).__name__}: {exc}"
        logger.exception("recording the poll of %s failed; nothing was applied", page.url)
        poll = _new_poll(page, clock=clock, origin=origin)
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


def _new_poll(page: FetchedPage, *, clock: Callable[[], datetime], origin: Origin) -> Poll:
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
        source=str(origin.source),
        published_on=origin.published_on,
        accepted_by=origin.accepted_by,
    )


def observed_time(page: FetchedPage, origin: Origin) -> datetime:
    """When the facts of ``page`` were seen: the snapshot's publication date (midnight UTC)
    for a snapshot page, else the time it was fetched."""
    if origin.source is PollSource.SNAPSHOT and origin.published_on is not None:
        return datetime.combine(origin.published_on, time.min, UTC)
    return _aware(page.fetched_at)


def _record(
    *,
    session: Session,
    page: FetchedPage,
    archive: Archive | None,
    expected_language: str | None,
    clock: Callable[[], datetime],
    origin: Origin,
    stale_after: timedelta,
) -> PollReport:
    # Take the write lock before reading the stored state the diff is based on.
    db.begin_write(session, key=page.mtdsg_no)
    poll = _new_poll(page, clock=clock, origin=origin)
    observed_at = observed_time(page, origin)

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
            catch_up_since=poll.catch_up_since if events else None,
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
        status = sources.read_status(text, page.url, page.mtdsg_no)
    except ParseError as exc:
        return finish(PollOutcome.ERROR, error=f"the page could not be read: {exc.reason}")
    if status.mtdsg_no != page.mtdsg_no and _same_id(status.mtdsg_no, page.mtdsg_no):
        # Same treaty spelt differently (case): store it under the requested number.
        status = dataclasses.replace(status, mtdsg_no=page.mtdsg_no)
    poll.language = status.language
    warnings = tuple(status.warnings)

    stored = store.read_state(session=session, mtdsg_no=page.mtdsg_no)
    previous, unlisted = stored.state, stored.unlisted
    reasons = changes.assess(
        previous,
        status,
        expected_mtdsg_no=page.mtdsg_no,
        expected_language=expected_language,
        unlisted=unlisted,
    )
    reasons.extend(_older_than_stored(previous, status))
    other = (
        untc.other_treaty_number(text, page.mtdsg_no)
        if sources.source_for(page.mtdsg_no) is None
        else None  # the Council's reader refuses another treaty's answer itself
    )
    if other is not None:
        reasons.append(
            f"The page's title gives treaty number {other} of its chapter, not that of "
            f"{page.mtdsg_no}: it is another treaty's page."
        )
    wrong_treaty = other is not None or not _same_id(status.mtdsg_no, page.mtdsg_no)
    if reasons and not wrong_treaty and previous is None and _rows_read_cleanly(status):
        mismatches = changes.count_mismatches(None, status)
        if all(reason in mismatches for reason in reasons):
            # The rows read cleanly: baseline the page and keep the discrepancy on record.
            warnings += tuple(f"Baselined although the counts disagree: {r}" for r in reasons)
            reasons = []
    if reasons and origin.accepted_by and not wrong_treaty:
        who = origin.accepted_by
        warnings += tuple(f"Accepted by {who} after inspection although: {r}" for r in reasons)
        reasons = []
    if reasons:
        return finish(PollOutcome.SUSPECT, error="\n".join(reasons), warnings=warnings)

    catch_up = None
    if previous is not None and origin.source is PollSource.LIVE:
        catch_up = _catch_up(
            session,
            mtdsg_no=page.mtdsg_no,
            treaty=stored.treaty,
            observed_at=observed_at,
            stale_after=stale_after,
        )
    in_force = eif.entry_into_force_by_participant(status)
    events = changes.diff(previous, status, observed_at=observed_at, unlisted=unlisted)
    if catch_up is not None and events:
        poll.catch_up_from, poll.catch_up_since = catch_up
    session.add(poll)  # flushed with the treaty: its id is needed by the status rows and events
    treaty = store.update_treaty(
        session=session, treaty=stored.treaty, status=status, verified_at=observed_at
    )
    counts = store.apply_status(
        session=session,
        treaty=treaty,
        status=status,
        poll=poll,
        in_force=in_force,
        seen_at=observed_at,
        stored=stored.rows,
    )
    if previous is None:
        return finish(PollOutcome.NEW, warnings=warnings, counts=counts)
    store.add_events(session=session, poll=poll, changes=events, catch_up=catch_up is not None)
    outcome = PollOutcome.CHANGED if events else PollOutcome.UNCHANGED
    return finish(outcome, warnings=warnings, events=events, counts=counts)


#: How the parser words a stated count its rows disagree with (the only parser warning a
#: first page may carry and still be baselined: the rows themselves read cleanly).
_COUNT_WARNING = re.compile(
    r"the page states \d+ (?:parties|signatories) but its rows (?:show|give) \d+\.?", re.I
)


def _rows_read_cleanly(status: TreatyStatus) -> bool:
    return all(_COUNT_WARNING.fullmatch(w.strip()) for w in status.warnings)


def _catch_up(
    session: Session,
    *,
    mtdsg_no: str,
    treaty: Treaty | None,
    observed_at: datetime,
    stale_after: timedelta,
) -> tuple[str, datetime] | None:
    """(``"snapshot"`` or ``"gap"``, when the stored state was last verified) when a live
    poll of ``mtdsg_no`` at ``observed_at`` catches up; None for an ordinary poll.
    ``treaty``: its row, as read in this transaction."""
    last = store.last_poll(session=session, mtdsg_no=mtdsg_no, successful=True)
    verified = None if treaty is None else treaty.last_verified_at
    if last is not None and last.source == PollSource.SNAPSHOT:
        published = last.published_on
        since = verified or (
            datetime.combine(published, time.min, UTC) if published else last.started_at
        )
        return "snapshot", _aware(since)
    if verified is not None and observed_at - _aware(verified) > stale_after:
        return "gap", _aware(verified)
    return None


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
