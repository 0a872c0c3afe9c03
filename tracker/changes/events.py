"""How one change event is made: the treaty, the page's address and the time it was observed
are the same for every event of one diff. PURE: no clock, no I/O."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from tracker.domain import Change, ChangeKind, ConsentKind, Participant, TreatyStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EventMaker:
    """Makes the change events of one diff: ``current`` is the new page."""

    current: TreatyStatus
    observed_at: datetime

    def __call__(
        self,
        kind: ChangeKind,
        participant: Participant | None,
        *,
        old: str | None = None,
        new: str | None = None,
        effective: date | None = None,
        consent_kind: ConsentKind | None = None,
        detail: str | None = None,
    ) -> Change:
        return Change(
            kind=kind,
            mtdsg_no=self.current.mtdsg_no,
            participant_code=None if participant is None else participant.code,
            participant_name=None if participant is None else participant.name,
            old_value=old,
            new_value=new,
            effective_date=effective,
            observed_at=self.observed_at,
            source_url=self.current.url,
            consent_kind=consent_kind,
            detail=detail,
        )


def iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
