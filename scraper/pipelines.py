"""Item pipeline: every fetched page (or failed fetch) becomes one recorded poll.

Each item is recorded by :func:`tracker.service.record_poll` in its own session and
transaction; the raw body goes into the content-addressed :class:`tracker.archive.Archive`.
The resulting :class:`tracker.service.PollReport` is put on the item (``item.report``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scraper.items import StatusPageItem
from tracker.archive import Archive
from tracker.db import make_engine, session, upgrade
from tracker.service import record_poll

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)


class RecordPollPipeline:
    """Records each :class:`~scraper.items.StatusPageItem` as a poll in the database."""

    def __init__(self, database_url: str, archive_dir: str, migrate: bool = True) -> None:
        self.database_url = database_url
        self.archive_dir = archive_dir
        self.migrate = migrate
        self.engine: Engine | None = None
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordPollPipeline:
        settings = crawler.settings
        return cls(
            database_url=settings.get("TRACKER_DATABASE_URL"),
            archive_dir=settings.get("TRACKER_ARCHIVE_DIR"),
            migrate=settings.getbool("TRACKER_MIGRATE", True),
        )

    def open_spider(self) -> None:
        self.engine = make_engine(self.database_url)
        if self.migrate:
            upgrade(self.engine)
        self.archive = Archive(self.archive_dir)

    def close_spider(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, StatusPageItem):
            return item
        assert self.engine is not None, "open_spider was not called"
        with session(self.engine) as s:
            item.report = record_poll(
                session=s,
                page=item.page,
                archive=self.archive,
                expected_language=item.language,
            )
        return item
