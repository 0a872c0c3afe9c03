"""All database tables of the tracker (SQLModel), portable between SQLite and PostgreSQL.

Datetimes are stored timezone-aware in UTC (:class:`UTCDateTime`: SQLite keeps no offset, so
values are normalised to UTC on the way in and marked UTC on the way out); dates are ``Date``.
Enum values (:class:`tracker.domain.ChangeKind`, :class:`~tracker.domain.PollOutcome`,
:class:`~tracker.domain.ConsentKind`) are stored as their string values in ``VARCHAR`` columns,
so adding a kind never needs a database enum migration.

:class:`ChangeEvent` is append-only: the code never updates or deletes its rows. Marking an
event as read goes to :class:`EventRead`.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

logger = logging.getLogger(__name__)

#: The metadata every table of this module is registered in (Alembic's target). Constraint
#: names follow a fixed convention so that migrations (and SQLite batch mode) can name them.
metadata = SQLModel.metadata
metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Poll outcomes that mean the stored state was confirmed or updated by the poll.
SUCCESSFUL_OUTCOMES: tuple[str, ...] = ("new", "changed", "unchanged")
#: Poll outcomes that count as failures (nothing applied).
FAILED_OUTCOMES: tuple[str, ...] = ("error", "suspect")


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` that only accepts aware datetimes and always returns UTC."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} given; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC (used for ``created_at`` defaults)."""
    return datetime.now(UTC)


def _dt(*, nullable: bool = True, index: bool = False, **kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime(), nullable=nullable, index=index, **kwargs)


def _text(*, nullable: bool = True, **kwargs: Any) -> Any:
    return Field(sa_type=sa.Text(), nullable=nullable, **kwargs)


def _str(length: int, *, nullable: bool = True, **kwargs: Any) -> Any:
    return Field(sa_type=sa.String(length), nullable=nullable, **kwargs)


class Treaty(SQLModel, table=True):
    """One treaty (one MTDSG number) and the metadata its status page gave last time."""

    __tablename__ = "treaty"

    id: int | None = Field(default=None, primary_key=True)
    #: The treaty id: an MTDSG number ("IV-11-d") or a Council of Europe id ("CETS-201");
    #: :func:`tracker.sources.source_for` tells which depositary an id belongs to.
    mtdsg_no: str = _str(32, nullable=False, unique=True)
    #: Which depositary's record the status comes from: "untc" (UN Secretary-General) or
    #: "coe" (Council of Europe); always the one the id's form names (migration 0005).
    depositary: str = Field(
        default="untc",
        sa_type=sa.String(16),
        nullable=False,
        sa_column_kwargs={"server_default": "untc"},
    )
    title_en: str | None = _text()
    title_fr: str | None = _text()
    #: Language ("en"/"fr") of the page the current participant rows were last applied from.
    language: str | None = _str(8)
    chapter: str | None = _text()
    conclusion_text: str | None = _text()
    conclusion_place: str | None = _text()
    conclusion_date: date | None = Field(default=None, sa_type=sa.Date())
    eif_date: date | None = Field(default=None, sa_type=sa.Date())
    eif_text: str | None = _text()
    registration: str | None = _text()
    signatories: int | None = Field(default=None, description="Signatories count as stated")
    parties: int | None = Field(default=None, description="Parties count as stated")
    status_as_at: datetime | None = _dt()
    source_url: str | None = _text()
    last_verified_at: datetime | None = _dt()
    created_at: datetime = _dt(nullable=False, default_factory=utcnow)
    #: Where the page's stated counts disagree with its rows, one sentence per line (a page
    #: baselined or accepted with the disagreement; migration 0004).
    count_discrepancy: str | None = _text()


class Participant(SQLModel, table=True):
    """A State or organisation, identified by its stable code (tracker.countries)."""

    __tablename__ = "participant"

    code: str = Field(sa_type=sa.String(64), primary_key=True)
    name_en: str | None = _text()
    name_fr: str | None = _text()
    first_seen_at: datetime = _dt(nullable=False, default_factory=utcnow)


class Poll(SQLModel, table=True):
    """One poll of one treaty page and how it ended (exactly one :class:`PollOutcome`)."""

    __tablename__ = "poll"
    __table_args__ = (sa.Index("ix_poll_mtdsg_no_started_at", "mtdsg_no", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    mtdsg_no: str = _str(32, nullable=False)
    url: str = _text(nullable=False)
    language: str | None = _str(8)
    started_at: datetime = _dt(nullable=False)
    finished_at: datetime | None = _dt()
    http_status: int | None = None
    content_hash: str | None = _str(64)
    outcome: str = _str(16, nullable=False)
    inserts: int = Field(default=0)
    updates: int = Field(default=0)
    noops: int = Field(default=0)
    events: int = Field(default=0)
    error: str | None = _text()
    warnings: str | None = _text()
    #: Where the page came from (:class:`tracker.domain.PollSource`): ``live`` (fetched from
    #: the UN site) or ``snapshot`` (the bundled snapshot, values published on
    #: ``published_on``). Migration 0004.
    source: str = Field(
        default="live",
        sa_type=sa.String(16),
        nullable=False,
        sa_column_kwargs={"server_default": "live"},
    )
    published_on: date | None = Field(default=None, sa_type=sa.Date())
    #: Who accepted this suspect page after inspection (``treaty-tracker accept``); the
    #: poll's ``finished_at`` is when.
    accepted_by: str | None = _text()
    #: Set on a catch-up poll (the first live poll after the snapshot or after a long gap):
    #: when the state it caught up from was last verified, and ``snapshot`` or ``gap``.
    catch_up_since: datetime | None = _dt()
    catch_up_from: str | None = _str(16)


class ParticipantStatus(SQLModel, table=True):
    """Current status of one participant on one treaty (one row per treaty x participant).

    Rows are never deleted: a participant that disappears from the page keeps its row with
    ``listed = False``.
    """

    __tablename__ = "participant_status"
    __table_args__ = (sa.UniqueConstraint("treaty_id", "participant_code"),)

    id: int | None = Field(default=None, primary_key=True)
    treaty_id: int = Field(foreign_key="treaty.id", nullable=False, index=True)
    participant_code: str = Field(
        sa_type=sa.String(64), foreign_key="participant.code", nullable=False, index=True
    )
    name: str = _text(nullable=False)
    footnotes: list[str] = Field(default_factory=list, sa_type=sa.JSON(), nullable=False)
    signature_date: date | None = Field(default=None, sa_type=sa.Date())
    consent_date: date | None = Field(default=None, sa_type=sa.Date())
    consent_kind: str | None = _str(32)
    withdrawn: bool = Field(default=False)
    has_declarations: bool = Field(default=False)
    declaration_text: str | None = _text()
    in_force_date: date | None = Field(default=None, sa_type=sa.Date())
    #: Dates a source states (the Council of Europe: denunciation notified, its effect, a
    #: suspension); None when not stated (UNTC pages state none of them). Migration 0005.
    denunciation_date: date | None = Field(default=None, sa_type=sa.Date())
    denunciation_effective_date: date | None = Field(default=None, sa_type=sa.Date())
    suspension_date: date | None = Field(default=None, sa_type=sa.Date())
    listed: bool = Field(default=True)
    updated_at: datetime = _dt(nullable=False, default_factory=utcnow)
    last_poll_id: int | None = Field(default=None, foreign_key="poll.id")
    #: SignatureKind value of ``signature_date`` (None when there is no signature); 0003
    signature_kind: str | None = _str(32)
    #: the row's other dated actions, ``[{kind, date, column, suffix}]`` (domain.Action); 0003
    actions: list[dict[str, str]] = Field(
        default_factory=list,
        sa_type=sa.JSON(),
        nullable=False,
        sa_column_kwargs={"server_default": sa.text("'[]'")},
    )


class ChangeEvent(SQLModel, table=True):
    """One change seen between two polls. Append-only: never updated or deleted by the code."""

    __tablename__ = "change_event"
    __table_args__ = (
        sa.Index("ix_change_event_mtdsg_no_observed_at", "mtdsg_no", "observed_at"),
        sa.Index("ix_change_event_participant_observed_at", "participant_code", "observed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", nullable=False, index=True)
    mtdsg_no: str = _str(32, nullable=False)
    participant_code: str | None = _str(64)
    participant_name: str | None = _text()
    kind: str = _str(32, nullable=False)
    consent_kind: str | None = _str(32)
    old_value: str | None = _text()
    new_value: str | None = _text()
    detail: str | None = _text()
    effective_date: date | None = Field(default=None, sa_type=sa.Date())
    observed_at: datetime = _dt(nullable=False, index=True)
    source_url: str = _text(nullable=False)
    #: Found by a catch-up poll: it happened while the tracker was not watching (on its
    #: ``effective_date``), and is alerted in one summary message per watch. Migration 0004.
    catch_up: bool = Field(
        default=False, nullable=False, sa_column_kwargs={"server_default": sa.false()}
    )


class EventRead(SQLModel, table=True):
    """The app's "mark as read" for an event (kept apart so events stay append-only)."""

    __tablename__ = "event_read"

    event_id: int = Field(foreign_key="change_event.id", primary_key=True)
    read_at: datetime = _dt(nullable=False, default_factory=utcnow)


class Watch(SQLModel, table=True):
    """A watcher's subscription: which events to send where."""

    __tablename__ = "watch"

    id: int | None = Field(default=None, primary_key=True)
    label: str = _text(nullable=False)
    country_code: str | None = Field(default=None, sa_type=sa.String(64), index=True)
    mtdsg_no: str | None = Field(default=None, sa_type=sa.String(32), index=True)
    #: Comma-separated ChangeKind values; empty means all kinds.
    kinds: str = Field(default="", sa_type=sa.Text(), nullable=False)
    #: apprise URL — a secret (may embed passwords or tokens); never log or display it.
    notify_url: str = _text(nullable=False)
    digest: bool = Field(default=False)
    language: str = Field(default="en", sa_type=sa.String(8), nullable=False)
    created_at: datetime = _dt(nullable=False, default_factory=utcnow)
    active: bool = Field(default=True)


class Alert(SQLModel, table=True):
    """One delivery of one event to one watch (``pending | sent | failed``)."""

    __tablename__ = "alert"
    __table_args__ = (
        sa.UniqueConstraint("watch_id", "event_id"),
        sa.Index("ix_alert_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    watch_id: int = Field(foreign_key="watch.id", nullable=False, index=True, ondelete="CASCADE")
    event_id: int = Field(foreign_key="change_event.id", nullable=False, index=True)
    status: str = Field(default="pending", sa_type=sa.String(16), nullable=False)
    attempts: int = Field(default=0)
    last_error: str | None = _text()
    next_attempt_at: datetime | None = _dt()
    sent_at: datetime | None = _dt()
    created_at: datetime = _dt(nullable=False, default_factory=utcnow)


class HealthCondition(SQLModel, table=True):
    """An operator health condition (``failures:IV-11-d``, ``stale``): raised once, alerted
    once, cleared. Used by the alerting code (migration 0002)."""

    __tablename__ = "health_condition"

    key: str = Field(sa_type=sa.String(128), primary_key=True)
    message: str = _text(nullable=False)
    raised_at: datetime = _dt(nullable=False)
    notified_at: datetime | None = _dt()
    cleared_at: datetime | None = _dt()


class CrosscheckRun(SQLModel, table=True):
    """One run of ``treaty-tracker crosscheck``: a second source's export compared with the
    stored status of one treaty (migration 0006). A finding for the Health view, never a
    change event: the export mirrors the depositary's record and can lag behind it.

    ``result`` is :meth:`tracker.crosscheck.CrossCheck.to_json` (every disagreement, with our
    and their values); the other columns repeat what the Health view lists without it.
    """

    __tablename__ = "crosscheck_run"

    id: int | None = Field(default=None, primary_key=True)
    mtdsg_no: str = _str(32, nullable=False, index=True)
    checked_at: datetime = _dt(nullable=False, index=True)
    their_source: str = _text(nullable=False)  # the export's file name
    their_title: str | None = _text()
    #: The export's "Last Updated" time, ISO 8601 as written: the export states no time zone.
    their_last_updated: str | None = _str(32)
    our_source_url: str | None = _text()
    our_verified_at: datetime | None = _dt()
    compared: int = Field(default=0)
    disagreements: int = Field(default=0)
    result: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON(), nullable=False)
