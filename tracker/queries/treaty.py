"""Read model of the Treaty view: a treaty, its participants, its history."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from tracker import countries, eif, history, store
from tracker.country_names import CountryMatch as CountryMatch  # re-exported
from tracker.country_names import resolve as resolve_country  # noqa: F401  (re-exported)
from tracker.domain import Participant, TreatyStatus
from tracker.models import (
    Treaty,
)
from tracker.queries.common import (
    _iso,
    _status_of,
    _treaty_order,
    country_name,
    origins,
)
from tracker.queries.country import count_discrepancies

logger = logging.getLogger(__name__)


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
