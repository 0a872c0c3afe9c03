"""Read models for the app and the CLI: plain, frozen rows built from the stored tables.

Every page of the app and every read-side command reads through this module. Functions are
keyword-only, take ``session=`` and never commit, except the few *actions* at the end
(mark events read, edit watches), which only add or change rows of ``event_read`` and
``watch`` and leave committing to the caller as well. Change events are never touched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker import countries, eif, history, store
from tracker.changes import describe
from tracker.country_names import CountryMatch as CountryMatch  # re-exported
from tracker.country_names import resolve as resolve_country  # noqa: F401  (re-exported)
from tracker.domain import Change, ChangeKind, ConsentKind, Participant, PollSource, TreatyStatus
from tracker.i18n import readable_date, t
from tracker.models import (
    FAILED_OUTCOMES,
    SUCCESSFUL_OUTCOMES,
    ChangeEvent,
    EventRead,
    ParticipantStatus,
    Poll,
    Treaty,
    Watch,
)
from tracker.models import Participant as ParticipantRow

logger = logging.getLogger(__name__)

STATUSES: tuple[str, ...] = ("not_signed", "signed", "party", "withdrawn")


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# --- where the data comes from ------------------------------------------------------------


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


# --- countries ----------------------------------------------------------------------------


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


# --- one country across treaties ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CountryTreatyRow:
    """Where one country stands on one tracked treaty.

    ``status`` is one of :data:`STATUSES`, or ``"no_data"`` for a tracked treaty never
    recorded: then every derived value is unknown (None), never "no". A country absent from
    a treaty's page has not signed it (``not_signed``). ``listed`` is False when the country
    was on an earlier page but is no longer listed. ``source``/``published_on``: where the
    treaty's data comes from (:class:`TreatyOrigin`); ``count_discrepancy``: sentences when the
    page's stated counts disagree with its rows.
    """

    mtdsg_no: str
    title: str
    status: str
    participant_name: str | None
    signature_date: date | None
    consent_date: date | None
    consent_kind: str | None
    in_force_date: date | None
    treaty_in_force_date: date | None
    has_declarations: bool | None
    declaration_text: str | None
    footnotes: tuple[str, ...]
    listed: bool | None
    source_url: str | None
    last_verified_at: datetime | None
    status_as_at: datetime | None
    source: str | None = None
    published_on: date | None = None
    count_discrepancy: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "treaty": self.mtdsg_no,
            "title": self.title,
            "status": self.status,
            "participant_name": self.participant_name,
            "signature_date": _iso(self.signature_date),
            "consent_date": _iso(self.consent_date),
            "consent_kind": self.consent_kind,
            "in_force_date": _iso(self.in_force_date),
            "treaty_in_force_date": _iso(self.treaty_in_force_date),
            "has_declarations": self.has_declarations,
            "declaration_text": self.declaration_text,
            "footnotes": list(self.footnotes),
            "listed": self.listed,
            "source_url": self.source_url,
            "last_verified_at": _iso(self.last_verified_at),
            "status_as_at": _iso(self.status_as_at),
            "data_source": self.source,
            "published_on": _iso(self.published_on),
            "count_discrepancy": list(self.count_discrepancy),
        }

    def to_csv(self) -> dict[str, Any]:
        """The row for a CSV export: as :meth:`to_json` without the declaration text, the
        discrepancy as one cell, and the yes/no facts of a treaty with no data yet written
        ``unknown`` (an empty cell could be read as "no")."""
        row = {k: v for k, v in self.to_json().items() if k != "declaration_text"}
        row["count_discrepancy"] = " ".join(self.count_discrepancy)
        row["footnotes"] = " ".join(self.footnotes)
        if self.status == "no_data":
            row.update(
                has_declarations="unknown",
                listed="unknown",
                last_verified_at="never",
                data_source="no data yet",
            )
        return row


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
    """Sort key so that IV-2 < IV-11 < IV-11-a < IV-15."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in mtdsg_no.split("-"))


def country_overview(
    *,
    session: Session,
    code: str,
    treaties: Sequence[str] = (),
    language: str = "en",
) -> list[CountryTreatyRow]:
    """One row per treaty: every treaty in the database, plus the tracked ``treaties`` not
    recorded yet (status ``no_data``), ordered by MTDSG number."""
    stored = {t.mtdsg_no: t for t in session.exec(select(Treaty)).all()}
    found = origins(session=session)
    discrepancies = count_discrepancies(session=session)
    rows_by_treaty = {
        r.treaty_id: r
        for r in session.exec(
            select(ParticipantStatus).where(ParticipantStatus.participant_code == code)
        ).all()
    }
    result: list[CountryTreatyRow] = []
    for mtdsg_no in sorted(set(stored) | set(treaties), key=_treaty_order):
        treaty = stored.get(mtdsg_no)
        if treaty is None:
            rule = eif.rule_for(mtdsg_no)  # its short name until its page is first read
            result.append(
                CountryTreatyRow(
                    mtdsg_no=mtdsg_no,
                    title=rule.short_name if rule else mtdsg_no,
                    status="no_data",
                    participant_name=None,
                    signature_date=None,
                    consent_date=None,
                    consent_kind=None,
                    in_force_date=None,
                    treaty_in_force_date=None,
                    has_declarations=None,  # unknown, not "no"
                    declaration_text=None,
                    footnotes=(),
                    listed=None,
                    source_url=None,
                    last_verified_at=None,
                    status_as_at=None,
                )
            )
            continue
        row = rows_by_treaty.get(treaty.id) if treaty.id is not None else None
        common: dict[str, Any] = {
            "mtdsg_no": mtdsg_no,
            "title": _title(treaty, language),
            "treaty_in_force_date": treaty.eif_date,
            "source_url": treaty.source_url,
            "last_verified_at": treaty.last_verified_at,
            "status_as_at": treaty.status_as_at,
            "source": found[mtdsg_no].source if mtdsg_no in found else None,
            "published_on": found[mtdsg_no].published_on if mtdsg_no in found else None,
            "count_discrepancy": discrepancies.get(mtdsg_no, ()),
        }
        if row is None:
            result.append(
                CountryTreatyRow(
                    status="not_signed",
                    participant_name=None,
                    signature_date=None,
                    consent_date=None,
                    consent_kind=None,
                    in_force_date=None,
                    has_declarations=False,
                    declaration_text=None,
                    footnotes=(),
                    listed=False,
                    **common,
                )
            )
            continue
        result.append(
            CountryTreatyRow(
                status=_status_of(row),
                participant_name=row.name,
                signature_date=row.signature_date,
                consent_date=row.consent_date,
                consent_kind=row.consent_kind,
                in_force_date=row.in_force_date if row.consent_date else None,
                has_declarations=row.has_declarations,
                declaration_text=row.declaration_text,
                footnotes=tuple(row.footnotes or ()),
                listed=row.listed,
                **common,
            )
        )
    return result


def count_discrepancies(*, session: Session) -> dict[str, tuple[str, ...]]:
    """Treaty number -> one sentence per count its applied page states that the page's rows
    do not give, e.g. "The page states 17 parties but its rows give 16." (stored when the
    page was applied: baselined anyway on a first poll, or accepted by an operator)."""
    rows = session.exec(
        select(Treaty.mtdsg_no, Treaty.count_discrepancy).where(
            col(Treaty.count_discrepancy).is_not(None)
        )
    ).all()
    return {number: tuple(text.splitlines()) for number, text in rows if text}


# --- treaties ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TreatySummary:
    mtdsg_no: str
    title_en: str | None
    title_fr: str | None
    signatories: int | None
    parties: int | None
    eif_date: date | None
    eif_text: str | None
    conclusion_text: str | None
    status_as_at: datetime | None
    source_url: str | None
    last_verified_at: datetime | None
    source: str | None = None  # "live" or "snapshot" (TreatyOrigin)
    published_on: date | None = None  # the snapshot's publication date
    count_discrepancy: tuple[str, ...] = ()

    def title(self, language: str = "en") -> str:
        if language == "fr":
            return self.title_fr or self.title_en or self.mtdsg_no
        return self.title_en or self.title_fr or self.mtdsg_no


def treaties(*, session: Session) -> list[TreatySummary]:
    """Every recorded treaty, by MTDSG number."""
    rows = session.exec(select(Treaty)).all()
    found = origins(session=session)
    discrepancies = count_discrepancies(session=session)
    return [
        TreatySummary(
            t.mtdsg_no,
            t.title_en,
            t.title_fr,
            t.signatories,
            t.parties,
            t.eif_date,
            t.eif_text,
            t.conclusion_text,
            t.status_as_at,
            t.source_url,
            t.last_verified_at,
            found[t.mtdsg_no].source if t.mtdsg_no in found else None,
            found[t.mtdsg_no].published_on if t.mtdsg_no in found else None,
            discrepancies.get(t.mtdsg_no, ()),
        )
        for t in sorted(rows, key=lambda t: _treaty_order(t.mtdsg_no))
    ]


def treaty(*, session: Session, mtdsg_no: str) -> TreatySummary | None:
    for summary in treaties(session=session):
        if summary.mtdsg_no.casefold() == mtdsg_no.strip().casefold():
            return summary
    return None


@dataclass(frozen=True, slots=True)
class ParticipantStatusRow:
    """One participant of one treaty, as the app's participants table shows it."""

    code: str
    name: str  # display name in the requested language
    page_name: str  # the name exactly as the page writes it
    status: str
    signature_date: date | None
    consent_date: date | None
    consent_kind: str | None
    in_force_date: date | None
    has_declarations: bool
    declaration_text: str | None
    footnotes: tuple[str, ...]
    listed: bool
    alpha2: str | None
    #: the kind of the signature (signature, succession, ad_referendum), None without one
    signature_kind: str | None = None
    #: dated entries that are not a signature or a consent: ``{kind, date, column, suffix}``
    actions: tuple[dict[str, str], ...] = ()


def participants(
    *, session: Session, mtdsg_no: str, language: str = "en", listed_only: bool = True
) -> list[ParticipantStatusRow]:
    """The participants of a treaty in page order (only those still listed by default)."""
    found = store.get_treaty(session=session, mtdsg_no=mtdsg_no)
    if found is None or found.id is None:
        return []
    rows = store.status_rows(session=session, treaty_id=found.id, listed_only=listed_only)
    return [
        ParticipantStatusRow(
            code=r.participant_code,
            name=country_name(r.participant_code, language, r.name),
            page_name=r.name,
            status=_status_of(r),
            signature_date=r.signature_date,
            consent_date=r.consent_date,
            consent_kind=r.consent_kind,
            in_force_date=r.in_force_date if r.consent_date else None,
            has_declarations=r.has_declarations,
            declaration_text=r.declaration_text,
            footnotes=tuple(r.footnotes or ()),
            listed=r.listed,
            alpha2=countries.alpha2(r.participant_code),
            signature_kind=r.signature_kind,
            actions=tuple(r.actions or ()),
        )
        for r in rows
    ]


def treaty_state(*, session: Session, mtdsg_no: str) -> TreatyStatus | None:
    """The stored state of a treaty as a :class:`TreatyStatus`, with only the participants
    still listed on the page (what :mod:`tracker.history` works from)."""
    state, unlisted = store.load_state(session=session, mtdsg_no=mtdsg_no)
    if state is None or not unlisted:
        return state
    kept = tuple(p for p in state.participants if p.code not in unlisted)
    return TreatyStatus(
        mtdsg_no=state.mtdsg_no,
        language=state.language,
        title=state.title,
        url=state.url,
        conclusion=state.conclusion,
        chapter=state.chapter,
        status_as_at=state.status_as_at,
        entry_into_force=state.entry_into_force,
        registration=state.registration,
        counts=state.counts,
        participants=kept,
        declarations={k: v for k, v in state.declarations.items() if k not in unlisted},
    )


def history_at(*, session: Session, mtdsg_no: str, at: date) -> history.HistoryView | None:
    """Participants and counts of a treaty as they stood at the end of day ``at``."""
    state = treaty_state(session=session, mtdsg_no=mtdsg_no)
    return None if state is None else history.status_at(state, at)


def in_force_at(*, session: Session, mtdsg_no: str, at: date) -> eif.InForceOn | None:
    """Whether a recorded treaty was in force on ``at`` and what its entry into force
    needed (None when the treaty has not been recorded)."""
    state, _ = store.load_state(session=session, mtdsg_no=mtdsg_no)
    return None if state is None else eif.in_force_on(state, at)


def parties_over_time(*, session: Session, mtdsg_no: str) -> list[tuple[date, int]]:
    state = treaty_state(session=session, mtdsg_no=mtdsg_no)
    return [] if state is None else history.parties_over_time(state)


def history_json(view: history.HistoryView, language: str = "en") -> dict[str, Any]:
    """The JSON form printed by ``treaty-tracker history --json``."""

    def item(p: Participant) -> dict[str, Any]:
        # only what had happened by that date: a later signature or consent is left out
        signed = p.signature if p.signature and p.signature <= view.at else None
        consent = p.consent if p.consent and p.consent.date <= view.at else None
        return {
            "code": p.code,
            "name": p.name,
            "signature": _iso(signed),
            "consent": _iso(consent.date) if consent else None,
            "consent_kind": str(consent.kind) if consent else None,
        }

    return {
        "treaty": view.mtdsg_no,
        "at": view.at.isoformat(),
        "counts": {"signatories": view.counts.signatories, "parties": view.counts.parties},
        "parties": [item(p) for p in view.parties],
        "signed": [item(p) for p in view.signed],
        "withdrawn": [item(p) for p in view.withdrawn],
    }


# --- change events ----------------------------------------------------------------------------


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


# --- health -----------------------------------------------------------------------------------


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


# --- watches ----------------------------------------------------------------------------------


def mask_url(url: str) -> str:
    """An apprise URL with everything after the scheme hidden: ``mailto://••••``; an e-mail
    address with its user hidden: ``••••@ecpat.be``."""
    if "://" not in url and "@" in url:
        return "••••@" + url.strip().rsplit("@", 1)[1]
    scheme = urlsplit(url.strip()).scheme
    return f"{scheme}://••••" if scheme else "••••"


@dataclass(frozen=True, slots=True)
class WatchRow:
    id: int
    label: str
    country_code: str | None
    mtdsg_no: str | None
    kinds: tuple[str, ...]
    notify_masked: str
    digest: bool
    language: str
    active: bool
    created_at: datetime


def watches(*, session: Session) -> list[WatchRow]:
    """Every watch, oldest first; the apprise URL is masked (it may hold secrets)."""
    return [
        WatchRow(
            id=w.id or 0,
            label=w.label,
            country_code=w.country_code,
            mtdsg_no=w.mtdsg_no,
            kinds=tuple(k for k in w.kinds.split(",") if k),
            notify_masked=mask_url(w.notify_url),
            digest=w.digest,
            language=w.language,
            active=w.active,
            created_at=w.created_at,
        )
        for w in session.exec(select(Watch).order_by(col(Watch.id))).all()
    ]


# --- actions (the caller commits) --------------------------------------------------------------


def mark_read(*, session: Session, event_ids: Iterable[int], at: datetime) -> int:
    """Mark events as read (rows in ``event_read``; events themselves are never changed).
    Returns how many were newly marked."""
    ids = set(event_ids)
    if not ids:
        return 0
    known = set(session.exec(select(ChangeEvent.id).where(col(ChangeEvent.id).in_(ids))).all())
    already = set(
        session.exec(select(EventRead.event_id).where(col(EventRead.event_id).in_(ids))).all()
    )
    new = sorted(i for i in known - already if i is not None)
    for event_id in new:
        session.add(EventRead(event_id=event_id, read_at=at))
    session.flush()
    return len(new)


@dataclass(frozen=True, slots=True)
class WatchInput:
    label: str
    notify_url: str
    country_code: str | None = None
    mtdsg_no: str | None = None
    kinds: tuple[str, ...] = field(default_factory=tuple)
    digest: bool = False
    language: str = "en"


def add_watch(*, session: Session, watch: WatchInput) -> int:
    """Add a watch; ``ValueError`` for an empty label or address, an unknown kind or
    language, and :class:`tracker.notify.AddressError` (a ``ValueError``) for an address
    that could never deliver."""
    from tracker import notify  # apprise loads on first use, not with every page

    if not watch.label.strip() or not watch.notify_url.strip():
        raise ValueError("a watch needs a label and an address")
    address = notify.check_address(watch.notify_url)
    unknown = [k for k in watch.kinds if k not in event_kinds()]
    if unknown:
        raise ValueError(f"unknown kind(s) of change: {', '.join(unknown)}")
    if watch.language not in ("en", "fr"):
        raise ValueError(f"language must be 'en' or 'fr', not {watch.language!r}")
    row = Watch(
        label=watch.label.strip(),
        notify_url=address,
        country_code=watch.country_code or None,
        mtdsg_no=watch.mtdsg_no or None,
        kinds=",".join(watch.kinds),
        digest=watch.digest,
        language=watch.language,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def set_watch_active(*, session: Session, watch_id: int, active: bool) -> bool:
    row = session.get(Watch, watch_id)
    if row is None:
        return False
    row.active = active
    session.add(row)
    session.flush()
    return True


def send_watch_test(*, session: Session, watch_id: int) -> str:
    """Send the watch's test message now; return its masked address. ``LookupError`` for an
    unknown watch, :class:`tracker.notify.DeliveryError` (with the reason) if it fails."""
    from tracker import notify

    row = session.get(Watch, watch_id)
    if row is None:
        raise LookupError(f"no watch with id {watch_id}")
    notify.send_test(row.notify_url, label=row.label, language=row.language)
    return mask_url(row.notify_url)


def delete_watch(*, session: Session, watch_id: int) -> bool:
    row = session.get(Watch, watch_id)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


# --- schedule ---------------------------------------------------------------------------------

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
