"""The depositaries whose records the tracker reads, one package each, found by their ``SOURCE``.

Each reader is pure: page text in, :mod:`tracker.domain` objects out.

``tracker/sources/<id>/__init__.py`` defines ``SOURCE`` (a :class:`~tracker.sources.base.Source`);
:func:`all_sources` imports every such package once. A treaty id's form names its source
(``CETS-201`` is the Council of Europe's; an MTDSG number such as ``IV-11-d`` is the UN's), so
:func:`source_for` needs no database.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from functools import lru_cache

from tracker.domain import TreatyStatus
from tracker.sources.base import Reader, Source

logger = logging.getLogger(__name__)

__all__ = [
    "Reader",
    "Source",
    "all_sources",
    "by_id",
    "depositary_of",
    "read_status",
    "source_for",
]


@lru_cache(maxsize=1)
def all_sources() -> tuple[Source, ...]:
    """Every source package's ``SOURCE``, in package-name order."""
    found: list[Source] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        source = getattr(module, "SOURCE", None)
        if isinstance(source, Source):
            found.append(source)
    ids = [s.id for s in found]
    if len(set(ids)) != len(ids):
        raise RuntimeError(f"two source packages share an id: {ids}")
    return tuple(found)


def by_id(source_id: str) -> Source | None:
    """The source with that id (``"coe"``), or None."""
    return next((s for s in all_sources() if s.id == source_id), None)


def source_for(treaty_id: str) -> Source | None:
    """The source whose ids are written like ``treaty_id``, or None if none claims it."""
    owners = [s for s in all_sources() if s.owns(treaty_id)]
    if len(owners) > 1:
        raise RuntimeError(f"{treaty_id!r} is claimed by {[s.id for s in owners]}")
    return owners[0] if owners else None


def depositary_of(treaty_id: str, default: str = "untc") -> str:
    """The ``treaty.depositary`` value for a treaty id: its source's id, else ``default`` (an
    MTDSG number, until the UN reader's package registers its ``SOURCE``)."""
    source = source_for(treaty_id)
    return default if source is None else source.id


def read_status(text: str, url: str, treaty_id: str) -> TreatyStatus:
    """Read what a poll of ``treaty_id`` fetched with its source's reader (the UN's MTDSG
    reader for an MTDSG number). Raises :class:`~tracker.domain.ParseError`."""
    source = source_for(treaty_id)
    if source is not None:
        return source.read(text, url)
    from tracker.sources.untc import parse_status_page

    return parse_status_page(text, url)
