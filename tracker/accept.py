"""Accepting a suspect page after an operator inspected it (``treaty-tracker accept``)."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlmodel import Session

from tracker import service, store
from tracker.archive import Archive
from tracker.domain import FetchedPage, PollOutcome
from tracker.models import Poll
from tracker.replay import expected_language

logger = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


class AcceptError(ValueError):
    """There is no suspect page to accept, or it cannot be read; the message says why."""


def accept_suspect(
    *,
    session: Session,
    archive: Archive,
    mtdsg_no: str,
    accepted_by: str,
    clock: Callable[[], datetime] = _now,
) -> tuple[Poll, service.PollReport]:
    """Accept the newest poll of ``mtdsg_no`` after an operator inspected it: it must be
    ``suspect``; its archived page is recorded again, applied despite the reasons (which
    are kept in the new poll's warnings with ``accepted_by``; its ``finished_at`` says when).
    The events are dated as seen when the page was fetched. Another treaty's page is never
    applied (the new poll is suspect again). Returns the suspect poll and the new report.
    """
    if not accepted_by.strip():
        raise AcceptError("say who accepts the page")
    suspect = store.last_poll(session=session, mtdsg_no=mtdsg_no)
    if suspect is None:
        raise AcceptError(f"{mtdsg_no} has never been polled")
    if suspect.outcome != PollOutcome.SUSPECT:
        raise AcceptError(
            f"the last poll of {mtdsg_no} (#{suspect.id}) is {suspect.outcome!r}, not suspect: "
            "there is nothing to accept"
        )
    if not suspect.content_hash or not archive.has(suspect.content_hash):
        raise AcceptError(f"the page of poll #{suspect.id} is not in the archive {archive.root}")
    page = FetchedPage(
        mtdsg_no=suspect.mtdsg_no,
        url=suspect.url,
        fetched_at=suspect.started_at,
        started_at=suspect.started_at,
        http_status=suspect.http_status,
        body=archive.get(suspect.content_hash),
        content_hash=suspect.content_hash,
    )
    origin = dataclasses.replace(service.origin_of(suspect), accepted_by=accepted_by.strip())
    report = service.record_poll(
        session=session,
        page=page,
        archive=None,
        expected_language=expected_language(suspect.url),
        clock=clock,
        origin=origin,
    )
    return suspect, report
