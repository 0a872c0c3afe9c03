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
from tracker.domain import Change, ChangeKind, ConsentKind, Participant, TreatyStatus
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

#: ``fetched_at`` of every page loaded from the bundled snapshot (tracker.snapshot): the day
#: the values it carries were published (14 March 2015).
SNAPSHOT_AT = datetime(2015, 3, 14, tzinfo=UTC)

STATUSES: tuple[str, ...] = ("not_signed", "signed", "party", "withdrawn")


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# --- where the data comes from ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DataSource:
    """``kind``: ``"empty"`` (nothing recorded), ``"snapshot"`` (only the bundled snapshot has
    been loaded) or ``"live"`` (a live poll succeeded); ``as_of``: the snapshot's date, or the
    newest successful live poll."""

    kind: str
    as_of: datetime | None


def data_source(*, session: Session) -> DataSource:
    live = session.exec(
        select(func.max(Poll.started_at)).where(
            col(Poll.outcome).in_(SUCCESSFUL_OUTCOMES), Poll.started_at != SNAPSHOT_AT
        )
    ).one()
    if live is not None:
        newest = session.exec(select(func.max(Treaty.last_verified_at))).one()
        as_of = max(_aware(live), _aware(newest)) if newest is not None else _aware(live)
        return DataSource("live", as_of)
    if session.exec(select(func.count()).select_from(Treaty)).one():
        return DataSource("snapshot", SNAPSHOT_AT)
    return DataSource("empty", None)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# --- countries ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CountryMatch:
    """What a typed country query resolved to: ``code`` when it is one participant,
    otherwise ``candidates`` (empty: nothing matched; several: ambiguous)."""

    query: str
    code: str | None
    candidates: tuple[str, ...] = ()


def resolve_country(query: str) -> CountryMatch:
    """Resolve a name (English or French, any era) or an ISO code to one participant code.

    An exact code or name wins; otherwise a query that matches exactly one participant's
    names resolves to it, and one that matches several is ambiguous.
    """
    text = query.strip()
    if not text:
        return CountryMatch(query, None)
    exact = None
    if len(text) in (2, 3) and text.isascii() and text.isalpha():
        exact = countries.from_iso(text)
    exact = exact or countries.code_for(text)
    if exact is not None:
        return CountryMatch(query, exact, (exact,))
    found = tuple(countries.search(text))
    if len(found) == 1:
        return CountryMatch(query, found[0], found)
    return CountryMatch(query, None, found)


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
    recorded. A country absent from a treaty's page has not signed it (``not_signed``).
    ``listed`` is False when the country was on an earlier page but is no longer listed.
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
    has_declarations: bool
    declaration_text: str | None
    footnotes: tuple[str, ...]
    listed: bool
    source_url: str | None
    last_verified_at: datetime | None
    status_as_at: datetime | None

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
        }


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
                    mtdsg_no,
                    rule.short_name if rule else mtdsg_no,
                    "no_data",
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    False,
                    None,
                    (),
                    False,
                    None,
                    None,
                    None,
                )  # fmt: skip
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

    def title(self, language: str = "en") -> str:
        if language == "fr":
            return self.title_fr or self.title_en or self.mtdsg_no
        return self.title_en or self.title_fr or self.mtdsg_no


def treaties(*, session: Session) -> list[TreatySummary]:
    """Every recorded treaty, by MTDSG number."""
    rows = session.exec(select(Treaty)).all()
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
                from_snapshot=bool(success and _aware(success.started_at) == SNAPSHOT_AT),
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
