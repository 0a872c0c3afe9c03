"""Declaration events: declarations and reservations new, changed or removed.
PURE: no clock, no I/O."""

from __future__ import annotations

import logging

from tracker.changes.events import EventMaker
from tracker.domain import Change, ChangeKind, Participant

logger = logging.getLogger(__name__)


def new_declaration(cur: Participant, text: str | None, change: EventMaker) -> list[Change]:
    """A participant new to the stored state with a declaration text."""
    return [change(ChangeKind.DECLARATION, cur, new=text)] if text else []


def declaration_changes(
    cur: Participant,
    old_text: str | None,
    new_text: str | None,
    change: EventMaker,
    *,
    same_language: bool,
) -> list[Change]:
    """A changed text gives ``declaration`` (``detail="removed"`` when it is gone). When
    the two pages are in different languages the texts are translations and cannot be
    compared: only a text where there was none counts."""
    old_text = old_text or None
    new_text = new_text or None
    if old_text == new_text or not (same_language or old_text is None):
        return []
    if new_text is not None:
        return [change(ChangeKind.DECLARATION, cur, old=old_text, new=new_text)]
    return [change(ChangeKind.DECLARATION, cur, old=old_text, new=None, detail="removed")]
