"""Keyword-only query and upsert functions on the tables of :mod:`tracker.models`.

Every function takes ``session=`` and never commits: the caller owns the transaction
(:func:`tracker.service.record_poll` makes one poll one transaction). Functions that add rows
flush, so that generated ids are available.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col, select

from tracker.changes import count_mismatches
from tracker.domain import (
    Action,
    ActionKind,
    Change,
    Conclusion,
    Consent,
    ConsentKind,
    Counts,
    EntryIntoForce,
    SignatureKind,
    TerritorialApplication,
    TreatyStatus,
    is_territorial_row,
)
from tracker.domain import Participant as ParticipantFact
from tracker.models import (
    FAILED_OUTCOMES,
    SUCCESSFUL_OUTCOMES,
    ChangeEvent,
    CrosscheckRun,
    Participant,
    ParticipantStatus,
    Poll,
    Treaty,
)
from tracker.sources import depositary_of

logger = logging.getLogger(__name__)


# --- treaties ---------------------------------------------------------------------------


def get_treaty(*, session: Session, mtdsg_no: str) -> Treaty | None:
    treaty: Treaty | None = session.execute(_GET_TREATY, {"b_mtdsg_no": mtdsg_no}).scalars().first()
    return treaty


def list_treaties(*, session: Session) -> list[Treaty]:
    return list(session.exec(select(Treaty).order_by(col(Treaty.mtdsg_no))))


def upsert_treaty(*, session: Session, status: TreatyStatus, verified_at: datetime) -> Treaty:
    """Create or update the treaty row from a parsed page (metadata, counts as stated)."""
    treaty = get_treaty(session=session, mtdsg_no=status.mtdsg_no)
    return update_treaty(session=session, treaty=treaty, status=status, verified_at=verified_at)


def update_treaty(
    *, session: Session, treaty: Treaty | None, status: TreatyStatus, verified_at: datetime
) -> Treaty:
    """:func:`upsert_treaty` with the treaty row already read in this transaction (None:
    there is none yet, it is created)."""
    if treaty is None:
        treaty = Treaty(mtdsg_no=status.mtdsg_no, created_at=verified_at)
    treaty.depositary = depositary_of(status.mtdsg_no)
    if status.title:
        if status.language == "fr":
            treaty.title_fr = status.title
        else:
            treaty.title_en = status.title
    treaty.language = status.language
    treaty.chapter = status.chapter
    conclusion = status.conclusion
    treaty.conclusion_text = conclusion.text if conclusion else None
    treaty.conclusion_place = conclusion.place if conclusion else None
    treaty.conclusion_date = conclusion.date if conclusion else None
    eif = status.entry_into_force
    treaty.eif_date = eif.date if eif else None
    treaty.eif_text = eif.text if eif else None
    treaty.registration = status.registration
    treaty.signatories = status.counts.signatories
    treaty.parties = status.counts.parties
    treaty.status_as_at = status.status_as_at
    treaty.source_url = status.url
    treaty.count_discrepancy = "\n".join(count_mismatches(None, status)) or None
    treaty.last_verified_at = verified_at
    session.add(treaty)
    session.flush()
    return treaty


def mark_verified(*, session: Session, mtdsg_no: str, verified_at: datetime) -> bool:
    """Record that the stored state of the treaty was confirmed at ``verified_at``, never
    moving it back (the bundled snapshot loaded again does not make newer data look older).
    One UPDATE statement: every unchanged poll does it. False if nothing was moved (no such
    treaty, or it was already verified at that time or later)."""
    result = session.execute(_MARK_VERIFIED, {"b_mtdsg_no": mtdsg_no, "b_at": verified_at})
    _expire(session, Treaty)
    return bool(result.rowcount)  # type: ignore[attr-defined]


# --- participants and their status ------------------------------------------------------


def upsert_participant(
    *, session: Session, code: str, name: str, language: str, seen_at: datetime
) -> Participant:
    """Create the participant, or update its latest name in ``language`` ("en"/"fr")."""
    participant = session.get(Participant, code)
    if participant is None:
        participant = Participant(code=code, first_seen_at=seen_at)
    if language == "fr":
        participant.name_fr = name
    else:
        participant.name_en = name
    session.add(participant)
    return participant


def upsert_participants(
    *, session: Session, names: dict[str, str], language: str, seen_at: datetime
) -> None:
    """:func:`upsert_participant` for many at once (code -> name): one read, one bulk insert
    of the new codes (a code another poller inserted meanwhile is left alone), one bulk
    update of the names that changed."""
    if not names:
        return
    name_column = "name_fr" if language == "fr" else "name_en"
    table = _table(Participant)
    stored: dict[str, str | None] = {}
    query = _STORED_NAMES[name_column]
    for chunk in _chunks(list(names)):
        stored.update({code: name for code, name in session.execute(query, {"b_codes": chunk})})
    new = [
        {"code": code, "name_en": None, "name_fr": None, "first_seen_at": seen_at}
        | {name_column: name}
        for code, name in names.items()
        if code not in stored
    ]
    renamed = [
        {"b_code": code, "b_name": name}
        for code, name in names.items()
        if code in stored and stored[code] != name
    ]
    if new:
        session.execute(_insert_ignoring_conflicts(session, table, "code"), new)
    if renamed:
        session.execute(
            table.update()
            .where(table.c.code == sa.bindparam("b_code"))
            .values({name_column: sa.bindparam("b_name")}),
            renamed,
        )
    if new or renamed:
        _expire(session, Participant)


def status_rows(
    *, session: Session, treaty_id: int, listed_only: bool = False
) -> list[ParticipantStatus]:
    query = select(ParticipantStatus).where(ParticipantStatus.treaty_id == treaty_id)
    if listed_only:
        query = query.where(col(ParticipantStatus.listed).is_(True))
    return list(session.exec(query.order_by(col(ParticipantStatus.id))))


def status_by_participant(*, session: Session, code: str) -> list[ParticipantStatus]:
    """The status rows of one participant on every treaty."""
    return list(
        session.exec(
            select(ParticipantStatus)
            .where(ParticipantStatus.participant_code == code)
            .order_by(col(ParticipantStatus.treaty_id))
        )
    )


def _fact(row: Any) -> ParticipantFact:
    consent = None
    if row.consent_date is not None:
        consent = Consent(
            date=row.consent_date,
            kind=ConsentKind(row.consent_kind or ConsentKind.RATIFICATION),
        )
    return ParticipantFact(
        name=row.name,
        code=row.participant_code,
        footnotes=tuple(row.footnotes or ()),
        signature=row.signature_date,
        consent=consent,
        withdrawn=row.withdrawn,
        has_declarations=row.has_declarations,
        signature_kind=SignatureKind(row.signature_kind) if row.signature_kind else None,
        actions=tuple(_action(a) for a in row.actions or () if not is_territorial_row(a)),
    )


def _action(value: dict[str, str]) -> Action:
    return Action(
        kind=ActionKind(value["kind"]),
        date=date.fromisoformat(value["date"]),
        column=value.get("column", ""),
        suffix=value.get("suffix", ""),
    )


def load_state(*, session: Session, mtdsg_no: str) -> tuple[TreatyStatus | None, frozenset[str]]:
    """The stored state of a treaty as a :class:`TreatyStatus` (None if never applied), and
    the codes of the participants in it that are no longer listed on the page.

    The state holds every participant ever stored, listed or not (as :func:`tracker.changes.diff`
    expects); names, declaration texts and the title are in the language of the last page
    applied (``TreatyStatus.language``).
    """
    stored = read_state(session=session, mtdsg_no=mtdsg_no)
    return stored.state, stored.unlisted


@dataclass(frozen=True, slots=True)
class StoredState:
    """What :func:`read_state` read: the treaty row, its state and its status rows."""

    treaty: Treaty | None
    state: TreatyStatus | None
    unlisted: frozenset[str]
    rows: list[Any]


def read_state(*, session: Session, mtdsg_no: str) -> StoredState:
    """:func:`load_state`, with the treaty row and the status rows it was built from (for a
    caller that goes on to write them in the same transaction: see :func:`update_treaty`
    and the ``stored`` argument of :func:`apply_status`)."""
    treaty = get_treaty(session=session, mtdsg_no=mtdsg_no)
    if treaty is None or treaty.id is None:
        return StoredState(treaty, None, frozenset(), [])
    rows = _status_table_rows(session=session, treaty_id=treaty.id)
    language = treaty.language or "en"
    title = (treaty.title_fr if language == "fr" else treaty.title_en) or (
        treaty.title_en or treaty.title_fr or ""
    )
    state = TreatyStatus(
        mtdsg_no=treaty.mtdsg_no,
        language=language,
        title=title,
        url=treaty.source_url or "",
        conclusion=(
            Conclusion(
                text=treaty.conclusion_text,
                place=treaty.conclusion_place,
                date=treaty.conclusion_date,
            )
            if treaty.conclusion_text is not None
            else None
        ),
        chapter=treaty.chapter,
        status_as_at=treaty.status_as_at,
        entry_into_force=(
            EntryIntoForce(date=treaty.eif_date, text=treaty.eif_text or "")
            if treaty.eif_text is not None or treaty.eif_date is not None
            else None
        ),
        registration=treaty.registration,
        counts=Counts(signatories=treaty.signatories, parties=treaty.parties),
        participants=tuple(_fact(row) for row in rows),
        declarations={
            row.participant_code: row.declaration_text
            for row in rows
            if row.declaration_text is not None
        },
        territorial_applications=tuple(
            TerritorialApplication.from_action(row.name, row.participant_code, a)
            for row in rows
            for a in row.actions or ()
            if is_territorial_row(a)
        ),
    )
    unlisted = frozenset(row.participant_code for row in rows if not row.listed)
    return StoredState(treaty, state, unlisted, rows)


def territorial_actions(status: TreatyStatus) -> dict[str, list[dict[str, str]]]:
    """The rows of the page's territorial-application table as stored actions, by the code
    of the participant each names (a row of a State in no participants table is not stored;
    the parser warned about it)."""
    found: dict[str, list[dict[str, str]]] = {}
    for application in status.territorial_applications:
        found.setdefault(application.code, []).append(application.to_action())
    return found


def _values(
    fact: ParticipantFact,
    declaration: str | None,
    in_force: date | None,
    territorial: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """The stored columns of one participant; the rows of the page's territorial-application
    table that name it are kept after its own actions (no column of their own)."""
    return {
        "name": fact.name,
        "footnotes": list(fact.footnotes),
        "signature_date": fact.signature,
        "consent_date": fact.consent.date if fact.consent else None,
        "consent_kind": str(fact.consent.kind) if fact.consent else None,
        "withdrawn": fact.withdrawn,
        "has_declarations": fact.has_declarations,
        "declaration_text": declaration,
        "in_force_date": in_force,
        "listed": True,
        "signature_kind": None if fact.signature_kind is None else str(fact.signature_kind),
        "actions": [a.to_json() for a in fact.actions] + (territorial or []),
    }


def apply_status(
    *,
    session: Session,
    treaty: Treaty,
    status: TreatyStatus,
    poll: Poll,
    in_force: dict[str, date],
    seen_at: datetime | None = None,
    stored: list[Any] | None = None,
) -> tuple[int, int, int]:
    """Make the stored status rows of ``treaty`` match ``status``; returns (inserts, updates,
    noops) counted per participant row.

    Participants missing from the page are kept with ``listed = False`` (never deleted).
    ``in_force`` maps participant codes to the date the treaty entered into force for them.
    The rows are read once and written in bulk (one INSERT and one UPDATE statement, each
    with many parameter sets), in the caller's transaction. ``stored``: the treaty's status
    rows as :func:`read_state` read them in this transaction (they are then not read again).
    """
    if treaty.id is None:
        raise ValueError(f"treaty {treaty.mtdsg_no} has no id yet (flush it first)")
    when = seen_at or poll.started_at
    names: dict[str, str] = {}
    for fact in status.participants:
        if fact.code in names:
            raise ValueError(f"participant code {fact.code} appears twice in {status.mtdsg_no}")
        names[fact.code] = fact.name
    session.flush()  # the treaty and the poll, which the rows refer to
    upsert_participants(session=session, names=names, language=status.language, seen_at=when)
    if stored is None:
        stored = _status_table_rows(session=session, treaty_id=treaty.id)
    existing = {row.participant_code: row for row in stored}
    touched = {"updated_at": when, "last_poll_id": poll.id}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    noops = 0
    territorial = territorial_actions(status)
    for fact in status.participants:
        values = _values(
            fact,
            status.declarations.get(fact.code),
            in_force.get(fact.code),
            territorial.get(fact.code),
        )
        row = existing.get(fact.code)
        if row is None:
            inserts.append(
                {"treaty_id": treaty.id, "participant_code": fact.code} | values | touched
            )
        elif all(getattr(row, key) == value for key, value in values.items()):
            noops += 1
        else:
            updates.append({"b_id": row.id} | values | touched)
    for code, row in existing.items():
        if code not in names and row.listed:
            updates.append({"b_id": row.id} | _UNLISTED | touched)
    table = _table(ParticipantStatus)
    if inserts:
        _insert_many(session, table, inserts)
    for keys, group in _group_by_keys(updates).items():
        columns = [key for key in keys if key != "b_id"]
        session.execute(
            table.update()
            .where(table.c.id == sa.bindparam("b_id"))
            .values({key: sa.bindparam(f"b_{key}") for key in columns}),
            [{"b_id": row["b_id"]} | {f"b_{key}": row[key] for key in columns} for row in group],
        )
    if inserts or updates:
        _expire(session, ParticipantStatus)
    return len(inserts), len(updates), noops


_UNLISTED: dict[str, Any] = {"listed": False}
_PARTICIPANT: sa.Table = Participant.__table__  # type: ignore[attr-defined]

# Statements every poll runs, built once (each poll only binds its values).
_GET_TREATY = sa.select(Treaty).where(col(Treaty.mtdsg_no) == sa.bindparam("b_mtdsg_no"))
_STORED_NAMES = {
    column: sa.select(_PARTICIPANT.c.code, _PARTICIPANT.c[column]).where(
        _PARTICIPANT.c.code.in_(sa.bindparam("b_codes", expanding=True))
    )
    for column in ("name_en", "name_fr")
}
_MARK_VERIFIED = (
    sa.update(Treaty)
    .where(
        col(Treaty.mtdsg_no) == sa.bindparam("b_mtdsg_no"),
        sa.or_(
            col(Treaty.last_verified_at).is_(None),
            col(Treaty.last_verified_at) < sa.bindparam("b_at"),
        ),
    )
    .values(last_verified_at=sa.bindparam("b_at"))
    .execution_options(synchronize_session=False)
)
_LAST_HASH = (
    sa.select(col(Poll.content_hash))
    .where(
        col(Poll.mtdsg_no) == sa.bindparam("b_mtdsg_no"),
        col(Poll.url) == sa.bindparam("b_url"),
        col(Poll.outcome).in_(SUCCESSFUL_OUTCOMES),
    )
    .order_by(col(Poll.started_at).desc(), col(Poll.id).desc())
    .limit(1)
)


def _table(model: type[SQLModel]) -> sa.Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table


def _insert_many(session: Session, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts with the same keys) with one executemany.

    The values are converted by the bind processors SQLAlchemy itself uses for each column on
    this dialect and handed to the driver directly: the same SQL and values as
    ``session.execute(table.insert(), rows)``, without Core's per-row parameter processing,
    which cost more than the insert itself for a 200-row page. The conversion goes column by
    column, and a value that recurs in a column (the treaty id, the poll, the time, an empty
    list of footnotes, a date many participants share) is converted once: the processors
    are pure functions of the value.
    """
    connection = session.connection()
    dialect = connection.dialect
    sql, names, positional = _insert_sql(table, dialect, tuple(rows[0]))
    columns = []
    for name in names:
        values = [row[name] for row in rows]
        processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            values = _converted(processor, values)
        columns.append(values)
    params: list[Any] = (
        list(zip(*columns, strict=True))
        if positional
        else [dict(zip(names, v, strict=True)) for v in zip(*columns, strict=True)]
    )
    connection.exec_driver_sql(sql, params)


def _converted(processor: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    """``[processor(v) for v in values]``, each distinct value converted once (keyed by type
    and value, so that ``1`` and ``True`` stay apart; an empty list or dict stands for
    itself, other unhashable values are converted each time)."""
    done: dict[tuple[type, Any], Any] = {}
    out: list[Any] = []
    append = out.append
    for value in values:
        cls = value.__class__
        if cls is list or cls is dict:
            if value:
                append(processor(value))
                continue
            key: tuple[type, Any] = (cls, None)
        else:
            key = (cls, value)
        try:
            converted = done[key]
        except KeyError:
            converted = done[key] = processor(value)
        except TypeError:  # another unhashable value
            converted = processor(value)
        append(converted)
    return out


@functools.lru_cache(maxsize=32)
def _insert_sql(
    table: sa.Table, dialect: sa.Dialect, keys: tuple[str, ...]
) -> tuple[str, list[str], bool]:
    """The INSERT statement of ``keys`` on ``dialect``: (SQL, parameter names in order,
    positional or not). Compiled once per process and set of columns."""
    compiled = table.insert().compile(dialect=dialect, column_keys=list(keys))
    names = list(compiled.positiontup or ()) if compiled.positional else list(keys)
    return str(compiled), names, bool(compiled.positional)


def _status_table_rows(*, session: Session, treaty_id: int) -> list[Any]:
    """The status rows of a treaty as plain rows (no ORM objects: cheaper, and never stale
    after the bulk writes of :func:`apply_status`)."""
    table = _table(ParticipantStatus)
    query = sa.select(table).where(table.c.treaty_id == treaty_id).order_by(table.c.id)
    return list(session.execute(query))


def _chunks(values: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _group_by_keys(rows: list[dict[str, Any]]) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """Parameter sets grouped by their keys (one executemany UPDATE per group)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return groups


def _insert_ignoring_conflicts(session: Session, table: sa.Table, key: str) -> Any:
    """``INSERT ... ON CONFLICT (key) DO NOTHING`` in the session's dialect."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=[key])
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=[key])


def _expire(session: Session, model: type[SQLModel]) -> None:
    """Expire the session's loaded ``model`` objects: rows written in bulk bypass them."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, model):
            session.expire(obj)


# --- polls and events -------------------------------------------------------------------


def add_poll(*, session: Session, poll: Poll) -> Poll:
    """Add a poll row and flush it (so that it has an id)."""
    session.add(poll)
    session.flush()
    return poll


def add_events(
    *, session: Session, poll: Poll, changes: Iterable[Change], catch_up: bool = False
) -> list[ChangeEvent]:
    """Append one :class:`ChangeEvent` per change, linked to ``poll`` (marked ``catch_up``
    when the poll caught up after the snapshot or a long gap)."""
    if poll.id is None:
        raise ValueError("the poll has no id yet (flush it first)")
    events = [
        ChangeEvent(
            poll_id=poll.id,
            mtdsg_no=change.mtdsg_no,
            participant_code=change.participant_code,
            participant_name=change.participant_name,
            kind=str(change.kind),
            consent_kind=None if change.consent_kind is None else str(change.consent_kind),
            old_value=change.old_value,
            new_value=change.new_value,
            detail=change.detail,
            effective_date=change.effective_date,
            observed_at=change.observed_at,
            source_url=change.source_url,
            catch_up=catch_up,
        )
        for change in changes
    ]
    session.add_all(events)
    session.flush()
    return events


def last_poll(
    *,
    session: Session,
    mtdsg_no: str,
    successful: bool = False,
    url: str | None = None,
) -> Poll | None:
    """The newest poll of a treaty (only successful ones if ``successful``; only of ``url``
    if given)."""
    query = select(Poll).where(Poll.mtdsg_no == mtdsg_no)
    if successful:
        query = query.where(col(Poll.outcome).in_(SUCCESSFUL_OUTCOMES))
    if url is not None:
        query = query.where(Poll.url == url)
    return session.exec(query.order_by(col(Poll.started_at).desc(), col(Poll.id).desc())).first()


def last_content_hash(*, session: Session, mtdsg_no: str, url: str) -> str | None:
    """The content hash of the newest successful poll of ``url`` for the treaty (None if
    there is none): what an unchanged poll is recognised by, read with one prebuilt query."""
    row = session.execute(_LAST_HASH, {"b_mtdsg_no": mtdsg_no, "b_url": url}).first()
    return None if row is None else row[0]


def consecutive_failures(*, session: Session, mtdsg_no: str) -> int:
    """How many of the newest polls of a treaty in a row failed (``error`` or ``suspect``)."""
    last_success = session.exec(
        select(func.max(Poll.id)).where(
            Poll.mtdsg_no == mtdsg_no, col(Poll.outcome).in_(SUCCESSFUL_OUTCOMES)
        )
    ).one()
    query = (
        select(func.count())
        .select_from(Poll)
        .where(Poll.mtdsg_no == mtdsg_no, col(Poll.outcome).in_(FAILED_OUTCOMES))
    )
    if last_success is not None:
        query = query.where(col(Poll.id) > last_success)
    return int(session.exec(query).one())


def events(
    *,
    session: Session,
    mtdsg_no: str | None = None,
    participant_code: str | None = None,
    poll_id: int | None = None,
) -> list[ChangeEvent]:
    """Change events, oldest first, optionally of one treaty / participant / poll."""
    query = select(ChangeEvent)
    if mtdsg_no is not None:
        query = query.where(ChangeEvent.mtdsg_no == mtdsg_no)
    if participant_code is not None:
        query = query.where(ChangeEvent.participant_code == participant_code)
    if poll_id is not None:
        query = query.where(ChangeEvent.poll_id == poll_id)
    return list(session.exec(query.order_by(col(ChangeEvent.id))))


def polls(*, session: Session, mtdsg_no: str | None = None) -> Sequence[Poll]:
    """Polls, oldest first (optionally of one treaty)."""
    query = select(Poll)
    if mtdsg_no is not None:
        query = query.where(Poll.mtdsg_no == mtdsg_no)
    return list(session.exec(query.order_by(col(Poll.id))))


def add_crosscheck_run(
    *, session: Session, result: dict[str, Any], checked_at: datetime
) -> CrosscheckRun:
    """Keep one cross-check run (``result``: :meth:`tracker.crosscheck.CrossCheck.to_json`).
    Writes only the ``crosscheck_run`` table: a disagreement is never a change event."""
    ours, theirs = result.get("ours") or {}, result.get("theirs") or {}

    def when(value: Any) -> datetime | None:
        if not value:
            return None
        moment = datetime.fromisoformat(str(value))
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)

    run = CrosscheckRun(
        mtdsg_no=str(result["treaty"]),
        checked_at=checked_at,
        their_source=str(theirs.get("source") or ""),
        their_title=theirs.get("title"),
        their_last_updated=theirs.get("last_updated"),  # as written: no time zone stated
        our_source_url=ours.get("source_url"),
        our_verified_at=when(ours.get("verified_at")),
        compared=int(result.get("compared") or 0),
        disagreements=len(result.get("disagreements") or ()),
        result=result,
    )
    session.add(run)
    session.flush()
    return run
