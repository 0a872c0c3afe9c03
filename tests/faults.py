"""Fault injection for the reliability tests: a misbehaving fake UNTC site and faulty pages.

Two layers, sharing one list of fault kinds (:data:`KINDS`):

* **Served faults** — :class:`FaultServer` is the fixture site of :mod:`tests.plugin_http`
  (same routes, same copy of the fixture pages) with a fault layer in front:
  :meth:`FaultServer.inject` makes the next ``times`` requests whose path contains a pattern
  misbehave at the HTTP or TCP level (HTTP 500/502/503+Retry-After/429, connection reset,
  a stalled answer, a redirect loop, a redirect to another host, a body cut in transfer, a
  huge body) or answer 200 with a wrong page (maintenance page, body cut at a byte, the
  page in the other language, another treaty's page, a reshaped participants table).
  :func:`fault_site` is the generator behind a ``site`` fixture (a test module wraps it).
* **Page faults** — :func:`faulty_page` builds the :class:`~tracker.domain.FetchedPage` a
  crawl would hand to :func:`tracker.service.record_poll` for the same fault, so a long
  soak can call ``record_poll`` directly (fast) while the real-crawl tests prove that the
  crawl turns each served fault into the same kind of page.

Pages are the reconstructions in ``tests/fixtures/untc``; every edit made here is a
*derived* edit (labelled in :data:`KINDS`), never presented as real data.
"""

from __future__ import annotations

import contextlib
import io
import logging
import random
import re
import socket
import struct
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tests.plugin_http import RecordedRequest, UntcServer, copy_fixture_site, run_server
from tracker.domain import FetchedPage

logger = logging.getLogger(__name__)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "untc"
#: The fixture treaties with an English status page.
TREATIES: tuple[str, ...] = ("IV-11", "IV-11-a", "IV-11-b", "IV-11-c", "IV-11-d", "IV-15")
#: For "another treaty's page": the page served instead (a treaty with more participants, so
#: the swap is not caught by the "participants went missing" check alone).
OTHER_TREATY: dict[str, str] = {
    "IV-11": "IV-15",
    "IV-11-a": "IV-11",
    "IV-11-b": "IV-11",
    "IV-11-c": "IV-11-b",
    "IV-11-d": "IV-11-c",
    "IV-15": "IV-11",
}

#: Treaties whose participants table has the three usual columns (IV-11-a has two).
RESHAPE_TREATIES: tuple[str, ...] = tuple(t for t in TREATIES if t != "IV-11-a")

#: Download timeout of the fault tests (seconds): short, so that a stalled answer fails
#: quickly, yet long enough that a page served by a busy machine never times out.
DOWNLOAD_TIMEOUT = 5
#: How long a "stall" fault keeps the answer back: longer than :data:`DOWNLOAD_TIMEOUT`.
STALL_SECONDS = 8.0
#: Test speed: no politeness delays, no backoff, short download timeout, two retries.
FAST_CRAWL: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "RETRY_BACKOFF_BASE": 0,
    "RETRY_TIMES": 2,
    "DOWNLOAD_TIMEOUT": DOWNLOAD_TIMEOUT,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}

#: Every fault kind -> what it is. "transient" kinds are overcome by the crawler's retries when
#: they happen fewer times than it retries; all others must end as an error or suspect poll.
KINDS: dict[str, str] = {
    "http_500": "HTTP 500 Internal Server Error",
    "http_502": "HTTP 502 Bad Gateway",
    "http_503": "HTTP 503 Service Unavailable with Retry-After: 0",
    "http_429": "HTTP 429 Too Many Requests",
    "reset": "TCP connection reset before any answer",
    "stall": "no answer until after the download timeout",
    "redirect_loop": "302 to a second address that 302s back (a loop)",
    "cut_transfer": "Content-Length announced, connection closed half-way",
    "maintenance": "200 answer carrying the UNTC maintenance page",
    "cut_body": "200 answer with the page cut at a random byte (derived)",
    "wrong_language": "200 answer with the French page for an English request",
    "other_treaty": "200 answer with another treaty's page",
    "reshape_reorder": "participants table with Signature and Ratification columns swapped "
    "(derived)",
    "reshape_rename": "participants table with its column headings renamed (derived)",
    "reshape_drop": "participants table without its Ratification column (derived)",
}
#: Kinds produced at the transport level (only a real crawl can meet them).
TRANSPORT_KINDS = ("http_500", "http_502", "http_503", "http_429", "reset", "stall",
                   "redirect_loop", "cut_transfer")  # fmt: skip
#: Kinds that are a 200 answer with a wrong body.
BODY_KINDS = tuple(k for k in KINDS if k not in TRANSPORT_KINDS)
HTTP_STATUS = {"http_500": 500, "http_502": 502, "http_503": 503, "http_429": 429}


# ------------------------------------------------------------------------------ page faults


def page_bytes(mtdsg_no: str, language: str = "en", root: Path = FIXTURES) -> bytes:
    return (root / f"{mtdsg_no}.{language}.html").read_bytes()


def maintenance_page(root: Path = FIXTURES) -> bytes:
    return (root / "broken" / "maintenance.html").read_bytes()


def cut_at(body: bytes, rng: random.Random) -> bytes:
    """DERIVED: the body cut at a random byte (never the whole body)."""
    return body[: rng.randrange(1, len(body) - 20)]


def _header_row(html: str) -> tuple[int, int, list[str]]:
    grid = html.index("tblgrid")
    start = html.index('<tr class="tableHdr">', grid)
    end = html.index("</tr>", start) + len("</tr>")
    cells = re.findall(r"<td>(.*?)</td>", html[start:end])
    return start, end, cells


def reshape_table(body: bytes, how: str) -> bytes:
    """DERIVED: the participants table reshaped: ``reorder`` swaps the two date columns in
    the heading and every row, ``rename`` renames the headings, ``drop`` removes the last
    (consent) column from the heading and every row."""
    html = body.decode("utf-8")
    start, end, cells = _header_row(html)
    table_end = html.index("</table>", end)
    rows = html[end:table_end]
    if how == "rename":
        header = '<tr class="tableHdr"><td>State</td><td>Date A</td><td>Date B</td></tr>'
        return (html[:start] + header + html[end:]).encode("utf-8")
    if how == "reorder":
        header = "".join(f"<td>{c}</td>" for c in (cells[0], cells[2], cells[1]))
        header = f'<tr class="tableHdr">{header}</tr>'
        rows = re.sub(
            r"(<tr><td>.*?</td>)(<td>[^<]*</td>)(<td>[^<]*</td>)</tr>", r"\1\3\2</tr>", rows
        )
    elif how == "drop":
        header = f'<tr class="tableHdr"><td>{cells[0]}</td><td>{cells[1]}</td></tr>'
        rows = re.sub(r"(<tr><td>.*?</td><td>[^<]*</td>)<td>[^<]*</td></tr>", r"\1</tr>", rows)
    else:
        raise ValueError(f"unknown reshaping {how!r}")
    return (html[:start] + header + rows + html[table_end:]).encode("utf-8")


def fault_body(kind: str, mtdsg_no: str, rng: random.Random, root: Path = FIXTURES) -> bytes:
    """The wrong 200 body served (or handed to record_poll) for a body fault ``kind``."""
    original = page_bytes(mtdsg_no, root=root)
    if kind == "maintenance":
        return maintenance_page(root)
    if kind == "cut_body":
        return cut_at(original, rng)
    if kind == "wrong_language":
        french = root / f"{mtdsg_no}.fr.html"
        return french.read_bytes() if french.is_file() else page_bytes("IV-11-d", "fr", root)
    if kind == "other_treaty":
        return page_bytes(OTHER_TREATY[mtdsg_no], root=root)
    if kind.startswith("reshape_"):
        return reshape_table(original, kind.removeprefix("reshape_"))
    raise ValueError(f"not a body fault: {kind!r}")


def status_page_url(base_url: str, mtdsg_no: str, language: str = "en") -> str:
    from tracker.mtdsg import status_url

    return status_url(base_url, mtdsg_no, language)


def faulty_page(
    kind: str | None,
    mtdsg_no: str,
    *,
    fetched_at: datetime,
    rng: random.Random,
    body: bytes | None = None,
    base_url: str = "http://127.0.0.1:8000",
    root: Path = FIXTURES,
) -> FetchedPage:
    """The :class:`FetchedPage` the crawl hands over for fault ``kind`` (None: no fault,
    ``body`` or the fixture page). Transport faults give what the spider yields after its
    retries: no body, the HTTP status if there was one, and the spider's error text."""
    url = status_page_url(base_url, mtdsg_no)
    if kind is None or kind in BODY_KINDS:
        served = body if kind is None and body is not None else None
        if served is None:
            served = page_bytes(mtdsg_no, root=root) if kind is None else None
        if served is None:
            served = fault_body(kind or "", mtdsg_no, rng, root)
        return FetchedPage(mtdsg_no, url, fetched_at, 200, served, started_at=fetched_at)
    errors = {
        "reset": "the connection was lost before the page arrived (reset by the server)"
        " (after 3 attempts)",
        "stall": "no answer in time (after 3 attempts)",
        "redirect_loop": f"the page redirects in a loop (back to {url})",
        "cut_transfer": "the connection closed before the whole page arrived (after 3 attempts)",
    }
    status = HTTP_STATUS.get(kind)
    error = f"the server answered HTTP {status} (after 3 attempts)" if status else errors.get(kind)
    if error is None:
        raise ValueError(f"unknown fault kind {kind!r}")
    return FetchedPage(mtdsg_no, url, fetched_at, status, None, error=error, started_at=fetched_at)


# ------------------------------------------------------------------------------ served faults


@dataclass
class Injected:
    pattern: str
    kind: str
    times: int
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class FaultServer(UntcServer):
    """The fixture site with a fault layer (see the module docstring)."""

    seed: int = 0
    stall_seconds: float = STALL_SECONDS
    _injected: list[Injected] = field(default_factory=list)
    #: (kind, path) of every fault served, in order.
    served: list[tuple[str, str]] = field(default_factory=list)
    #: (path, bytes written before the client hung up) of every ``huge`` answer, once done.
    huge_sent: list[tuple[str, int]] = field(default_factory=list)

    def inject(self, pattern: str, kind: str, *, times: int = 1000, **params: Any) -> None:
        """Serve fault ``kind`` for the next ``times`` requests whose path contains
        ``pattern`` (case-insensitive). ``params``: ``location`` for ``redirect``, ``size``
        and ``announce`` for ``huge``, ``body`` for ``body``."""
        if kind not in KINDS and kind not in ("redirect", "huge", "body"):
            raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            self._injected.append(Injected(pattern, kind, times, params))

    def clear(self) -> None:
        with self._lock:
            self._injected.clear()

    def _take(self, path: str) -> Injected | None:
        with self._lock:
            for fault in self._injected:
                if fault.times > 0 and fault.pattern.lower() in path.lower():
                    fault.times -= 1
                    self.served.append((fault.kind, path))
                    return fault
        return None

    def served_kinds(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self._lock:
            for kind, _ in self.served:
                counts[kind] = counts.get(kind, 0) + 1
        return counts


def _mtdsg_of(path: str) -> str:
    match = re.search(r"mtdsg_no=([^&]+)", path, flags=re.IGNORECASE)
    return match.group(1) if match else ""


def _handler(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    rng = random.Random(server.seed)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _reset(self) -> None:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.wfile = io.BytesIO()  # finish() flushes it
            self.close_connection = True

        def _serve_fault(self, fault: Injected) -> None:
            html = {"Content-Type": "text/html; charset=utf-8"}
            kind = fault.kind
            if kind in HTTP_STATUS:
                headers = dict(html)
                if kind == "http_503":
                    headers["Retry-After"] = "0"
                body = f"<html><body>{KINDS[kind]}</body></html>".encode()
                self._send(HTTP_STATUS[kind], headers, body)
            elif kind == "reset":
                self._reset()
            elif kind == "stall":
                time.sleep(server.stall_seconds)
                self._reset()
            elif kind == "redirect_loop":
                target = (
                    self.path.replace("&loop=1", "")
                    if "&loop=1" in self.path
                    else self.path + "&loop=1"
                )
                self._send(302, {"Location": target}, b"")
            elif kind == "redirect":
                self._send(302, {"Location": fault.params["location"]}, b"")
            elif kind == "cut_transfer":
                _, _, body = server._route(self.path)
                self.send_response(200)
                self.send_header("Content-Type", html["Content-Type"])
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
            elif kind == "huge":
                self._huge(int(fault.params.get("size", 50_000_000)), fault.params)
            elif kind == "body":
                self._send(200, html, fault.params["body"])
            else:
                body = fault_body(kind, _mtdsg_of(self.path), rng, server.root)
                self._send(200, html, body)

        def _huge(self, size: int, params: dict[str, Any]) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if params.get("announce", True):
                self.send_header("Content-Length", str(size))
            else:
                self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            chunk = b"<div>" + b"x" * 65_531
            sent = 0
            try:
                self.wfile.write(b"<html><body>")
                while sent < size:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except OSError:
                pass  # the client gave up, as it should
            with server._lock:
                server.huge_sent.append((self.path, sent))

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            fault = server._take(self.path)
            failure = server._record(
                RecordedRequest("GET", self.path, dict(self.headers.items()), time.monotonic())
            )
            try:
                if fault is not None:
                    self._serve_fault(fault)
                    return
                if failure is not None:
                    headers = {"Content-Type": "text/html"} | failure.headers
                    self._send(failure.status, headers, failure.body)
                    return
                self._send(*server._route(self.path))
            except OSError:
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            logger.debug("fault_server: " + format, *args)

    return Handler


@contextlib.contextmanager
def serve_faults(
    root: Path, *, seed: int = 0, stall_seconds: float = STALL_SECONDS
) -> Iterator[FaultServer]:
    """Serve ``root`` with a fault layer on 127.0.0.1 (a free port) for the block."""
    server = FaultServer(root=root, seed=seed, stall_seconds=stall_seconds)
    with run_server(server, _handler, name="fault_server") as running:
        yield running


def fault_site(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    seed: int = 0,
    stall_seconds: float = STALL_SECONDS,
) -> Iterator[FaultServer]:
    """Generator for a ``site`` fixture: a copy of the fixture pages served with the fault
    layer; ``TRACKER_UNTC_BASE_URL``/``TRACKER_ALLOWED_HOSTS``, the database URL and data
    folder (a SQLite file under ``tmp_path`` unless already set) point the tracker at it."""
    from tracker.config import get_settings

    root = copy_fixture_site(tmp_path / "untc-site")
    with serve_faults(root, seed=seed, stall_seconds=stall_seconds) as server:
        monkeypatch.setenv("TRACKER_UNTC_BASE_URL", server.base_url)
        monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", '["127.0.0.1"]')
        monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))
        get_settings.cache_clear()
        yield server
    get_settings.cache_clear()


def use_database(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    from tracker.config import get_settings

    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    get_settings.cache_clear()


Crawl = Callable[..., list[dict[str, Any]]]


# ------------------------------------------------------------------------------ soak


#: The fault kinds a soak draws from (a reordered table with its headings is read correctly,
#: so it is not a fault there; tests/test_faults.py covers it).
SOAK_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k != "reshape_reorder")
ARGENTINA_SIGNED = "<tr><td>Argentina</td><td>25 Jul\t 2012</td><td></td></tr>"
AUSTRIA_SIGNED = "<tr><td>Austria</td><td>28 Feb\t 2012</td><td></td></tr>"
URUGUAY = "<tr><td>Uruguay</td><td>28 Feb\t 2012</td><td>23 Feb\t 2015</td></tr>"
OPIC_STATUS_TIME = "14-03-2015 05:01:22"


@dataclass(frozen=True)
class Edit:
    """A change of the OPIC page and the events it must produce: (kind, code, new value,
    consent kind)."""

    label: str
    real: bool
    apply: Callable[[str], str]
    events: tuple[tuple[str, str, str, str | None], ...]


def _parties(html: str, before: int, after: int) -> str:
    old = f"Signatories : 48. Parties : {before}"
    assert old in html, old
    return html.replace(old, f"Signatories : 48. Parties : {after}")


def _dated(html: str, when: str) -> str:
    assert OPIC_STATUS_TIME in html
    return html.replace(OPIC_STATUS_TIME, when)


#: Edits of the OPIC page, applied in this order. The first is REAL (Argentina ratified the
#: OPIC on 14 April 2015); the others are DERIVED (invented for the test, not real data).
#: The "status as at" time is moved forward with each edit (derived) so no copy looks older.
OPIC_EDITS: tuple[Edit, ...] = (
    Edit(
        "REAL: Argentina ratifies on 14 Apr 2015",
        True,
        lambda h: _dated(
            _parties(
                h.replace(
                    ARGENTINA_SIGNED,
                    "<tr><td>Argentina</td><td>25 Jul\t 2012</td><td>14 Apr\t 2015</td></tr>",
                ),
                16,
                17,
            ),
            "15-04-2015 05:00:00",
        ),
        (("consent", "ARG", "2015-04-14", "ratification"),),
    ),
    Edit(
        "DERIVED: Viet Nam accedes on 2 May 2015",
        False,
        lambda h: _dated(
            _parties(
                h.replace(
                    URUGUAY,
                    URUGUAY + "\n<tr><td>Viet Nam</td><td></td><td> 2 May\t 2015 a</td></tr>",
                ),
                17,
                18,
            ),
            "03-05-2015 05:00:00",
        ),
        (("consent", "VNM", "2015-05-02", "accession"),),
    ),
    Edit(
        "DERIVED: Austria ratifies on 1 Jun 2015",
        False,
        lambda h: _dated(
            _parties(
                h.replace(
                    AUSTRIA_SIGNED,
                    "<tr><td>Austria</td><td>28 Feb\t 2012</td><td> 1 Jun\t 2015</td></tr>",
                ),
                18,
                19,
            ),
            "02-06-2015 05:00:00",
        ),
        (("consent", "AUT", "2015-06-01", "ratification"),),
    ),
)


def opic_after(edits: int, root: Path = FIXTURES) -> bytes:
    """The OPIC page with the first ``edits`` of :data:`OPIC_EDITS` applied."""
    html = page_bytes("IV-11-d", root=root).decode("utf-8")
    for edit in OPIC_EDITS[:edits]:
        html = edit.apply(_undate(html))
    return html.encode("utf-8")


def _undate(html: str) -> str:
    """Put the original status time back so the next edit can move it (edits chain)."""
    return re.sub(
        r"(lblDate\">)\d\d-\d\d-\d{4} \d\d:\d\d:\d\d", rf"\g<1>{OPIC_STATUS_TIME}", html, count=1
    )


@dataclass
class SoakResult:
    """What a soak did, for the assertions and the figures."""

    polls: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    #: poll index -> (treaty, fault kind or None)
    plan: list[tuple[str, str | None]] = field(default_factory=list)
    #: poll index at which each edit was made live
    edits_at: list[int] = field(default_factory=list)
    expected_events: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def soak_plan(
    polls: int, *, seed: int, fault_rate: float = 0.5, edit_every: int | None = None
) -> tuple[list[tuple[str, str | None]], list[int]]:
    """A seeded list of (treaty, fault kind or None) and the poll indexes where the OPIC edits
    go live (spread evenly)."""
    rng = random.Random(seed)
    plan: list[tuple[str, str | None]] = []
    for _ in range(polls):
        mtdsg_no = rng.choice(TREATIES)
        kind = rng.choice(SOAK_KINDS) if rng.random() < fault_rate else None
        while kind is not None and kind.startswith("reshape_") and mtdsg_no == "IV-11-a":
            kind = rng.choice(SOAK_KINDS)
        plan.append((mtdsg_no, kind))
    step = edit_every or polls // (len(OPIC_EDITS) + 1)
    return plan, [step * (i + 1) for i in range(len(OPIC_EDITS))]


def truth_body(mtdsg_no: str, edits_live: int, root: Path = FIXTURES) -> bytes:
    return (
        opic_after(edits_live, root) if mtdsg_no == "IV-11-d" else page_bytes(mtdsg_no, root=root)
    )


def soak_body(kind: str, mtdsg_no: str, truth: bytes, rng: random.Random, root: Path) -> bytes:
    """The wrong body for a body fault, made from the current true page where it matters."""
    if kind == "cut_body":
        return cut_at(truth, rng)
    if kind.startswith("reshape_"):
        return reshape_table(truth, kind.removeprefix("reshape_"))
    return fault_body(kind, mtdsg_no, rng, root)


def run_direct_soak(
    engine: Any, *, polls: int, seed: int, archive: Any = None, start: datetime | None = None
) -> SoakResult:
    """``polls`` calls of record_poll with seeded faults and the OPIC edits (no network)."""
    from tracker import db
    from tracker.service import record_poll

    rng = random.Random(seed + 1)
    plan, edits_at = soak_plan(polls, seed=seed)
    result = SoakResult(plan=plan, edits_at=edits_at)
    when = start or datetime(2015, 3, 15, 6, tzinfo=UTC)
    started = time.monotonic()
    for i, (mtdsg_no, kind) in enumerate(plan):
        live = sum(1 for at in edits_at if at <= i)
        truth = truth_body(mtdsg_no, live)
        fetched_at = when + timedelta(hours=i)
        if kind in BODY_KINDS:
            page = FetchedPage(
                mtdsg_no,
                status_page_url("http://127.0.0.1:8000", mtdsg_no),
                fetched_at,
                200,
                soak_body(kind, mtdsg_no, truth, rng, FIXTURES),
                started_at=fetched_at,
            )
        else:
            page = faulty_page(kind, mtdsg_no, fetched_at=fetched_at, rng=rng, body=truth)
        with db.session(engine) as s:
            report = record_poll(session=s, page=page, archive=archive, expected_language="en")
        result.outcomes[str(report.outcome)] = result.outcomes.get(str(report.outcome), 0) + 1
        if kind is not None:
            result.faults[kind] = result.faults.get(kind, 0) + 1
    result.polls = len(plan)
    result.expected_events = [e for edit in OPIC_EDITS for e in edit.events]
    result.seconds = time.monotonic() - started
    return result


def run_served_soak(
    server: FaultServer,
    run_crawl: Callable[[list[str]], list[dict[str, Any]]],
    *,
    crawls: int,
    seed: int,
) -> SoakResult:
    """``crawls`` real crawls of the six fixture treaties; before each, every treaty gets a
    seeded fault (or none) on the server, and the OPIC edits go live on the served page."""
    rng = random.Random(seed)
    result = SoakResult()
    edits_at = [crawls * (i + 1) // (len(OPIC_EDITS) + 1) for i in range(len(OPIC_EDITS))]
    result.edits_at = edits_at
    kinds = tuple(KINDS)  # transport faults are persistent here: served every attempt
    started = time.monotonic()
    for c in range(crawls):
        live = sum(1 for at in edits_at if at <= c)
        server.page("IV-11-d").write_bytes(opic_after(live))
        server.clear()
        for mtdsg_no in TREATIES:
            kind = rng.choice(kinds) if c > 0 and rng.random() < 0.5 else None
            if kind == "reshape_reorder" or (
                kind is not None and kind.startswith("reshape_") and mtdsg_no == "IV-11-a"
            ):
                kind = None
            if kind == "cut_body":
                truth = server.page(mtdsg_no).read_bytes()
                server.inject(f"mtdsg_no={mtdsg_no}&", "body", body=cut_at(truth, rng))
            elif kind is not None and kind.startswith("reshape_"):
                truth = server.page(mtdsg_no).read_bytes()
                body = reshape_table(truth, kind.removeprefix("reshape_"))
                server.inject(f"mtdsg_no={mtdsg_no}&", "body", body=body)
            elif kind is not None:
                server.inject(f"mtdsg_no={mtdsg_no}&", kind)
            result.plan.append((mtdsg_no, kind))
            if kind is not None:
                result.faults[kind] = result.faults.get(kind, 0) + 1
        for report in run_crawl(list(TREATIES)):
            outcome = str(report["outcome"])
            result.outcomes[outcome] = result.outcomes.get(outcome, 0) + 1
            result.polls += 1
    result.expected_events = [e for edit in OPIC_EDITS for e in edit.events]
    result.seconds = time.monotonic() - started
    return result
