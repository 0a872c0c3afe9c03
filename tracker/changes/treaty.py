"""Treaty-level events: the treaty's entry into force. PURE: no clock, no I/O."""

from __future__ import annotations

import logging

from tracker.changes.events import EventMaker, iso
from tracker.domain import Change, ChangeKind, TreatyStatus

logger = logging.getLogger(__name__)


def treaty_changes(
    previous: TreatyStatus, current: TreatyStatus, change: EventMaker
) -> list[Change]:
    """``treaty_in_force`` when the page gives an entry-into-force date it did not give, or
    another one (a date that disappears gives nothing)."""
    old_eif = None if previous.entry_into_force is None else previous.entry_into_force.date
    new_eif = None if current.entry_into_force is None else current.entry_into_force.date
    if new_eif is None or new_eif == old_eif:
        return []
    return [
        change(
            ChangeKind.TREATY_IN_FORCE,
            None,
            old=iso(old_eif),
            new=new_eif.isoformat(),
            effective=new_eif,
        )
    ]
