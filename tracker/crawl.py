"""Run a crawl (the Scrapy ``status`` spider) from Python.

* :func:`run_crawl` crawls in this process. The Twisted reactor cannot be restarted, so
  this works once per process: for the ``treaty-tracker poll`` command.
* :func:`run_crawl_subprocess` crawls in a child process with a time limit: for the
  scheduler and anything else that polls more than once. Each recorded poll comes back
  as a dict (:func:`report_to_dict`).

This module does not import Scrapy itself (``tracker`` stays free of it); the crawl code
lives in :mod:`scraper.runner`.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.config import get_settings

if TYPE_CHECKING:
    from scraper.runner import CrawlResult

logger = logging.getLogger(__name__)

_MTDSG = re.compile(r"^[IVXLC]+-[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*$")


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return None
    return value


def report_to_dict(report: Any) -> dict[str, Any]:
    """A :class:`tracker.service.PollReport` as JSON-ready data (enums as values, ISO dates)."""
    if hasattr(report, "to_json"):
        data: dict[str, Any] = report.to_json()
        return data
    plain = _plain(report)
    if not isinstance(plain, dict):
        raise TypeError(f"not a poll report: {report!r}")
    return plain


def run_crawl(
    treaties: Sequence[str] | None = None,
    *,
    all_treaties: bool = False,
    languages: Sequence[str] | None = None,
    scrapy_settings: Mapping[str, Any] | None = None,
) -> CrawlResult:
    """Poll ``treaties`` (default: the configured list) or, with ``all_treaties``, every
    treaty listed on UNTC's chapter pages, in this process. Once per process only."""
    from scraper.runner import run_crawl as _run

    return _run(treaties, all_treaties=all_treaties, languages=languages, overrides=scrapy_settings)


def run_crawl_subprocess(
    treaties: Sequence[str] | None = None,
    all_treaties: bool = False,
    timeout: float | None = None,
    *,
    languages: Sequence[str] | None = None,
    scrapy_settings: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Poll in a child process and return each recorded poll as a dict.

    ``timeout`` (seconds; default ``TRACKER_POLL_TIMEOUT_SECONDS``) bounds the whole crawl:
    the child is then stopped, the polls it recorded are kept, and each requested treaty
    that got no poll is recorded as a failed poll ("did not finish"), so a hanging site
    shows up as errors instead of silence. The child inherits the environment
    (``TRACKER_*`` settings).
    """
    for mtdsg_no in treaties or ():
        if not _MTDSG.match(mtdsg_no):
            raise ValueError(f"not an MTDSG treaty reference: {mtdsg_no!r} (e.g. IV-11-d)")
    settings = get_settings()
    limit = float(timeout if timeout is not None else settings.poll_timeout_seconds)
    with tempfile.TemporaryDirectory(prefix="treaty-tracker-crawl-") as tmp:
        output = Path(tmp) / "reports.jsonl"
        command = [sys.executable, "-m", "scraper.runner", "--output", str(output)]
        for treaty in treaties or ():
            command += ["--treaty", treaty]
        if all_treaties:
            command.append("--all")
        for language in languages or ():
            command += ["--language", language]
        for name, value in (scrapy_settings or {}).items():
            command += ["--set", f"{name}={json.dumps(value)}"]
        command += ["--log-level", logging.getLevelName(logging.getLogger().getEffectiveLevel())]
        logger.info("crawl subprocess: %s", " ".join(command))
        problem: str | None = None
        with subprocess.Popen(command, start_new_session=True) as child:
            try:
                code = child.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                _stop(child)
                problem = f"the poll did not finish within {limit:g} s"
            else:
                if code not in (0, 3):  # 3: some pages not recorded / discovery errors
                    problem = f"the crawl process failed (exit status {code})"
                elif code == 3:
                    logger.error("the crawl finished with errors (see the log above)")
        reports = _read_reports(output)
    if problem is not None:
        logger.error("%s; %d poll(s) recorded", problem, len(reports))
        wanted = [] if all_treaties else list(treaties or settings.treaties)
        reports += _record_missing(wanted, list(languages or settings.languages), reports, problem)
    return reports


def _stop(child: subprocess.Popen[bytes]) -> None:
    """SIGTERM the child's process group, then SIGKILL if it is still there after 10 s."""
    for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(child.pid, sig)
        except ProcessLookupError:
            return
        try:
            child.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def _read_reports(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    reports = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            reports.append(json.loads(line))
        except ValueError:  # a line cut short by a killed child
            logger.warning("ignoring an incomplete report line from the crawl")
    return reports


def _record_missing(
    treaties: Sequence[str],
    languages: Sequence[str],
    reports: Sequence[Mapping[str, Any]],
    problem: str,
) -> list[dict[str, Any]]:
    """Record a failed poll for each requested treaty the crawl did not get to."""
    from tracker.db import make_engine, session
    from tracker.domain import FetchedPage
    from tracker.service import record_poll

    done = {r.get("mtdsg_no") for r in reports}
    missing = [t for t in dict.fromkeys(treaties) if t not in done]
    if not missing:
        return []
    base = get_settings().untc_base_url
    engine = make_engine()
    added = []
    try:
        for mtdsg_no in missing:
            page = FetchedPage(
                mtdsg_no=mtdsg_no,
                url=(
                    f"{base}/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={mtdsg_no}"
                    f"&clang=_{languages[0] if languages else 'en'}"
                ),
                fetched_at=datetime.now(UTC),
                http_status=None,
                body=None,
                error=problem,
            )
            with session(engine) as s:
                added.append(report_to_dict(record_poll(session=s, page=page)))
    finally:
        engine.dispose()
    return added
