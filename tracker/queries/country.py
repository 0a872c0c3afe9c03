"""Read model of the Country view: one country's status across treaties."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, func, select

from tracker import eif
from tracker.country_names import CountryMatch as CountryMatch  # re-exported
from tracker.country_names import resolve as resolve_country  # noqa: F401  (re-exported)
from tracker.models import (
    ParticipantStatus,
    Treaty,
)
from tracker.queries.common import (
    _iso,
    _status_of,
    _title,
    _treaty_order,
    origins,
)

logger = logging.getLogger(__name__)


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


def country_overview(
    *,
    session: Session,
    code: str,
    treaties: Sequence[str] = (),
    language: str = "en",
    every_stored: bool = True,
) -> list[CountryTreatyRow]:
    """One row per treaty: every treaty in the database (only the tracked ones when
    ``every_stored`` is False), plus the tracked ``treaties`` not recorded yet (status
    ``no_data``), ordered by MTDSG number."""
    treaty_query = select(Treaty)
    status_query = select(ParticipantStatus).where(ParticipantStatus.participant_code == code)
    if not every_stored:  # read only the tracked treaties (the Country view's default)
        treaty_query = treaty_query.where(col(Treaty.mtdsg_no).in_(list(treaties)))
        status_query = status_query.join(Treaty).where(col(Treaty.mtdsg_no).in_(list(treaties)))
    stored = {t.mtdsg_no: t for t in session.exec(treaty_query).all()}
    found = origins(session=session)
    discrepancies = count_discrepancies(session=session)
    rows_by_treaty = {r.treaty_id: r for r in session.exec(status_query).all()}
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


def stored_treaty_count(*, session: Session) -> int:
    """How many treaties the database holds (tracked or not: ``poll --all`` stores ~560)."""
    return int(session.exec(select(func.count()).select_from(Treaty)).one())


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
