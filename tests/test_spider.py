"""The status spider and its helpers, without a network: URLs, discovery from the
reconstructed chapter pages, failed fetches as items, Retry-After."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from scraper import settings as scraper_settings
from scraper.items import StatusPageItem
from scraper.middlewares import retry_after_seconds
from scraper.spiders.status import StatusSpider, describe_failure, user_agent
from tracker.config import get_settings
from tracker.mtdsg import chapter_of, is_status_url, roman_to_int, status_url, with_language

INDEX = Path(__file__).resolve().parent / "fixtures" / "untc_index"
BASE = "http://127.0.0.1:8123"


@pytest.fixture
def spider(monkeypatch: pytest.MonkeyPatch) -> StatusSpider:
    monkeypatch.setenv("TRACKER_UNTC_BASE_URL", BASE)
    monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", '["127.0.0.1"]')
    get_settings.cache_clear()
    project = {k: v for k, v in vars(scraper_settings).items() if k.isupper()}
    crawler = get_crawler(StatusSpider, project)  # settings applied, as a crawl does
    result = StatusSpider.from_crawler(crawler, all="1")
    get_settings.cache_clear()
    return result


def html(url: str, path: Path) -> HtmlResponse:
    return HtmlResponse(url=url, body=path.read_bytes(), encoding="utf-8")


def test_roman_chapters() -> None:
    assert [roman_to_int(r) for r in ("I", "IV", "IX", "XIV", "XXVII", "XXIX")] == [
        1, 4, 9, 14, 27, 29,
    ]  # fmt: skip
    assert chapter_of("IV-11-d") == 4
    assert chapter_of("XXVII-7-a") == 27
    for bad in ("11-d", "IV", "iv-11", "IV-11-d; DROP", ""):
        with pytest.raises(ValueError, match="MTDSG"):
            chapter_of(bad)


def test_status_url() -> None:
    assert status_url(BASE + "/", "IV-11-d") == (
        f"{BASE}/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-11-d&chapter=4&clang=_en"
    )
    assert status_url(BASE, "XVIII-12-b", "fr").endswith("mtdsg_no=XVIII-12-b&chapter=18&clang=_fr")
    with pytest.raises(ValueError, match="language"):
        status_url(BASE, "IV-11", "de")


def test_status_url_variants() -> None:
    old = "http://treaties.un.org/pages/ViewDetails.aspx?src=TREATY&mtdsg_no=I-1&chapter=1&lang=en"
    assert is_status_url(old)
    assert with_language(old, "fr").endswith("src=TREATY&mtdsg_no=I-1&chapter=1&clang=_fr")
    assert is_status_url(f"{BASE}/Pages/ViewDetailsV.aspx?src=TREATY&mtdsg_no=XI-B-1&Temp=mtdsg5")
    assert not is_status_url(f"{BASE}/Pages/Treaties.aspx?id=4&subid=A&clang=_en")
    assert not is_status_url(f"{BASE}/Pages/ViewDetails.aspx?src=TREATY")


def test_user_agent_names_tool_version_and_contact() -> None:
    agent = user_agent("mailto:ops@example.org")
    assert agent.startswith("treaty-tracker/")
    assert agent.endswith(" (+mailto:ops@example.org)")


def test_spider_takes_tracker_settings(spider: StatusSpider) -> None:
    settings = spider.crawler.settings
    assert settings.get("USER_AGENT").startswith("treaty-tracker/")
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert not settings.getbool("HTTPCACHE_ENABLED")
    assert settings.getint("DOWNLOAD_MAXSIZE") == get_settings().max_page_bytes
    assert spider.allowed_domains == ["127.0.0.1"]
    assert spider.base_url == BASE


def test_bad_treaty_reference_is_refused_before_crawling() -> None:
    with pytest.raises(ValueError, match="not an MTDSG treaty reference"):
        StatusSpider(treaties="IV-11-d,rights of the child")


def test_chapter_list_leads_to_29_chapter_pages(spider: StatusSpider) -> None:
    url = f"{BASE}/Pages/ParticipationStatus.aspx?clang=_en"
    requests = list(spider.parse_chapter_list(html(url, INDEX / "ParticipationStatus.en.html")))
    assert len(requests) == 29
    assert requests[3].url == f"{BASE}/Pages/Treaties.aspx?id=4&subid=A&clang=_en"
    assert spider.discovery_errors == []


def test_chapter_page_leads_to_status_pages(spider: StatusSpider) -> None:
    url = f"{BASE}/Pages/Treaties.aspx?id=4&subid=A&clang=_en"
    requests = list(spider.parse_chapter(html(url, INDEX / "Treaties.id-4.subid-A.en.html")))
    ids = [r.meta["mtdsg_no"] for r in requests]
    assert len(ids) == 27
    assert ids[:3] == ["IV-1", "IV-2", "IV-2-a"]
    opic = requests[ids.index("IV-11-d")]
    assert opic.url == status_url(BASE, "IV-11-d", "en")
    assert opic.meta["language"] == "en"
    assert opic.errback is not None  # failed fetches become recorded failures


def test_page_without_links_is_a_discovery_error(spider: StatusSpider) -> None:
    url = f"{BASE}/Pages/Treaties.aspx?id=4&subid=A&clang=_en"
    response = HtmlResponse(url=url, body=b"<html><body>Maintenance</body></html>")
    assert list(spider.parse_chapter(response)) == []
    assert spider.discovery_errors == [f"no treaty links in the chapter page {url}"]


def test_fetched_page_item(spider: StatusSpider) -> None:
    request = spider.status_request(status_url(BASE, "IV-11-d"))
    body = b"<html><body>status</body></html>"
    response = HtmlResponse(url=request.url, body=body, encoding="utf-8", request=request)
    (item,) = list(spider.parse_status(response))
    assert isinstance(item, StatusPageItem)
    assert item.page.mtdsg_no == "IV-11-d"
    assert item.page.body == body
    assert item.page.http_status == 200
    assert item.page.content_hash is not None and len(item.page.content_hash) == 64
    assert item.page.error is None


def test_http_error_becomes_a_failed_page_item(spider: StatusSpider) -> None:
    request = spider.status_request(status_url(BASE, "IV-11-d"))
    request.meta["retry_times"] = 3
    response = Response(url=request.url, status=503, request=request)
    failure = Failure(HttpError(response))
    failure.request = request  # type: ignore[attr-defined]
    (item,) = list(spider.status_failed(failure))
    assert item.page.body is None
    assert item.page.http_status == 503
    assert item.page.error == "the server answered HTTP 503 (after 4 attempts)"
    assert describe_failure(failure) == item.page.error


def test_unknown_host_is_explained(spider: StatusSpider) -> None:
    """Offline (or a mistyped base address), the error says so in words."""
    from scrapy.exceptions import CannotResolveHostError

    request = spider.status_request(status_url(BASE, "IV-11-d"))
    request.meta["retry_times"] = 3
    failure = Failure(CannotResolveHostError("DNS lookup failed: no results"))
    failure.request = request  # type: ignore[attr-defined]
    (item,) = list(spider.status_failed(failure))
    assert item.page.error == (
        "the host name 127.0.0.1 could not be resolved (no network connection, or a wrong "
        "TRACKER_UNTC_BASE_URL) (after 4 attempts)"
    )


def test_redirect_off_the_allowed_hosts_is_a_failed_page(spider: StatusSpider) -> None:
    request = spider.status_request(status_url(BASE, "IV-11-d"))
    response = HtmlResponse(url="http://evil.example/x", body=b"<html/>", request=request)
    (item,) = list(spider.parse_status(response))
    assert item.page.body is None
    assert "evil.example" in (item.page.error or "")


def test_retry_after_header() -> None:
    now = datetime(2015, 4, 14, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(b"120", now) == 120.0
    assert retry_after_seconds("Tue, 14 Apr 2015 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Tue, 14 Apr 2015 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_status_requests_go_through_the_offsite_check(spider: StatusSpider) -> None:
    # dont_filter would also switch off the offsite check, which guards redirects
    assert not spider.status_request(status_url(BASE, "IV-11-d")).dont_filter


def test_backoff_retry_middleware_uses_scrapys_public_retry(spider: StatusSpider) -> None:
    """BackoffRetryMiddleware builds on Scrapy's RetryMiddleware: the settings it reads and
    the public get_retry_request it retries with. Fails if Scrapy changes either."""
    from scrapy.http import Request

    from scraper.middlewares import BackoffRetryMiddleware

    crawler = spider.crawler
    crawler.spider = spider
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    assert middleware.max_retry_times == scraper_settings.RETRY_TIMES
    assert middleware.retry_http_codes == set(scraper_settings.RETRY_HTTP_CODES)
    request = Request(status_url(BASE, "IV-11-d"), meta={"retry_times": 0})
    retry = middleware._retry_request(request, "503 Service Unavailable")
    assert retry is not None and retry.meta["retry_times"] == 1 and retry.dont_filter
    spent = Request(request.url, meta={"retry_times": scraper_settings.RETRY_TIMES})
    assert middleware._retry_request(spent, "503 Service Unavailable") is None
