"""record_poll() end to end on both backends, with the real parser and the reconstructed
OPIC page (tests/fixtures/untc/IV-11-d.en.html, values of 2015-03-14).

Variants are derived from that page by edits written out in this file:
* ``B``: Argentina's ratification of 14 Apr 2015 (a real act, after the page's date) added,
  plus an accession by Panama on 1 Jun 2015 INVENTED for this test; counts and the "as at"
  date adjusted to match;
* ``C``: ``B`` with "The former Yugoslav Republic of Macedonia" renamed "North Macedonia"
  (the real 2019 name);
* ``D``: ``C`` with the row of Mauritius removed (a disappearance invented for this test).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker import models, service, store
from tracker.archive import Archive, sha256_hex
from tracker.domain import ChangeKind, ConsentKind, FetchedPage, PollOutcome
from tracker.models import ChangeEvent, ParticipantStatus, Poll
from tracker.service import record_poll
from tracker.sources import untc

FIXTURES = Path(__file__).parent / "fixtures" / "untc"
URL = (
    "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-11-d&chapter=4&clang=_en"
)
T0 = datetime(2015, 3, 14, 12, 0, tzinfo=UTC)


def _page_a() -> str:
    return (FIXTURES / "IV-11-d.en.html").read_text(encoding="utf-8")


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"edit anchor not found once: {old!r}"
    return text.replace(old, new)


def _page_b() -> str:
    text = _page_a()
    text = _edit(
        text,
        "<tr><td>Argentina</td><td>25 Jul\t 2012</td><td></td></tr>",
        "<tr><td>Argentina</td><td>25 Jul\t 2012</td><td>14 Apr\t 2015</td></tr>",
    )
    text = _edit(
        text,
        "<tr><td>Paraguay</td>",
        "<tr><td>Panama</td><td></td><td> 1 Jun\t 2015 a</td></tr>\n<tr><td>Paraguay</td>",
    )
    text = _edit(text, "Signatories : 48. Parties : 16", "Signatories : 48. Parties : 18")
    return _edit(text, ">14-03-2015 05:01:22<", ">02-06-2015 05:01:22<")


def _page_c() -> str:
    return _edit(
        _page_b(),
        "<td>The former Yugoslav Republic of Macedonia</td>",
        "<td>North Macedonia</td>",
    )


def _page_d() -> str:
    text = _edit(_page_c(), "<tr><td>Mauritius</td><td>13 Aug\t 2012</td><td></td></tr>\n", "")
    return _edit(text, "Signatories : 48. Parties : 18", "Signatories : 47. Parties : 18")


def _fetched(
    body: str | bytes | None, at: datetime, *, status: int | None = 200, url: str = URL
) -> FetchedPage:
    raw = body.encode("utf-8") if isinstance(body, str) else body
    return FetchedPage(
        mtdsg_no="IV-11-d",
        url=url,
        fetched_at=at,
        started_at=at - timedelta(seconds=2),
        http_status=status,
        body=raw,
        content_hash=None if raw is None else sha256_hex(raw),
        error=None if raw is not None else "connection refused",
    )


def _poll(session: Session, body: str | bytes | None, at: datetime, **kw: Any) -> Any:
    return record_poll(session=session, page=_fetched(body, at), **kw)


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the poll table apart), in primary-key order."""
    out = {}
    with engine.connect() as connection:
        for table in models.metadata.sorted_tables:
            if table.name == "poll":
                continue
            query = sa_select(table).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(row) for row in connection.execute(query)]
    return out


def _event_keys(report: service.PollReport) -> set[tuple[Any, ...]]:
    return {
        (e.kind, e.participant_code, e.new_value, e.consent_kind, e.effective_date)
        for e in report.events
    }


def test_first_poll_is_a_baseline_without_events(session: Session, tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    report = _poll(session, _page_a(), T0, archive=archive)
    assert report.outcome is PollOutcome.NEW
    assert report.events == [] and report.error is None
    assert (report.inserts, report.updates, report.noops) == (51, 0, 0)
    assert session.exec(select(ChangeEvent)).all() == []
    poll = session.get(Poll, report.poll_id)
    assert poll is not None
    assert (poll.outcome, poll.language, poll.inserts, poll.events) == ("new", "en", 51, 0)
    assert poll.content_hash == sha256_hex(_page_a().encode())
    assert archive.get(poll.content_hash) == _page_a().encode()
    belgium = session.exec(
        select(ParticipantStatus).where(ParticipantStatus.participant_code == "BEL")
    ).one()
    assert belgium.consent_date == date(2014, 5, 30)
    assert belgium.in_force_date == date(2014, 8, 30)  # OPIC art. 19(2): three months later
    assert belgium.has_declarations and belgium.declaration_text
    treaty = store.get_treaty(session=session, mtdsg_no="IV-11-d")
    assert treaty is not None and treaty.last_verified_at == T0
    assert (treaty.signatories, treaty.parties) == (48, 16)


def test_new_consent_and_accession_give_exactly_those_events(session: Session) -> None:
    _poll(session, _page_a(), T0)
    report = _poll(session, _page_b(), T0 + timedelta(days=1))
    assert report.outcome is PollOutcome.CHANGED, report.error
    assert _event_keys(report) == {
        ("consent", "ARG", "2015-04-14", ConsentKind.RATIFICATION, date(2015, 4, 14)),
        ("consent", "PAN", "2015-06-01", ConsentKind.ACCESSION, date(2015, 6, 1)),
    }
    assert (report.inserts, report.updates, report.noops) == (1, 1, 50)
    rows = store.events(session=session, mtdsg_no="IV-11-d")
    assert {(r.kind, r.participant_code, r.consent_kind) for r in rows} == {
        ("consent", "ARG", "ratification"),
        ("consent", "PAN", "accession"),
    }
    assert all(r.poll_id == report.poll_id and r.source_url == URL for r in rows)
    assert all(r.observed_at == T0 + timedelta(days=1) for r in rows)
    argentina = session.exec(
        select(ParticipantStatus).where(ParticipantStatus.participant_code == "ARG")
    ).one()
    assert argentina.consent_date == date(2015, 4, 14)
    assert argentina.in_force_date == date(2015, 7, 14)


def test_identical_poll_is_unchanged_without_parsing(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _poll(session, _page_a(), T0)
    _poll(session, _page_b(), T0 + timedelta(days=1))

    def must_not_parse(text: str, url: str) -> None:
        raise AssertionError("the cheap path must not parse")

    with monkeypatch.context() as m:
        m.setattr(untc, "parse_status_page", must_not_parse)
        report = _poll(session, _page_b(), T0 + timedelta(days=2))
    assert report.outcome is PollOutcome.UNCHANGED and report.events == []
    treaty = store.get_treaty(session=session, mtdsg_no="IV-11-d")
    assert treaty is not None and treaty.last_verified_at == T0 + timedelta(days=2)
    # other bytes, same facts: parsed, diffed, nothing to report
    again = _poll(session, _page_b() + "\n<!-- cache buster -->", T0 + timedelta(days=3))
    assert again.outcome is PollOutcome.UNCHANGED and again.events == []
    assert (again.inserts, again.updates, again.noops) == (0, 0, 52)
    assert len(store.events(session=session)) == 2


def test_rename_is_one_rename_event(session: Session) -> None:
    _poll(session, _page_b(), T0)
    report = _poll(session, _page_c(), T0 + timedelta(days=1))
    assert report.outcome is PollOutcome.CHANGED
    assert [(e.kind, e.participant_code, e.old_value, e.new_value) for e in report.events] == [
        (ChangeKind.RENAME, "MKD", "The former Yugoslav Republic of Macedonia", "North Macedonia")
    ]
    row = session.exec(
        select(ParticipantStatus).where(ParticipantStatus.participant_code == "MKD")
    ).one()
    assert row.name == "North Macedonia" and row.signature_date == date(2012, 5, 23)
    participant = session.get(models.Participant, "MKD")
    assert participant is not None and participant.name_en == "North Macedonia"


def test_disappeared_participant_is_kept_unlisted(session: Session) -> None:
    _poll(session, _page_c(), T0)
    report = _poll(session, _page_d(), T0 + timedelta(days=1))
    assert report.outcome is PollOutcome.CHANGED, report.error
    assert [(e.kind, e.participant_code) for e in report.events] == [
        (ChangeKind.DISAPPEARED, "MUS")
    ]
    row = session.exec(
        select(ParticipantStatus).where(ParticipantStatus.participant_code == "MUS")
    ).one()
    assert row.listed is False and row.signature_date == date(2012, 8, 13)
    # still missing next time: no second event; the event row stays
    again = _poll(session, _page_d() + "<!-- 2 -->", T0 + timedelta(days=2))
    assert again.outcome is PollOutcome.UNCHANGED and again.events == []
    assert [e.kind for e in store.events(session=session)] == ["disappeared"]


@pytest.mark.parametrize(
    "name", ["empty.html", "maintenance.html", "no-table.html", "truncated.html"]
)
def test_broken_pages_change_nothing(session: Session, engine: Engine, name: str) -> None:
    _poll(session, _page_a(), T0)
    _poll(session, _page_b(), T0 + timedelta(days=1))
    before = _snapshot(engine)
    body = (FIXTURES / "broken" / name).read_bytes()
    report = _poll(session, body, T0 + timedelta(days=2))
    assert report.outcome in (PollOutcome.ERROR, PollOutcome.SUSPECT)
    assert report.events == [] and report.error
    assert _snapshot(engine) == before
    poll = session.get(Poll, report.poll_id)
    assert poll is not None and poll.outcome == report.outcome and poll.error == report.error
    assert store.consecutive_failures(session=session, mtdsg_no="IV-11-d") == 1


def test_half_page_is_suspect(session: Session, engine: Engine) -> None:
    _poll(session, _page_b(), T0)
    before = _snapshot(engine)
    text = _page_b()
    start = text.index("<tr><td>Guinea-Bissau</td>")
    end = text.index("</table>", start)
    half = text[:start] + text[end:]  # rows Guinea-Bissau .. Uruguay cut away
    report = _poll(session, half, T0 + timedelta(days=1))
    assert report.outcome is PollOutcome.SUSPECT
    assert report.events == [] and report.error
    assert _snapshot(engine) == before


def test_failed_fetches_are_errors(session: Session, engine: Engine) -> None:
    _poll(session, _page_a(), T0)
    before = _snapshot(engine)
    down = record_poll(session=session, page=_fetched(None, T0 + timedelta(days=1), status=None))
    assert down.outcome is PollOutcome.ERROR and down.error == "connection refused"
    server = record_poll(session=session, page=_fetched(_page_b(), T0, status=503))
    assert server.outcome is PollOutcome.ERROR and "503" in (server.error or "")
    assert _snapshot(engine) == before
    assert store.consecutive_failures(session=session, mtdsg_no="IV-11-d") == 2


def test_wrong_language_or_older_page_is_suspect(session: Session, engine: Engine) -> None:
    _poll(session, _page_b(), T0)
    before = _snapshot(engine)
    report = _poll(session, _page_b() + "<!-- x -->", T0, expected_language="fr")
    assert report.outcome is PollOutcome.SUSPECT and "'fr'" in (report.error or "")
    older = _poll(session, _page_a(), T0 + timedelta(days=1))  # dated 14 Mar, stored 2 Jun
    assert older.outcome is PollOutcome.SUSPECT and "older copy" in (older.error or "")
    assert _snapshot(engine) == before


def test_exception_inside_rolls_everything_back(
    session: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _poll(session, _page_a(), T0)
    before = _snapshot(engine)

    def explode(**kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    with monkeypatch.context() as m:
        m.setattr(store, "add_events", explode)  # after apply_status has run
        report = _poll(session, _page_b(), T0 + timedelta(days=1))
    assert report.outcome is PollOutcome.ERROR
    assert report.error is not None and "RuntimeError: disk on fire" in report.error
    assert _snapshot(engine) == before
    polls = store.polls(session=session, mtdsg_no="IV-11-d")
    assert [p.outcome for p in polls] == ["new", "error"]
    # the next poll of the same page is not mistaken for "unchanged"
    retry = _poll(session, _page_b(), T0 + timedelta(days=2))
    assert retry.outcome is PollOutcome.CHANGED and len(retry.events) == 2


def test_events_are_never_deleted(session: Session) -> None:
    _poll(session, _page_a(), T0)
    seen: list[int] = []
    for day, page in enumerate([_page_b(), _page_c(), _page_d(), _page_d() + " "], start=1):
        _poll(session, page, T0 + timedelta(days=day))
        ids = [e.id for e in store.events(session=session) if e.id is not None]
        assert ids[: len(seen)] == seen
        seen = ids
    assert len(seen) == 4  # 2 consents, 1 rename, 1 disappearance


def test_replay_from_archive(session: Session, tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    digest = archive.put(_page_a().encode())
    page = FetchedPage(
        mtdsg_no="IV-11-d",
        url=URL,
        fetched_at=T0,
        http_status=200,
        body=None,
        content_hash=digest,
    )
    reports = service.replay_from_archive(session=session, archive=archive, pages=[page, page])
    assert [r.outcome for r in reports] == [PollOutcome.NEW, PollOutcome.UNCHANGED]
