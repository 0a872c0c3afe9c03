"""What a depositary's source is to the tracker: one small interface, one object per source.

A treaty belongs to one depositary (the UN Secretary-General, the Secretary General of the
Council of Europe ...), whose public record of signatures and ratifications the tracker reads.
Each source lives in its own package ``tracker/sources/<id>/`` and exposes a module-level
``SOURCE`` (a :class:`Source`); :mod:`tracker.sources` finds them.

Everything downstream of the reader (change events, alerts, ``check``, ``replay``, export)
works on :class:`~tracker.domain.TreatyStatus`, the same for every source, and the treaty id
(``TreatyStatus.mtdsg_no``, ``Treaty.mtdsg_no``) is written so that its form names its
source: ``IV-11-d`` (an MTDSG number) or ``CETS-201`` (a Council of Europe treaty).

``read`` is pure and deterministic: the same body and address give the same status, whenever
it runs. That is why it takes no observation time: ``replay`` and ``check`` re-read archived
bodies long after they were fetched and must find exactly what the poll found. A State whose
denunciation takes effect later is recorded with both dates (see
:class:`~tracker.domain.Participant`), not re-evaluated against a clock.

The UN reader fits as it is, ``parse_status_page(text, url)``; its package adds::

    SOURCE = Source(
        id="untc",
        name="United Nations Treaty Collection (MTDSG)",
        depositary="Secretary-General of the United Nations",
        languages=("en", "fr"),
        id_example="IV-11-d",
        parse_id=<MTDSG number or None>,
        status_url=lambda treaty_id, language: <the ViewDetails.aspx address>,
        read=parse_status_page,
    )
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from tracker.domain import TreatyStatus

logger = logging.getLogger(__name__)

#: A reader: the text of what was fetched and the address it is recorded under -> the status.
#: Raises :class:`~tracker.domain.ParseError` on anything that is not a usable answer.
Reader = Callable[[str, str], TreatyStatus]


@dataclass(frozen=True, slots=True)
class Source:
    """One depositary's public record, as the tracker reads it.

    * ``id`` — short, stable, stored in ``treaty.depositary``: ``"untc"``, ``"coe"``.
    * ``name`` / ``depositary`` — what users read: the record, and who keeps it.
    * ``languages`` — the languages its record is published in (``"en"``, ``"fr"``).
    * ``id_example`` — how a treaty id of this source is written, for help texts and errors.
    * ``parse_id(text)`` — the canonical treaty id for what a user typed (``"CETS 201"`` ->
      ``"CETS-201"``), or None when the text is not an id of this source.
    * ``status_url(treaty_id, language)`` — the public page a person reads for that treaty;
      the address polls are recorded under and the source link the app and alerts show.
    * ``read(text, url)`` — the pure reader (see :data:`Reader`).
    """

    id: str
    name: str
    depositary: str
    languages: tuple[str, ...]
    id_example: str
    parse_id: Callable[[str], str | None]
    status_url: Callable[[str, str], str]
    read: Reader

    def owns(self, treaty_id: str) -> bool:
        """Whether ``treaty_id`` is written as an id of this source."""
        return self.parse_id(treaty_id) is not None
