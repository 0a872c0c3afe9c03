"""Read model of the Alerts view: change events and catch-up summaries."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.changes import describe
from tracker.country_names import CountryMatch as CountryMatch  # re-exported
from tracker.country_names import resolve as resolve_country  # noqa: F401  (re-exported)
from tracker.domain import Change, ChangeKind, ConsentKind, PollSource
from tracker.i18n import readable_date, t
from tracker.models import (
    ChangeEvent,
    EventRead,
    Poll,
    Treaty,
)
from tracker.queries.common import _aware, _iso, country_name

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    kind: str
    mtdsg_no: str
    participant_code: str | None
    participant_name: str | None
    consent_kind: str | None
    old_value: str | None
    new_value: str | None
    detail: str | None
    effective_date: date | None
    observed_at: datetime
    source_url: str
    read: bool
    treaty_title: str | None = None
    treaty_title_fr: str | None = None
    catch_up: bool = False

    def to_change(self, language: str | None = None) -> Change:
        """The domain :class:`Change`; with ``language``, the participant is named by its
        display name in that language (except for renames, which keep the page's names)."""
        name = self.participant_name
        if language and self.participant_code and self.kind != ChangeKind.RENAME:
            name = country_name(self.participant_code, language, self.participant_name)
        return Change(
            kind=ChangeKind(self.kind),
            mtdsg_no=self.mtdsg_no,
            participant_code=self.participant_code,
            participant_name=name,
            old_value=self.old_value,
            new_value=self.new_value,
            effective_date=self.effective_date,
            observed_at=self.observed_at,
            source_url=self.source_url,
            consent_kind=ConsentKind(self.consent_kind) if self.consent_kind else None,
            detail=self.detail,
        )

    def sentence(self, language: str = "en") -> str:
        """One readable sentence (tracker.changes.describe)."""
        try:
            title = self.treaty_title_fr if language == "fr" else self.treaty_title
            return describe(self.to_change(language), language=language, treaty_title=title)
        except ValueError:  # a kind this version cannot word
            return f"{self.kind}: {self.participant_name or ''} {self.mtdsg_no}".strip()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "treaty": self.mtdsg_no,
            "participant_code": self.participant_code,
            "participant_name": self.participant_name,
            "consent_kind": self.consent_kind,
            "old_value": self.old_value,
            "new_value": self.new_value,
            "detail": self.detail,
            "effective_date": _iso(self.effective_date),
            "observed_at": _iso(self.observed_at),
            "source_url": self.source_url,
            "read": self.read,
            "catch_up": self.catch_up,
            "description": self.sentence("en"),
        }


def events(
    *,
    session: Session,
    mtdsg_no: str | None = None,
    country: str | None = None,
    kinds: Iterable[str] = (),
    since: date | datetime | None = None,
    unread_only: bool = False,
    limit: int | None = None,
) -> list[EventRow]:
    """Change events, newest first (by the time they were observed), filtered by treaty,
    participant code, kinds and observation date (``since`` a date: from that day on)."""
    query = select(ChangeEvent, EventRead.event_id).join(
        EventRead, col(EventRead.event_id) == col(ChangeEvent.id), isouter=True
    )
    if mtdsg_no:
        query = query.where(ChangeEvent.mtdsg_no == mtdsg_no)
    if country:
        query = query.where(ChangeEvent.participant_code == country)
    wanted = [k for k in kinds if k]
    if wanted:
        query = query.where(col(ChangeEvent.kind).in_(wanted))
    if since is not None:
        start = (
            since if isinstance(since, datetime) else datetime.combine(since, datetime.min.time())
        )
        query = query.where(col(ChangeEvent.observed_at) >= _aware(start))
    if unread_only:
        query = query.where(col(EventRead.event_id).is_(None))
    query = query.order_by(col(ChangeEvent.observed_at).desc(), col(ChangeEvent.id).desc())
    if limit is not None:
        query = query.limit(limit)
    titles = {t.mtdsg_no: (t.title_en, t.title_fr) for t in session.exec(select(Treaty)).all()}
    result = []
    for event, read_id in session.exec(query).all():
        assert event.id is not None
        result.append(
            EventRow(
                id=event.id,
                kind=event.kind,
                mtdsg_no=event.mtdsg_no,
                participant_code=event.participant_code,
                participant_name=event.participant_name,
                consent_kind=event.consent_kind,
                old_value=event.old_value,
                new_value=event.new_value,
                detail=event.detail,
                effective_date=event.effective_date,
                observed_at=event.observed_at,
                source_url=event.source_url,
                read=read_id is not None,
                treaty_title=titles.get(event.mtdsg_no, (None, None))[0],
                treaty_title_fr=titles.get(event.mtdsg_no, (None, None))[1],
                catch_up=bool(event.catch_up),
            )
        )
    return result


@dataclass(frozen=True, slots=True)
class CatchUp:
    """One catch-up poll: the first live poll after the snapshot (``since_snapshot``) or
    after a long gap found ``events`` changes that happened since ``since``."""

    poll_id: int
    mtdsg_no: str
    since: datetime
    since_snapshot: bool
    events: int
    observed_at: datetime

    def sentence(self, language: str = "en") -> str:
        return t(
            "catch_up_snapshot" if self.since_snapshot else "catch_up_gap",
            language,
            date=readable_date(self.since, language),
            n=self.events,
            changes=t("change_one" if self.events == 1 else "change_many", language),
            treaty=self.mtdsg_no,
            seen=readable_date(self.observed_at, language),
        )


def catch_ups(
    *, session: Session, mtdsg_no: str | None = None, country: str | None = None
) -> list[CatchUp]:
    """The catch-up polls, newest first, with how many of their events concern ``country``
    (when given) or the whole treaty."""
    query = (
        select(Poll, func.count(col(ChangeEvent.id)))
        .join(ChangeEvent, col(ChangeEvent.poll_id) == col(Poll.id))
        .where(col(Poll.catch_up_since).is_not(None), col(ChangeEvent.catch_up).is_(True))
        .group_by(col(Poll.id))
        .order_by(col(Poll.id).desc())
    )
    if mtdsg_no:
        query = query.where(Poll.mtdsg_no == mtdsg_no)
    if country:
        query = query.where(ChangeEvent.participant_code == country)
    result = []
    for poll, n in session.exec(query).all():
        assert poll.id is not None and poll.catch_up_since is not None
        result.append(
            CatchUp(
                poll_id=poll.id,
                mtdsg_no=poll.mtdsg_no,
                since=poll.catch_up_since,
                since_snapshot=poll.catch_up_from == PollSource.SNAPSHOT,
                events=int(n),
                observed_at=poll.started_at,
            )
        )
    return result


def event_kinds() -> list[str]:
    return [str(k) for k in ChangeKind]
