"""Rebuild statuses and change events from the raw-page archive with the current parser.

Every poll that kept its page in the archive (:class:`tracker.archive.Archive`, keyed by
``Poll.content_hash``) is recorded again, in the original order (poll id), through
:func:`tracker.service.record_poll` into ANOTHER database: a fresh one the operator names,
or a scratch in-memory SQLite database (:func:`scratch_engine`) when only comparing. The
database being replayed is only read: history is never rewritten in place.

The replayed poll keeps the original URL, HTTP status, start time and origin (live or
snapshot with its publication date, and who accepted a suspect page). Its ``fetched_at``
(which becomes the events' ``observed_at``) is the ``observed_at`` of the original poll's
events when it had any, else the original start time (a snapshot page counts as seen on
its publication date, as when it was first loaded). The expected page language is read
from the URL (``clang=_en`` / ``clang=_fr``), as the crawler requests it.

Polls without an archived page (failed fetches, or pages recorded without an archive) are
not replayed: they are listed in :attr:`ReplayResult.skipped`.

:func:`compare` lists the differences between two databases in what the tracker derives
from pages: per treaty, the sequence of change events (kind, participant, values, dates)
and the current status rows (every fact column) and treaty counts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, col, select

from tracker import db, models
from tracker.archive import Archive, ArchiveError
from tracker.domain import FetchedPage
from tracker.models import ChangeEvent, ParticipantStatus, Poll, Treaty
from tracker.mtdsg import language_of
from tracker.service import PollReport, origin_of, record_poll

logger = logging.getLogger(__name__)

#: Event columns that a replay must reproduce (ids, poll ids and times are not compared).
EVENT_FIELDS: tuple[str, ...] = (
    "kind",
    "participant_code",
    "participant_name",
    "consent_kind",
    "old_value",
    "new_value",
    "detail",
    "effective_date",
    "catch_up",
)
#: Status-row columns that a replay must reproduce.
STATUS_FIELDS: tuple[str, ...] = (
    "name",
    "footnotes",
    "signature_date",
    "consent_date",
    "consent_kind",
    "withdrawn",
    "has_declarations",
    "declaration_text",
    "in_force_date",
    "listed",
    "signature_kind",
    "actions",
)
#: Treaty columns that a replay must reproduce.
TREATY_FIELDS: tuple[str, ...] = (
    "title_en",
    "title_fr",
    "language",
    "eif_date",
    "signatories",
    "parties",
    "status_as_at",
)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A poll that could not be replayed, and why."""

    poll_id: int
    mtdsg_no: str
    reason: str


@dataclass
class ReplayResult:
    """What :func:`replay` did: one report per replayed poll, and the polls skipped."""

    reports: list[PollReport] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def replayed(self) -> int:
        return len(self.reports)


def scratch_engine() -> Engine:
    """An empty in-memory SQLite database with every table, for a replay that only compares."""
    engine = db.make_engine("sqlite://", poolclass=StaticPool)
    models.metadata.create_all(engine)
    return engine


def expected_language(url: str) -> str | None:
    """The page language the URL asks for (``clang=_fr`` -> ``"fr"``), if it says."""
    language = language_of(url)
    if language is not None:
        return language
    query = {k.lower(): v[0] for k, v in parse_qs(urlsplit(url).query).items() if v}
    if "treatynum" in query:  # a Council of Europe chart page: /en/web/conventions/...
        from tracker.sources.coe.ids import language_from_url

        return language_from_url(url)
    return None


def archived_polls(
    *, session: Session, archive: Archive, mtdsg_no: str | None = None
) -> tuple[list[tuple[Poll, bytes]], list[Skipped]]:
    """The polls whose page is in the archive, oldest first, with the page bytes; and the
    polls that recorded no page or whose page is missing or damaged."""
    query = select(Poll).order_by(col(Poll.id))
    if mtdsg_no is not None:
        query = query.where(Poll.mtdsg_no == mtdsg_no)
    found: list[tuple[Poll, bytes]] = []
    skipped: list[Skipped] = []
    for poll in session.exec(query):
        assert poll.id is not None
        if not poll.content_hash:
            skipped.append(Skipped(poll.id, poll.mtdsg_no, "no page was recorded"))
            continue
        if poll.http_status is not None and poll.http_status >= 400:
            skipped.append(Skipped(poll.id, poll.mtdsg_no, f"HTTP {poll.http_status}"))
            continue
        try:
            body = archive.get(poll.content_hash)
        except (ArchiveError, ValueError) as exc:
            skipped.append(Skipped(poll.id, poll.mtdsg_no, str(exc)))
            continue
        found.append((poll, body))
    return found, skipped


def _observed_at(session: Session, poll: Poll) -> Any:
    first = session.exec(
        select(ChangeEvent.observed_at)
        .where(ChangeEvent.poll_id == poll.id)
        .order_by(col(ChangeEvent.id))
    ).first()
    return first if first is not None else poll.started_at


def _fixed(when: datetime) -> Callable[[], datetime]:
    return lambda: when


def replay(
    *,
    source: Session,
    target: Session,
    archive: Archive,
    mtdsg_no: str | None = None,
) -> ReplayResult:
    """Record every archived poll of ``source`` (of one treaty if ``mtdsg_no``) again into
    ``target``, in the original order, with the current parser. ``source`` is only read."""
    polls, skipped = archived_polls(session=source, archive=archive, mtdsg_no=mtdsg_no)
    result = ReplayResult(skipped=skipped)
    for poll, body in polls:
        page = FetchedPage(
            mtdsg_no=poll.mtdsg_no,
            url=poll.url,
            fetched_at=_observed_at(source, poll),
            started_at=poll.started_at,
            http_status=poll.http_status,
            body=body,
            content_hash=poll.content_hash,
        )
        finished: datetime = poll.finished_at or poll.started_at
        result.reports.append(
            record_poll(
                session=target,
                page=page,
                archive=None,
                expected_language=expected_language(poll.url),
                clock=_fixed(finished),
                origin=origin_of(poll),
            )
        )
    logger.info("replayed %d poll(s), skipped %d", result.replayed, len(result.skipped))
    return result


# --- comparison -----------------------------------------------------------------------------


def _events(session: Session, mtdsg_no: str | None) -> dict[str, list[tuple[Any, ...]]]:
    query = select(ChangeEvent).order_by(col(ChangeEvent.id))
    if mtdsg_no is not None:
        query = query.where(ChangeEvent.mtdsg_no == mtdsg_no)
    out: dict[str, list[tuple[Any, ...]]] = {}
    for event in session.exec(query):
        out.setdefault(event.mtdsg_no, []).append(tuple(getattr(event, f) for f in EVENT_FIELDS))
    return out


def _statuses(session: Session, mtdsg_no: str | None) -> dict[tuple[str, str], tuple[Any, ...]]:
    query = select(Treaty.mtdsg_no, ParticipantStatus).join(
        ParticipantStatus, col(ParticipantStatus.treaty_id) == col(Treaty.id)
    )
    if mtdsg_no is not None:
        query = query.where(Treaty.mtdsg_no == mtdsg_no)
    return {
        (number, row.participant_code): tuple(getattr(row, f) for f in STATUS_FIELDS)
        for number, row in session.exec(query)
    }


def _treaties(session: Session, mtdsg_no: str | None) -> dict[str, tuple[Any, ...]]:
    query = select(Treaty)
    if mtdsg_no is not None:
        query = query.where(Treaty.mtdsg_no == mtdsg_no)
    return {t.mtdsg_no: tuple(getattr(t, f) for f in TREATY_FIELDS) for t in session.exec(query)}


def _describe(fields: Iterable[str], values: tuple[Any, ...] | None) -> str:
    if values is None:
        return "(none)"
    return ", ".join(f"{k}={v!r}" for k, v in zip(fields, values, strict=True) if v is not None)


def _changed(fields: Iterable[str], a: tuple[Any, ...], b: tuple[Any, ...]) -> str:
    return "; ".join(f"{k}: {x!r} -> {y!r}" for k, x, y in zip(fields, a, b, strict=True) if x != y)


def compare(*, stored: Session, replayed: Session, mtdsg_no: str | None = None) -> list[str]:
    """The differences between the ``stored`` database and the ``replayed`` one, one
    sentence each ("stored" values first); empty when they agree."""
    out: list[str] = []
    old_t, new_t = _treaties(stored, mtdsg_no), _treaties(replayed, mtdsg_no)
    for number in sorted(old_t.keys() | new_t.keys()):
        a, b = old_t.get(number), new_t.get(number)
        if a is None:
            out.append(f"{number}: treaty only in the replay")
        elif b is None:
            out.append(f"{number}: treaty not rebuilt by the replay")
        elif a != b:
            out.append(f"{number}: treaty differs: {_changed(TREATY_FIELDS, a, b)}")
    old_e, new_e = _events(stored, mtdsg_no), _events(replayed, mtdsg_no)
    for number in sorted(old_e.keys() | new_e.keys()):
        a_list, b_list = old_e.get(number, []), new_e.get(number, [])
        for i in range(max(len(a_list), len(b_list))):
            ea = a_list[i] if i < len(a_list) else None
            eb = b_list[i] if i < len(b_list) else None
            if ea == eb:
                continue
            out.append(
                f"{number}: event #{i + 1} differs: stored {_describe(EVENT_FIELDS, ea)}; "
                f"replay {_describe(EVENT_FIELDS, eb)}"
            )
    old_s, new_s = _statuses(stored, mtdsg_no), _statuses(replayed, mtdsg_no)
    for key in sorted(old_s.keys() | new_s.keys()):
        sa_, sb = old_s.get(key), new_s.get(key)
        where = f"{key[0]} {key[1]}"
        if sa_ is None:
            out.append(f"{where}: status row only in the replay")
        elif sb is None:
            out.append(f"{where}: status row not rebuilt by the replay")
        elif sa_ != sb:
            out.append(f"{where}: status differs: {_changed(STATUS_FIELDS, sa_, sb)}")
    return out
