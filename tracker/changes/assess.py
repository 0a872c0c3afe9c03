"""Whether a parsed page can be trusted: its own counts against its rows, participants
listed twice or gone missing, declarations gone, another treaty or language. PURE: no
clock, no I/O.

What the page's "Signatories" and "Parties" count is taken from
:meth:`tracker.domain.TreatyStatus.row_counts`, the project's single convention:
participants not withdrawn (withdrawn ones are shown in brackets) with a signature date,
and with a consent date (ratification, accession, succession ...). A later ratification
does not remove a participant from the signatories.
"""

from __future__ import annotations

import logging
import math
from collections import Counter

from tracker.domain import TreatyStatus

logger = logging.getLogger(__name__)

#: A page that keeps fewer than this share of the participants listed last time is suspect.
MIN_KEEP_RATIO = 0.9
#: ... and so is one that loses more than this many listed participants, whatever the share
#: (for small treaties 10 % is less than one row: losing one or two rows is still allowed).
MAX_LOST_FLOOR = 2


def assess(
    previous: TreatyStatus | None,
    current: TreatyStatus,
    *,
    expected_mtdsg_no: str | None = None,
    expected_language: str | None = None,
    unlisted: frozenset[str] = frozenset(),
) -> list[str]:
    """The reasons ``current`` must not be trusted; ``[]`` when it looks sound.

    Checks: the page's own counts against its rows (``TreatyStatus.row_counts()``; a
    count the page does not give is skipped, and a disagreement already present, with the
    same offset, in the stored state is a known quirk of that page and
    is not reported again), no participants, a code listed twice, far fewer participants
    than the stored state (more than ``max(MAX_LOST_FLOOR, (1 - MIN_KEEP_RATIO) * n)`` of
    the ``n`` listed participants missing; codes in ``unlisted`` had already disappeared
    and are not counted), all declaration texts gone, another treaty or another language
    than expected (or than the stored state).
    """
    reasons: list[str] = []
    rows = current.participants

    if not rows:
        reasons.append("The page lists no participants.")

    reasons.extend(count_mismatches(previous, current))

    codes = [p.code for p in rows]
    repeated = sorted(c for c, n in Counter(codes).items() if n > 1)
    if repeated:
        reasons.append(
            f"The page lists {len(repeated)} participant code(s) more than once: "
            + ", ".join(repeated)
            + "."
        )

    if previous is not None:
        listed = [p.code for p in previous.participants if p.code not in unlisted]
        listed_set = set(listed)
        present = set(codes)
        lost = sorted(listed_set - present)
        allowed = max(MAX_LOST_FLOOR, math.floor((1 - MIN_KEEP_RATIO) * len(listed_set)))
        if rows and len(lost) > allowed:
            reasons.append(
                f"{len(lost)} of the {len(listed_set)} participants listed last time are "
                f"missing from the page (at most {allowed} may go missing at once)."
            )
        if previous.declarations and not current.declarations:
            reasons.append(
                f"The stored state has declarations for {len(previous.declarations)} "
                "participant(s); the page has none."
            )
        if _norm(previous.mtdsg_no) != _norm(current.mtdsg_no):
            reasons.append(
                f"The page is for treaty {current.mtdsg_no}, but the stored state is for "
                f"{previous.mtdsg_no}."
            )

    if expected_mtdsg_no is not None and _norm(expected_mtdsg_no) != _norm(current.mtdsg_no):
        reasons.append(
            f"The page is for treaty {current.mtdsg_no}, but {expected_mtdsg_no} was requested."
        )
    if expected_language is not None and _norm(expected_language) != _norm(current.language):
        reasons.append(
            f"The page is in language {current.language!r}, but {expected_language!r} "
            "was requested."
        )
    return reasons


def count_mismatches(previous: TreatyStatus | None, current: TreatyStatus) -> list[str]:
    """The page's own counts against its rows (``TreatyStatus.row_counts()``), one sentence
    per disagreement; a count the page does not give is skipped, and a disagreement already
    present, with the same offset, in ``previous`` (the stored state) is a known quirk of that
    page and is not reported again. Part of :func:`assess`."""
    reasons: list[str] = []
    implied = current.row_counts()
    for label, stated, actual in (
        ("signatories", current.counts.signatories, implied.signatories),
        ("parties", current.counts.parties, implied.parties),
    ):
        if stated is None or actual is None or stated == actual:
            continue
        if _offset(previous, label) == stated - actual:
            logger.info(
                "%s: page states %d %s, rows give %d, as in the stored state; not suspect",
                current.mtdsg_no,
                stated,
                label,
                actual,
            )
            continue
        reasons.append(f"The page states {stated} {label} but its rows give {actual}.")
    return reasons


def _offset(status: TreatyStatus | None, which: str) -> int | None:
    """Stated count minus the count from the rows, in a stored state (None if unknown)."""
    if status is None:
        return None
    implied = status.row_counts()
    if which == "signatories":
        stated, actual = status.counts.signatories, implied.signatories
    else:
        stated, actual = status.counts.parties, implied.parties
    return None if stated is None or actual is None else stated - actual


def _norm(value: str) -> str:
    return value.strip().casefold()
