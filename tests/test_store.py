"""Store functions on both backends, with TreatyStatus objects built directly."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from tracker import store
from tracker.domain import (
    Action,
    ActionKind,
    Change,
    ChangeKind,
    Conclusion,
    Consent,
    ConsentKind,
    Counts,
    EntryIntoForce,
    Participant,
    SignatureKind,
    TerritorialApplication,
    TreatyStatus,
)
from tracker.models import ChangeEvent, ParticipantStatus, Poll
from tracker.models import Participant as ParticipantRow

T0 = datetime(2015, 3, 14, 9, 1, 22, tzinfo=UTC)
URL = (
    "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-11-d&chapter=4&clang=_en"
)

# Values from the OPIC participants table (untreaties-2015, MTDSG XML of 2015-03-14).
BELGIUM = Participant(
    name="Belgium",
    code="BEL",
    signature=date(2012, 2, 28),
    consent=Consent(date(2014, 5, 30), ConsentKind.RATIFICATION),
    has_declarations=True,
)
BOLIVIA = Participant(
    name="Bolivia (Plurinational State of)",
    code="BOL",
    consent=Consent(date(2013, 4, 2), ConsentKind.ACCESSION),
)
ARGENTINA = Participant(name="Argentina", code="ARG", signature=date(2012, 7, 25))
STATUS = TreatyStatus(
    mtdsg_no="IV-11-d",
    language="en",
    title="Optional Protocol to the Convention on the Rights of the Child on a "
    "communications procedure",
    url=URL,
    conclusion=Conclusion("New York, 19 December 2011", "New York", date(2011, 12, 19)),
    chapter="HUMAN RIGHTS",
    status_as_at=T0,
    entry_into_force=EntryIntoForce(
        date(2014, 4, 14), "14 April 2014, in accordance with article 19(1)."
    ),
    registration="14 April 2014, No. 51554",
    counts=Counts(signatories=2, parties=2),
    participants=(ARGENTINA, BELGIUM, BOLIVIA),
    declarations={"BEL": "The Kingdom of Belgium recognizes the competence of the Committee ..."},
)
IN_FORCE = {"BEL": date(2014, 8, 30), "BOL": date(2014, 4, 14)}


def _poll(session: Session, outcome: str = "new", at: datetime = T0) -> Poll:
    return store.add_poll(
        session=session,
        poll=Poll(mtdsg_no="IV-11-d", url=URL, started_at=at, outcome=outcome),
    )


def _apply(session: Session, status: TreatyStatus, at: datetime = T0) -> tuple[int, int, int]:
    treaty = store.upsert_treaty(session=session, status=status, verified_at=at)
    return store.apply_status(
        session=session,
        treaty=treaty,
        status=status,
        poll=_poll(session, at=at),
        in_force=IN_FORCE,
        seen_at=at,
    )


def test_load_state_of_unknown_treaty_is_none(session: Session) -> None:
    assert store.load_state(session=session, mtdsg_no="IV-11-d") == (None, frozenset())


def test_apply_then_load_round_trips(session: Session) -> None:
    assert _apply(session, STATUS) == (3, 0, 0)
    session.commit()
    session.expunge_all()
    state, unlisted = store.load_state(session=session, mtdsg_no="IV-11-d")
    assert unlisted == frozenset()
    assert state == replace(STATUS, warnings=())
    rows = {r.participant_code: r for r in session.exec(select(ParticipantStatus))}
    assert rows["BEL"].in_force_date == date(2014, 8, 30)
    assert rows["BOL"].consent_kind == "accession"
    assert rows["ARG"].in_force_date is None
    names = {p.code: p.name_en for p in session.exec(select(ParticipantRow))}
    assert names == {
        "ARG": "Argentina",
        "BEL": "Belgium",
        "BOL": "Bolivia (Plurinational State of)",
    }
    treaty = store.get_treaty(session=session, mtdsg_no="IV-11-d")
    assert treaty is not None and treaty.last_verified_at == T0 and treaty.parties == 2


def test_apply_counts_inserts_updates_noops_and_keeps_missing_rows(session: Session) -> None:
    _apply(session, STATUS)
    argentina = replace(ARGENTINA, consent=Consent(date(2015, 4, 14), ConsentKind.RATIFICATION))
    later = T0 + timedelta(days=40)
    changed = replace(STATUS, participants=(argentina, BELGIUM), status_as_at=later)
    # Argentina updated, Belgium same, Bolivia gone (kept, unlisted)
    assert _apply(session, changed, at=later) == (0, 2, 1)
    session.commit()
    state, unlisted = store.load_state(session=session, mtdsg_no="IV-11-d")
    assert unlisted == frozenset({"BOL"})
    assert state is not None
    assert state.participant("BOL") == BOLIVIA  # still there, with its last known values
    assert state.participant("ARG") == argentina
    rows = {r.participant_code: r for r in session.exec(select(ParticipantStatus))}
    assert rows["BOL"].listed is False and rows["BOL"].updated_at == later
    assert rows["BEL"].updated_at == T0  # a no-op leaves the row alone
    # the same page again: all no-ops; Bolivia stays unlisted without being counted again
    assert _apply(session, changed, at=later) == (0, 0, 2)
    # Bolivia back on the page: listed again
    assert _apply(session, STATUS, at=later) == (0, 2, 1)
    assert store.load_state(session=session, mtdsg_no="IV-11-d")[1] == frozenset()


def test_french_page_keeps_english_names_and_titles(session: Session) -> None:
    _apply(session, STATUS)
    french = replace(
        STATUS,
        language="fr",
        title="Protocole facultatif ... établissant une procédure de présentation "
        "de communications",
        participants=(
            replace(ARGENTINA, name="Argentine"),
            replace(BELGIUM, name="Belgique"),
            BOLIVIA,
        ),
    )
    _apply(session, french)
    row = session.get(ParticipantRow, "BEL")
    assert row is not None and (row.name_en, row.name_fr) == ("Belgium", "Belgique")
    treaty = store.get_treaty(session=session, mtdsg_no="IV-11-d")
    assert treaty is not None and treaty.title_en == STATUS.title
    assert treaty.title_fr is not None and treaty.title_fr.startswith("Protocole")
    state, _ = store.load_state(session=session, mtdsg_no="IV-11-d")
    assert state is not None and state.language == "fr" and state.title == treaty.title_fr


def test_add_events_appends_rows(session: Session) -> None:
    poll = _poll(session)
    change = Change(
        kind=ChangeKind.CONSENT,
        mtdsg_no="IV-11-d",
        participant_code="ARG",
        participant_name="Argentina",
        old_value=None,
        new_value="2015-04-14",
        effective_date=date(2015, 4, 14),
        observed_at=T0,
        source_url=URL,
        consent_kind=ConsentKind.RATIFICATION,
    )
    rows = store.add_events(session=session, poll=poll, changes=[change])
    session.commit()
    assert [r.id for r in rows] == [r.id for r in session.exec(select(ChangeEvent))]
    stored = store.events(session=session, participant_code="ARG")
    assert len(stored) == 1
    event = stored[0]
    assert (event.kind, event.consent_kind, event.effective_date, event.poll_id) == (
        "consent",
        "ratification",
        date(2015, 4, 14),
        poll.id,
    )
    assert event.observed_at == T0


def test_last_poll_and_consecutive_failures(session: Session) -> None:
    assert store.last_poll(session=session, mtdsg_no="IV-11-d") is None
    assert store.consecutive_failures(session=session, mtdsg_no="IV-11-d") == 0
    _poll(session, "error", T0)
    _poll(session, "error", T0 + timedelta(days=1))
    assert store.consecutive_failures(session=session, mtdsg_no="IV-11-d") == 2
    ok = _poll(session, "unchanged", T0 + timedelta(days=2))
    assert store.consecutive_failures(session=session, mtdsg_no="IV-11-d") == 0
    _poll(session, "suspect", T0 + timedelta(days=3))
    last_error = _poll(session, "error", T0 + timedelta(days=4))
    assert store.consecutive_failures(session=session, mtdsg_no="IV-11-d") == 2
    assert store.consecutive_failures(session=session, mtdsg_no="IV-11") == 0
    assert store.last_poll(session=session, mtdsg_no="IV-11-d") == last_error
    assert store.last_poll(session=session, mtdsg_no="IV-11-d", successful=True) == ok
    assert store.last_poll(session=session, mtdsg_no="IV-11-d", url="https://other") is None


def test_actions_and_signature_kind_round_trip(session: Session) -> None:
    """Issue 10: a participant's actions and the kind of its signature are stored and read
    back. Values of XIX-37 of 2015 (Argentina, real) on an OPIC-shaped status."""
    argentina = replace(
        ARGENTINA,
        signature_kind=SignatureKind.SUCCESSION,
        actions=(
            Action(
                ActionKind.PROVISIONAL_APPLICATION,
                date(1992, 12, 29),
                "Provisional application(n)",
                "n",
            ),
        ),
    )
    status = replace(STATUS, participants=(argentina, BELGIUM, BOLIVIA))
    _apply(session, status)
    session.commit()
    session.expunge_all()
    state, _ = store.load_state(session=session, mtdsg_no="IV-11-d")
    assert state is not None and state.participant("ARG") == argentina
    assert state.participant("BOL") == BOLIVIA  # no signature: no kind, no actions
    rows = {r.participant_code: r for r in session.exec(select(ParticipantStatus))}
    assert rows["ARG"].actions == [
        {
            "kind": "provisional_application",
            "date": "1992-12-29",
            "column": "Provisional application(n)",
            "suffix": "n",
        }
    ]
    assert (rows["BEL"].signature_kind, rows["BOL"].signature_kind) == ("signature", None)
    # the same page again changes nothing
    assert _apply(session, status, at=T0 + timedelta(days=1)) == (0, 0, 3)


def test_bulk_insert_writes_what_core_writes(session: Session) -> None:
    """store._insert_many (the fast path of apply_status) stores exactly the values that
    SQLAlchemy's own ``insert()`` stores: dates, aware datetimes, JSON, booleans, NULLs."""
    import sqlalchemy as sa

    poll = _poll(session)
    first = store.upsert_treaty(session=session, status=STATUS, verified_at=T0)
    second = store.upsert_treaty(
        session=session, status=replace(STATUS, mtdsg_no="IV-11-c"), verified_at=T0
    )
    store.upsert_participants(
        session=session, names={"BEL": "Belgium", "BOL": "Bolivia"}, language="en", seen_at=T0
    )
    table = ParticipantStatus.__table__  # type: ignore[attr-defined]

    def rows(treaty_id: int | None) -> list[dict[str, object]]:
        return [
            {"treaty_id": treaty_id, "participant_code": code, "name": name,
             "footnotes": notes, "signature_date": signed, "consent_date": None,
             "consent_kind": kind, "withdrawn": code == "BOL", "has_declarations": True,
             "declaration_text": text, "in_force_date": date(2014, 8, 30), "listed": True,
             "updated_at": T0 + timedelta(microseconds=7), "last_poll_id": poll.id,
             "signature_kind": None if signed is None else "signature",
             "actions": [] if signed is None else [
                 {"kind": "other", "date": "2013-01-02", "column": "X", "suffix": ""}]}
            for code, name, notes, signed, kind, text in (
                ("BEL", "Belgium", ["1", "2"], date(2012, 2, 28), "ratification", "é «»"),
                ("BOL", "Bolivia", [], None, None, None),
            )
        ]  # fmt: skip

    store._insert_many(session, table, rows(first.id))
    session.execute(table.insert(), rows(second.id))
    stored = {
        treaty_id: [tuple(r)[3:] for r in session.execute(
            sa.select(table).where(table.c.treaty_id == treaty_id).order_by(table.c.id)
        )]
        for treaty_id in (first.id, second.id)
    }  # fmt: skip
    assert stored[first.id] == stored[second.id]
    assert stored[first.id][0][0:2] == ("Belgium", ["1", "2"])


def test_read_state_gives_what_a_poll_writes_with(session: Session) -> None:
    """read_state (what record_poll reads once) is load_state plus the treaty row and the
    status rows; apply_status given those rows (``stored=``) writes exactly what it writes
    when it reads them itself."""
    assert store.read_state(session=session, mtdsg_no="IV-11-d") == store.StoredState(
        None, None, frozenset(), []
    )
    _apply(session, STATUS)
    stored = store.read_state(session=session, mtdsg_no="IV-11-d")
    assert stored.treaty == store.get_treaty(session=session, mtdsg_no="IV-11-d")
    assert (stored.state, stored.unlisted) == store.load_state(session=session, mtdsg_no="IV-11-d")
    assert [r.participant_code for r in stored.rows] == ["ARG", "BEL", "BOL"]
    # Argentina ratifies, Bolivia leaves the page: one update, one row unlisted, one no-op
    changed = replace(
        STATUS,
        participants=(
            replace(ARGENTINA, consent=Consent(date(2015, 1, 5), ConsentKind.RATIFICATION)),
            BELGIUM,
        ),
    )
    treaty = store.update_treaty(
        session=session, treaty=stored.treaty, status=changed, verified_at=T0
    )
    poll = _poll(session, at=T0 + timedelta(days=1))
    counts = store.apply_status(
        session=session,
        treaty=treaty,
        status=changed,
        poll=poll,
        in_force=IN_FORCE,
        stored=stored.rows,
    )
    assert counts == (0, 2, 1)
    state, unlisted = store.load_state(session=session, mtdsg_no="IV-11-d")
    assert unlisted == frozenset({"BOL"})
    assert state is not None and state.participant("ARG") == changed.participants[0]


def test_bulk_conversion_converts_each_value_by_type() -> None:
    """_converted (the bulk insert's conversion) keeps 1 and True apart, converts an empty
    list once and a non-empty list each time, and keeps the order."""
    calls: list[object] = []

    def processor(value: object) -> str:
        calls.append(value)
        return f"{type(value).__name__}:{value!r}"

    values: list[object] = [1, True, 1, [], [], ["2"], ["2"], None, True]
    assert store._converted(processor, values) == [
        "int:1", "bool:True", "int:1", "list:[]", "list:[]", "list:['2']", "list:['2']",
        "NoneType:None", "bool:True",
    ]  # fmt: skip
    assert calls == [1, True, [], ["2"], ["2"], None]


# ICESCR (IV-3): China's row of the 2015 participants table (real), and its notifications for
# Hong Kong (20 June 1997) and Macao (2 December 1999) as its real declaration on IV-3 states
# them, written as rows of a territorial-application table (a reconstruction: the real table
# is not available offline). The second row's date is left unknown to store an unknown date.
ICESCR_URL = URL.replace("IV-11-d", "IV-3")
CHINA = Participant(
    name="China",
    code="CHN",
    signature=date(1997, 10, 27),
    consent=Consent(date(2001, 3, 27), ConsentKind.RATIFICATION),
)
HONG_KONG = TerritorialApplication(
    "China",
    "CHN",
    date(1997, 6, 20),
    "Hong Kong Special Administrative Region of the People's Republic of China",
    "Date of receipt of the notification",
)
MACAO_NO_DATE = TerritorialApplication(
    "China",
    "CHN",
    None,
    "Macao Special Administrative Region of the People's Republic of China",
    "Date of receipt of the notification",
)
ICESCR = TreatyStatus(
    mtdsg_no="IV-3",
    language="en",
    title="International Covenant on Economic, Social and Cultural Rights",
    url=ICESCR_URL,
    participants=(CHINA,),
    territorial_applications=(HONG_KONG, MACAO_NO_DATE),
)


def _apply_icescr(session: Session, status: TreatyStatus) -> tuple[int, int, int]:
    treaty = store.upsert_treaty(session=session, status=status, verified_at=T0)
    poll = store.add_poll(
        session=session,
        poll=Poll(mtdsg_no="IV-3", url=ICESCR_URL, started_at=T0, outcome="new"),
    )
    return store.apply_status(
        session=session, treaty=treaty, status=status, poll=poll, in_force={}, seen_at=T0
    )


def test_territorial_rows_are_kept_in_the_participants_actions(session: Session) -> None:
    """No new table: the rows go to the stored actions of the State they name (migration
    0003), come back as the treaty's territorial applications, never as the participant's
    actions (so no change event), and the same page again is a no-op."""
    assert _apply_icescr(session, ICESCR) == (1, 0, 0)
    session.commit()
    session.expunge_all()
    row = session.exec(select(ParticipantStatus)).one()
    assert row.actions == [
        {
            "kind": "territorial_application",
            "date": "1997-06-20",
            "column": "Date of receipt of the notification",
            "suffix": "",
            "territories": HONG_KONG.territories,
        },
        {
            "kind": "territorial_application",
            "date": "",
            "column": "Date of receipt of the notification",
            "suffix": "",
            "territories": MACAO_NO_DATE.territories,
        },
    ]
    state, _ = store.load_state(session=session, mtdsg_no="IV-3")
    assert state is not None
    assert state.territorial_applications == (HONG_KONG, MACAO_NO_DATE)
    assert state.participant("CHN") == CHINA  # no actions of its own
    assert _apply_icescr(session, ICESCR) == (0, 0, 1)
    # the rows gone from the page: the stored actions follow
    assert _apply_icescr(session, replace(ICESCR, territorial_applications=())) == (0, 1, 0)
    state, _ = store.load_state(session=session, mtdsg_no="IV-3")
    assert state is not None and state.territorial_applications == ()


def test_the_map_colours_hong_kong_from_the_stored_row(session: Session) -> None:
    from tracker import queries
    from webapp import panels

    _apply_icescr(session, ICESCR)
    session.commit()
    rows = queries.participants(session=session, mtdsg_no="IV-3")
    _, dots = panels.map_points(rows, {}, {"HKG": (22.3, 114.2), "PRI": (18.2, -66.5)}, "en")
    by_name = {d["name"]: d for d in dots}
    hong_kong = next(d for name, d in by_name.items() if name.startswith("Hong Kong"))
    assert "territorial-application table" in hong_kong["note"]
    assert "China | 1997-06-20 | Hong Kong" in hong_kong["note"]
    assert hong_kong["status"] == panels._legend("party", "en")
