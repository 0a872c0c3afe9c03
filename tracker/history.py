"""History of a treaty derived from the dates on one status page.

PURE: standard library only, no clock, no I/O. A status page dates every signature and
every consent (ratification, accession, succession ...), so the history before the first
poll can be rebuilt from it: who had signed and who was a party on any date, the number
of parties over time, and a timeline of dated events.

A participant counts as a *party* from the date of its instrument (its consent date on
the page), as in the page's own "Parties" count, not from the date the treaty entered into
force for it (see :mod:`tracker.eif` for that).

Withdrawn participants: the date of a withdrawal (denunciation) is not on the rows, only
in a note, so it cannot be placed in time. To stay consistent with the page's own count
(which leaves withdrawn participants out of "Parties"), a withdrawn participant is never
counted as a party: before its consent date it is counted by its signature as any other
participant; from its consent date on it is listed under ``withdrawn`` instead of
``parties``, and it is left out of the signatories too, as in
:meth:`tracker.domain.TreatyStatus.row_counts` (the project's reading of the page counts).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from tracker.domain import ChangeKind, ConsentKind, Counts, Participant, TreatyStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HistoryView:
    """The participants of a treaty as they stood at the end of day ``at``.

    ``parties``: consent deposited by then (not withdrawn). ``signed``: signed by then but
    not (yet) a party. ``not_yet``: neither signed nor consented by then. ``withdrawn``:
    consented by then but shown as withdrawn today (see the module docstring). Each tuple
    keeps page order. ``counts.signatories`` counts the participants not withdrawn that had
    signed by then (parties included), or is None when the page has no signatures at all
    and states no such count (nothing to count, not zero); ``counts.parties`` is
    ``len(parties)``.
    """

    mtdsg_no: str
    at: date
    parties: tuple[Participant, ...]
    signed: tuple[Participant, ...]
    not_yet: tuple[Participant, ...]
    withdrawn: tuple[Participant, ...]
    counts: Counts


def status_at(status: TreatyStatus, at: date) -> HistoryView:
    """The participants of ``status`` as they stood at the end of day ``at``."""
    parties: list[Participant] = []
    signed: list[Participant] = []
    not_yet: list[Participant] = []
    withdrawn: list[Participant] = []
    signatories = 0
    for p in status.participants:
        has_signed = p.signature is not None and p.signature <= at
        has_consented = p.consent is not None and p.consent.date <= at
        if has_signed and not p.withdrawn:
            signatories += 1
        if has_consented:
            (withdrawn if p.withdrawn else parties).append(p)
        elif has_signed:
            signed.append(p)
        else:
            not_yet.append(p)
    return HistoryView(
        mtdsg_no=status.mtdsg_no,
        at=at,
        parties=tuple(parties),
        signed=tuple(signed),
        not_yet=tuple(not_yet),
        withdrawn=tuple(withdrawn),
        counts=Counts(
            # a page without a Signature column (an amendment accepted, not signed) gives
            # no signatories count: that is unknown, not zero
            signatories=None if _no_signatures(status) else signatories,
            parties=len(parties),
        ),
    )


def _no_signatures(status: TreatyStatus) -> bool:
    return status.counts.signatories is None and all(
        p.signature is None for p in status.participants
    )


def parties_over_time(status: TreatyStatus) -> list[tuple[date, int]]:
    """Cumulative number of parties at each consent date, in date order (one point per date).

    Withdrawn participants are left out (see the module docstring), so the last point equals
    the page's own count of parties.
    """
    per_day: dict[date, int] = {}
    for p in status.participants:
        if p.consent is not None and not p.withdrawn:
            per_day[p.consent.date] = per_day.get(p.consent.date, 0) + 1
    points: list[tuple[date, int]] = []
    total = 0
    for day in sorted(per_day):
        total += per_day[day]
        points.append((day, total))
    return points


class TimelineEvent(NamedTuple):
    """One dated act on the page: a signature or a consent."""

    date: date
    code: str
    name: str
    kind: ChangeKind  # SIGNATURE or CONSENT
    consent_kind: ConsentKind | None


def timeline(status: TreatyStatus) -> list[TimelineEvent]:
    """Every signature and consent on the page as a dated event, oldest first.

    On the same day, signatures come before consents, then page order. Withdrawn
    participants' acts are included: they happened (the withdrawal itself has no date on
    the rows and is not an event here).
    """
    events: list[tuple[date, int, int, TimelineEvent]] = []
    for index, p in enumerate(status.participants):
        if p.signature is not None:
            events.append(
                (
                    p.signature,
                    0,
                    index,
                    TimelineEvent(p.signature, p.code, p.name, ChangeKind.SIGNATURE, None),
                )
            )
        if p.consent is not None:
            events.append(
                (
                    p.consent.date,
                    1,
                    index,
                    TimelineEvent(
                        p.consent.date, p.code, p.name, ChangeKind.CONSENT, p.consent.kind
                    ),
                )
            )
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    return [e[3] for e in events]
