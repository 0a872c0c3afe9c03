"""What the status spider yields: one fetched page (or fetch failure) of one treaty."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from tracker.domain import FetchedPage

logger = logging.getLogger(__name__)


@dataclass
class StatusPageItem:
    """One poll of one treaty: the page as fetched, and (after the pipeline) its report."""

    page: FetchedPage
    language: str = "en"
    #: The status-page address the spider asked for (``page.url`` is where it ended up).
    requested_url: str | None = None
    #: The answer's Content-Type header, if any.
    content_type: str | None = None
    #: The :class:`tracker.service.PollReport`, set by the pipeline once the poll is recorded.
    report: Any = None
    #: What :class:`scraper.pipelines.CapturePipeline` saved (capture mode), as JSON data.
    capture: dict[str, Any] | None = None
