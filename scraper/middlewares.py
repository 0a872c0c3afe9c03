"""Retry with exponential backoff and respect for ``Retry-After``; refuse bad redirects."""

from __future__ import annotations

import email.utils
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet.task import deferLater

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


def retry_after_seconds(value: str | bytes | None, now: datetime) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry middleware, waiting before each retry.

    The wait is ``Retry-After`` when the server sends one (up to ``RETRY_AFTER_MAX``),
    otherwise ``RETRY_BACKOFF_BASE * 2 ** (attempt - 1)`` capped at ``RETRY_BACKOFF_MAX``.
    """

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        mw = cls(crawler.settings)
        mw.crawler = crawler
        return mw

    def _retry_request(self, request: Request, reason: str | Exception) -> Request | None:
        """The retry of ``request`` (None once its retries are used up), through Scrapy's
        public :func:`~scrapy.downloadermiddlewares.retry.get_retry_request`, honouring the
        same per-request meta keys as Scrapy's own middleware."""
        assert self.crawler.spider is not None
        return get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=request.meta.get("give_up_log_level", self.give_up_log_level),
        )

    def _backoff(self, request: Request) -> float:
        attempt = int(request.meta.get("retry_times", 0)) + 1
        factor: int = 2 ** (attempt - 1)
        return min(self.backoff_max, self.backoff_base * factor)

    async def _wait(self, seconds: float) -> None:
        if seconds > 0:
            from twisted.internet import reactor  # the installed one; never at import time

            await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))

    # Scrapy runs coroutine middleware methods; its RetryMiddleware declares plain ones.
    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        reason = response_status_message(response.status)
        delay = self._backoff(request)
        asked = retry_after_seconds(response.headers.get("Retry-After"), datetime.now(UTC))
        if asked is not None:
            if asked > self.retry_after_max:
                logger.warning(
                    "%s asks to retry after %.0f s (more than %.0f s): giving up",
                    request.url,
                    asked,
                    self.retry_after_max,
                )
                return response
            delay = asked
        retry = self._retry_request(request, reason)
        if retry is None:
            return response
        logger.info("retrying %s in %.1f s (%s)", request.url, delay, reason)
        await self._wait(delay)
        return retry

    # (a coroutine, as process_response above)
    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get(
            "dont_retry", False
        ):
            return None
        retry = self._retry_request(request, exception)
        if retry is not None:
            delay = self._backoff(request)
            logger.info("retrying %s in %.1f s (%r)", request.url, delay, exception)
            await self._wait(delay)
        return retry


class RedirectGuardError(IgnoreRequest):
    """A redirect that the crawl refuses to follow (another host, or a loop)."""


class RedirectGuardMiddleware:
    """Refuse, with a plain error, redirects that Scrapy would otherwise drop in silence.

    Sits before Scrapy's redirect middleware (a higher order number, so it sees responses
    first). A redirect to a host outside the spider's ``allowed_domains`` and a redirect back
    to an address already visited in the same chain (a loop, which Scrapy's duplicate filter
    would discard without calling the errback) raise :class:`RedirectGuardError`, so the
    request's errback runs and the poll is recorded as failed instead of going missing.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in (301, 302, 303, 307, 308) or request.meta.get("dont_redirect"):
            return response
        location = response.headers.get("Location")
        if not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        host = urlsplit(target).hostname
        allowed = list(getattr(self.crawler.spider, "allowed_domains", None) or [])
        if allowed and host not in allowed:
            raise RedirectGuardError(
                f"the site redirected to {host}, which is not an allowed host "
                f"({', '.join(allowed)}); the redirect was not followed"
            )
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise RedirectGuardError(f"the page redirects in a loop (back to {target})")
        return response
