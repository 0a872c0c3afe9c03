"""Watches -> alerts: matching, exactly-once queueing, delivery, retries, digests, health."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tests.helpers_mail import PASSWORD, smtp_server, text_of
from tests.helpers_webhook import Webhook
from tracker import alerts
from tracker.models import Alert, ChangeEvent, Participant, ParticipantStatus, Poll, Treaty

OPIC = "IV-11-d"
OPIC_TITLE = (
    "Optional Protocol to the Convention on the Rights of the Child on a communications procedure"
)
OPIC_URL = (
    "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-11-d&chapter=4&clang=_en"
)
T0 = datetime(2014, 6, 2, 6, 0, tzinfo=UTC)


def _id(value: int | None) -> int:
    assert value is not None
    return value


def add_treaty(s: Session, mtdsg_no: str = OPIC, title: str = OPIC_TITLE) -> Treaty:
    treaty = Treaty(mtdsg_no=mtdsg_no, title_en=title, language="en", source_url=OPIC_URL)
    s.add(treaty)
    s.flush()
    return treaty


def add_event(
    s: Session,
    *,
    code: str = "BEL",
    name: str = "Belgium",
    mtdsg_no: str = OPIC,
    kind: str = "consent",
    effective: date | None = date(2014, 5, 30),
    observed_at: datetime = T0,
    in_force: date | None = date(2014, 8, 30),
) -> ChangeEvent:
    """One completed poll of ``mtdsg_no`` with one change event (and the status row)."""
    treaty = s.exec(select(Treaty).where(Treaty.mtdsg_no == mtdsg_no)).first() or add_treaty(
        s, mtdsg_no
    )
    poll = Poll(
        mtdsg_no=mtdsg_no,
        url=OPIC_URL,
        started_at=observed_at,
        finished_at=observed_at,
        outcome="changed",
        events=1,
    )
    s.add(poll)
    if s.get(Participant, code) is None:
        s.add(Participant(code=code, name_en=name, first_seen_at=observed_at))
    s.flush()
    row = s.exec(
        select(ParticipantStatus).where(
            ParticipantStatus.treaty_id == treaty.id, ParticipantStatus.participant_code == code
        )
    ).first()
    if row is None:
        s.add(
            ParticipantStatus(
                treaty_id=_id(treaty.id),
                participant_code=code,
                name=name,
                signature_date=date(2012, 2, 28),
                consent_date=effective if kind == "consent" else None,
                in_force_date=in_force,
                updated_at=observed_at,
            )
        )
    event = ChangeEvent(
        poll_id=_id(poll.id),
        mtdsg_no=mtdsg_no,
        participant_code=code,
        participant_name=name,
        kind=kind,
        consent_kind="ratification" if kind == "consent" else None,
        new_value=effective.isoformat() if effective else None,
        effective_date=effective,
        observed_at=observed_at,
        source_url=OPIC_URL,
    )
    s.add(event)
    s.commit()
    return event


def watch(s: Session, url: str, **kwargs: object) -> int:
    kwargs.setdefault("created_at", T0 - timedelta(days=1))
    w = alerts.add_watch(session=s, label="test", notify_url=url, **kwargs)  # type: ignore[arg-type]
    s.commit()
    assert w.id is not None
    return w.id


def alert_rows(engine: Engine) -> list[Alert]:
    with Session(engine) as s:
        return list(s.exec(select(Alert).order_by(col(Alert.id))))


BELGIUM_SENTENCE = (
    "Belgium ratified the Optional Protocol to the Convention on the Rights of the Child on a "
    "communications procedure (IV-11-d) on 30 May 2014; it enters into force for Belgium on "
    "30 August 2014."
)


def test_matching_and_enqueue_exactly_once(engine: Engine, session: Session) -> None:
    event_id = _id(add_event(session).id)
    add_event(session, code="ALB", name="Albania", kind="signature")
    watch(session, "json://127.0.0.1:9/a", country_code="BEL")  # Belgium, any treaty
    watch(session, "json://127.0.0.1:9/b", mtdsg_no=OPIC, kinds=["signature"])
    watch(session, "json://127.0.0.1:9/c", country_code="FRA")  # nothing for France
    late = watch(session, "json://127.0.0.1:9/d", mtdsg_no=OPIC, created_at=T0 + timedelta(1))

    assert alerts.enqueue(session=session, now=T0) == 2
    assert alerts.enqueue(session=session, now=T0) == 0  # idempotent
    rows = alert_rows(engine)
    assert [(a.watch_id, a.event_id) for a in rows] == [(1, event_id), (2, event_id + 1)]
    assert all(a.status == "pending" for a in rows)
    assert late not in {a.watch_id for a in rows}  # older events are not alerted

    # The UNIQUE(watch, event) row is the guard even against a direct second insert.
    with pytest.raises(sa.exc.IntegrityError), Session(engine) as s:
        s.add(Alert(watch_id=1, event_id=event_id))
        s.commit()


def test_delivery_to_local_webhook_message_text(engine: Engine, session: Session) -> None:
    hook = Webhook().start()
    try:
        add_event(session)
        watch(session, hook.url, country_code="BEL")
        alerts.enqueue(session=session, now=T0)
        report = alerts.deliver_due(engine=engine, now=T0)
        again = alerts.deliver_due(engine=engine, now=T0 + timedelta(hours=1))
    finally:
        hook.stop()
    assert (report.sent, report.failed, report.messages) == (1, 0, 1)
    assert again.sent == 0
    [message] = hook.messages()
    assert message["title"] == "Treaty tracker: Belgium, ratification (IV-11-d)"
    assert message["message"] == f"{BELGIUM_SENTENCE} Source: {OPIC_URL}"
    [row] = alert_rows(engine)
    assert row.status == "sent" and row.attempts == 1 and row.sent_at == T0


def test_french_watch(engine: Engine, session: Session) -> None:
    hook = Webhook().start()
    try:
        add_event(session)
        watch(session, hook.url, country_code="BEL", language="fr")
        alerts.enqueue(session=session, now=T0)
        alerts.deliver_due(engine=engine, now=T0)
    finally:
        hook.stop()
    [message] = hook.messages()
    assert message["message"].startswith("Belgique : ratification le 30 mai 2014 — ")
    assert "entrée en vigueur à son égard le 30 août 2014." in message["message"]
    assert message["message"].endswith(f"Source : {OPIC_URL}")


def test_endpoint_down_retries_with_backoff_then_one_delivery(
    engine: Engine, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    hook = Webhook()  # not started: connection refused
    secret_url = f"json://user:{PASSWORD}@127.0.0.1:{hook.port}/hook"
    add_event(session)
    watch(session, secret_url, country_code="BEL")
    alerts.enqueue(session=session, now=T0)

    first = alerts.deliver_due(engine=engine, now=T0)
    assert first.failed == 1
    [row] = alert_rows(engine)
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.next_attempt_at == T0 + timedelta(minutes=1)
    assert row.last_error and "Connection error" in row.last_error

    # Not due yet: nothing is tried.
    assert alerts.deliver_due(engine=engine, now=T0 + timedelta(seconds=30)).failed == 0
    assert alert_rows(engine)[0].attempts == 1

    t1 = T0 + timedelta(minutes=1)
    assert alerts.deliver_due(engine=engine, now=t1).failed == 1
    [row] = alert_rows(engine)
    assert (row.status, row.attempts, row.next_attempt_at) == (
        "failed",
        2,
        t1 + timedelta(2 / 1440),
    )

    hook.start()
    try:
        t2 = t1 + timedelta(minutes=2)
        done = alerts.deliver_due(engine=engine, now=t2)
        later = alerts.deliver_due(engine=engine, now=t2 + timedelta(hours=1))
    finally:
        hook.stop()
    assert (done.sent, later.sent, later.failed) == (1, 0, 0)
    assert len(hook.messages()) == 1
    [row] = alert_rows(engine)
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, None)
    assert PASSWORD not in caplog.text
    assert PASSWORD not in (first.errors[0])


def test_backoff_grows_and_is_capped() -> None:
    assert [alerts.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert alerts.backoff(30) == alerts.BACKOFF_MAX


def test_gives_up_after_max_attempts_and_retry_requeues(engine: Engine, session: Session) -> None:
    add_event(session)
    watch(session, "json://127.0.0.1:9/unreachable", country_code="BEL")
    alerts.enqueue(session=session, now=T0)
    now = T0
    for _ in range(alerts.MAX_ATTEMPTS):
        alerts.deliver_due(engine=engine, now=now)
        now += alerts.BACKOFF_MAX
    [row] = alert_rows(engine)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", alerts.MAX_ATTEMPTS, None)
    assert alerts.deliver_due(engine=engine, now=now + timedelta(days=9)).failed == 0
    assert alerts.retry(session=session) == 1
    assert alert_rows(engine)[0].status == "pending"


def test_digest_one_message_per_day(engine: Engine, session: Session) -> None:
    hook = Webhook().start()
    try:
        add_event(session)
        add_event(session, code="ALB", name="Albania", observed_at=T0 + timedelta(hours=3))
        add_event(session, code="AND", name="Andorra", observed_at=T0 + timedelta(days=1))
        watch(session, hook.url, mtdsg_no=OPIC, digest=True)
        alerts.enqueue(session=session, now=T0 + timedelta(days=1))
        same_day = alerts.deliver_due(engine=engine, now=T0 + timedelta(hours=12))
        next_day = alerts.deliver_due(engine=engine, now=T0 + timedelta(days=1, hours=1))
    finally:
        hook.stop()
    assert same_day.sent == 0
    assert (next_day.sent, next_day.messages) == (2, 1)  # the 3 June event waits for 4 June
    [message] = hook.messages()
    assert message["title"] == "Treaty tracker: 2 changes on 2 June 2014"
    lines = message["message"].splitlines()
    assert lines[0] == "Changes seen on 2 June 2014:"
    assert lines[1].startswith("- Belgium ratified") and lines[2].startswith("- Albania ratified")
    assert [a.status for a in alert_rows(engine)] == ["sent", "sent", "pending"]


def test_email_delivery_html_escapes_scraped_text(
    sqlite_engine: Engine, sqlite_session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with smtp_server() as box:
        add_event(sqlite_session, code="XKX", name="Kosovo <b>&</b>", in_force=None)
        watch(sqlite_session, box.url(), country_code="XKX")
        alerts.enqueue(session=sqlite_session, now=T0)
        report = alerts.deliver_due(engine=sqlite_engine, now=T0)
    assert report.sent == 1, report.errors
    [message] = box.messages
    assert box.logins == ["officer"]
    assert message["To"] == "watcher@example.org"
    assert message["Subject"] == "Treaty tracker: Kosovo <b>&</b>, ratification (IV-11-d)"
    html = text_of(message)
    assert "Kosovo &lt;b&gt;&amp;&lt;/b&gt; ratified the Optional Protocol" in html
    assert "<b>&</b>" not in html
    assert f'<a href="{OPIC_URL.replace("&", "&amp;")}">' in html
    assert PASSWORD not in caplog.text


def _failed_poll(s: Session, mtdsg_no: str, at: datetime, outcome: str = "error") -> None:
    s.add(
        Poll(
            mtdsg_no=mtdsg_no,
            url=OPIC_URL,
            started_at=at,
            finished_at=at,
            outcome=outcome,
            error="the server answered HTTP 503",
        )
    )
    s.commit()


def test_health_alerts_once_until_cleared(engine: Engine, session: Session) -> None:
    with Session(engine) as s:
        s.execute(alerts.health_condition.delete())  # PostgreSQL: not emptied by the fixture
        s.commit()
    sent: list[tuple[str, str]] = []

    def sender(url: str, *, title: str, body: str, fmt: str) -> None:
        sent.append((url, body))

    def check(now: datetime) -> alerts.HealthReport:
        return alerts.check_health(
            engine=engine,
            treaties=[OPIC],
            failure_threshold=3,
            max_quiet=timedelta(days=2),
            operator_urls=["json://127.0.0.1:9/ops"],
            now=now,
            watching_since=T0,
            sender=sender,
        )

    session.add(Poll(mtdsg_no=OPIC, url=OPIC_URL, started_at=T0, finished_at=T0, outcome="new"))
    session.commit()
    for i in range(2):
        _failed_poll(session, OPIC, T0 + timedelta(hours=i + 1))
    assert check(T0 + timedelta(hours=3)).notified == []
    _failed_poll(session, OPIC, T0 + timedelta(hours=4), outcome="suspect")
    report = check(T0 + timedelta(hours=5))
    assert report.notified == [f"failures:{OPIC}"]
    assert "the last 3 polls failed or were suspect" in sent[0][1]
    _failed_poll(session, OPIC, T0 + timedelta(hours=6))
    assert check(T0 + timedelta(hours=7)).notified == []  # once until it clears
    assert len(sent) == 1

    # No success for more than twice the interval: the stale condition too.
    report = check(T0 + timedelta(days=3))
    assert report.notified == ["stale"]

    session.add(
        Poll(
            mtdsg_no=OPIC,
            url=OPIC_URL,
            started_at=T0 + timedelta(days=3),
            finished_at=T0 + timedelta(days=3),
            outcome="unchanged",
        )
    )
    session.commit()
    report = check(T0 + timedelta(days=3, hours=1))
    assert sorted(report.cleared) == [f"failures:{OPIC}", "stale"]
    assert sum(body.startswith("Resolved:") for _, body in sent) == 2

    for i in range(3):
        _failed_poll(session, OPIC, T0 + timedelta(days=3, hours=2 + i))
    assert check(T0 + timedelta(days=3, hours=6)).notified == [f"failures:{OPIC}"]
