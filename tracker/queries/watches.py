"""Read model and actions of the Watches view: watches, read marks, test messages."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from tracker.country_names import CountryMatch as CountryMatch  # re-exported
from tracker.country_names import resolve as resolve_country  # noqa: F401  (re-exported)
from tracker.models import (
    ChangeEvent,
    EventRead,
    Watch,
)
from tracker.queries.events import event_kinds

logger = logging.getLogger(__name__)


def mask_url(url: str) -> str:
    """An apprise URL with everything after the scheme hidden: ``mailto://••••``; an e-mail
    address with its user hidden: ``••••@ecpat.be``."""
    if "://" not in url and "@" in url:
        return "••••@" + url.strip().rsplit("@", 1)[1]
    scheme = urlsplit(url.strip()).scheme
    return f"{scheme}://••••" if scheme else "••••"


@dataclass(frozen=True, slots=True)
class WatchRow:
    id: int
    label: str
    country_code: str | None
    mtdsg_no: str | None
    kinds: tuple[str, ...]
    notify_masked: str
    digest: bool
    language: str
    active: bool
    created_at: datetime


def watches(*, session: Session) -> list[WatchRow]:
    """Every watch, oldest first; the apprise URL is masked (it may hold secrets)."""
    return [
        WatchRow(
            id=w.id or 0,
            label=w.label,
            country_code=w.country_code,
            mtdsg_no=w.mtdsg_no,
            kinds=tuple(k for k in w.kinds.split(",") if k),
            notify_masked=mask_url(w.notify_url),
            digest=w.digest,
            language=w.language,
            active=w.active,
            created_at=w.created_at,
        )
        for w in session.exec(select(Watch).order_by(col(Watch.id))).all()
    ]


def mark_read(*, session: Session, event_ids: Iterable[int], at: datetime) -> int:
    """Mark events as read (rows in ``event_read``; events themselves are never changed).
    Returns how many were newly marked."""
    ids = set(event_ids)
    if not ids:
        return 0
    known = set(session.exec(select(ChangeEvent.id).where(col(ChangeEvent.id).in_(ids))).all())
    already = set(
        session.exec(select(EventRead.event_id).where(col(EventRead.event_id).in_(ids))).all()
    )
    new = sorted(i for i in known - already if i is not None)
    for event_id in new:
        session.add(EventRead(event_id=event_id, read_at=at))
    session.flush()
    return len(new)


@dataclass(frozen=True, slots=True)
class WatchInput:
    label: str
    notify_url: str
    country_code: str | None = None
    mtdsg_no: str | None = None
    kinds: tuple[str, ...] = field(default_factory=tuple)
    digest: bool = False
    language: str = "en"


def add_watch(*, session: Session, watch: WatchInput) -> int:
    """Add a watch; ``ValueError`` for an empty label or address, an unknown kind or
    language, and :class:`tracker.notify.AddressError` (a ``ValueError``) for an address
    that could never deliver."""
    from tracker import notify  # apprise loads on first use, not with every page

    if not watch.label.strip() or not watch.notify_url.strip():
        raise ValueError("a watch needs a label and an address")
    address = notify.check_address(watch.notify_url)
    unknown = [k for k in watch.kinds if k not in event_kinds()]
    if unknown:
        raise ValueError(f"unknown kind(s) of change: {', '.join(unknown)}")
    if watch.language not in ("en", "fr"):
        raise ValueError(f"language must be 'en' or 'fr', not {watch.language!r}")
    row = Watch(
        label=watch.label.strip(),
        notify_url=address,
        country_code=watch.country_code or None,
        mtdsg_no=watch.mtdsg_no or None,
        kinds=",".join(watch.kinds),
        digest=watch.digest,
        language=watch.language,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def set_watch_active(*, session: Session, watch_id: int, active: bool) -> bool:
    row = session.get(Watch, watch_id)
    if row is None:
        return False
    row.active = active
    session.add(row)
    session.flush()
    return True


def send_watch_test(*, session: Session, watch_id: int) -> str:
    """Send the watch's test message now; return its masked address. ``LookupError`` for an
    unknown watch, :class:`tracker.notify.DeliveryError` (with the reason) if it fails."""
    from tracker import notify

    row = session.get(Watch, watch_id)
    if row is None:
        raise LookupError(f"no watch with id {watch_id}")
    notify.send_test(row.notify_url, label=row.label, language=row.language)
    return mask_url(row.notify_url)


def delete_watch(*, session: Session, watch_id: int) -> bool:
    row = session.get(Watch, watch_id)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True
