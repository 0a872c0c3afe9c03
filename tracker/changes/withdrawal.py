"""Withdrawal events: a participant now shown as withdrawn, one no longer shown so, and one
no longer listed at all (flagged for review, never a withdrawal). PURE: no clock, no I/O."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from tracker.changes.events import EventMaker
from tracker.domain import Change, ChangeKind, Participant

logger = logging.getLogger(__name__)


def withdrawal_changes(
    old: Participant, cur: Participant, change: EventMaker, *, re_joined: bool
) -> list[Change]:
    """``withdrawal`` when the brackets appear; when they go and no new instrument explains
    it (``re_joined``), a ``date_correction`` with ``detail="withdrawn"``."""
    if cur.withdrawn and not old.withdrawn:
        return [change(ChangeKind.WITHDRAWAL, cur, old=str(old.status), new="withdrawn")]
    if re_joined:
        return [
            change(ChangeKind.DATE_CORRECTION, cur, old="true", new="false", detail="withdrawn")
        ]
    return []


def new_withdrawn(cur: Participant, change: EventMaker) -> list[Change]:
    """A participant new to the stored state that is already shown as withdrawn."""
    if not cur.withdrawn:
        return []
    return [change(ChangeKind.WITHDRAWAL, cur, old=None, new=str(cur.status))]


def disappeared(
    before: Mapping[str, Participant],
    now: Mapping[str, Participant],
    unlisted: frozenset[str],
    change: EventMaker,
) -> list[Change]:
    """``disappeared`` for each listed participant (stored order) missing from the page;
    those in ``unlisted`` had already disappeared and give nothing."""
    return [
        change(ChangeKind.DISAPPEARED, old, old=str(old.status), new=None)
        for code, old in before.items()
        if code not in now and code not in unlisted
    ]
