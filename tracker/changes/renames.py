"""Rename events: the same participant (same code) under a new name. PURE: no clock, no I/O."""

from __future__ import annotations

import logging

from tracker.changes.events import EventMaker
from tracker.domain import Change, ChangeKind, Participant

logger = logging.getLogger(__name__)


def rename_changes(
    old: Participant, cur: Participant, change: EventMaker, *, same_language: bool
) -> list[Change]:
    """``rename`` when the name changed and both pages are in the same language (the EN and
    FR pages spell every name differently)."""
    if not same_language or old.name == cur.name:
        return []
    return [change(ChangeKind.RENAME, cur, old=old.name, new=cur.name)]
