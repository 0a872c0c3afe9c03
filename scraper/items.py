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
    #: The :class:`tracker.service.PollReport`, set by the pipeline once the poll is recorded.
    report: Any = None
