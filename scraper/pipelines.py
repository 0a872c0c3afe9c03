"""Item pipelines: every fetched page (or failed fetch) becomes one recorded poll — or, in
capture mode (``treaty-tracker capture``), one saved file.

:class:`RecordPollPipeline` records each item with :func:`tracker.service.record_poll` in
its own session and transaction, in a small pool of writer threads: parsing and database
writes never run on the Twisted reactor thread, so a slow database (SQLite waits up to its
busy timeout for another writer) delays only the recording, never the crawl's network
work. ``TRACKER_DB_WRITERS`` bounds the writers (default: 1 on SQLite, which takes one
writer at a time anyway; 2 on PostgreSQL). The database must already be at the newest
schema revision: a crawl never migrates it (``treaty-tracker db upgrade`` does).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from scraper.items import StatusPageItem
from tracker.archive import Archive
from tracker.db import make_engine, require_current, session
from tracker.service import PollReport, record_poll

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)

#: Crawler stats key: CPU seconds the writer threads spent recording polls.
RECORD_CPU_STAT = "tracker/record_cpu_seconds"


class RecordPollPipeline:
    """Records each :class:`~scraper.items.StatusPageItem` as a poll in the database."""

    def __init__(
        self, database_url: str, archive_dir: str, writers: int = 0, crawler: Crawler | None = None
    ) -> None:
        self.database_url = database_url
        self.archive_dir = archive_dir
        self.writers = writers
        self.crawler = crawler
        self.engine: Engine | None = None
        self.archive: Archive | None = None
        self.pool: ThreadPool | None = None
        self._cpu = 0.0
        self._cpu_lock = threading.Lock()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordPollPipeline:
        settings = crawler.settings
        return cls(
            database_url=settings.get("TRACKER_DATABASE_URL"),
            archive_dir=settings.get("TRACKER_ARCHIVE_DIR"),
            writers=settings.getint("TRACKER_DB_WRITERS", 0),
            crawler=crawler,
        )

    def open_spider(self) -> None:
        self.engine = make_engine(self.database_url)
        require_current(self.engine)  # DatabaseNotReadyError: run `treaty-tracker db upgrade`
        self.archive = Archive(self.archive_dir)
        writers = self.writers or (1 if self.engine.dialect.name == "sqlite" else 2)
        self.pool = ThreadPool(minthreads=0, maxthreads=writers, name="tracker-db-writer")
        self.pool.start()

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.stop()  # every item is done by now: the crawl waits for its items
            self.pool = None
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.set_value(RECORD_CPU_STAT, round(self._cpu, 3))

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, StatusPageItem):
            return item
        assert self.pool is not None, "open_spider was not called"
        from twisted.internet import reactor  # the installed one; never at import time

        item.report = await maybe_deferred_to_future(
            deferToThreadPool(reactor, self.pool, self._record, item)
        )
        return item

    def _record(self, item: StatusPageItem) -> PollReport:
        """Record one poll (runs in a writer thread)."""
        assert self.engine is not None, "open_spider was not called"
        started = time.thread_time()
        try:
            with session(self.engine) as s:
                return record_poll(
                    session=s,
                    page=item.page,
                    archive=self.archive,
                    expected_language=item.language,
                )
        finally:
            spent = time.thread_time() - started
            with self._cpu_lock:
                self._cpu += spent


class CapturePipeline:
    """Capture mode: save each fetched status page byte for byte as ``<ID>.<lang>.html`` in
    ``TRACKER_CAPTURE_DIR``, with ``<ID>.<lang>.capture.json`` saying where and when it was
    fetched; a failed fetch saves nothing. What happened is put on the item (``capture``)."""

    def __init__(self, output: str, user_agent: str) -> None:
        self.output = Path(output)
        self.user_agent = user_agent

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CapturePipeline:
        settings = crawler.settings
        return cls(settings.get("TRACKER_CAPTURE_DIR"), settings.get("USER_AGENT"))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, StatusPageItem):
            return item
        page = item.page
        done: dict[str, Any] = {"mtdsg_no": page.mtdsg_no, "language": item.language}
        if page.body is None or (page.http_status or 200) >= 400:
            done["error"] = page.error or f"the server answered HTTP {page.http_status}"
            item.capture = done
            return item
        self.output.mkdir(parents=True, exist_ok=True)
        stem = f"{page.mtdsg_no}.{item.language}"
        target = self.output / f"{stem}.html"
        target.write_bytes(page.body)
        meta = {
            "what": "capture of a live UN Treaty Collection page (not a reconstruction)",
            "mtdsg_no": page.mtdsg_no,
            "language": item.language,
            "url": item.requested_url or page.url,
            "final_url": page.url,
            "http_status": page.http_status,
            "content_type": item.content_type,
            "fetched_at": page.fetched_at.isoformat(),
            "sha256": hashlib.sha256(page.body).hexdigest(),
            "bytes": len(page.body),
            "user_agent": self.user_agent,
        }
        sidecar = self.output / f"{stem}.capture.json"
        sidecar.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        item.capture = done | {"saved": str(target)}
        return item
