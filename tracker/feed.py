"""An Atom feed (RFC 4287) of change events: all of them, or one watch's.

Built with :mod:`lxml.etree` (never by string concatenation), newest first. Each entry has
a tag URI id (RFC 4151) that never changes for an event, the event's sentence as title and
content, the time it was observed as ``updated``, and a link to the UN status page it was
read from.
"""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import urlsplit

from lxml import etree
from sqlmodel import Session, col, select

from tracker import alerts, notify
from tracker.models import ChangeEvent, Watch

logger = logging.getLogger(__name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
#: Date part of the tag URIs (the year the scheme was set); never change it.
TAG_DATE = "2025"
DEFAULT_LIMIT = 500


def tag_authority(contact: str) -> str:
    """The authority of the tag URIs: an e-mail address or the host of the contact URL."""
    value = contact.strip()
    if value.startswith("mailto:"):
        value = value[len("mailto:") :]
    if "@" in value and "://" not in value:
        return value.lower()
    host = urlsplit(value).hostname
    return (host or "treaty-tracker.invalid").lower()


def _q(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _sub(
    parent: etree._Element, name: str, text: str | None = None, **attrs: str
) -> etree._Element:
    element = etree.SubElement(parent, _q(name), attrs)
    if text is not None:
        element.text = text
    return element


def build_feed(
    *,
    session: Session,
    now: datetime,
    contact: str,
    watch_id: int | None = None,
    limit: int = DEFAULT_LIMIT,
) -> bytes:
    """The feed as UTF-8 XML bytes. Raises LookupError for an unknown ``watch_id``."""
    authority = tag_authority(contact)
    language = "en"
    if watch_id is not None:
        watch = session.get(Watch, watch_id)
        if watch is None:
            raise LookupError(f"no watch with id {watch_id}")
        events = alerts.watch_events(session=session, watch=watch, limit=limit)
        language = watch.language
        title = f"Treaty tracker: {watch.label}"
        feed_id = f"tag:{authority},{TAG_DATE}:watch/{watch_id}"
    else:
        events = list(
            session.exec(
                select(ChangeEvent)
                .order_by(col(ChangeEvent.observed_at).desc(), col(ChangeEvent.id).desc())
                .limit(limit)
            )
        )
        title = "Treaty tracker: all changes"
        feed_id = f"tag:{authority},{TAG_DATE}:events"

    root = etree.Element(_q("feed"), nsmap={None: ATOM_NS})
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    _sub(root, "id", feed_id)
    _sub(root, "title", title)
    updated = events[0].observed_at if events else now
    _sub(root, "updated", updated.isoformat())
    author = _sub(root, "author")
    _sub(author, "name", "treaty-tracker")
    _sub(root, "generator", "treaty-tracker")
    for event in events:
        ctx = alerts.event_context(session=session, event=event, language=language)
        entry = _sub(root, "entry")
        _sub(entry, "id", f"tag:{authority},{TAG_DATE}:event/{event.id}")
        _sub(entry, "title", notify.event_title(ctx, language))
        _sub(entry, "updated", event.observed_at.isoformat())
        _sub(entry, "link", rel="alternate", type="text/html", href=event.source_url)
        _sub(entry, "category", term=event.kind)
        _sub(entry, "content", notify.event_message(ctx, language=language), type="text")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))
