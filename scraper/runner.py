"""The crawl's child process: ``python -m scraper.runner --output FILE [--treaty ID ...]
[--all] [--language en|fr ...] [--capture DIR] [--set NAME=VALUE ...]``.

Runs the ``status`` spider (UN treaties) and the ``coe`` spider (Council of Europe treaties,
``CETS-201`` ...) once, side by side in this process (a Twisted reactor cannot be restarted),
and writes one JSON line to FILE for each thing that happens, as it happens (the format is
described in :mod:`tracker.crawl`, which starts this process): so a crawl that is stopped
half-way still leaves the polls it recorded. Exit status 0; 3 when some pages could not be
recorded or chapter pages not read; 4 when the database is not at the newest schema
revision (run ``treaty-tracker db upgrade``); 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import resource
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerRunner
from scrapy.settings import Settings
from scrapy.utils.reactor import install_reactor
from twisted.python.failure import Failure

from scraper.items import StatusPageItem
from scraper.pipelines import RECORD_CPU_STAT
from scraper.spiders.coe import CoeSpider, coe_treaty_ids
from scraper.spiders.status import StatusSpider
from tracker.crawl import (
    EXIT_INCOMPLETE,
    EXIT_NOT_READY,
    check_treaties,
    parse_setting,
    report_to_dict,
)
from tracker.db import DatabaseNotReadyError

logger = logging.getLogger(__name__)

QUIET_LOGGERS = ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt")
#: Capture mode (``treaty-tracker capture``): pages are saved as files, nothing is recorded.
CAPTURE_PIPELINES = {"scraper.pipelines.CapturePipeline": 300}


@dataclass
class CrawlResult:
    """What one crawl did."""

    reports: list[Any] = field(default_factory=list)  # tracker.service.PollReport
    #: Pages saved in capture mode (:attr:`StatusPageItem.capture`).
    captures: list[dict[str, Any]] = field(default_factory=list)
    #: Pages that were fetched but could not be recorded (database errors ...).
    unrecorded: list[str] = field(default_factory=list)
    #: Chapter pages or chapter list that could not be read (``all_treaties``).
    discovery_errors: list[str] = field(default_factory=list)
    finish_reason: str | None = None
    #: CPU seconds of this process: before the crawl started, and during it.
    cpu_startup: float = 0.0
    cpu_crawl: float = 0.0
    #: CPU seconds the pipeline's writer threads spent recording polls.
    cpu_record: float = 0.0

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


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_crawl(
    treaties: Sequence[str] | None = None,
    *,
    all_treaties: bool = False,
    languages: Sequence[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    on_item: Callable[[StatusPageItem], None] | None = None,
    on_problem: Callable[[str], None] | None = None,
) -> CrawlResult:
    """Crawl once, in this process, and return what was recorded (or captured).

    Starts (and stops) the Twisted reactor: call it at most once per process.
    ``on_item`` is called with each item once the pipeline is done with it; ``on_problem``
    with each page that could not be recorded.
    """
    if not logger.isEnabledFor(logging.DEBUG):
        # The spider logs one plain line per failed page; Scrapy's retry and robots.txt
        # middlewares would add a traceback for each, which reads as a crash.
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL)
    wanted = check_treaties(treaties or ())  # ValueError before anything starts
    coe = coe_treaty_ids(wanted)
    untc = [t for t in wanted if t not in coe]
    capture = overrides is not None and "TRACKER_CAPTURE_DIR" in overrides
    # Which spiders run: with named treaties, the ones that own them; else both (each takes
    # its own treaties from TRACKER_TREATIES), the UN's alone with --all or in capture mode.
    spiders: list[tuple[type[Any], dict[str, Any]]] = []
    if untc or not wanted:
        untc_kwargs: dict[str, Any] = {"all": all_treaties}
        if untc:
            untc_kwargs["treaties"] = untc
        spiders.append((StatusSpider, untc_kwargs))
    if (coe or not wanted) and not all_treaties and not capture:
        spiders.append((CoeSpider, {"treaties": coe} if coe else {}))
    result = CrawlResult()
    if coe and capture:
        result.discovery_errors.append(
            f"capture saves UN status pages only: {', '.join(coe)} not captured"
        )
    settings = crawl_settings(overrides)
    # CrawlerRunner rather than CrawlerProcess: logging stays the entry point's business.
    install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    from twisted.internet import reactor as _reactor

    reactor: Any = _reactor

    runner = CrawlerRunner(settings)
    crawlers = [(runner.create_crawler(cls), kwargs) for cls, kwargs in spiders]
    open_spiders = [0]

    def opened(spider: Any) -> None:
        if not open_spiders[0]:
            result.cpu_startup = _cpu()
            # What start-up made (modules, settings, the engine) lives as long as the crawl:
            # out of the garbage collector's reach, its collections look only at what the
            # pages make, instead of walking every object of Scrapy and SQLAlchemy each time.
            gc.freeze()
        open_spiders[0] += 1

    def scraped(item: Any, response: Any = None, spider: Any = None) -> None:
        if not isinstance(item, StatusPageItem):
            return
        if item.report is not None:
            result.reports.append(item.report)
        if item.capture is not None:
            result.captures.append(item.capture)
        if on_item is not None:
            on_item(item)

    def failed(item: Any, response: Any = None, spider: Any = None, failure: Any = None) -> None:
        if isinstance(item, StatusPageItem):
            reason = failure.getErrorMessage() if failure is not None else "unknown error"
            problem = f"{item.page.mtdsg_no}: poll not recorded: {reason}"
            result.unrecorded.append(problem)
            logger.error("%s", problem)
            if on_problem is not None:
                on_problem(problem)

    def closed(spider: Any, reason: str) -> None:
        if result.finish_reason in (None, "finished"):
            result.finish_reason = reason
        result.discovery_errors.extend(getattr(spider, "discovery_errors", []))
        result.cpu_crawl = _cpu() - result.cpu_startup
        result.cpu_record = sum(
            float(c.stats.get_value(RECORD_CPU_STAT, 0.0) or 0.0) for c, _ in crawlers
        )

    failures: list[Failure] = []
    for crawler, kwargs in crawlers:
        crawler.signals.connect(opened, signal=signals.spider_opened)
        crawler.signals.connect(scraped, signal=signals.item_scraped)
        crawler.signals.connect(failed, signal=signals.item_error)
        crawler.signals.connect(closed, signal=signals.spider_closed)
        if languages:
            kwargs["languages"] = list(languages)
        runner.crawl(crawler, **kwargs).addErrback(failures.append)
    done = runner.join()
    # callLater: the crawl may end (or fail) before the reactor runs
    done.addBoth(lambda _: reactor.callLater(0, reactor.stop))
    reactor.run()
    if failures:
        failures[0].raiseException()
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scraper.runner",
        description="Run one crawl and write what happens as JSON lines to --output.",
    )
    parser.add_argument("--output", required=True, help="file to write the JSON lines to")
    parser.add_argument("--treaty", action="append", default=[], metavar="ID")
    parser.add_argument("--all", action="store_true", dest="all_treaties")
    parser.add_argument("--language", action="append", default=[], choices=["en", "fr"])
    parser.add_argument(
        "--capture", type=Path, metavar="DIR", help="save the pages in DIR instead of polling"
    )
    parser.add_argument(
        "-s", "--set", action="append", default=[], type=parse_setting, metavar="NAME=VALUE"
    )
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    overrides = dict(args.set)
    if args.capture is not None:
        overrides = {"ITEM_PIPELINES": CAPTURE_PIPELINES, "TRACKER_CAPTURE_DIR": str(args.capture)}
        overrides |= dict(args.set)
    with open(args.output, "w", encoding="utf-8") as out:

        def write(entry: dict[str, Any]) -> None:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
            out.flush()

        def item_done(item: StatusPageItem) -> None:
            if item.report is not None:
                write({"report": report_to_dict(item.report)})
            if item.capture is not None:
                write({"capture": item.capture})

        try:
            result = run_crawl(
                args.treaty or None,
                all_treaties=args.all_treaties,
                languages=args.language or None,
                overrides=overrides,
                on_item=item_done,
                on_problem=lambda problem: write({"problem": problem}),
            )
        except DatabaseNotReadyError as exc:
            logger.error("%s", exc)
            write({"problem": str(exc)})
            return EXIT_NOT_READY
        for problem in result.discovery_errors:
            write({"problem": problem})
        write(
            {
                "stats": {
                    "startup": round(result.cpu_startup, 3),
                    "crawl": round(result.cpu_crawl, 3),
                    "record": round(result.cpu_record, 3),
                }
            }
        )
    return 0 if result.ok else EXIT_INCOMPLETE


if __name__ == "__main__":
    sys.exit(main())
