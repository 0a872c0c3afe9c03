"""Checks against the real Council of Europe service. Marked `live`: excluded by default.

Run them on a machine with internet access with: .venv/bin/pytest -m live tests/test_coe_live.py

The service's key is read from the public chart page at run time (as every browser does) and
is never written anywhere. The service's TLS needs a lowered OpenSSL security level
(COE.md); the SSL context here is used for that one host only.
"""

from __future__ import annotations

import json
import re
import ssl
import urllib.request
from typing import Any

import pytest

from tracker.sources.coe import ids, make_bundle, read
from tracker.sources.coe.reader import REQUIRED_KEYS

pytestmark = pytest.mark.live

TREATY = "CETS-201"
_KEY = re.compile(r"""window\.conventions_api_key\s*=\s*['"]([^'"]+)['"]""")
_API = re.compile(r"""window\.conventions_api_url\s*=\s*['"]([^'"]+)['"]""")
#: COE.md's field names, which this test confirms.
SIGNATURE_FIELDS = {
    *REQUIRED_KEYS,
    "NumSTE",
    "DateDenonciation",
    "DateEffetDenonciation",
    "DateSuspension",
    "Reserves",
    "Declarations",
    "Objections",
    "Territoires",
    "Communications",
}
DECLARATION_FIELDS = {"code_Pays", "nature_Dec", "numero_Article", "date_Effet", "texte_Decl"}


def _get(url: str, *, headers: dict[str, str] | None = None, legacy_tls: bool = False) -> str:
    context = None
    if legacy_tls:  # only for the JSON service's host
        context = ssl.create_default_context()
        context.set_ciphers("DEFAULT@SECLEVEL=1")
    request = urllib.request.Request(
        url, headers={"User-Agent": "treaty-tracker live test", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=60, context=context) as response:
        return str(response.read().decode("utf-8"))


def _service() -> tuple[str, dict[str, str]]:
    page = _get(ids.chart_url(TREATY, "en"))
    key, api = _KEY.search(page), _API.search(page)
    assert key is not None, "the chart page no longer gives window.conventions_api_key"
    assert api is not None, "the chart page no longer gives window.conventions_api_url"
    return api.group(1), {"token": key.group(1), "Accept": "application/json"}


def test_live_service_has_the_documented_shape_and_reads() -> None:
    api, headers = _service()
    signatures_url = ids.signatures_url(TREATY, "en", api_base=api)
    declarations_url = ids.declarations_url(TREATY, "en", api_base=api)
    signatures = _get(signatures_url, headers=headers, legacy_tls=True)
    declarations = _get(declarations_url, headers=headers, legacy_tls=True)
    data: Any = json.loads(signatures)
    assert isinstance(data, list) and len(data) == 3
    fields = {k for group in data for row in group for k in row}
    assert fields >= SIGNATURE_FIELDS, SIGNATURE_FIELDS - fields
    decl: Any = json.loads(declarations)
    assert isinstance(decl, list) and decl
    assert {k for row in decl for k in row} >= DECLARATION_FIELDS
    body = make_bundle(
        treaty_id=TREATY,
        language="en",
        signatures_url=signatures_url,
        signatures=signatures,
        declarations_url=declarations_url,
        declarations=declarations,
    )
    status = read(body.decode("utf-8"), ids.chart_url(TREATY, "en"))
    assert not [w for w in status.warnings if "unknown participant" in w], status.warnings
    belgium = status.participant("BEL")
    assert belgium is not None and belgium.consent is not None  # ratified (Council's page)
    assert status.participant("GRC") is not None


def test_the_coe_spider_polls_the_real_service(
    sqlite_engine: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole path, as ``treaty-tracker poll --treaty CETS-201`` runs it: the real chart page,
    the real service over its weak TLS (TRACKER_TLS_LEGACY_HOSTS), one recorded poll."""
    from tracker.config import get_settings
    from tracker.crawl import crawl

    monkeypatch.setenv(
        "TRACKER_DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False)
    )
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        run = crawl([TREATY], timeout=300)
    finally:
        get_settings.cache_clear()
    [report] = [r for r in run.reports if r["mtdsg_no"] == TREATY]
    assert report["outcome"] == "new", report
    assert report["inserts"] >= 46
