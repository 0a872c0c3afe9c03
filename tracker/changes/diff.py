"""The change events from the stored state of a treaty to a newly parsed status page.
PURE: no clock, no I/O. Each kind of change has its module; this one walks the
participants and puts the events in their fixed order."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from tracker.changes.actions import action_changes
from tracker.changes.consent import consent_changes, new_consent
from tracker.changes.declarations import declaration_changes, new_declaration
from tracker.changes.events import EventMaker
from tracker.changes.renames import rename_changes
from tracker.changes.signature import new_signature, signature_changes
from tracker.changes.treaty import treaty_changes
from tracker.changes.withdrawal import disappeared, new_withdrawn, withdrawal_changes
from tracker.domain import Change, Participant, TreatyStatus

logger = logging.getLogger(__name__)


def diff(
    previous: TreatyStatus | None,
    current: TreatyStatus,
    *,
    observed_at: datetime,
    unlisted: frozenset[str] = frozenset(),
) -> list[Change]:
    """The change events from ``previous`` (the stored state) to ``current`` (the new page).

    ``previous`` may hold participants that had already disappeared from the page; their
    codes are in ``unlisted``. Such a participant that is still missing gives nothing; one
    that comes back is compared like any other (same values: nothing).

    ``previous is None`` (first poll: the baseline) gives ``[]``, and so does
    ``diff(x, x)``. Events come in a fixed order: participants in page order (for each:
    rename, signature, consent, date corrections, withdrawal, actions, declaration), then
    participants missing from the page (in stored order), then the treaty-level event.

    Notes on choices made:

    * A rename is reported only when both pages are in the same language (the EN and FR
      pages spell every name differently). A rename alone gives exactly one event; if the
      same poll also shows a new date for that participant, that event is reported too.
    * When the languages differ, declaration texts cannot be compared (they are
      translations): only a participant that had no text before and has one now gives a
      ``declaration`` event.
    * A withdrawn participant that reappears without brackets and with a new consent date
      has deposited a new instrument: that is a ``consent`` event. Brackets removed with
      the same dates is a correction of the record: ``date_correction`` with
      ``detail="withdrawn"``.
    """
    if previous is None:
        return []

    change = EventMaker(current=current, observed_at=observed_at)
    same_language = previous.language == current.language
    before = _by_code(previous.participants)
    now = _by_code(current.participants)
    events: list[Change] = []

    for code, cur in now.items():
        old = before.get(code)
        if old is None:
            # A participant new to the stored state.
            events += new_signature(cur, change)
            if cur.consent is not None:
                events.append(new_consent(cur, change))
            events += new_withdrawn(cur, change)
            events += new_declaration(cur, current.declarations.get(code), change)
            events += action_changes((), cur, change)
            continue

        events += rename_changes(old, cur, change, same_language=same_language)
        events += signature_changes(old, cur, change)
        consent_events, re_joined = consent_changes(
            old, cur, change, re_joined=old.withdrawn and not cur.withdrawn
        )
        events += consent_events
        events += withdrawal_changes(old, cur, change, re_joined=re_joined)
        events += action_changes(old.actions, cur, change)
        events += declaration_changes(
            cur,
            previous.declarations.get(code),
            current.declarations.get(code),
            change,
            same_language=same_language,
        )

    # Listed participants missing from the page: flagged for review, never a withdrawal.
    events += disappeared(before, now, unlisted, change)
    events += treaty_changes(previous, current, change)

    logger.debug("diff %s: %d change(s)", current.mtdsg_no, len(events))
    return events


def _by_code(participants: Iterable[Participant]) -> dict[str, Participant]:
    """Participants by code, in order; a repeated code keeps its first row (see assess)."""
    out: dict[str, Participant] = {}
    for p in participants:
        out.setdefault(p.code, p)
    return out
