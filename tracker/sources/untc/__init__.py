"""The reader of the UN Secretary-General's MTDSG status pages (treaties.un.org).

:func:`parse_status_page` is the entry point; :func:`other_treaty_number` tells a page that
is another treaty's. The modules, one job each: ``parsing`` (the entry point), ``columns``
(what a column heading means), ``table`` (the participants tables and their rows),
``header`` (title, dates, counts, language), ``declarations`` (declarations and
reservations), ``markup`` (HTML helpers). Dates are read by :mod:`tracker.dates`.
"""

from tracker.domain import ParseError
from tracker.sources.untc.header import other_treaty_number
from tracker.sources.untc.parsing import parse_status_page

__all__ = ["ParseError", "other_treaty_number", "parse_status_page"]
