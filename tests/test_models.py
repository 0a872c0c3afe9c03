"""The tables: UTC datetimes, constraints and defaults, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from tracker.models import (
    Alert,
    ChangeEvent,
    EventRead,
    Participant,
    ParticipantStatus,
    Poll,
    Treaty,
    Watch,
)

T0 = datetime(2015, 4, 14, 9, 30, tzinfo=UTC)


def _poll(session: Session, **kw: object) -> Poll:
    poll = Poll(mtdsg_no="IV-11-d", url="https://example.test/p", started_at=T0, outcome="new")
    for key, value in kw.items():
        setattr(poll, key, value)
    session.add(poll)
    session.flush()
    return poll


def test_datetimes_come_back_aware_in_utc(session: Session) -> None:
    new_york = timezone(timedelta(hours=-4))
    local = datetime(2014, 4, 23, 5, 1, 22, tzinfo=new_york)
    session.add(Treaty(mtdsg_no="IV-4", status_as_at=local, created_at=T0))
    session.commit()
    session.expunge_all()
    treaty = session.exec(select(Treaty)).one()
    assert treaty.status_as_at == local
    assert treaty.status_as_at is not None and treaty.status_as_at.tzinfo == UTC
    assert treaty.status_as_at.hour == 9
    assert treaty.created_at == T0 and treaty.created_at.tzinfo == UTC


def test_naive_datetimes_are_refused(session: Session) -> None:
    session.add(Treaty(mtdsg_no="IV-4", created_at=datetime(2020, 1, 1)))
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()


def test_mtdsg_no_is_unique(session: Session) -> None:
    session.add(Treaty(mtdsg_no="IV-11", created_at=T0))
    session.flush()
    session.add(Treaty(mtdsg_no="IV-11", created_at=T0))
    with pytest.raises(IntegrityError):
        session.flush()


def test_one_status_row_per_treaty_and_participant(session: Session) -> None:
    treaty = Treaty(mtdsg_no="IV-11-d", created_at=T0)
    session.add(treaty)
    session.add(Participant(code="BEL", name_en="Belgium", first_seen_at=T0))
    session.flush()
    assert treaty.id is not None
    row = ParticipantStatus(
        treaty_id=treaty.id,
        participant_code="BEL",
        name="Belgium",
        footnotes=["1", "2"],
        signature_date=date(2012, 2, 28),
        consent_date=date(2014, 5, 30),
        consent_kind="ratification",
        updated_at=T0,
    )
    session.add(row)
    session.commit()
    session.expunge_all()
    stored = session.exec(select(ParticipantStatus)).one()
    assert stored.footnotes == ["1", "2"]
    assert stored.signature_date == date(2012, 2, 28)
    assert stored.listed is True and stored.withdrawn is False
    session.add(
        ParticipantStatus(treaty_id=treaty.id, participant_code="BEL", name="B", updated_at=T0)
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(ParticipantStatus(treaty_id=999, participant_code="XXX", name="?", updated_at=T0))
    with pytest.raises(IntegrityError):
        session.flush()


def test_event_read_and_alert_constraints(session: Session) -> None:
    poll = _poll(session)
    assert poll.id is not None
    event = ChangeEvent(
        poll_id=poll.id,
        mtdsg_no="IV-11-d",
        participant_code="ARG",
        participant_name="Argentina",
        kind="consent",
        consent_kind="ratification",
        new_value="2015-04-14",
        effective_date=date(2015, 4, 14),
        observed_at=T0,
        source_url="https://example.test/p",
    )
    watch = Watch(
        label="Argentina", country_code="ARG", notify_url="json://localhost", created_at=T0
    )
    session.add_all([event, watch])
    session.flush()
    assert event.id is not None and watch.id is not None
    session.add(EventRead(event_id=event.id, read_at=T0))
    session.add(Alert(watch_id=watch.id, event_id=event.id, created_at=T0))
    session.commit()
    alert = session.exec(select(Alert)).one()
    assert (alert.status, alert.attempts, alert.sent_at) == ("pending", 0, None)
    assert watch.kinds == "" and watch.active and not watch.digest and watch.language == "en"
    session.add(Alert(watch_id=watch.id, event_id=event.id, created_at=T0))
    with pytest.raises(IntegrityError):
        session.flush()
