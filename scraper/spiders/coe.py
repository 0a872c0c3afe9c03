"""The ``coe`` spider: the Council of Europe Treaty Office's record of one or more treaties.

For each treaty (``CETS-201`` ...) and language, three requests
(``../shared/depositaries/COE.md``):

1. the public chart page (``TRACKER_COE_BASE_URL``, ``…/en/web/conventions/full-list?module=
   signatures-by-treaty&treatynum=201``), a JavaScript shell whose only use here is the
   service's public key, ``window.conventions_api_key='…'``, read at run time and kept in
   memory for the next two requests only (never stored, logged or archived);
2. the signatures answer and 3. the declarations answer of the JSON service
   (``TRACKER_COE_API_URL``), each sent with the ``token`` header.

Both answers, verbatim, make one bundle (:func:`tracker.sources.coe.make_bundle`): the body of
the poll, recorded under the chart page's address like a UN status page, so that archive,
change events, suspect and failed polls and alerts work the same. Every failure (a chart page
without a key, an HTTP error after retries, an answer cut off) yields an item with
``body=None`` and ``error`` set: the poll is recorded as failed, and nothing stored changes.

Which treaties: the ``treaties`` argument (ids as users type them: ``CETS 210``), else the
Council of Europe ids in ``TRACKER_TREATIES``. The TLS of the service host is handled by
:mod:`scraper.tls`. Run alone with ``scrapy crawl coe -a treaties=CETS-201``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from OpenSSL import SSL
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scraper.items import StatusPageItem
from scraper.spiders.status import TrackerSpider, _as_list, _now, describe_failure
from tracker.config import Settings
from tracker.domain import FetchedPage
from tracker.sources.coe import ids, make_bundle

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: The request meta keys this spider passes from one request to the next.
_OWN_META = ("mtdsg_no", "language", "started_at", "status_url", "key", "signatures")

#: ``window.conventions_api_key = '…'`` (single or double quotes) in the chart page.
_KEY = re.compile(r"""conventions_api_key\s*=\s*(['"])([^'"\s]{1,512})\1""")
#: ``window.conventions_api_url = '…'``: compared with the configured service address.
_API_URL = re.compile(r"""conventions_api_url\s*=\s*(['"])([^'"\s]{1,512})\1""")


def coe_treaty_ids(values: Iterable[str]) -> list[str]:
    """The Council of Europe ids among ``values``, canonical (``CETS 210`` -> ``CETS-210``)."""
    found = (ids.parse_treaty_id(v) for v in values)
    return list(dict.fromkeys(t for t in found if t is not None))


def api_key(page: str) -> str | None:
    """The service's public key named by a chart page, or None."""
    match = _KEY.search(page)
    return match[2] if match else None


def stated_api_url(page: str) -> str | None:
    match = _API_URL.search(page)
    return match[2] if match else None


class CoeSpider(TrackerSpider):
    name = "coe"

    @classmethod
    def source_settings(cls, tracker: Settings) -> dict[str, Any]:
        return {
            "TRACKER_COE_BASE_URL": tracker.coe_base_url,
            "TRACKER_COE_API_URL": tracker.coe_api_url,
            "TRACKER_TLS_LEGACY_HOSTS": list(tracker.tls_legacy_hosts),
        }

    def __init__(
        self,
        treaties: str | Iterable[str] | None = None,
        languages: str | Iterable[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.requested = []
        for text in _as_list(treaties):
            treaty_id = ids.parse_treaty_id(text)
            if treaty_id is None:  # an error before anything is fetched
                raise ValueError(f"not a Council of Europe treaty id: {text!r} (e.g. CETS-201)")
            self.requested.append(treaty_id)
        self.requested_languages = _as_list(languages)
        #: Treaties for which a chart request was made, in order.
        self.scheduled: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CoeSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.site_url = settings.get("TRACKER_COE_BASE_URL").rstrip("/")
        spider.api_url = settings.get("TRACKER_COE_API_URL").rstrip("/") + "/"
        spider.allowed_domains = list(settings.getlist("TRACKER_ALLOWED_HOSTS"))
        spider.languages = [
            language
            for language in spider.requested_languages
            or settings.getlist("TRACKER_LANGUAGES")
            or ["en"]
            if language in ids.LANGUAGES
        ] or ["en"]
        if not spider.requested:
            spider.requested = coe_treaty_ids(settings.getlist("TRACKER_TREATIES"))
        return spider

    site_url: str
    api_url: str
    languages: list[str]
    allowed_domains: list[str]

    def hosts_not_allowed(self) -> str | None:
        """Why the configured addresses may not be fetched, or None."""
        for setting, url in (
            ("TRACKER_COE_BASE_URL", self.site_url),
            ("TRACKER_COE_API_URL", self.api_url),
        ):
            host = urlsplit(url).hostname
            if host not in self.allowed_domains:
                return (
                    f"{setting} points at {host!r}, which is not in TRACKER_ALLOWED_HOSTS "
                    f"{self.allowed_domains}; add it there to poll Council of Europe treaties"
                )
        return None

    # ------------------------------------------------------------------ requests

    async def start(self) -> AsyncIterator[scrapy.Request | StatusPageItem]:
        refused = self.hosts_not_allowed()
        for treaty_id in self.requested:
            for language in self.languages:
                chart = ids.chart_url(treaty_id, language, site=self.site_url)
                meta = {
                    "mtdsg_no": treaty_id,
                    "language": language,
                    "started_at": _now(),
                    "status_url": chart,
                }
                self.scheduled.append(treaty_id)
                if refused is not None:
                    logger.error("%s: %s", treaty_id, refused)
                    yield self._failed_item(meta, None, refused)
                    continue
                yield scrapy.Request(
                    chart,
                    callback=self.parse_chart,
                    errback=self.failed,
                    meta=meta | {"step": "the chart page"},
                    dont_filter=True,
                )

    def _api_request(self, url: str, meta: dict[str, Any], step: str, callback: Any) -> Any:
        return scrapy.Request(
            url,
            headers={"token": meta["key"], "Accept": "application/json"},
            callback=callback,
            errback=self.failed,
            meta=meta | {"step": step},
            dont_filter=True,
        )

    def parse_chart(self, response: Response) -> Iterator[scrapy.Request | StatusPageItem]:
        meta = _own(response.meta)
        text = response.text if isinstance(response, TextResponse) else ""
        key = api_key(text)
        if key is None:
            yield self._failed_item(
                meta,
                response.status,
                "the chart page holds no service key (window.conventions_api_key): a "
                "changed or maintenance page; nothing was asked of the service",
            )
            return
        stated = stated_api_url(text)
        if stated is not None and stated.rstrip("/") != self.api_url.rstrip("/"):
            logger.warning(
                "%s: the chart page names the service %s; TRACKER_COE_API_URL is %s (used)",
                meta["mtdsg_no"],
                stated,
                self.api_url,
            )
        meta["key"] = key  # in memory, for the next two requests only
        url = ids.signatures_url(meta["mtdsg_no"], meta["language"], api_base=self.api_url)
        yield self._api_request(url, meta, "the signatures answer", self.parse_signatures)

    def parse_signatures(self, response: Response) -> Iterator[scrapy.Request]:
        meta = _own(response.meta)
        meta["signatures"] = (response.url, _text(response))
        url = ids.declarations_url(meta["mtdsg_no"], meta["language"], api_base=self.api_url)
        yield self._api_request(url, meta, "the declarations answer", self.parse_declarations)

    def parse_declarations(self, response: Response) -> Iterator[StatusPageItem]:
        meta = response.meta
        signatures_url, signatures = meta["signatures"]
        body = make_bundle(
            treaty_id=meta["mtdsg_no"],
            language=meta["language"],
            signatures_url=signatures_url,
            signatures=signatures,
            declarations_url=response.url,
            declarations=_text(response),
        )
        page = FetchedPage(
            mtdsg_no=meta["mtdsg_no"],
            url=meta["status_url"],
            fetched_at=_now(),
            http_status=response.status,
            body=body,
            content_hash=hashlib.sha256(body).hexdigest(),
            started_at=meta.get("started_at"),
            encoding="utf-8",
        )
        yield StatusPageItem(
            page=page,
            language=meta["language"],
            requested_url=meta["status_url"],
            content_type="application/json",
        )

    def failed(self, failure: Failure) -> Iterator[StatusPageItem]:
        request = failure.request  # type: ignore[attr-defined]
        status = failure.value.response.status if isinstance(failure.value, HttpError) else None
        reason = tls_failure(failure) or describe_failure(
            failure, maxsize=self.settings.getint("DOWNLOAD_MAXSIZE")
        )
        message = f"{request.meta.get('step', 'a request')}: {reason}"
        logger.error("%s: %s", request.meta.get("mtdsg_no"), message)
        yield self._failed_item(request.meta, status, message)

    def _failed_item(
        self, meta: dict[str, Any], status: int | None, message: str
    ) -> StatusPageItem:
        page = FetchedPage(
            mtdsg_no=meta["mtdsg_no"],
            url=meta["status_url"],
            fetched_at=_now(),
            http_status=status,
            body=None,
            error=message,
            started_at=meta.get("started_at"),
        )
        return StatusPageItem(
            page=page, language=meta.get("language", "en"), requested_url=meta.get("status_url")
        )


def tls_failure(failure: Failure) -> str | None:
    """A plain sentence when the request failed in the TLS handshake, else None."""
    pending: list[Any] = [failure.value]
    while pending:
        value = pending.pop()
        if isinstance(value, Failure):
            value = value.value
        if isinstance(value, SSL.Error):
            detail = "; ".join(
                str(part[2]) for part in (value.args[0] if value.args else []) if len(part) > 2
            )
            return (
                f"the TLS handshake failed ({detail or value}); a host that needs OpenSSL's "
                "security level lowered can be listed in TRACKER_TLS_LEGACY_HOSTS"
            )
        # Twisted's ResponseFailed/ResponseNeverReceived list their reasons; Scrapy wraps them
        # in its own DownloadFailedError (the original as the cause).
        pending.extend(getattr(value, "reasons", None) or ())
        if isinstance(value, BaseException) and value.__cause__ is not None:
            pending.append(value.__cause__)
    return None


def _text(response: Response) -> str:
    """The answer as text (JSON is UTF-8 unless the server says otherwise)."""
    if isinstance(response, TextResponse):
        return response.text
    return response.body.decode("utf-8", errors="replace")


def _own(meta: dict[str, Any]) -> dict[str, Any]:
    """This spider's keys of a response's meta (Scrapy's own are not forwarded)."""
    return {k: meta[k] for k in _OWN_META if k in meta}
