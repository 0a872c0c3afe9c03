"""Signature events: a new signature, and a signature date corrected or removed.
PURE: no clock, no I/O."""

from __future__ import annotations

import logging

from tracker.changes.events import EventMaker, iso
from tracker.domain import Change, ChangeKind, Participant

logger = logging.getLogger(__name__)


def new_signature(cur: Participant, change: EventMaker) -> list[Change]:
    """A ``signature`` event for a participant whose signature date is new."""
    if cur.signature is None:
        return []
    return [
        change(ChangeKind.SIGNATURE, cur, new=cur.signature.isoformat(), effective=cur.signature)
    ]


def signature_changes(old: Participant, cur: Participant, change: EventMaker) -> list[Change]:
    """A signature date that appears gives ``signature``; one that changes or disappears is
    a ``date_correction`` with ``detail="signature"``."""
    if old.signature == cur.signature:
        return []
    if old.signature is None:
        return new_signature(cur, change)
    return [
        change(
            ChangeKind.DATE_CORRECTION,
            cur,
            old=iso(old.signature),
            new=iso(cur.signature),
            effective=cur.signature,
            detail="signature",
        )
    ]
