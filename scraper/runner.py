"""Run the ``status`` spider from Python, in this process (once: a Twisted reactor cannot be
restarted), and the child-process entry point used by :mod:`tracker.crawl`.

``python -m scraper.runner --output FILE [--treaty ID ...] [--all] [--set NAME=VALUE ...]``
writes one JSON line per recorded poll to FILE as soon as it is recorded, so a crawl that
is stopped half-way still leaves the polls it made.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerRunner
from scrapy.settings import Settings
from scrapy.utils.reactor import install_reactor
from twisted.python.failure import Failure

from scraper.items import StatusPageItem
from scraper.spiders.status import StatusSpider
from scraper.urls import chapter_of
from tracker.commands import parse_setting
from tracker.crawl import report_to_dict

logger = logging.getLogger(__name__)

QUIET_LOGGERS = ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt")


@dataclass
class CrawlResult:
    """What one crawl did."""

    reports: list[Any] = field(default_factory=list)  # tracker.service.PollReport
    #: Pages that were fetched but could not be recorded (database errors ...).
    unrecorded: list[str] = field(default_factory=list)
    #: Chapter pages or chapter list that could not be read (``all_treaties``).
    discovery_errors: list[str] = field(default_factory=list)
    finish_reason: str | None = None

    @property
    def ok(self) -> bool:
        return not self.unrecorded and not self.discovery_errors


def crawl_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """The project's Scrapy settings, with ``overrides`` at command-line priority."""
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(
    treaties: Sequence[str] | None = None,
    *,
    all_treaties: bool = False,
    languages: Sequence[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    on_report: Callable[[Any], None] | None = None,
) -> CrawlResult:
    """Crawl once, in this process, and return the recorded polls.

    Starts (and stops) the Twisted reactor: call it at most once per process.
    ``on_report`` is called with each :class:`~tracker.service.PollReport` as it is recorded.
    """
    if not logger.isEnabledFor(logging.DEBUG):
        # The spider logs one plain line per failed page; Scrapy's retry and robots.txt
        # middlewares would add a traceback for each, which reads as a crash.
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL)
    for mtdsg_no in treaties or ():
        chapter_of(mtdsg_no)  # ValueError before anything starts
    result = CrawlResult()
    settings = crawl_settings(overrides)
    # CrawlerRunner rather than CrawlerProcess: logging stays the entry point's business.
    install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    from twisted.internet import reactor as _reactor

    reactor: Any = _reactor

    runner = CrawlerRunner(settings)
    crawler = runner.create_crawler(StatusSpider)

    def scraped(item: Any, response: Any = None, spider: Any = None) -> None:
        if isinstance(item, StatusPageItem) and item.report is not None:
            result.reports.append(item.report)
            if on_report is not None:
                on_report(item.report)

    def failed(item: Any, response: Any = None, spider: Any = None, failure: Any = None) -> None:
        if isinstance(item, StatusPageItem):
            reason = failure.getErrorMessage() if failure is not None else "unknown error"
            result.unrecorded.append(f"{item.page.mtdsg_no}: poll not recorded: {reason}")
            logger.error("%s: poll not recorded: %s", item.page.mtdsg_no, reason)

    def closed(spider: Any, reason: str) -> None:
        result.finish_reason = reason
        result.discovery_errors.extend(getattr(spider, "discovery_errors", []))

    crawler.signals.connect(scraped, signal=signals.item_scraped)
    crawler.signals.connect(failed, signal=signals.item_error)
    crawler.signals.connect(closed, signal=signals.spider_closed)
    kwargs: dict[str, Any] = {"all": all_treaties}
    if treaties:
        kwargs["treaties"] = list(treaties)
    if languages:
        kwargs["languages"] = list(languages)
    failures: list[Failure] = []
    done = runner.crawl(crawler, **kwargs)
    done.addErrback(failures.append)
    # callLater: the crawl may end (or fail) before the reactor runs
    done.addBoth(lambda _: reactor.callLater(0, reactor.stop))
    reactor.run()
    if failures:
        failures[0].raiseException()
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scraper.runner",
        description="Run one crawl and write each recorded poll as a JSON line to --output.",
    )
    parser.add_argument("--output", required=True, help="file to write the JSON lines to")
    parser.add_argument("--treaty", action="append", default=[], metavar="ID")
    parser.add_argument("--all", action="store_true", dest="all_treaties")
    parser.add_argument("--language", action="append", default=[], choices=["en", "fr"])
    parser.add_argument(
        "-s", "--set", action="append", default=[], type=parse_setting, metavar="NAME=VALUE"
    )
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    with open(args.output, "w", encoding="utf-8") as out:

        def write(report: Any) -> None:
            out.write(json.dumps(report_to_dict(report), ensure_ascii=False) + "\n")
            out.flush()

        result = run_crawl(
            args.treaty or None,
            all_treaties=args.all_treaties,
            languages=args.language or None,
            overrides=dict(args.set),
            on_report=write,
        )
    return 0 if result.ok else 3


if __name__ == "__main__":
    sys.exit(main())
