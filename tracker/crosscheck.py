"""A second opinion: where an OHCHR dashboard export disagrees with the tracker's stored status.

PURE: no clock, no I/O, no database. Disagreements are findings for a person to look at,
**never change events**: OHCHR mirrors the depositary's record and can lag behind it, and a
lagging mirror is not news. Nothing here writes anywhere.

What is compared, per participant (by stable code):

* ``presence`` — one side has a signature or consent date for the State and the other has none
  (or does not list it at all);
* ``signature`` — both list the State, with different signature dates (one may be missing);
* ``consent`` — both list the State, with different consent dates (one may be missing). OHCHR
  gives one "Ratification/Accession" date and no kind, so only dates are compared.

Each disagreement carries our value with the page it was read from and when that was last
verified, and theirs with the export's name and "Last Updated" time.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from tracker.domain import Participant, TreatyStatus
from tracker.sources.ohchr.reader import OhchrExport, OhchrRow

logger = logging.getLogger(__name__)

__all__ = ["CrossCheck", "Disagreement", "Field", "crosscheck"]


class Field(StrEnum):
    PRESENCE = "presence"
    SIGNATURE = "signature"
    CONSENT = "consent"


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One State, one field, two values."""

    code: str
    name: str  # our name for the State, else OHCHR's
    field: Field
    ours: date | None
    theirs: date | None
    our_note: str | None = None  # e.g. "not listed", "withdrawn"
    their_note: str | None = None  # e.g. "not in the export", "no date"

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "field": str(self.field),
            "ours": _iso(self.ours),
            "theirs": _iso(self.theirs),
            "our_note": self.our_note,
            "their_note": self.their_note,
        }


@dataclass(frozen=True, slots=True)
class CrossCheck:
    """The result of comparing one stored status with one export."""

    treaty_id: str
    treaty_title: str
    our_source_url: str
    our_verified_at: datetime | None
    their_source: str
    their_title: str
    their_last_updated: datetime
    compared: int  # States looked at (either side)
    disagreements: tuple[Disagreement, ...]
    unidentified: tuple[str, ...]  # export rows whose names are unknown (not compared)

    def counts(self) -> dict[str, int]:
        """Number of disagreements per field, every field listed."""
        found = Counter(d.field for d in self.disagreements)
        return {str(f): found.get(f, 0) for f in Field}

    def to_json(self) -> dict[str, Any]:
        return {
            "treaty": self.treaty_id,
            "title": self.treaty_title,
            "ours": {
                "source_url": self.our_source_url,
                "verified_at": _iso(self.our_verified_at),
            },
            "theirs": {
                "source": self.their_source,
                "title": self.their_title,
                "last_updated": _iso(self.their_last_updated),
                "last_updated_time_zone": None,  # the export does not state one
            },
            "compared": self.compared,
            "counts": self.counts(),
            "disagreements": [d.to_json() for d in self.disagreements],
            "unidentified": list(self.unidentified),
            "note": (
                "Disagreements are not change events: the export is a mirror that can lag "
                "behind the depositary."
            ),
        }


def _standing(signature: date | None, consent: date | None, *, withdrawn: bool = False) -> str:
    """ "party, signed 2015-07-16", "signatory", "withdrawn party" ..."""
    if consent is None:
        text = "signatory"
    elif signature is None:
        text = "party"
    else:
        text = f"party, signed {signature.isoformat()}"
    return f"withdrawn {text}" if withdrawn else text


def _acted(p: Participant | None) -> bool:
    return p is not None and (p.signature is not None or p.consent is not None)


def _consent(p: Participant | None) -> date | None:
    return None if p is None or p.consent is None else p.consent.date


def crosscheck(
    ours: TreatyStatus, theirs: OhchrExport, *, verified_at: datetime | None
) -> CrossCheck:
    """Compare the stored status ``ours`` (last verified at ``verified_at``) with an export."""
    mine: dict[str, Participant] = {}
    for participant in ours.participants:
        mine.setdefault(participant.code, participant)
    their: dict[str, OhchrRow] = {r.code: r for r in theirs.rows if r.code is not None}
    order = list(their) + [code for code in mine if code not in their]
    found: list[Disagreement] = []
    for code in order:
        p, row = mine.get(code), their.get(code)
        name = p.name if p is not None else row.name if row is not None else code
        our_note = "withdrawn" if p is not None and p.withdrawn else None
        if _acted(p) != (row is not None and row.acted):
            if _acted(p):
                assert p is not None
                found.append(
                    Disagreement(
                        code,
                        name,
                        Field.PRESENCE,
                        _consent(p) or p.signature,
                        None,
                        our_note=_standing(p.signature, _consent(p), withdrawn=p.withdrawn),
                        their_note="not in the export" if row is None else "no date",
                    )
                )
            else:
                assert row is not None
                found.append(
                    Disagreement(
                        code,
                        name,
                        Field.PRESENCE,
                        None,
                        row.consent or row.signature,
                        our_note="not listed" if p is None else "no date",
                        their_note=_standing(row.signature, row.consent),
                    )
                )
            continue
        if p is None or row is None:
            continue  # neither side has any date for the State
        if p.signature != row.signature:
            found.append(
                Disagreement(code, name, Field.SIGNATURE, p.signature, row.signature, our_note)
            )
        if _consent(p) != row.consent:
            found.append(
                Disagreement(code, name, Field.CONSENT, _consent(p), row.consent, our_note)
            )
    logger.info(
        "cross-check of %s with %s: %d disagreement(s)", ours.mtdsg_no, theirs.source, len(found)
    )
    return CrossCheck(
        treaty_id=ours.mtdsg_no,
        treaty_title=ours.title,
        our_source_url=ours.url,
        our_verified_at=verified_at,
        their_source=theirs.source,
        their_title=theirs.title,
        their_last_updated=theirs.last_updated,
        compared=len(order),
        disagreements=tuple(found),
        unidentified=tuple(r.name for r in theirs.unidentified),
    )
