"""Read model of the Health view: polls per treaty, the next scheduled poll, and the kept
cross-checks with a second source (``treaty-tracker crosscheck``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.country_names import CountryMatch as CountryMatch  # re-exported
from tracker.country_names import resolve as resolve_country  # noqa: F401  (re-exported)
from tracker.domain import PollSource
from tracker.models import (
    FAILED_OUTCOMES,
    SUCCESSFUL_OUTCOMES,
    CrosscheckRun,
    Poll,
    Treaty,
)
from tracker.queries.common import _iso, _treaty_order
from tracker.queries.country import count_discrepancies

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HealthRow:
    """How polling one treaty is going."""

    mtdsg_no: str
    last_poll_at: datetime | None
    outcome: str | None
    http_status: int | None
    error: str | None
    failures_in_a_row: int
    last_success_at: datetime | None
    status_as_at: datetime | None
    last_verified_at: datetime | None
    from_snapshot: bool = False
    published_on: date | None = None  # the snapshot's publication date, when from_snapshot
    count_discrepancy: tuple[str, ...] = ()
    accepted_by: str | None = None  # who accepted the current page after it was suspect
    accepted_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "treaty": self.mtdsg_no,
            "last_poll_at": _iso(self.last_poll_at),
            "outcome": self.outcome,
            "http_status": self.http_status,
            "error": self.error,
            "failures_in_a_row": self.failures_in_a_row,
            "last_success_at": _iso(self.last_success_at),
            "status_as_at": _iso(self.status_as_at),
            "last_verified_at": _iso(self.last_verified_at),
            "from_snapshot": self.from_snapshot,
            "snapshot_published_on": _iso(self.published_on),
            "count_discrepancy": " ".join(self.count_discrepancy) or None,
            "accepted_by": self.accepted_by,
            "accepted_at": _iso(self.accepted_at),
        }


def health(*, session: Session, treaties: Sequence[str] = ()) -> list[HealthRow]:
    """One row per tracked treaty and per treaty ever polled, by MTDSG number."""
    last_ids = dict(
        session.exec(select(Poll.mtdsg_no, func.max(Poll.id)).group_by(col(Poll.mtdsg_no))).all()
    )
    success_ids = dict(
        session.exec(
            select(Poll.mtdsg_no, func.max(Poll.id))
            .where(col(Poll.outcome).in_(SUCCESSFUL_OUTCOMES))
            .group_by(col(Poll.mtdsg_no))
        ).all()
    )
    wanted_ids = [i for i in (*last_ids.values(), *success_ids.values()) if i is not None]
    polls = {p.id: p for p in session.exec(select(Poll).where(col(Poll.id).in_(wanted_ids)))}
    failed: dict[str, int] = {}
    for mtdsg_no, poll_id in session.exec(
        select(Poll.mtdsg_no, Poll.id).where(col(Poll.outcome).in_(FAILED_OUTCOMES))
    ).all():
        last_ok = success_ids.get(mtdsg_no)
        if last_ok is None or (poll_id is not None and poll_id > last_ok):
            failed[mtdsg_no] = failed.get(mtdsg_no, 0) + 1
    stored = {t.mtdsg_no: t for t in session.exec(select(Treaty)).all()}
    discrepancies = count_discrepancies(session=session)
    result = []
    for mtdsg_no in sorted(set(treaties) | set(last_ids) | set(stored), key=_treaty_order):
        last = polls.get(last_ids.get(mtdsg_no))
        success = polls.get(success_ids.get(mtdsg_no))
        t = stored.get(mtdsg_no)
        result.append(
            HealthRow(
                mtdsg_no=mtdsg_no,
                last_poll_at=last.started_at if last else None,
                outcome=last.outcome if last else None,
                http_status=last.http_status if last else None,
                error=last.error if last else None,
                failures_in_a_row=failed.get(mtdsg_no, 0),
                last_success_at=success.started_at if success else None,
                status_as_at=t.status_as_at if t else None,
                last_verified_at=t.last_verified_at if t else None,
                from_snapshot=bool(success and success.source == PollSource.SNAPSHOT),
                published_on=success.published_on if success else None,
                count_discrepancy=discrepancies.get(mtdsg_no, ()),
                accepted_by=success.accepted_by if success else None,
                accepted_at=success.finished_at if success and success.accepted_by else None,
            )
        )
    return result


#: Table and job id of the scheduler's persistent poll job (tracker.scheduler).
JOBS_TABLE = "apscheduler_jobs"


POLL_JOB_ID = "poll"


@dataclass(frozen=True, slots=True)
class NextPoll:
    """When the next scheduled poll runs: ``source`` is ``"scheduler"`` (the stored job of
    ``treaty-tracker schedule``) or ``"cron"`` (computed from TRACKER_POLL_CRON when no
    scheduler has stored its job yet)."""

    at: datetime | None
    source: str


def next_scheduled_poll(*, session: Session, cron: str, now: datetime) -> NextPoll:
    from sqlalchemy import inspect, text

    connection = session.connection()
    if inspect(connection).has_table(JOBS_TABLE):
        value = connection.execute(
            text(f"SELECT next_run_time FROM {JOBS_TABLE} WHERE id = :id"),
            {"id": POLL_JOB_ID},
        ).scalar()
        if value is not None:
            return NextPoll(datetime.fromtimestamp(float(value), UTC), "scheduler")
    try:
        from apscheduler.triggers.cron import CronTrigger

        trigger = CronTrigger.from_crontab(cron, timezone=UTC)
        at = trigger.get_next_fire_time(None, now)
    except ValueError:
        logger.warning("TRACKER_POLL_CRON %r is not a cron expression", cron)
        at = None
    return NextPoll(at, "cron")


@dataclass(frozen=True, slots=True)
class CrosscheckRunRow:
    """One kept cross-check of a stored status with a second source's export.

    ``disagreements`` lists each one as :meth:`tracker.crosscheck.Disagreement.to_json` gives
    it (State, field, our value and note, theirs and note). A finding to look at, not news:
    never a change event. ``their_last_updated`` is as the export writes it (no time zone).
    """

    id: int
    mtdsg_no: str
    checked_at: datetime
    their_source: str
    their_title: str | None
    their_last_updated: str | None
    our_source_url: str | None
    our_verified_at: datetime | None
    compared: int
    counts: dict[str, int]
    disagreements: tuple[dict[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "treaty": self.mtdsg_no,
            "checked_at": _iso(self.checked_at),
            "theirs": {
                "source": self.their_source,
                "title": self.their_title,
                "last_updated": self.their_last_updated,
                "last_updated_time_zone": None,  # the export does not state one
            },
            "ours": {
                "source_url": self.our_source_url,
                "verified_at": _iso(self.our_verified_at),
            },
            "compared": self.compared,
            "counts": dict(self.counts),
            "disagreements": [dict(d) for d in self.disagreements],
        }


def crosscheck_runs(
    *, session: Session, treaty: str | None = None, latest_only: bool = True
) -> list[CrosscheckRunRow]:
    """The kept cross-checks, by treaty: the latest of each treaty (``latest_only``), or
    every one, newest first; only ``treaty``'s when given."""
    query = select(CrosscheckRun).order_by(col(CrosscheckRun.id).desc())
    if treaty is not None:
        query = query.where(func.lower(CrosscheckRun.mtdsg_no) == treaty.strip().lower())
    rows: list[CrosscheckRunRow] = []
    seen: set[str] = set()
    for run in session.exec(query):
        if latest_only and run.mtdsg_no in seen:
            continue
        seen.add(run.mtdsg_no)
        result = run.result or {}
        rows.append(
            CrosscheckRunRow(
                id=run.id or 0,
                mtdsg_no=run.mtdsg_no,
                checked_at=run.checked_at,
                their_source=run.their_source,
                their_title=run.their_title,
                their_last_updated=run.their_last_updated,
                our_source_url=run.our_source_url,
                our_verified_at=run.our_verified_at,
                compared=run.compared,
                counts={str(k): int(v) for k, v in (result.get("counts") or {}).items()},
                disagreements=tuple(result.get("disagreements") or ()),
            )
        )
    if latest_only:
        rows.sort(key=lambda r: _treaty_order(r.mtdsg_no))
    return rows
