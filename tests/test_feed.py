"""The Atom feed: valid XML (lxml), a watch's events newest first, stable tag URIs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lxml import etree
from sqlmodel import Session

from tests.test_alerts import OPIC_URL, T0, add_event, watch
from tracker import feed

NS = {"a": feed.ATOM_NS}
NOW = datetime(2014, 7, 1, tzinfo=UTC)


def test_feed_of_one_watch_newest_first(session: Session) -> None:
    add_event(session, code="BEL", name="Belgium")
    add_event(session, code="ALB", name="Albania", observed_at=T0 + timedelta(days=2))
    add_event(session, code="AND", name="Andorra & <Co>", observed_at=T0 + timedelta(days=1))
    add_event(session, code="BEL", name="Belgium", mtdsg_no="IV-11-c", kind="signature")
    watch_id = watch(session, "json://127.0.0.1:9/x", mtdsg_no="IV-11-d")

    data = feed.build_feed(session=session, now=NOW, contact="ops@example.org", watch_id=watch_id)
    root = etree.fromstring(data)
    assert root.tag == f"{{{feed.ATOM_NS}}}feed"
    assert root.findtext("a:id", namespaces=NS) == f"tag:ops@example.org,2025:watch/{watch_id}"
    entries = root.findall("a:entry", NS)
    titles = [e.findtext("a:title", namespaces=NS) for e in entries]
    assert titles == [
        "Treaty tracker: Albania, ratification (IV-11-d)",
        "Treaty tracker: Andorra & <Co>, ratification (IV-11-d)",
        "Treaty tracker: Belgium, ratification (IV-11-d)",
    ]
    updated = [e.findtext("a:updated", namespaces=NS) for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert root.findtext("a:updated", namespaces=NS) == updated[0]
    first = entries[0]
    assert first.findtext("a:id", namespaces=NS).startswith("tag:ops@example.org,2025:event/")
    assert first.find("a:link", NS).get("href") == OPIC_URL
    content = first.findtext("a:content", namespaces=NS)
    assert content.startswith("Albania ratified the Optional Protocol") and OPIC_URL in content
    assert b"Andorra &amp; &lt;Co&gt;" in data  # escaped by the XML serializer


def test_feed_of_all_events_and_unknown_watch(session: Session) -> None:
    add_event(session)
    add_event(session, code="BEL", mtdsg_no="IV-11-c", kind="signature", observed_at=NOW)
    root = etree.fromstring(
        feed.build_feed(session=session, now=NOW, contact="https://github.com/x/y")
    )
    assert root.findtext("a:id", namespaces=NS) == "tag:github.com,2025:events"
    assert len(root.findall("a:entry", NS)) == 2
    assert root.find("a:entry/a:category", NS).get("term") == "signature"
    try:
        feed.build_feed(session=session, now=NOW, contact="x@example.org", watch_id=99)
    except LookupError as exc:
        assert "no watch with id 99" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("an unknown watch must raise")
