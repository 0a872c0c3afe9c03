"""How complete and how fresh an answer is, worded for the CLI and the app.

PURE: no I/O, no clock (``now`` is passed in). The rows are the read models of
:mod:`tracker.queries` (a country's row per treaty, a treaty summary): anything with
``mtdsg_no``, ``status`` (for the gaps), ``last_verified_at``, ``source`` and
``published_on``.

Unknown is never "none": a treaty with no data yet is listed as unknown in the gaps, and the
freshness of an answer is the OLDEST "last verified" among its rows, with the rows that are
only the bundled snapshot or stale named.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from tracker.eif import InForceOn
from tracker.i18n import readable_date, t

logger = logging.getLogger(__name__)

NO_DATA = "no_data"
SNAPSHOT = "snapshot"


class Verifiable(Protocol):
    @property
    def mtdsg_no(self) -> str: ...
    @property
    def last_verified_at(self) -> datetime | None: ...
    @property
    def source(self) -> str | None: ...
    @property
    def published_on(self) -> date | None: ...


class HasStatus(Protocol):
    @property
    def mtdsg_no(self) -> str: ...
    @property
    def status(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Freshness:
    """``oldest``/``newest``: the oldest and newest "last verified" among the rows with data;
    ``snapshot``: treaties whose data is the bundled snapshot (values as published on
    ``snapshot_published``); ``stale``: treaties verified live, but longer ago than
    ``stale_after``; ``unknown``: treaties with no data yet."""

    oldest: datetime | None
    newest: datetime | None
    snapshot: tuple[str, ...]
    snapshot_published: date | None
    stale: tuple[str, ...]
    unknown: tuple[str, ...]
    stale_after: timedelta

    def to_json(self) -> dict[str, Any]:
        return {
            "oldest_verified": _iso(self.oldest),
            "newest_verified": _iso(self.newest),
            "from_snapshot": list(self.snapshot),
            "snapshot_published_on": _iso(self.snapshot_published),
            "stale": list(self.stale),
            "stale_after_days": self.stale_after.days,
            "no_data_yet": list(self.unknown),
        }


def freshness(rows: Iterable[Verifiable], *, now: datetime, stale_after: timedelta) -> Freshness:
    """The freshness of an answer made of ``rows``."""
    verified: list[datetime] = []
    snapshot: list[str] = []
    stale: list[str] = []
    unknown: list[str] = []
    published: date | None = None
    for row in rows:
        if row.last_verified_at is None:
            unknown.append(row.mtdsg_no)
            continue
        verified.append(row.last_verified_at)
        if row.source == SNAPSHOT:
            snapshot.append(row.mtdsg_no)
            if row.published_on is not None:
                published = min(published or row.published_on, row.published_on)
        elif now - row.last_verified_at > stale_after:
            stale.append(row.mtdsg_no)
    return Freshness(
        oldest=min(verified, default=None),
        newest=max(verified, default=None),
        snapshot=tuple(snapshot),
        snapshot_published=published,
        stale=tuple(stale),
        unknown=tuple(unknown),
        stale_after=stale_after,
    )


def freshness_lines(
    f: Freshness, language: str = "en", *, include_unknown: bool = True
) -> list[str]:
    """Sentences for :class:`Freshness` (the first is the oldest verification); the treaties
    with no data yet are left out when ``include_unknown`` is False (the gaps say them)."""
    lines = []
    if f.oldest is not None:
        lines.append(t("fresh_oldest", language, date=readable_date(f.oldest, language)))
    if f.snapshot:
        lines.append(
            t(
                "fresh_snapshot",
                language,
                date=readable_date(f.snapshot_published, language),
                treaties=", ".join(f.snapshot),
            )
        )
    if f.stale:
        lines.append(
            t("fresh_stale", language, days=f.stale_after.days, treaties=", ".join(f.stale))
        )
    if f.unknown and include_unknown:
        lines.append(t("fresh_unknown", language, treaties=", ".join(f.unknown)))
    return lines


@dataclass(frozen=True, slots=True)
class Gaps:
    """A country's gaps: treaties signed but not ratified, not signed, and unknown (no data
    yet: it may or may not have signed them). ``known``: treaties with data."""

    signed: tuple[str, ...]
    not_signed: tuple[str, ...]
    unknown: tuple[str, ...]
    known: int

    def to_json(self) -> dict[str, Any]:
        return {
            "signed_not_ratified": list(self.signed),
            "not_signed": list(self.not_signed),
            "unknown": list(self.unknown),
            "treaties_with_data": self.known,
        }


def gaps(rows: Sequence[HasStatus]) -> Gaps:
    return Gaps(
        signed=tuple(r.mtdsg_no for r in rows if r.status == "signed"),
        not_signed=tuple(r.mtdsg_no for r in rows if r.status == "not_signed"),
        unknown=tuple(r.mtdsg_no for r in rows if r.status == NO_DATA),
        known=sum(1 for r in rows if r.status != NO_DATA),
    )


def empty_gap_text(g: Gaps, language: str = "en") -> str:
    """What to say when a gaps list is empty: "none" only among the treaties with data."""
    if not g.unknown:
        return t("none", language)
    if not g.known:
        return t("gaps_all_unknown", language, n=len(g.unknown))
    return t("gaps_none_known", language, known=g.known)


def unknown_gap_text(g: Gaps, language: str = "en") -> str | None:
    """The sentence that says how many treaties are unknown (None when none is)."""
    if not g.unknown:
        return None
    return t("gaps_unknown", language, n=len(g.unknown), treaties=", ".join(g.unknown))


def in_force_lines(v: InForceOn, language: str = "en") -> list[str]:
    """Whether the treaty was in force on ``v.at`` and what its entry into force needed."""
    at = readable_date(v.at, language)
    how = t("eif_how_page" if v.source == "page" else "eif_how_computed", language)
    eif = readable_date(v.treaty_date, language)
    if v.in_force is None:
        first = t("in_force_unknown", language, at=at)
    elif v.treaty_date is None:
        first = t("in_force_not_yet", language, at=at)
    elif v.in_force:
        first = t("in_force_yes", language, at=at, eif=eif, how=how)
    else:
        first = t("in_force_no", language, at=at, eif=eif, how=how)
    if v.rule is None:
        second = t("eif_rule_unknown", language, treaty=v.mtdsg_no)
    elif v.instruments_needed is None:
        second = t("eif_not_fixed", language, source=v.rule.source.rstrip(".")) + "."
    else:
        second = t(
            "eif_needed",
            language,
            needed=v.instruments_needed,
            article=v.rule.article,
            deposited=v.deposited,
            at=at,
        )
    return [first, second]


def in_force_json(v: InForceOn) -> dict[str, Any]:
    return {
        "at": v.at.isoformat(),
        "in_force": v.in_force,
        "entry_into_force": _iso(v.treaty_date),
        "entry_into_force_source": v.source,
        "instruments_needed": v.instruments_needed,
        "instruments_needed_known": v.rule is not None,
        "instruments_deposited_by_then": v.deposited,
        "rule": None if v.rule is None else v.rule.source,
    }


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()
