"""Action events (provisional application, notifications ...): new, changed or no longer
shown. PURE: no clock, no I/O."""

from __future__ import annotations

import logging

from tracker.changes.events import EventMaker
from tracker.domain import Action, Change, ChangeKind, Participant

logger = logging.getLogger(__name__)


def action_changes(
    before: tuple[Action, ...], cur: Participant, change: EventMaker
) -> list[Change]:
    """``action`` events: an action of a kind and column not there before (new), one whose
    date changed (old and new date), one no longer shown (new value None). ``detail`` is
    ``"<kind>: <column heading>"``."""
    old = {(a.kind, a.column): a for a in before}
    now = {(a.kind, a.column): a for a in cur.actions}
    out = []
    for key, action in now.items():
        was = old.get(key)
        if was is None or was.date != action.date:
            out.append(
                change(
                    ChangeKind.ACTION,
                    cur,
                    old=None if was is None else was.date.isoformat(),
                    new=action.date.isoformat(),
                    effective=action.date,
                    detail=f"{action.kind}: {action.column}",
                )
            )
    for key, was in old.items():
        if key not in now:
            out.append(
                change(
                    ChangeKind.ACTION,
                    cur,
                    old=was.date.isoformat(),
                    new=None,
                    detail=f"{was.kind}: {was.column}",
                )
            )
    return out
