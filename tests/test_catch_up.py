"""Catch-up after the bundled snapshot or a long gap: the first live poll records its events
marked as catch-up, with their effective dates, and each watch gets ONE summary message.

The live page is a DERIVED EDIT of the bundled snapshot page of OPIC
(data/snapshot/IV-11-d.en.html, real values published on 14 March 2015): two real later
ratifications are added — Argentina on 14 April 2015 and Luxembourg on 12 February 2016 —
the Parties count raised from 16 to 18 and the status date moved to 15 February 2016. Other
ratifications of that period are not added (the edit is partial, not a copy of a real page).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tests.app_support import FIXTURES, SNAPSHOT, SNAPSHOT_TIME, poll
from tests.helpers_webhook import Webhook
from tests.plugin_http import UntcServer
from tests.test_crawl_e2e import OPIC, Crawl, crawl, only  # noqa: F401  (crawl: a fixture)
from tracker import alerts, db, integrity, queries, snapshot
from tracker.archive import Archive
from tracker.cli import main
from tracker.config import get_settings
from tracker.models import Alert, ChangeEvent, Poll

SNAPSHOT_OPIC = snapshot.SNAPSHOT_DIR / "IV-11-d.en.html"


def later_opic_page() -> str:
    """The derived edit described in the module docstring, applied to the snapshot page."""
    text = SNAPSHOT_OPIC.read_text(encoding="utf-8")
    edits = [
        (
            "<tr><td>Argentina</td><td>25 Jul\t 2012</td><td></td></tr>",
            "<tr><td>Argentina</td><td>25 Jul\t 2012</td><td>14 Apr\t 2015</td></tr>",
        ),
        (
            "<tr><td>Luxembourg</td><td>28 Feb\t 2012</td><td></td></tr>",
            "<tr><td>Luxembourg</td><td>28 Feb\t 2012</td><td>12 Feb\t 2016</td></tr>",
        ),
        ("Signatories : 48. Parties : 16", "Signatories : 48. Parties : 18"),
        ('lblDate">14-03-2015 05:01:22<', 'lblDate">15-02-2016 05:01:22<'),
        ('lblTimeZone">EDT<', 'lblTimeZone">EST<'),
    ]
    for old, new in edits:
        assert text.count(old) == 1, f"the snapshot page changed: {old!r}"
        text = text.replace(old, new)
    return text


def messages_by_hook(hooks: dict[str, Webhook]) -> dict[str, list[dict[str, Any]]]:
    return {name: hook.messages() for name, hook in hooks.items()}


@pytest.fixture
def hooks() -> Any:
    started = {name: Webhook().start() for name in ("luxembourg", "opic", "opic_digest")}
    yield started
    for hook in started.values():
        hook.stop()


def test_first_live_poll_after_the_snapshot_is_one_summary_per_watch(
    crawl: Crawl,  # noqa: F811
    untc_server: UntcServer,
    engine: Engine,
    tmp_path: Path,
    hooks: dict[str, Webhook],
) -> None:
    archive = Archive(get_settings().archive_dir)
    assert [str(r.outcome) for r in snapshot.load(engine, archive=archive)] == ["new"] * 6
    with Session(engine) as s:  # watches created on the snapshot, before any live poll
        alerts.add_watch(
            session=s,
            label="Luxembourg on OPIC",
            notify_url=hooks["luxembourg"].url,
            country_code="LUX",
            mtdsg_no=OPIC,
        )
        alerts.add_watch(session=s, label="OPIC", notify_url=hooks["opic"].url, mtdsg_no=OPIC)
        alerts.add_watch(
            session=s,
            label="OPIC digest",
            notify_url=hooks["opic_digest"].url,
            mtdsg_no=OPIC,
            digest=True,
        )
        s.commit()

    untc_server.page(OPIC).write_text(later_opic_page(), encoding="utf-8")
    report = only(crawl([OPIC]))  # a real Scrapy crawl of the local server
    assert report["outcome"] == "changed", report
    assert sorted((e["participant_code"], e["new_value"]) for e in report["events"]) == [
        ("ARG", "2015-04-14"),
        ("LUX", "2016-02-12"),
    ]
    assert report["catch_up_since"].startswith("2015-03-14")

    with Session(engine) as s:
        events = list(s.exec(select(ChangeEvent).order_by(col(ChangeEvent.id))))
        luxembourg = next(e for e in events if e.participant_code == "LUX")
        assert (luxembourg.kind, luxembourg.consent_kind) == ("consent", "ratification")
        assert luxembourg.effective_date == date(2016, 2, 12)
        assert all(e.catch_up for e in events)
        live = s.exec(select(Poll).where(Poll.source == "live")).one()
        assert live.catch_up_from == "snapshot"
        assert live.catch_up_since == datetime(2015, 3, 14, tzinfo=UTC)
        [summary] = queries.catch_ups(session=s, mtdsg_no=OPIC)
        assert summary.sentence("en").startswith("Since the 14 Mar 2015 snapshot: 2 changes")
        assert queries.catch_ups(session=s, country="LUX")[0].events == 1

        assert alerts.enqueue(session=s) == 5  # one alert row per (watch, event), as always
    delivered = alerts.deliver_due(engine=engine)
    assert delivered.sent == 5 and delivered.failed == 0
    assert delivered.messages == 3  # one per watch, the digest watch included
    got = messages_by_hook(hooks)
    assert [len(m) for m in got.values()] == [1, 1, 1]
    [lux] = got["luxembourg"]
    assert lux["title"] == "Treaty tracker: 1 change since the 14 March 2015 snapshot (catch-up)"
    assert "Luxembourg ratified" in lux["message"] and "12 February 2016" in lux["message"]
    [opic] = got["opic"]
    assert opic["title"] == "Treaty tracker: 2 changes since the 14 March 2015 snapshot (catch-up)"
    body = opic["message"]
    assert body.index("Argentina") < body.index("Luxembourg")  # by effective date
    assert "not today's news" in body
    assert alerts.deliver_due(engine=engine).messages == 0  # nothing left to send
    with Session(engine) as s:
        assert {a.status for a in s.exec(select(Alert))} == {"sent"}
        check = integrity.check_database(session=s, archive=archive)
    assert check.ok, check.findings  # snapshot and live polls, archived, replay the same


# --- the rule, at the service ------------------------------------------------------------------

OPIC_BODY = (FIXTURES / "IV-11-d.en.html").read_bytes()


def with_brazil(stamp: str) -> bytes:
    """DERIVED EDIT of the OPIC reconstruction: Brazil's real ratification (29 Sep 2017) and a
    status date ``stamp`` ("dd-mm-yyyy")."""
    text = OPIC_BODY.decode("utf-8")
    for old, new in (
        (
            "<tr><td>Brazil</td><td>28 Feb\t 2012</td><td></td></tr>",
            "<tr><td>Brazil</td><td>28 Feb\t 2012</td><td>29 Sep\t 2017</td></tr>",
        ),
        ("Signatories : 48. Parties : 16", "Signatories : 48. Parties : 17"),
        (">14-03-2015 05:01:22<", f">{stamp} 05:01:22<"),
    ):
        assert text.count(old) == 1
        text = text.replace(old, new)
    return text.encode("utf-8")


def catch_up_flags(engine: Engine) -> list[bool]:
    with Session(engine) as s:
        return [e.catch_up for e in s.exec(select(ChangeEvent).order_by(col(ChangeEvent.id)))]


@pytest.mark.parametrize(
    ("gap_days", "setting", "expected"),
    [(40, None, True), (20, None, False), (20, "10", True), (40, "60", False)],
)
def test_a_gap_longer_than_the_setting_is_a_catch_up(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    gap_days: int,
    setting: str | None,
    expected: bool,
) -> None:
    if setting is None:
        monkeypatch.delenv("TRACKER_STALE_AFTER_DAYS", raising=False)
    else:
        monkeypatch.setenv("TRACKER_STALE_AFTER_DAYS", setting)
    get_settings.cache_clear()
    try:
        first = datetime(2017, 9, 1, 6, tzinfo=UTC)
        assert poll(engine, OPIC, OPIC_BODY, first) == "new"  # a live baseline
        later = first + timedelta(days=gap_days)
        assert poll(engine, OPIC, with_brazil("30-09-2017"), later) == "changed"
    finally:
        get_settings.cache_clear()
    assert catch_up_flags(engine) == [expected]


def test_the_snapshot_makes_the_next_live_poll_a_catch_up_even_a_day_later(
    engine: Engine,
) -> None:
    loaded = datetime(2017, 9, 29, 6, tzinfo=UTC)
    assert poll(engine, OPIC, OPIC_BODY, loaded, origin=SNAPSHOT) == "new"
    assert poll(engine, OPIC, with_brazil("30-09-2017"), loaded + timedelta(days=1)) == "changed"
    assert catch_up_flags(engine) == [True]
    # ... and only that one: the next live poll a day later is an ordinary poll (its change,
    # a ratification by Chile on 1 Oct 2017, is INVENTED for this test)
    body = (
        with_brazil("01-10-2017")
        .replace(
            b"<tr><td>Chile</td><td>28 Feb\t 2012</td><td></td></tr>",
            b"<tr><td>Chile</td><td>28 Feb\t 2012</td><td> 1 Oct\t 2017</td></tr>",
        )
        .replace(b"Parties : 17", b"Parties : 18")
    )
    assert poll(engine, OPIC, body, loaded + timedelta(days=2)) == "changed"
    assert catch_up_flags(engine) == [True, False]


def test_catch_up_summary_in_french_and_events_without_a_date(sqlite_engine: Engine) -> None:
    """A watch in French gets its summary in French; a change the page gives no date for
    says so instead of leaving the date out silently. The live page adds to Brazil's
    ratification the real 2019 name of North Macedonia (a rename: no date on the page)."""
    assert poll(sqlite_engine, OPIC, OPIC_BODY, SNAPSHOT_TIME, origin=SNAPSHOT) == "new"
    text = with_brazil("30-09-2017").decode("utf-8")
    old_name = "<tr><td>The former Yugoslav Republic of Macedonia</td>"
    assert text.count(old_name) == 1
    renamed = text.replace(old_name, "<tr><td>North Macedonia</td>")
    sent: list[tuple[str, str]] = []
    with Session(sqlite_engine) as s:
        alerts.add_watch(
            session=s, label="OPIC", notify_url="json://127.0.0.1:9/x", mtdsg_no=OPIC,
            language="fr", created_at=SNAPSHOT_TIME,
        )  # fmt: skip
        s.commit()
    assert poll(sqlite_engine, OPIC, renamed.encode(), datetime(2017, 10, 1, tzinfo=UTC)) == (
        "changed"
    )
    with Session(sqlite_engine) as s:
        assert alerts.enqueue(session=s) == 2  # the ratification and the new name

    def sender(url: str, *, title: str, body: str, fmt: str) -> None:
        sent.append((title, body))

    report = alerts.deliver_due(engine=sqlite_engine, sender=sender)
    assert report.messages == 1 and report.sent == 2
    [(title, body)] = sent
    assert (
        title
        == "Veille des traités : 2 changements depuis l'instantané du 14 mars 2015 (rattrapage)"
    )
    assert "ratification le 29 septembre 2017" in body
    assert "(date non indiquée sur la page)" in body  # the rename has no date on the page


def test_changes_command_marks_catch_up_events(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert poll(sqlite_engine, OPIC, OPIC_BODY, SNAPSHOT_TIME, origin=SNAPSHOT) == "new"
    assert poll(sqlite_engine, OPIC, with_brazil("30-09-2017"), datetime(2017, 10, 1, tzinfo=UTC))
    monkeypatch.setenv("TRACKER_DATABASE_URL", sqlite_engine.url.render_as_string(False))
    get_settings.cache_clear()
    try:
        assert main(["changes", "--treaty", OPIC]) == 0
        out = capsys.readouterr().out
        assert "[catch-up: happened before it was observed]" in out
        assert main(["changes", "--json"]) == 0
        assert '"catch_up": true' in capsys.readouterr().out
    finally:
        get_settings.cache_clear()
    with db.session(sqlite_engine) as s:
        assert [e.catch_up for e in queries.events(session=s)] == [True]


def test_poll_command_says_when_its_events_are_a_catch_up() -> None:
    from tracker.commands.poll import format_report

    event = {"kind": "consent", "participant_name": "Luxembourg", "participant_code": "LUX"}
    report = {"mtdsg_no": OPIC, "outcome": "changed", "events": [event]}
    assert format_report(report)[0] == "IV-11-d: changed, 1 event(s)"
    report["catch_up_since"] = "2015-03-14T00:00:00+00:00"
    assert format_report(report)[0] == (
        "IV-11-d: changed, 1 event(s) (catch-up: not verified since 2015-03-14; they happened "
        "on their own dates)"
    )
