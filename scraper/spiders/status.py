"""The ``status`` spider: fetches MTDSG status pages, one item per treaty and language.

Which treaties: the ``treaties`` argument (a list or a comma-separated string), else
``all=True`` (discover every treaty from the chapter pages), else the tracker settings
(``TRACKER_TREATIES``). A fetch that fails (HTTP error after retries, timeout, robots.txt,
a redirect off the allowed hosts) still yields an item, with ``body=None`` and ``error``
set, so the poll is recorded as failed rather than silently missing.

Run alone with ``scrapy crawl status -a treaties=IV-11-d,IV-11`` or ``-a all=1``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.internet.error import (
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
)
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure
from twisted.web.client import ResponseFailed

from scraper.items import StatusPageItem
from tracker.config import Settings, get_settings
from tracker.domain import FetchedPage
from tracker.mtdsg import (
    chapter_list_url,
    chapter_of,
    is_status_url,
    query_value,
    status_url,
    with_language,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


def tracker_version() -> str:
    try:
        return version("treaty-tracker")
    except PackageNotFoundError:
        return "0+unknown"


def user_agent(contact: str) -> str:
    """``treaty-tracker/<version> (+<contact>)``."""
    return f"treaty-tracker/{tracker_version()} (+{contact})"


_MTDSG = re.compile(r"^[IVXLC]+-[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*$")


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [v.strip() for v in items if v and v.strip()]


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _now() -> datetime:
    return datetime.now(UTC)


def tracker_settings(tracker: Settings) -> dict[str, Any]:
    """The Scrapy settings every spider of the tracker takes from its configuration."""
    return {
        "USER_AGENT": user_agent(tracker.contact),
        "DOWNLOAD_TIMEOUT": tracker.download_timeout_seconds,
        "DOWNLOAD_MAXSIZE": tracker.max_page_bytes,
        "TRACKER_ALLOWED_HOSTS": list(tracker.allowed_hosts),
        "TRACKER_TREATIES": list(tracker.treaties),
        "TRACKER_LANGUAGES": list(tracker.languages),
        "TRACKER_DATABASE_URL": tracker.resolved_database_url,
        "TRACKER_ARCHIVE_DIR": str(tracker.archive_dir),
    }


class TrackerSpider(scrapy.Spider):
    """What every spider of the tracker shares: its Scrapy settings come from the tracker's
    configuration (below anything set on the command line)."""

    @classmethod
    def source_settings(cls, tracker: Settings) -> dict[str, Any]:
        """The settings of this spider's own source (its addresses ...)."""
        return {}

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        tracker = get_settings()
        values = tracker_settings(tracker) | cls.source_settings(tracker)
        for name, value in values.items():
            settings.set(name, value, priority="spider")


class StatusSpider(TrackerSpider):
    name = "status"

    @classmethod
    def source_settings(cls, tracker: Settings) -> dict[str, Any]:
        return {"TRACKER_UNTC_BASE_URL": tracker.untc_base_url}

    def __init__(
        self,
        treaties: str | Iterable[str] | None = None,
        all: bool | str = False,  # noqa: A002 - the spider argument is called "all"
        languages: str | Iterable[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.requested = _as_list(treaties)
        self.discover_all = _as_bool(all)
        self.requested_languages = _as_list(languages)
        for mtdsg_no in self.requested:
            chapter_of(mtdsg_no)  # a bad reference is an error before anything is fetched
        #: Chapter pages or chapter list that could not be read (with ``all``).
        self.discovery_errors: list[str] = []
        #: Treaties for which a status request was made, in order.
        self.scheduled: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> StatusSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.base_url = settings.get("TRACKER_UNTC_BASE_URL").rstrip("/")
        spider.allowed_domains = list(settings.getlist("TRACKER_ALLOWED_HOSTS"))
        host = urlsplit(spider.base_url).hostname
        if host not in spider.allowed_domains:
            raise ValueError(
                f"the UNTC address {spider.base_url} is not on an allowed host "
                f"{spider.allowed_domains}; add {host!r} to TRACKER_ALLOWED_HOSTS"
            )
        spider.languages = spider.requested_languages or list(
            settings.getlist("TRACKER_LANGUAGES") or ["en"]
        )
        if not spider.requested and not spider.discover_all:
            # MTDSG numbers only: other depositaries' ids (CETS-201) are the coe spider's.
            spider.requested = [
                t for t in settings.getlist("TRACKER_TREATIES") if _MTDSG.match(t.strip())
            ]
        return spider

    base_url: str
    languages: list[str]
    allowed_domains: list[str]

    # ------------------------------------------------------------------ requests

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.discover_all:
            yield scrapy.Request(
                chapter_list_url(self.base_url, "en"),
                callback=self.parse_chapter_list,
                errback=self.discovery_failed,
            )
            return
        for mtdsg_no in self.requested:
            for language in self.languages:
                yield self.status_request(status_url(self.base_url, mtdsg_no, language))

    def status_request(self, url: str) -> scrapy.Request:
        mtdsg_no = query_value(url, "mtdsg_no") or ""
        language = (query_value(url, "clang") or "_en").lstrip("_") or "en"
        self.scheduled.append(mtdsg_no)
        return scrapy.Request(
            url,
            callback=self.parse_status,
            errback=self.status_failed,
            meta={
                "mtdsg_no": mtdsg_no,
                "language": language,
                "started_at": _now(),
                "status_url": url,
            },
        )

    # ------------------------------------------------------------------ discovery

    def parse_chapter_list(self, response: Response) -> Iterator[scrapy.Request]:
        chapters: dict[str, str] = {}
        for href in response.xpath("//a/@href").getall():
            url = urljoin(response.url, href)
            if urlsplit(url).path.lower().endswith("/treaties.aspx") and query_value(url, "id"):
                chapters.setdefault(query_value(url, "id") or "", url)
        if not chapters:
            self._discovery_error(f"no chapter links in the chapter list {response.url}")
            return
        logger.info("chapter list: %d chapters", len(chapters))
        for url in chapters.values():
            yield scrapy.Request(
                with_language(url, "en"),
                callback=self.parse_chapter,
                errback=self.discovery_failed,
            )

    def parse_chapter(self, response: Response) -> Iterator[scrapy.Request]:
        found: dict[str, str] = {}
        for href in response.xpath("//a/@href").getall():
            url = urljoin(response.url, href)
            if is_status_url(url):
                found.setdefault(query_value(url, "mtdsg_no") or "", url)
        if not found:
            self._discovery_error(f"no treaty links in the chapter page {response.url}")
            return
        logger.info("chapter page %s: %d treaties", response.url, len(found))
        for url in found.values():
            for language in self.languages:
                yield self.status_request(with_language(url, language))

    def discovery_failed(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        self._discovery_error(f"could not read {url}: {describe_failure(failure)}")

    def _discovery_error(self, message: str) -> None:
        logger.error("treaty discovery: %s", message)
        self.discovery_errors.append(message)
        self.crawler.stats.inc_value("tracker/discovery_errors")

    # ------------------------------------------------------------------ status pages

    def parse_status(self, response: Response) -> Iterator[StatusPageItem]:
        meta = response.meta
        host = urlsplit(response.url).hostname
        if host not in self.allowed_domains:  # offsite middleware should have stopped it
            yield self._failed_item(
                meta, response.url, response.status, f"redirected off the allowed hosts to {host}"
            )
            return
        body = response.body
        page = FetchedPage(
            mtdsg_no=meta["mtdsg_no"],
            url=response.url,
            fetched_at=_now(),
            http_status=response.status,
            body=body,
            content_hash=hashlib.sha256(body).hexdigest(),
            started_at=meta.get("started_at"),
            encoding=response.encoding if isinstance(response, TextResponse) else "utf-8",
        )
        content_type = response.headers.get("Content-Type")
        yield StatusPageItem(
            page=page,
            language=meta["language"],
            requested_url=meta.get("status_url"),
            content_type=content_type.decode("latin-1") if content_type else None,
        )

    def status_failed(self, failure: Failure) -> Iterator[StatusPageItem]:
        # Scrapy sets ``request`` on the failures it passes to errbacks; Failure does not say so.
        request = failure.request  # type: ignore[attr-defined]
        status = None
        if isinstance(failure.value, HttpError):
            status = failure.value.response.status
        message = describe_failure(failure, maxsize=self.settings.getint("DOWNLOAD_MAXSIZE"))
        logger.error("%s: %s", request.url, message)
        yield self._failed_item(request.meta, request.url, status, message)

    def _failed_item(
        self, meta: dict[str, Any], url: str, status: int | None, message: str
    ) -> StatusPageItem:
        page = FetchedPage(
            mtdsg_no=meta["mtdsg_no"],
            url=url,
            fetched_at=_now(),
            http_status=status,
            body=None,
            error=message,
            started_at=meta.get("started_at"),
        )
        return StatusPageItem(
            page=page, language=meta.get("language", "en"), requested_url=meta.get("status_url")
        )


_MAXSIZE_MESSAGE = re.compile(r"(\d+) bytes which is larger than download max size \((\d+)\)")


def describe_failure(failure: Failure, *, maxsize: int | None = None) -> str:
    """A plain sentence for why a request failed (``maxsize``: the download size limit, for
    a download cancelled because the page grew past it)."""
    value = failure.value
    request = getattr(failure, "request", None)
    attempts = 1 + (request.meta.get("retry_times", 0) if request is not None else 0)
    tries = f" (after {attempts} attempts)" if attempts > 1 else ""
    if isinstance(value, HttpError):
        response = value.response
        return f"the server answered HTTP {response.status}{tries}"
    if isinstance(value, (TwistedTimeoutError, TCPTimedOutError, DownloadTimeoutError)):
        return f"no answer in time{tries}"
    if isinstance(value, (DNSLookupError, CannotResolveHostError)):
        host = urlsplit(request.url).hostname if request is not None else None
        name = f"the host name {host}" if host else "the host name"
        return (
            f"{name} could not be resolved (no network connection, or a wrong "
            f"TRACKER_UNTC_BASE_URL){tries}"
        )
    if isinstance(value, (DownloadCancelledError, CancelledError)):
        match = _MAXSIZE_MESSAGE.search(str(value))
        if match:
            return f"page too large ({match[1]} bytes, limit {match[2]})"
        if maxsize:
            return f"page too large (more than {maxsize} bytes, limit {maxsize})"
        return "the download was cancelled (page too large?)"
    if isinstance(value, ResponseDataLossError):
        return f"the connection closed before the whole page arrived{tries}"
    if isinstance(value, (DownloadFailedError, ResponseFailed, ConnectionLost, ConnectionDone)):
        return f"the connection was lost before the page arrived (reset by the server){tries}"
    if isinstance(value, (DownloadConnectionRefusedError, ConnectionRefusedError)):
        return f"the server refused the connection{tries}"
    if isinstance(value, IgnoreRequest):
        text = str(value) or "request dropped"
        if "robots.txt" in text.lower():
            return "the site's robots.txt forbids this page"
        if "max redirections" in text.lower():
            return "the page redirected too many times (max redirections reached)"
        return text
    text = str(value).strip()
    return f"{type(value).__name__}: {text}{tries}" if text else f"{type(value).__name__}{tries}"
