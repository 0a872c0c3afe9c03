"""OHCHR's ratification dashboard exports: a second opinion, not a depositary (no ``SOURCE``).
See :mod:`tracker.sources.ohchr.reader` and :mod:`tracker.crosscheck`."""

from __future__ import annotations

from tracker.sources.ohchr.reader import OhchrExport, OhchrRow, read_export

__all__ = ["OhchrExport", "OhchrRow", "read_export"]
