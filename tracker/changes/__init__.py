"""What changed between the stored state of a treaty and a newly parsed status page.

PURE: no clock, no I/O. :func:`diff` lists the change events, :func:`assess` lists the
reasons a parsed page must not be trusted (the service then records the poll as
``suspect`` and applies nothing), and :func:`describe` turns one event into a sentence
for alerts and the app (English or French).

Participants are matched by their stable code, never by display name, so a renamed
State gives one ``rename`` event and not a withdrawal plus a new party.

The modules, by kind of change: ``signature``, ``consent``, ``withdrawal`` (and
participants no longer listed), ``renames``, ``declarations``, ``actions``, ``treaty``
(entry into force); ``diff`` puts them in order, ``events`` makes one event; ``assess``
checks a page (its counts against its rows ...); ``wording`` is the one wording of events,
kinds of change, of consent and of action, in English and French.
"""

from tracker.changes.assess import MAX_LOST_FLOOR, MIN_KEEP_RATIO, assess, count_mismatches
from tracker.changes.diff import diff
from tracker.changes.wording import KIND_NAMES, action_noun, consent_noun, describe, kind_name
from tracker.dates import format_date

__all__ = [
    "KIND_NAMES",
    "MAX_LOST_FLOOR",
    "MIN_KEEP_RATIO",
    "action_noun",
    "assess",
    "consent_noun",
    "count_mismatches",
    "describe",
    "diff",
    "format_date",
    "kind_name",
]
