"""Shared helpers of the read models: sources, names, titles, ordering."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker import countries
from tracker.country_names import CountryMatch as CountryMatch  # re-exported
from tracker.country_names import resolve as resolve_country  # noqa: F401  (re-exported)
from tracker.domain import PollSource
from tracker.models import (
    SUCCESSFUL_OUTCOMES,
    ParticipantStatus,
    Poll,
    Treaty,
)
from tracker.models import Participant as ParticipantRow

logger = logging.getLogger(__name__)


STATUSES: tuple[str, ...] = ("not_signed", "signed", "party", "withdrawn")


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True, slots=True)
class DataSource:
    """Where the recorded data comes from, over all recorded treaties.

    ``kind``: ``"empty"`` (nothing recorded), ``"snapshot"`` (only the bundled snapshot) or
    ``"live"`` (at least one treaty verified by a live poll). ``as_of``: the snapshot's
    publication date, or the newest live verification. ``oldest``: the oldest "last verified"
    of any recorded treaty. ``live``/``snapshot``: how many treaties have live data / only
    the snapshot; ``snapshot_published``: the snapshot's publication date.
    """

    kind: str
    as_of: datetime | None
    oldest: datetime | None = None
    live: int = 0
    snapshot: int = 0
    snapshot_published: date | None = None


@dataclass(frozen=True, slots=True)
class TreatyOrigin:
    """Where a treaty's current data comes from: the source of its last successful poll
    (``live`` or ``snapshot``) and, for the snapshot, the date its values were published."""

    source: str
    published_on: date | None


def origins(*, session: Session) -> dict[str, TreatyOrigin]:
    """Treaty number -> :class:`TreatyOrigin` of its current data (of every treaty with a
    successful poll)."""
    newest = (
        select(func.max(Poll.id).label("id"))
        .where(col(Poll.outcome).in_(SUCCESSFUL_OUTCOMES))
        .group_by(col(Poll.mtdsg_no))
        .subquery()
    )
    rows = session.exec(
        select(Poll.mtdsg_no, Poll.source, col(Poll.published_on)).join(
            newest, col(Poll.id) == newest.c.id
        )
    ).all()
    return {number: TreatyOrigin(source, published) for number, source, published in rows}


def data_source(*, session: Session) -> DataSource:
    found = origins(session=session)
    verified = {
        t.mtdsg_no: _aware(t.last_verified_at)
        for t in session.exec(select(Treaty)).all()
        if t.last_verified_at is not None
    }
    if not verified:
        return DataSource("empty", None)
    live = [n for n, o in found.items() if o.source != PollSource.SNAPSHOT]
    snap = [n for n, o in found.items() if o.source == PollSource.SNAPSHOT]
    dates = [d for d in (found[n].published_on for n in snap) if d is not None]
    published = min(dates, default=None)
    oldest = min(verified.values())
    if not live:
        as_of = datetime.combine(published, datetime.min.time(), UTC) if published else oldest
        return DataSource("snapshot", as_of, oldest, 0, len(snap), published)
    newest = max((verified[n] for n in live if n in verified), default=oldest)
    return DataSource("live", newest, oldest, len(live), len(snap), published)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def country_name(code: str, language: str = "en", fallback: str | None = None) -> str:
    """The display name of a participant code (the page's name, then the code, if unknown)."""
    try:
        return countries.display_name(code, language)
    except (KeyError, ValueError):
        return fallback or code


def country_choices(*, session: Session) -> list[str]:
    """Codes a user can pick: every current State and organisation known to
    :mod:`tracker.countries`, plus every participant stored in the database."""
    stored = set(session.exec(select(ParticipantRow.code)).all())
    return sorted(set(countries.all_codes(include_historic=False)) | stored)


def _status_of(row: ParticipantStatus) -> str:
    if row.withdrawn:
        return "withdrawn"
    if row.consent_date is not None:
        return "party"
    if row.signature_date is not None:
        return "signed"
    return "not_signed"


def _title(treaty: Treaty, language: str) -> str:
    if language == "fr":
        return treaty.title_fr or treaty.title_en or treaty.mtdsg_no
    return treaty.title_en or treaty.title_fr or treaty.mtdsg_no


def _treaty_order(mtdsg_no: str) -> tuple[Any, ...]:
    """Sort key so that IV-2 < IV-11 < IV-11-a < IV-15, the UN's treaties (MTDSG numbers)
    before the Council of Europe's (CETS-197 < CETS-201)."""
    depositary = 1 if mtdsg_no.upper().startswith("CETS-") else 0
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in mtdsg_no.split("-"))
    return (depositary, *parts)
