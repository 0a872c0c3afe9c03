"""The Council of Europe Treaty Office's record (the Secretary General of the Council of Europe
is the depositary): ids, addresses, participant codes and the reader. See
:mod:`tracker.sources.coe.reader` for what is read and :mod:`tracker.sources.coe.ids` for how
a treaty is named (``CETS-201``)."""

from __future__ import annotations

from tracker.sources.base import Source
from tracker.sources.coe import ids
from tracker.sources.coe.reader import make_bundle, read

__all__ = ["SOURCE", "make_bundle", "read"]

SOURCE = Source(
    id="coe",
    name="Council of Europe Treaty Office",
    depositary="Secretary General of the Council of Europe",
    languages=ids.LANGUAGES,
    id_example="CETS-201",
    parse_id=ids.parse_treaty_id,
    status_url=ids.chart_url,
    read=read,
)
