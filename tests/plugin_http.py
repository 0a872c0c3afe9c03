"""Local HTTP server on 127.0.0.1 serving the fixture pages the way UNTC addresses them.

The ``untc_server`` fixture copies ``tests/fixtures/untc`` (status pages) and
``tests/fixtures/untc_index`` (chapter pages) into a temporary folder, serves that copy in a
thread on a free port, and points the tracker at it (``TRACKER_UNTC_BASE_URL`` and
``TRACKER_ALLOWED_HOSTS`` = 127.0.0.1). A test may edit the copy between polls
(:meth:`UntcServer.page`), script failures (:meth:`UntcServer.fail`) and read the requests
the server got (:attr:`UntcServer.requests`).

Address -> file:
* ``/Pages/ViewDetails*.aspx?...mtdsg_no=IV-11-d...&clang=_en`` -> ``IV-11-d.en.html``
  (``clang=_fr`` or ``lang=fr`` -> ``.fr.html``); an unknown treaty -> the 200 "unknown
  treaty" page (``broken/unknown-treaty.html``), as UNTC does;
* ``ViewDetails.aspx`` for a chapter V treaty -> 302 to ``ViewDetailsII.aspx?...&Temp=mtdsg2``
  (what UNTC was seen to do);
* ``/Pages/ParticipationStatus.aspx`` -> ``ParticipationStatus.en.html``;
  ``/Pages/Treaties.aspx?id=N&subid=A`` -> ``Treaties.id-N.subid-A.en.html``;
* ``/robots.txt`` -> ``robots.txt`` of the copy if there is one, else "allow all".
Paths are matched case-insensitively (UNTC writes both ``/Pages/`` and ``/pages/``).
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

logger = logging.getLogger(__name__)

S = TypeVar("S", bound="UntcServer")

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STATUS_PAGES = FIXTURES / "untc"
INDEX_PAGES = FIXTURES / "untc_index"

_UNKNOWN_FALLBACK = (
    "<html><head><title>United Nations Treaty Collection</title></head><body>"
    "<p>The treaty you requested could not be found.</p></body></html>"
)
_CHAPTER_V = re.compile(r"^V-", re.IGNORECASE)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # path and query, as sent
    headers: dict[str, str]
    at: float  # time.monotonic()

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class _Failure:
    pattern: str
    status: int
    times: int
    headers: dict[str, str]
    body: bytes


@dataclass
class UntcServer:
    """A running fake UNTC site; see the module docstring."""

    root: Path
    host: str = "127.0.0.1"
    port: int = 0
    requests: list[RecordedRequest] = field(default_factory=list)
    _failures: list[_Failure] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def page(self, mtdsg_no: str, language: str = "en") -> Path:
        """The served file of a status page (edit it to change what the next poll sees)."""
        return self.root / f"{mtdsg_no}.{language}.html"

    def fail(
        self,
        pattern: str,
        *,
        status: int = 503,
        times: int = 1,
        headers: dict[str, str] | None = None,
        body: bytes = b"<html><body>Service Unavailable</body></html>",
    ) -> None:
        """Answer the next ``times`` requests whose path contains ``pattern`` with ``status``."""
        with self._lock:
            self._failures.append(_Failure(pattern, status, times, dict(headers or {}), body))

    def requests_for(self, pattern: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if pattern.lower() in r.path.lower()]

    # -- used by the handler
    def _record(self, request: RecordedRequest) -> _Failure | None:
        with self._lock:
            self.requests.append(request)
            for failure in self._failures:
                if failure.times > 0 and failure.pattern.lower() in request.path.lower():
                    failure.times -= 1
                    return failure
        return None

    def _route(self, raw_path: str) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(raw_path)
        path = parts.path.lower()
        query = {k.lower(): v[0] for k, v in parse_qs(parts.query).items()}
        language = (query.get("clang") or query.get("lang") or "_en").lstrip("_").lower()
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/robots.txt":
            robots = self.root / "robots.txt"
            body = robots.read_bytes() if robots.is_file() else b"User-agent: *\nAllow: /\n"
            return 200, {"Content-Type": "text/plain"}, body
        name = path.rsplit("/", 1)[-1]
        if name == "participationstatus.aspx":
            return self._file(f"ParticipationStatus.{language}.html", html)
        if name == "treaties.aspx":
            chapter = query.get("id", "")
            subid = query.get("subid", "A")
            return self._file(f"Treaties.id-{chapter}.subid-{subid}.{language}.html", html)
        if name.startswith("viewdetails") and name.endswith(".aspx"):
            mtdsg_no = query.get("mtdsg_no", "")
            if name == "viewdetails.aspx" and _CHAPTER_V.match(mtdsg_no):
                target = dict(parse_qs(parts.query))
                target_query = urlencode({k: v[0] for k, v in target.items()} | {"Temp": "mtdsg2"})
                return 302, {"Location": f"/Pages/ViewDetailsII.aspx?{target_query}"}, b""
            page = self.root / f"{mtdsg_no}.{language}.html"
            if mtdsg_no and page.is_file():
                return 200, html, page.read_bytes()
            unknown = self.root / "broken" / "unknown-treaty.html"
            body = unknown.read_bytes() if unknown.is_file() else _UNKNOWN_FALLBACK.encode()
            return 200, html, body
        return 404, html, b"<html><body>404 Not Found</body></html>"

    def _file(self, name: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        path = self.root / name
        if path.is_file():
            return 200, headers, path.read_bytes()
        return 404, headers, b"<html><body>404 Not Found</body></html>"


def _handler(server: UntcServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            failure = server._record(
                RecordedRequest("GET", self.path, dict(self.headers.items()), time.monotonic())
            )
            if failure is not None:
                status, headers, body = failure.status, failure.headers, failure.body
                headers = {"Content-Type": "text/html"} | headers
            else:
                status, headers, body = server._route(self.path)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            logger.debug("untc_server: " + format, *args)

    return Handler


def copy_fixture_site(target: Path) -> Path:
    """Copy the status pages and chapter pages into ``target`` (the served folder)."""
    target.mkdir(parents=True, exist_ok=True)
    for source in (STATUS_PAGES, INDEX_PAGES):
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
    return target


@contextlib.contextmanager
def serve(root: Path) -> Iterator[UntcServer]:
    """Serve ``root`` on 127.0.0.1 (a free port) in a thread for the duration of the block."""
    with run_server(UntcServer(root=root), _handler, name="untc_server") as server:
        yield server


@contextlib.contextmanager
def run_server(server: S, handler: Callable[[S], type], *, name: str) -> Iterator[S]:
    """Run ``handler(server)`` on 127.0.0.1 (a free port, set on ``server.port``) in a thread."""
    httpd = ThreadingHTTPServer((server.host, 0), handler(server))
    httpd.daemon_threads = True
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def untc_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[UntcServer]:
    """A fake UNTC site on 127.0.0.1 serving a copy of the fixture pages.

    Sets ``TRACKER_UNTC_BASE_URL``/``TRACKER_ALLOWED_HOSTS`` to it (and clears the settings
    cache), so crawls in this process or in child processes fetch from it.
    """
    root = copy_fixture_site(tmp_path / "untc-site")
    with serve(root) as server:
        monkeypatch.setenv("TRACKER_UNTC_BASE_URL", server.base_url)
        monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", '["127.0.0.1"]')
        _clear_settings_cache()
        yield server
    _clear_settings_cache()


def _clear_settings_cache() -> None:
    from tracker.config import get_settings

    get_settings.cache_clear()
