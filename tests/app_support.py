"""Databases for the read-side tests (queries, app pages, CLI), built by the real service.

Every page goes through :func:`tracker.service.record_poll`: the six reconstructed English
pages of ``tests/fixtures/untc`` (real values published on 14 March 2015) recorded as the
bundled snapshot is (source ``snapshot``, published 2015-03-14, loaded at 2015-03-14T00:00Z),
then — in :func:`build_with_changes` — a VARIANT of the OPIC page made by
an edit shown here: Brazil's ratification of 29 Sep 2017 (a real date) added to the 2015
reconstruction, with the parties count raised from 16 to 17 and the page dated 30 Sep 2017,
polled on 2017-10-01 (the first live poll after the snapshot: its event is a catch-up
event); and one failed poll of IV-15 (connection refused) on 2017-10-02.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from tests.plugin_db import BACKENDS, PgServer
from tracker import db, service
from tracker.domain import FetchedPage, PollSource

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "untc"
PAGES = ("IV-11", "IV-11-a", "IV-11-b", "IV-11-c", "IV-11-d", "IV-15")
SNAPSHOT_TIME = datetime(2015, 3, 14, tzinfo=UTC)
CHANGE_TIME = datetime(2017, 10, 1, 6, 0, tzinfo=UTC)
FAIL_TIME = datetime(2017, 10, 2, 6, 0, tzinfo=UTC)


def url_of(page: str) -> str:
    manifest = json.loads((FIXTURES / "pages.json").read_text(encoding="utf-8"))
    return next(str(e["url"]) for e in manifest if e["page"] == page)


SNAPSHOT = service.Origin(source=PollSource.SNAPSHOT, published_on=SNAPSHOT_TIME.date())


def poll(engine: Engine, mtdsg_no: str, body: bytes | None, at: datetime, **kw: object) -> str:
    origin = kw.pop("origin", service.LIVE)
    assert isinstance(origin, service.Origin)
    page = FetchedPage(
        mtdsg_no=mtdsg_no,
        url=url_of(f"{mtdsg_no}.en.html"),
        fetched_at=at,
        started_at=at,
        http_status=kw.pop("http_status", 200),  # type: ignore[arg-type]
        body=body,
        error=kw.pop("error", None),  # type: ignore[arg-type]
    )
    with db.session(engine) as s:
        report = service.record_poll(session=s, page=page, clock=lambda: at, origin=origin)
    return str(report.outcome)


def opic_with_brazil() -> bytes:
    """The OPIC reconstruction with Brazil's ratification (29 Sep 2017) added."""
    text = (FIXTURES / "IV-11-d.en.html").read_text(encoding="utf-8")
    edits = [
        (
            "<tr><td>Brazil</td><td>28 Feb\t 2012</td><td></td></tr>",
            "<tr><td>Brazil</td><td>28 Feb\t 2012</td><td>29 Sep\t 2017</td></tr>",
        ),
        ("Signatories : 48. Parties : 16", "Signatories : 48. Parties : 17"),
        (">14-03-2015 05:01:22<", ">30-09-2017 05:01:22<"),
    ]
    for old, new in edits:
        assert text.count(old) == 1, f"the fixture changed: {old!r} not found once"
        text = text.replace(old, new)
    return text.encode("utf-8")


def build(engine: Engine) -> None:
    """The six pages as of 14 March 2015, as the bundled snapshot (baseline polls, no
    events)."""
    db.upgrade(engine)
    for mtdsg_no in PAGES:
        body = (FIXTURES / f"{mtdsg_no}.en.html").read_bytes()
        outcome = poll(engine, mtdsg_no, body, SNAPSHOT_TIME, origin=SNAPSHOT)
        assert outcome == "new", (mtdsg_no, outcome)


def build_with_changes(engine: Engine) -> None:
    """:func:`build`, then Brazil's OPIC ratification and one failed poll of IV-15."""
    build(engine)
    assert poll(engine, "IV-11-d", opic_with_brazil(), CHANGE_TIME) == "changed"
    outcome = poll(engine, "IV-15", None, FAIL_TIME, http_status=None, error="connection refused")
    assert outcome == "error"


# --- pytest fixtures (registered as a plugin in tests/conftest.py) ----------------------------


@pytest.fixture(scope="session")
def _changes_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("read-side") / "template.db"
    engine = db.make_engine(f"sqlite:///{path}")
    build_with_changes(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def _pg_changes_template(pg_server: PgServer) -> str:
    """The read-side database built once on PostgreSQL; its name (a template to copy)."""
    url = pg_server.create_database()
    engine = db.make_engine(url)
    try:
        build_with_changes(engine)
    finally:
        engine.dispose()
    return db.normalise_url(url).database or ""


@pytest.fixture(params=BACKENDS)
def app_db(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A copy of the read-side database — a SQLite file, or a PostgreSQL database made from
    the template (each test gets its own, so a test that writes leaves the next one alone,
    and the app's query caches, keyed by URL, never mix two tests).
    TRACKER_DATABASE_URL points at it. Yields the URL."""
    from tracker.config import get_settings

    server: PgServer | None = None
    if request.param == "sqlite":
        path = tmp_path / "tracker.db"
        shutil.copyfile(request.getfixturevalue("_changes_template"), path)
        url = f"sqlite:///{path}"
    else:
        server = request.getfixturevalue("pg_server")
        url = server.create_database(template=request.getfixturevalue("_pg_changes_template"))
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRACKER_ADMIN_PASSWORD", raising=False)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    if server is not None:
        server.drop_database(url)


# --- the app under AppTest ---------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
#: The app's entry script in a checkout (it runs webapp.app.main, like the installed one).
APP = ROOT / "app.py"
VIEWS = ("country", "treaty", "alerts", "watchlists", "health")


def view_path(name: str) -> str:
    """A view's script, relative to the entry script (as ``AppTest.switch_page`` wants it)."""
    return f"webapp/views/{name}.py"


def open_view(name: str, *, timeout: float = 120, **query: str) -> AppTest:
    """The app run under AppTest, opened on one view (the address holding ``query``)."""
    assert name in VIEWS, name
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.query_params.update(query)
    at.run()
    if name != "country":  # the default view, at "/"
        at.switch_page(view_path(name)).run()
    return at
