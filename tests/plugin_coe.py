"""A local stand-in for the Council of Europe on 127.0.0.1: the chart page and the JSON service,
answering in the shape ``../shared/depositaries/COE.md`` documents.

The ``coe_server`` fixture serves, from a temporary folder a test may edit between polls:

* ``/<en|fr>/web/conventions/full-list?module=signatures-by-treaty&treatynum=201`` -> a
  JavaScript shell like the Council's (no participant in it), defining
  ``window.conventions_api_url`` (this server) and ``window.conventions_api_key``
  (:data:`TEST_KEY`, a made-up value) — or the file ``chart.<lang>.html`` when a test wrote
  one (a maintenance page, a page without key);
* ``/WS_LFRConventions/api/signatures?NumSte=201&langue=ENG`` -> ``signatures.201.en.json``
  (a copy of ``tests/fixtures/coe/``), ``…/api/conventions/getDeclarations?numSte=201…`` ->
  ``declarations.201.en.json``; both answer 401 unless the request carries the header
  ``token: <TEST_KEY>``, and 404 for a treaty without files;
* ``/robots.txt`` -> allow all.

It points the tracker at itself (``TRACKER_COE_BASE_URL``, ``TRACKER_COE_API_URL``, and
``TRACKER_ALLOWED_HOSTS`` = 127.0.0.1), like ``untc_server``; both may run in one test (two
ports on 127.0.0.1).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.coe_fixtures import FIXTURES
from tests.plugin_http import (
    RecordedRequest,
    UntcServer,
    _clear_settings_cache,
    _Failure,
    _handler,
    run_server,
)

#: The key the local chart page gives (made up; the Council's real key is never stored).
TEST_KEY = "local-test-key-0123456789"
API_PATH = "/WS_LFRConventions/"

CHART_SHELL = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Chart of signatures and ratifications of
Treaty {number}</title>
<script>
window.conventions_api_url='{api}';
window.conventions_api_key='{key}';
</script></head>
<body><div id="conventions-app"></div><script src="/o/conventions/app.js"></script></body></html>
"""
JSON = {"Content-Type": "application/json; charset=utf-8"}
HTML = {"Content-Type": "text/html; charset=utf-8"}


@dataclass
class CoeServer(UntcServer):
    """A running local Council of Europe: chart pages and the JSON service."""

    _local: threading.local = field(default_factory=threading.local)

    @property
    def api_url(self) -> str:
        return self.base_url + API_PATH

    def answer(self, kind: str, number: int = 201, language: str = "en") -> Path:
        """The served file of an answer (``kind``: ``signatures`` or ``declarations``)."""
        return self.root / f"{kind}.{number}.{language}.json"

    def chart(self, language: str = "en") -> Path:
        """Write this file to replace the chart page (a maintenance page, no key ...)."""
        return self.root / f"chart.{language}.html"

    def _record(self, request: RecordedRequest) -> _Failure | None:
        self._local.headers = request.headers
        return super()._record(request)

    def _token(self) -> str | None:
        headers: dict[str, str] = getattr(self._local, "headers", {})
        return next((v for k, v in headers.items() if k.lower() == "token"), None)

    def _route(self, raw_path: str) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(raw_path)
        path = parts.path
        query = {k.lower(): v[0] for k, v in parse_qs(parts.query).items()}
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"
        if path.endswith("/web/conventions/full-list"):
            language = path.strip("/").split("/", 1)[0]
            replaced = self.chart(language)
            if replaced.is_file():
                return 200, HTML, replaced.read_bytes()
            number = int(query.get("treatynum", "0") or 0)
            page = CHART_SHELL.format(lang=language, number=number, api=self.api_url, key=TEST_KEY)
            return 200, HTML, page.encode()
        if path.startswith(API_PATH):
            if self._token() != TEST_KEY:
                return 401, JSON, b'{"Message":"Authorization has been denied for this request."}'
            language = {"ENG": "en", "FRE": "fr"}.get(query.get("langue", "ENG"), "en")
            number = int(query.get("numste", "0") or 0)
            if path.endswith("/api/signatures"):
                return self._file(self.answer("signatures", number, language).name, JSON)
            if path.endswith("/api/conventions/getDeclarations"):
                return self._file(self.answer("declarations", number, language).name, JSON)
        return 404, HTML, b"<html><body>404 Not Found</body></html>"


def copy_answers(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in FIXTURES.glob("*.json"):
        shutil.copy2(path, target / path.name)
    return target


@pytest.fixture
def coe_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CoeServer]:
    root = copy_answers(tmp_path / "coe-site")
    with run_server(CoeServer(root=root), _handler, name="coe_server") as server:
        monkeypatch.setenv("TRACKER_COE_BASE_URL", server.base_url)
        monkeypatch.setenv("TRACKER_COE_API_URL", server.api_url)
        # the UN host stays allowed, for a test that does not start untc_server as well
        monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", '["127.0.0.1", "treaties.un.org"]')
        _clear_settings_cache()
        yield server
    _clear_settings_cache()
