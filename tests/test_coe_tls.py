"""The TLS setting the Council of Europe's service needs, limited to that host: a real Scrapy
crawl (child process) whose JSON service answers over TLS with a 1024-bit Diffie-Hellman group
(tests/weak_tls.py), as COE.md reports of ``conventions-ws.coe.int``. Listed in
TRACKER_TLS_LEGACY_HOSTS, the host is reached; not listed, it is refused as OpenSSL refuses it
by default — the lowered level applies to no other host."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.plugin_coe import CoeServer
from tests.plugin_http import _handler
from tests.test_crawl_e2e import Crawl, _crawler, only
from tests.weak_tls import run_tls_server, weak_dh_context
from tracker.config import get_settings

CETS = "CETS-201"


@pytest.fixture
def tls_api(
    coe_server: CoeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CoeServer]:
    """The JSON service at https://localhost:<port>/ (the chart page stays on coe_server)."""
    context = weak_dh_context(tmp_path / "tls")
    api = CoeServer(root=coe_server.root, host="localhost")
    with run_tls_server(api, _handler, context, name="coe_tls_api"):
        monkeypatch.setenv(
            "TRACKER_COE_API_URL", f"https://localhost:{api.port}/WS_LFRConventions/"
        )
        monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", '["127.0.0.1", "localhost", "treaties.un.org"]')
        get_settings.cache_clear()
        yield api
    get_settings.cache_clear()


@pytest.fixture
def tls_crawl(
    sqlite_engine: Engine, tls_api: CoeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Crawl:
    return _crawler(sqlite_engine, tmp_path, monkeypatch)


def test_the_listed_host_is_reached_with_security_level_1(
    tls_crawl: Crawl, tls_api: CoeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_TLS_LEGACY_HOSTS", '["localhost"]')
    get_settings.cache_clear()
    report = only(tls_crawl([CETS]), CETS)
    assert report["outcome"] == "new", report
    assert len(tls_api.requests_for("/WS_LFRConventions/api/")) == 2


def test_an_unlisted_host_keeps_openssl_defaults(
    tls_crawl: Crawl, tls_api: CoeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The default list names the Council's real service host only: localhost is not in it.
    monkeypatch.delenv("TRACKER_TLS_LEGACY_HOSTS", raising=False)
    get_settings.cache_clear()
    assert get_settings().tls_legacy_hosts == ["conventions-ws.coe.int"]
    report = only(tls_crawl([CETS]), CETS)
    assert report["outcome"] == "error"
    assert report["error"].startswith(
        "the signatures answer: the TLS handshake failed (dh key too small)"
    ), report["error"]
    assert "TRACKER_TLS_LEGACY_HOSTS" in report["error"]
    assert tls_api.requests_for("/WS_LFRConventions/api/") == []  # no handshake completed
