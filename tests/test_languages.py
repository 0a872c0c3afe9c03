"""Polling the English and the French page of one treaty (TRACKER_LANGUAGES=["en","fr"]).

The tracker keeps one state per treaty, so the two pages are compared with each other. The
same facts in the other language must give no event (no rename, no declaration change), and a
real change gives its event once, whichever page shows it first.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from tests.app_support import FIXTURES
from tracker import db, service
from tracker.domain import ChangeKind, FetchedPage

URL = (
    "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-11-d&chapter=4&clang=_{}"
)
START = datetime(2015, 3, 14, 6, 0, tzinfo=UTC)


def page(lang: str, *, argentina: bool = False) -> bytes:
    """The OPIC reconstruction; with ``argentina``, Argentina's real ratification of
    14 Apr 2015 added (a derived edit, made here, in either language)."""
    text = (FIXTURES / f"IV-11-d.{lang}.html").read_text(encoding="utf-8")
    if argentina:
        row, month, status = {
            "en": ("<tr><td>Argentina</td><td>25 Jul\t 2012</td><td>", "Apr", "Signatories"),
            "fr": ("<tr><td>Argentine</td><td>25 juil\t 2012</td><td>", "avr", "Signataires"),
        }[lang]
        assert text.count(row + "</td>") == 1
        text = text.replace(row + "</td>", f"{row}14 {month}\t 2015</td>")
        old = f"{status} : 48. Parties : 16"
        assert text.count(old) == 1
        text = text.replace(old, f"{status} : 48. Parties : 17")
    return text.encode("utf-8")


def record(engine: Engine, lang: str, body: bytes, n: int) -> service.PollReport:
    when = START + timedelta(days=n)
    fetched = FetchedPage(
        mtdsg_no="IV-11-d", url=URL.format(lang), fetched_at=when, http_status=200, body=body
    )
    with db.session(engine) as session:
        return service.record_poll(
            session=session, page=fetched, expected_language=lang, clock=lambda: when
        )


def test_alternating_languages_give_no_false_events(sqlite_engine: Engine) -> None:
    assert str(record(sqlite_engine, "en", page("en"), 0).outcome) == "new"
    for n, lang in enumerate(["fr", "en", "fr", "en"], start=1):
        report = record(sqlite_engine, lang, page(lang), n)
        assert report.events == [], (lang, report.events)
        assert str(report.outcome) == "unchanged", (lang, report.outcome, report.error)


def test_a_real_change_is_reported_once_in_either_language(sqlite_engine: Engine) -> None:
    record(sqlite_engine, "en", page("en"), 0)
    record(sqlite_engine, "fr", page("fr"), 1)
    first = record(sqlite_engine, "fr", page("fr", argentina=True), 2)
    assert [(e.kind, e.participant_code, e.new_value) for e in first.events] == [
        (ChangeKind.CONSENT, "ARG", "2015-04-14")
    ]
    again = record(sqlite_engine, "en", page("en", argentina=True), 3)
    assert again.events == []
