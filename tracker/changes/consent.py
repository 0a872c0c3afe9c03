"""Consent events (ratification, accession, succession ...): a new instrument, and a
consent date or kind corrected or removed. PURE: no clock, no I/O."""

from __future__ import annotations

import logging

from tracker.changes.events import EventMaker, iso
from tracker.domain import Change, ChangeKind, Participant

logger = logging.getLogger(__name__)


def new_consent(cur: Participant, change: EventMaker, *, old_date: str | None = None) -> Change:
    """A ``consent`` event for the consent now on the page (which must have one)."""
    assert cur.consent is not None
    return change(
        ChangeKind.CONSENT,
        cur,
        old=old_date,
        new=cur.consent.date.isoformat(),
        effective=cur.consent.date,
        consent_kind=cur.consent.kind,
    )


def consent_changes(
    old: Participant, cur: Participant, change: EventMaker, *, re_joined: bool
) -> tuple[list[Change], bool]:
    """The consent events from ``old`` to ``cur``, and whether a re-join (brackets removed)
    is still unexplained after them.

    A consent that appears, or a new consent date for a participant that was withdrawn and
    is no longer (``re_joined``: a new instrument), gives ``consent``, which explains the
    re-join. Otherwise a changed or removed date is a ``date_correction`` with
    ``detail="consent"``, and a changed kind one with ``detail="consent_kind"``.
    """
    if old.consent == cur.consent:
        return [], re_joined
    if cur.consent is not None and (
        old.consent is None or (re_joined and old.consent.date != cur.consent.date)
    ):
        was = None if old.consent is None else old.consent.date.isoformat()
        return [new_consent(cur, change, old_date=was)], False

    events: list[Change] = []
    old_date = None if old.consent is None else old.consent.date
    new_date = None if cur.consent is None else cur.consent.date
    if old_date != new_date:
        events.append(
            change(
                ChangeKind.DATE_CORRECTION,
                cur,
                old=iso(old_date),
                new=iso(new_date),
                effective=new_date,
                consent_kind=None if cur.consent is None else cur.consent.kind,
                detail="consent",
            )
        )
    if old.consent is not None and cur.consent is not None and old.consent.kind != cur.consent.kind:
        events.append(
            change(
                ChangeKind.DATE_CORRECTION,
                cur,
                old=str(old.consent.kind),
                new=str(cur.consent.kind),
                effective=cur.consent.date,
                consent_kind=cur.consent.kind,
                detail="consent_kind",
            )
        )
    return events, re_joined
