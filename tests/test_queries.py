"""Read models (tracker.queries) on a database built by record_poll from the fixture pages,
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine

from tests.app_support import CHANGE_TIME, build, build_with_changes, opic_with_brazil, poll
from tracker import db, queries


@pytest.fixture
def changed(engine: Engine) -> Engine:
    build_with_changes(engine)
    return engine


def test_belgium_on_opic(changed: Engine) -> None:
    with db.session(changed) as s:
        rows = queries.country_overview(session=s, code="BEL", treaties=["IV-2"])
    by_no = {r.mtdsg_no: r for r in rows}
    opic = by_no["IV-11-d"]
    assert opic.status == "party"
    assert opic.signature_date == date(2012, 2, 28)
    assert opic.consent_date == date(2014, 5, 30)
    assert opic.consent_kind == "ratification"
    assert opic.in_force_date == date(2014, 8, 30)
    assert opic.treaty_in_force_date == date(2014, 4, 14)
    assert opic.has_declarations and "article 12" in (opic.declaration_text or "")
    assert opic.source_url and "mtdsg_no=IV-11-d" in opic.source_url
    assert by_no["IV-2"].status == "no_data"  # tracked, never recorded
    assert by_no["IV-2"].title == "ICERD"  # its short name until its page is read
    assert [r.mtdsg_no for r in rows][:2] == ["IV-2", "IV-11"]


def test_statuses_signed_and_not_signed(changed: Engine) -> None:
    with db.session(changed) as s:
        austria = {r.mtdsg_no: r for r in queries.country_overview(session=s, code="AUT")}
        # The United States are not on the OPIC page at all: not signed.
        usa = {r.mtdsg_no: r for r in queries.country_overview(session=s, code="USA")}
    assert austria["IV-11-d"].status == "signed"
    assert austria["IV-11-d"].consent_date is None
    assert usa["IV-11-d"].status == "not_signed"
    assert usa["IV-11"].status == "signed"


def test_resolve_country() -> None:
    assert queries.resolve_country("Belgique").code == "BEL"
    assert queries.resolve_country("be").code == "BEL"
    congo = queries.resolve_country("Congo")
    assert congo.code is None or congo.code == "COG"
    ambiguous = queries.resolve_country("guinea")
    assert ambiguous.code == "GIN" or len(ambiguous.candidates) > 1
    many = queries.resolve_country("island")
    assert many.code is None and len(many.candidates) > 1
    assert queries.resolve_country("Atlantis").candidates == ()


def test_events_newest_first_filters_and_mark_read(changed: Engine) -> None:
    with db.session(changed) as s:
        found = queries.events(session=s)
        assert [e.participant_code for e in found] == ["BRA"]
        brazil = found[0]
        assert brazil.kind == "consent" and brazil.new_value == "2017-09-29"
        assert brazil.effective_date == date(2017, 9, 29)
        assert "Brazil" in brazil.sentence("en") and "Brésil" in brazil.sentence("fr")
        assert queries.events(session=s, country="BEL") == []
        assert queries.events(session=s, mtdsg_no="IV-11") == []
        assert queries.events(session=s, kinds=["withdrawal"]) == []
        assert queries.events(session=s, since=date(2017, 10, 2)) == []
        assert len(queries.events(session=s, since=date(2017, 10, 1))) == 1
        assert queries.mark_read(session=s, event_ids=[brazil.id], at=datetime.now(UTC)) == 1
        s.commit()
    with db.session(changed) as s:
        assert queries.events(session=s)[0].read is True
        assert queries.events(session=s, unread_only=True) == []
        assert queries.mark_read(session=s, event_ids=[brazil.id], at=datetime.now(UTC)) == 0


def test_data_source_snapshot_then_live(engine: Engine) -> None:
    with db.session(engine) as s:
        assert queries.data_source(session=s).kind == "empty"
    build(engine)
    snapshot_day = datetime(2015, 3, 14, tzinfo=UTC)
    with db.session(engine) as s:
        source = queries.data_source(session=s)
    assert source == queries.DataSource(
        "snapshot", snapshot_day, snapshot_day, 0, 6, date(2015, 3, 14)
    )
    build_with_changes_after(engine)
    with db.session(engine) as s:
        source = queries.data_source(session=s)
    # one treaty verified live on 2017-10-01, five still only the snapshot: the answer says
    # both, and the oldest verification is the snapshot's, not the newest live poll's
    assert source == queries.DataSource(
        "live", datetime(2017, 10, 1, 6, tzinfo=UTC), snapshot_day, 1, 5, date(2015, 3, 14)
    )


def build_with_changes_after(engine: Engine) -> None:
    assert poll(engine, "IV-11-d", opic_with_brazil(), CHANGE_TIME) == "changed"


def test_health_counts_failures(changed: Engine) -> None:
    with db.session(changed) as s:
        rows = {h.mtdsg_no: h for h in queries.health(session=s, treaties=["IV-16"])}
        assert queries.data_source(session=s).kind == "live"
    assert rows["IV-15"].outcome == "error"
    assert rows["IV-15"].failures_in_a_row == 1
    assert rows["IV-15"].error == "connection refused"
    assert rows["IV-15"].from_snapshot is True  # its last success is the 2015 page
    assert rows["IV-11-d"].outcome == "changed" and rows["IV-11-d"].failures_in_a_row == 0
    assert rows["IV-16"].last_poll_at is None


def test_history_and_parties_over_time(changed: Engine) -> None:
    with db.session(changed) as s:
        before = queries.history_at(session=s, mtdsg_no="IV-11-d", at=date(2014, 1, 13))
        after = queries.history_at(session=s, mtdsg_no="IV-11-d", at=date(2014, 1, 14))
        series = queries.parties_over_time(session=s, mtdsg_no="IV-11-d")
    assert before is not None and after is not None
    assert before.counts.parties == 9 and after.counts.parties == 10  # Costa Rica, 10th
    assert series[-1] == (date(2017, 9, 29), 17)


def test_participants_and_watches(changed: Engine) -> None:
    with db.session(changed) as s:
        rows = queries.participants(session=s, mtdsg_no="IV-11-d", language="fr")
        belgium = next(r for r in rows if r.code == "BEL")
        assert belgium.name == "Belgique" and belgium.page_name == "Belgium"
        assert belgium.alpha2 == "BE"
        watch_id = queries.add_watch(
            session=s,
            watch=queries.WatchInput(
                label="Belgium", notify_url="mailto://user:secret@example.org", country_code="BEL"
            ),
        )
        with pytest.raises(ValueError):
            queries.add_watch(session=s, watch=queries.WatchInput(label="", notify_url="x://"))
        s.commit()
        [watch] = queries.watches(session=s)
        assert watch.id == watch_id and watch.notify_masked == "mailto://••••"
        assert "secret" not in repr(watch)
        assert queries.set_watch_active(session=s, watch_id=watch_id, active=False)
        assert queries.delete_watch(session=s, watch_id=watch_id)
        assert not queries.delete_watch(session=s, watch_id=watch_id)


def test_next_scheduled_poll_from_cron(changed: Engine) -> None:
    with db.session(changed) as s:
        nxt = queries.next_scheduled_poll(
            session=s, cron="0 6 * * *", now=datetime(2024, 1, 1, 7, tzinfo=UTC)
        )
    assert nxt == queries.NextPoll(datetime(2024, 1, 2, 6, tzinfo=UTC), "cron")
