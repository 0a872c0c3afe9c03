"""Watches, the alert queue, delivery with retries, and operator health alerts.

Matching: a watch names a country (every tracked treaty), a treaty (every participant) or
both, and the event kinds it cares about (none named: all kinds). An event matches a watch
when each thing the watch names agrees with it; events observed before the watch was
created are not alerted (the Atom feed still lists them).

Exactly-once queueing: :func:`enqueue` inserts one :class:`~tracker.models.Alert` per
(watch, event) with ``INSERT ... ON CONFLICT DO NOTHING`` on the ``UNIQUE(watch_id,
event_id)`` row, so running it again (or from two processes, or after a restart) never
queues an event twice.

Delivery (:func:`deliver_due`), per message:

1. claim: one committed ``UPDATE`` moves ``next_attempt_at`` a lease ahead
   (:data:`CLAIM_LEASE`) and counts the attempt, only if the alerts are still due — so two
   deliverers never send the same alert at the same time;
2. send through apprise (:func:`tracker.notify.send`);
3. mark ``sent`` only after apprise confirmed; a failure is marked ``failed`` with the
   (secret-free) error and ``next_attempt_at`` pushed back exponentially
   (:func:`backoff`); after :data:`MAX_ATTEMPTS` it is given up (``next_attempt_at`` empty;
   ``treaty-tracker alerts retry`` queues it again).

If the process dies between 2 and 3, the alert is still unsent in the database and is sent
again once the lease has passed: a crash in that window can cause one duplicate message,
never a lost one (at-least-once delivery; the window is the time of one commit).

A digest watch gets one message per UTC day: its alerts are grouped by the day the events
were observed and sent together once that day is over.

Catch-up events (``ChangeEvent.catch_up``: found by the first live poll after the bundled
snapshot or after a long gap, see :mod:`tracker.service`) are never alerted one by one:
each watch gets one summary message listing all its due catch-up alerts, with their
effective dates ("7 changes since the 14 March 2015 snapshot").
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tracker import countries, country_names, notify, store
from tracker.domain import Change, ChangeKind, ConsentKind, PollSource
from tracker.models import (
    Alert,
    ChangeEvent,
    ParticipantStatus,
    Poll,
    UTCDateTime,
    Watch,
)

logger = logging.getLogger(__name__)

PENDING, SENT, FAILED = "pending", "sent", "failed"
#: How long a claimed alert is reserved for the deliverer that claimed it.
CLAIM_LEASE = timedelta(minutes=2)
#: First retry delay; doubled after each failure, at most :data:`BACKOFF_MAX`.
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
#: Attempts after which a failing alert is given up (``alerts retry`` queues it again).
MAX_ATTEMPTS = 12

Sender = Callable[..., None]


def utcnow() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------------------
# watches


class WatchError(ValueError):
    """A watch cannot be created as asked; the message says why."""


def parse_kinds(text: str | None) -> list[str]:
    """``"consent,signature"`` -> ``["consent", "signature"]``; unknown kinds raise."""
    kinds = [k.strip().lower() for k in (text or "").split(",") if k.strip()]
    known = {str(k) for k in ChangeKind}
    unknown = [k for k in kinds if k not in known]
    if unknown:
        raise WatchError(
            f"unknown event kind(s) {', '.join(unknown)}; choose from {', '.join(sorted(known))}"
        )
    return list(dict.fromkeys(kinds))


def resolve_country(text: str) -> str:
    """A participant code from a code or a name ("BEL", "Belgium", "Belgique", "UK");
    :class:`WatchError` listing the candidates when the name fits several or none exactly
    (:func:`tracker.country_names.resolve`: nothing is picked silently)."""
    value = text.strip()
    if value.upper() in countries.all_codes():
        return value.upper()
    match = country_names.resolve(value)
    if match.code is not None:
        return match.code
    if match.candidates:
        options = ", ".join(f"{c} ({countries.display_name(c)})" for c in match.candidates[:8])
        raise WatchError(f"{country_names.explain(match)}: {options}; give the code")
    raise WatchError(f"no participant called {value!r}; give a name or a code such as BEL")


def add_watch(
    *,
    session: Session,
    label: str,
    notify_url: str,
    country_code: str | None = None,
    mtdsg_no: str | None = None,
    kinds: Iterable[str] = (),
    digest: bool = False,
    language: str = "en",
    created_at: datetime | None = None,
) -> Watch:
    """Add a watch (not committed). At least a country or a treaty is required, and an
    address that can deliver (:func:`tracker.notify.check_address`)."""
    if not country_code and not mtdsg_no:
        raise WatchError("a watch needs a country (--country), a treaty (--treaty), or both")
    if language not in notify.LANGUAGES:
        raise WatchError(f"language must be one of {', '.join(notify.LANGUAGES)}")
    try:
        address = notify.check_address(notify_url)
    except notify.AddressError as exc:
        raise WatchError(str(exc)) from None
    watch = Watch(
        label=label,
        country_code=country_code,
        mtdsg_no=mtdsg_no,
        kinds=",".join(parse_kinds(",".join(kinds))),
        notify_url=address,
        digest=digest,
        language=language,
        created_at=created_at or utcnow(),
    )
    session.add(watch)
    session.flush()
    return watch


def watch_kinds(watch: Watch) -> set[str]:
    return {k for k in (watch.kinds or "").split(",") if k}


def matches(watch: Watch, event: ChangeEvent) -> bool:
    """Whether ``event`` is one ``watch`` asked for (ignoring when the watch was made)."""
    if watch.country_code and event.participant_code != watch.country_code:
        return False
    if watch.mtdsg_no and event.mtdsg_no != watch.mtdsg_no:
        return False
    kinds = watch_kinds(watch)
    return not kinds or event.kind in kinds


def _match_query(watch: Watch) -> Any:
    query = select(ChangeEvent)
    if watch.country_code:
        query = query.where(ChangeEvent.participant_code == watch.country_code)
    if watch.mtdsg_no:
        query = query.where(ChangeEvent.mtdsg_no == watch.mtdsg_no)
    kinds = watch_kinds(watch)
    if kinds:
        query = query.where(col(ChangeEvent.kind).in_(sorted(kinds)))
    return query


def watch_events(*, session: Session, watch: Watch, limit: int | None = None) -> list[ChangeEvent]:
    """Every stored event matching ``watch``, newest first."""
    query = _match_query(watch).order_by(
        col(ChangeEvent.observed_at).desc(), col(ChangeEvent.id).desc()
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


# --------------------------------------------------------------------------------------
# queue


def _insert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(Alert)
    if dialect == "sqlite":
        return sqlite.insert(Alert)
    raise RuntimeError(f"unsupported database {dialect}")


def enqueue(*, session: Session, now: datetime | None = None) -> int:
    """Queue one alert per (active watch, matching event not yet queued); commit.

    Returns how many alerts were added. Safe to run any number of times.
    """
    now = now or utcnow()
    added = 0
    watches = session.exec(select(Watch).where(col(Watch.active).is_(True))).all()
    for watch in watches:
        queued = select(Alert.event_id).where(Alert.watch_id == watch.id)
        query = _match_query(watch).where(
            col(ChangeEvent.observed_at) >= watch.created_at,
            col(ChangeEvent.id).not_in(queued),
        )
        event_ids = [e.id for e in session.exec(query.order_by(col(ChangeEvent.id)))]
        if not event_ids:
            continue
        rows = [
            {
                "watch_id": watch.id,
                "event_id": event_id,
                "status": PENDING,
                "attempts": 0,
                "created_at": now,
            }
            for event_id in event_ids
        ]
        statement = _insert(session).values(rows)
        statement = statement.on_conflict_do_nothing(
            index_elements=["watch_id", "event_id"]
        ).returning(col(Alert.id))
        added += len(session.execute(statement).all())  # rows skipped on conflict: none
    session.commit()
    if added:
        logger.info("queued %d alert(s)", added)
    return added


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after ``attempts`` failed tries: 1, 2, 4 ... min, ≤ 6 h."""
    factor: int = 2 ** max(attempts - 1, 0)
    return min(BACKOFF_BASE * factor, BACKOFF_MAX)


@dataclass
class DeliveryReport:
    """What one :func:`deliver_due` run did (counts of alerts, and messages sent)."""

    sent: int = 0
    failed: int = 0
    messages: int = 0
    errors: list[str] = field(default_factory=list)


def _to_change(event: ChangeEvent, name: str | None) -> Change:
    kind = ChangeKind(event.kind)
    consent_kind = None
    if event.consent_kind:
        try:
            consent_kind = ConsentKind(event.consent_kind)
        except ValueError:
            consent_kind = None
    return Change(
        kind=kind,
        mtdsg_no=event.mtdsg_no,
        participant_code=event.participant_code,
        participant_name=name,
        old_value=event.old_value,
        new_value=event.new_value,
        effective_date=event.effective_date,
        observed_at=event.observed_at,
        source_url=event.source_url,
        consent_kind=consent_kind,
        detail=event.detail,
    )


def event_context(*, session: Session, event: ChangeEvent, language: str) -> notify.EventContext:
    """What a message about ``event`` needs: title, name in ``language``, in-force date."""
    treaty = store.get_treaty(session=session, mtdsg_no=event.mtdsg_no)
    title = None
    in_force = None
    if treaty is not None:
        title = (treaty.title_fr if language == "fr" else treaty.title_en) or (
            treaty.title_en or treaty.title_fr
        )
        if event.participant_code and treaty.id is not None:
            row = session.exec(
                select(ParticipantStatus).where(
                    ParticipantStatus.treaty_id == treaty.id,
                    ParticipantStatus.participant_code == event.participant_code,
                )
            ).first()
            in_force = row.in_force_date if row is not None else None
    name = event.participant_name
    if language == "fr" and event.participant_code and event.kind != str(ChangeKind.RENAME):
        with contextlib.suppress(KeyError, ValueError):
            name = countries.display_name(event.participant_code, "fr") or name
    return notify.EventContext(
        change=_to_change(event, name), treaty_title=title, in_force_date=in_force
    )


@dataclass
class _Batch:
    watch: Watch
    alerts: list[Alert]
    events: list[ChangeEvent]
    day: date | None  # digest day; None for a single-event message
    catch_up: bool = False  # the watch's one summary of catch-up events


def _due_batches(session: Session, now: datetime) -> list[_Batch]:
    due = or_due(now)
    rows = session.exec(
        select(Alert, Watch, ChangeEvent)
        .join(Watch, col(Watch.id) == Alert.watch_id)
        .join(ChangeEvent, col(ChangeEvent.id) == Alert.event_id)
        .where(col(Alert.status) != SENT, col(Watch.active).is_(True), due)
        .order_by(col(Alert.watch_id), col(ChangeEvent.observed_at), col(Alert.id))
    ).all()
    batches: list[_Batch] = []
    digests: dict[tuple[int, date], _Batch] = {}
    catch_ups: dict[int, _Batch] = {}
    for alert, watch, event in rows:
        if event.catch_up:
            if (watch.id or 0) not in catch_ups:
                catch_ups[watch.id or 0] = _Batch(watch, [], [], None, catch_up=True)
                batches.append(catch_ups[watch.id or 0])
            catch_ups[watch.id or 0].alerts.append(alert)
            catch_ups[watch.id or 0].events.append(event)
            continue
        if not watch.digest:
            batches.append(_Batch(watch, [alert], [event], None))
            continue
        day = event.observed_at.astimezone(UTC).date()
        if day >= now.astimezone(UTC).date():
            continue  # the day is not over yet
        key = (watch.id or 0, day)
        if key not in digests:
            digests[key] = _Batch(watch, [], [], day)
            batches.append(digests[key])
        digests[key].alerts.append(alert)
        digests[key].events.append(event)
    return batches


def or_due(now: datetime) -> Any:
    """The SQL condition "due for a try at ``now``" on alerts (never given up)."""
    return sa.or_(
        sa.and_(col(Alert.status) == PENDING, col(Alert.next_attempt_at).is_(None)),
        col(Alert.next_attempt_at) <= now,
    )


def _claim(engine: Engine, ids: Sequence[int], now: datetime) -> bool:
    with Session(engine) as s:
        result: Any = s.execute(
            sa.update(Alert)
            .where(col(Alert.id).in_(ids), col(Alert.status) != SENT, or_due(now))
            .values(attempts=col(Alert.attempts) + 1, next_attempt_at=now + CLAIM_LEASE)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != len(ids):
            s.rollback()
            return False
        s.commit()
        return True


def _finish(engine: Engine, ids: Sequence[int], now: datetime, error: str | None) -> None:
    with Session(engine) as s:
        if error is None:
            values: dict[str, Any] = {
                "status": SENT,
                "sent_at": now,
                "last_error": None,
                "next_attempt_at": None,
            }
            s.execute(
                sa.update(Alert)
                .where(col(Alert.id).in_(ids))
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        else:
            for alert in s.exec(select(Alert).where(col(Alert.id).in_(ids))):
                alert.status = FAILED
                alert.last_error = error[:2000]
                alert.next_attempt_at = (
                    None if alert.attempts >= MAX_ATTEMPTS else now + backoff(alert.attempts)
                )
                s.add(alert)
        s.commit()


def deliver_due(
    *,
    engine: Engine,
    now: datetime | None = None,
    sender: Sender = notify.send,
) -> DeliveryReport:
    """Send every alert that is due at ``now``: one message per event, or one per digest
    day. See the module docstring for the claim / send / mark steps."""
    now = now or utcnow()
    report = DeliveryReport()
    with Session(engine, expire_on_commit=False) as s:
        batches = _due_batches(s, now)
        for batch in batches:
            ids = [a.id for a in batch.alerts if a.id is not None]
            if not ids or not _claim(engine, ids, now):
                continue
            watch = batch.watch
            fmt = notify.body_format(watch.notify_url)
            contexts = [
                event_context(session=s, event=e, language=watch.language) for e in batch.events
            ]
            if batch.catch_up:
                title, body = _catch_up_message(s, batch, contexts, fmt)
            elif batch.day is None:
                title = notify.event_title(contexts[0], watch.language)
                body = notify.event_message(contexts[0], language=watch.language, fmt=fmt)
            else:
                title = notify.digest_title(len(contexts), batch.day, language=watch.language)
                body = notify.digest_message(contexts, batch.day, language=watch.language, fmt=fmt)
            try:
                sender(watch.notify_url, title=title, body=body, fmt=fmt)
            except Exception as exc:
                error = str(exc) if isinstance(exc, notify.DeliveryError) else repr(exc)
                error = notify.scrub(error, notify.secrets_of(watch.notify_url))
                logger.warning(
                    "watch %s (%s): delivery of %d alert(s) failed: %s",
                    watch.id,
                    notify.mask_url(watch.notify_url),
                    len(ids),
                    error,
                )
                _finish(engine, ids, now, error)
                report.failed += len(ids)
                report.errors.append(error)
                continue
            _finish(engine, ids, now, None)
            report.sent += len(ids)
            report.messages += 1
    return report


def _catch_up_message(
    session: Session, batch: _Batch, contexts: list[notify.EventContext], fmt: str
) -> tuple[str, str]:
    """Title and body of a watch's catch-up summary: since the earliest state caught up
    from, and whether all of it was the bundled snapshot."""
    poll_ids = sorted({e.poll_id for e in batch.events})
    polls = list(session.exec(select(Poll).where(col(Poll.id).in_(poll_ids))))
    sinces = [p.catch_up_since for p in polls if p.catch_up_since is not None]
    since = min(sinces).date() if sinces else min(e.observed_at for e in batch.events).date()
    from_snapshot = bool(polls) and all(p.catch_up_from == PollSource.SNAPSHOT for p in polls)
    ordered = sorted(
        contexts, key=lambda c: (c.change.effective_date or date.max, c.change.mtdsg_no)
    )
    language = batch.watch.language
    title = notify.catch_up_title(
        len(contexts), since, from_snapshot=from_snapshot, language=language
    )
    body = notify.catch_up_message(
        ordered, since, from_snapshot=from_snapshot, language=language, fmt=fmt
    )
    return title, body


def retry(*, session: Session, alert_ids: Sequence[int] | None = None) -> int:
    """Queue failed alerts again now (all failed ones, or ``alert_ids``); commit."""
    statement = sa.update(Alert).where(col(Alert.status) == FAILED)
    if alert_ids is not None:
        statement = statement.where(col(Alert.id).in_(list(alert_ids)))
    result: Any = session.execute(
        statement.values(status=PENDING, next_attempt_at=None).execution_options(
            synchronize_session=False
        )
    )
    session.commit()
    return int(result.rowcount or 0)


def list_alerts(
    *, session: Session, status: str | None = None, limit: int = 50
) -> list[tuple[Alert, Watch, ChangeEvent]]:
    """Alerts with their watch and event, newest first."""
    query = (
        select(Alert, Watch, ChangeEvent)
        .join(Watch, col(Watch.id) == Alert.watch_id)
        .join(ChangeEvent, col(ChangeEvent.id) == Alert.event_id)
    )
    if status:
        query = query.where(Alert.status == status)
    query = query.order_by(col(Alert.id).desc()).limit(limit)
    return [(a, w, e) for a, w, e in session.exec(query).all()]


# --------------------------------------------------------------------------------------
# operator health alerts

#: Table of health conditions (created by migration 0002; kept out of SQLModel's metadata).
health_metadata = sa.MetaData()
health_condition = sa.Table(
    "health_condition",
    health_metadata,
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("message", sa.Text(), nullable=False),
    sa.Column("raised_at", UTCDateTime(), nullable=False),
    sa.Column("notified_at", UTCDateTime(), nullable=True),
    sa.Column("cleared_at", UTCDateTime(), nullable=True),
)


@dataclass(frozen=True, slots=True)
class HealthReport:
    active: dict[str, str]  # key -> message of every condition that holds now
    notified: list[str]  # keys the operator was told about in this check
    cleared: list[str]  # keys that cleared in this check


def health_conditions(
    *,
    session: Session,
    treaties: Sequence[str],
    failure_threshold: int,
    max_quiet: timedelta,
    now: datetime,
    watching_since: datetime | None = None,
) -> dict[str, str]:
    """The health conditions that hold at ``now`` (key -> message for the operator).

    * ``failures:<treaty>`` — the newest ``failure_threshold`` or more polls of the treaty in
      a row failed or were suspect;
    * ``stale`` — no poll of any tracked treaty succeeded for longer than ``max_quiet``
      (twice the poll interval), counted from the last success, else from
      ``watching_since`` (when the scheduler started).
    """
    found: dict[str, str] = {}
    last_success: datetime | None = None
    for mtdsg_no in treaties:
        failures = store.consecutive_failures(session=session, mtdsg_no=mtdsg_no)
        if failures >= failure_threshold:
            last = store.last_poll(session=session, mtdsg_no=mtdsg_no)
            reason = (last.error or last.outcome).splitlines()[0] if last is not None else ""
            found[f"failures:{mtdsg_no}"] = (
                f"{mtdsg_no}: the last {failures} polls failed or were suspect "
                f"(threshold {failure_threshold}); latest: {reason}"
            )
        ok = store.last_poll(session=session, mtdsg_no=mtdsg_no, successful=True)
        if ok is not None:
            when = ok.finished_at or ok.started_at
            last_success = when if last_success is None else max(last_success, when)
    reference = last_success or watching_since
    if reference is not None and now - reference > max_quiet:
        since = last_success.isoformat() if last_success else "never"
        found["stale"] = (
            f"no poll has succeeded for more than {max_quiet} (twice the poll interval); "
            f"last success: {since}"
        )
    return found


def check_health(
    *,
    engine: Engine,
    treaties: Sequence[str],
    failure_threshold: int,
    max_quiet: timedelta,
    operator_urls: Sequence[str],
    now: datetime | None = None,
    watching_since: datetime | None = None,
    sender: Sender = notify.send,
) -> HealthReport:
    """Raise, alert (once) and clear health conditions; see :func:`health_conditions`.

    A condition is alerted once when it starts holding; if the alert cannot be sent it is
    tried again at the next check; when it stops holding it is marked cleared and the
    operator is told it recovered (best effort).
    """
    now = now or utcnow()
    notified: list[str] = []
    cleared: list[str] = []
    with Session(engine) as s:
        active = health_conditions(
            session=s,
            treaties=treaties,
            failure_threshold=failure_threshold,
            max_quiet=max_quiet,
            now=now,
            watching_since=watching_since,
        )
        table = health_condition
        stored = {row.key: row for row in s.execute(sa.select(table)).all()}
        for key, message in active.items():
            row = stored.get(key)
            if row is None:
                s.execute(table.insert().values(key=key, message=message, raised_at=now))
            elif row.cleared_at is not None:
                s.execute(
                    table.update()
                    .where(table.c.key == key)
                    .values(message=message, raised_at=now, notified_at=None, cleared_at=None)
                )
            elif row.notified_at is not None:
                continue
            s.commit()
            if _tell_operator(operator_urls, message, now, sender):
                s.execute(table.update().where(table.c.key == key).values(notified_at=now))
                s.commit()
                notified.append(key)
        for key, row in stored.items():
            if key in active or row.cleared_at is not None:
                continue
            s.execute(table.update().where(table.c.key == key).values(cleared_at=now))
            s.commit()
            cleared.append(key)
            logger.warning("health condition cleared: %s", key)
            if row.notified_at is not None:
                _tell_operator(operator_urls, f"Resolved: {row.message}", now, sender)
    return HealthReport(active=active, notified=notified, cleared=cleared)


def _tell_operator(urls: Sequence[str], message: str, now: datetime, sender: Sender) -> bool:
    logger.warning("health: %s", message)
    if not urls:
        return True  # nobody to tell: the log line above is the alert
    title, body = notify.health_message(message, observed_at=now)
    delivered = False
    for url in urls:
        try:
            sender(url, title=title, body=body, fmt="text")
            delivered = True
        except Exception as exc:
            error = notify.scrub(str(exc), notify.secrets_of(url))
            logger.error("health alert to %s failed: %s", notify.mask_url(url), error)
    return delivered
