"""Run a crawl (the Scrapy ``status`` spider of :mod:`scraper`) in a child process.

Every crawl — ``treaty-tracker poll``, the scheduler, ``treaty-tracker capture`` — runs
``python -m scraper.runner`` in a child process with a time limit (:func:`crawl`): a Twisted
reactor cannot be restarted, and a child that hangs can be stopped. The child writes one
JSON line per event to a file as it happens, so a crawl stopped half-way still leaves the
polls it recorded:

* ``{"report": {...}}`` — a recorded poll (:func:`report_to_dict` of a
  :class:`tracker.service.PollReport`);
* ``{"capture": {...}}`` — a page saved by ``treaty-tracker capture``;
* ``{"problem": "..."}`` — a page fetched but not recorded, a chapter page not read;
* ``{"stats": {...}}`` — CPU figures of the crawl (for ``bench/bench_crawl.py``).

This module imports neither Scrapy nor :mod:`scraper` (dependencies go one way:
``scraper`` -> ``tracker``); it only names the child's module. The database must be at the
newest schema revision before a poll (``treaty-tracker db upgrade``; ``run``, ``poll`` and
``schedule`` upgrade it at start): crawls never migrate it.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import json
import logging
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from tracker.config import get_settings
from tracker.mtdsg import MTDSG_PATTERN, status_url

logger = logging.getLogger(__name__)

#: The child process's module (``python -m RUNNER``).
RUNNER = "scraper.runner"
#: Exit status of the child when some pages were not recorded or chapter pages not read.
EXIT_INCOMPLETE = 3
#: Exit status of the child when the database is not ready (not at the newest revision).
EXIT_NOT_READY = 4

_SCALARS = (str, int, float, bool)


def parse_setting(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` -> (NAME, VALUE), for ``--set``; VALUE is read as JSON when it is JSON,
    else kept as a string. An argparse ``type``: a malformed pair is a usage error."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        parsed: Any = json.loads(value)
    except ValueError:
        parsed = value
    return name.strip(), parsed


def _plain(value: Any) -> Any:
    if value is None or type(value) in _SCALARS:  # most fields: no further checks
        return value
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


@dataclass
class CrawlRun:
    """What one crawl did, as the child process told it."""

    #: Each recorded poll (:func:`report_to_dict`), in the order recorded.
    reports: list[dict[str, Any]] = field(default_factory=list)
    #: Each page saved (capture mode).
    captures: list[dict[str, Any]] = field(default_factory=list)
    #: Pages fetched but not recorded, chapter pages not read, a time-out, a failed child.
    problems: list[str] = field(default_factory=list)
    #: CPU figures of the child (seconds): ``startup`` (until the crawl began), ``crawl``
    #: (the crawl itself), ``record`` (recording polls, in the writer threads).
    stats: dict[str, Any] = field(default_factory=dict)
    #: Exit status of the child (None if it had to be stopped).
    exit_status: int | None = None


def check_treaties(treaties: Sequence[str]) -> list[str]:
    """The treaty ids, canonical: MTDSG references as given (``IV-11-d``), Council of Europe
    ids as the tracker writes them (``CETS 210`` -> ``CETS-210``). ValueError for anything
    else (before anything starts)."""
    from tracker.sources.coe.ids import parse_treaty_id

    out = []
    for text in treaties:
        if MTDSG_PATTERN.match(text):
            out.append(text)
            continue
        coe = parse_treaty_id(text)
        if coe is None:
            raise ValueError(
                f"not a treaty id: {text!r} (an MTDSG reference such as IV-11-d, or a Council "
                "of Europe treaty such as CETS-201)"
            )
        out.append(coe)
    return list(dict.fromkeys(out))


def crawl(
    treaties: Sequence[str] | None = None,
    *,
    all_treaties: bool = False,
    languages: Sequence[str] | None = None,
    scrapy_settings: Mapping[str, Any] | None = None,
    timeout: float | None = None,
    capture_dir: Path | None = None,
) -> CrawlRun:
    """Crawl in a child process: poll ``treaties`` (default: the configured list) or, with
    ``all_treaties``, every treaty listed on UNTC's chapter pages; with ``capture_dir``,
    save the pages there instead of recording polls (``treaty-tracker capture``).

    ``timeout`` (seconds; default ``TRACKER_POLL_TIMEOUT_SECONDS``) bounds the whole crawl:
    the child is then stopped, the polls it recorded are kept, and each requested treaty
    that got no poll is recorded as a failed poll ("did not finish"), so a hanging site
    shows up as errors instead of silence. The child inherits the environment
    (``TRACKER_*`` settings). Raises :class:`tracker.db.DatabaseNotReadyError` before
    starting when the database is not at the newest schema revision (polls only).
    """
    treaties = check_treaties(treaties or ()) or None
    settings = get_settings()
    if capture_dir is None:
        _require_ready_database()
    limit = float(timeout if timeout is not None else settings.poll_timeout_seconds)
    run = CrawlRun()
    with tempfile.TemporaryDirectory(prefix="treaty-tracker-crawl-") as tmp:
        output = Path(tmp) / "crawl.jsonl"
        command = [sys.executable, "-m", RUNNER, "--output", str(output)]
        for treaty in treaties or ():
            command += ["--treaty", treaty]
        if all_treaties:
            command.append("--all")
        for language in languages or ():
            command += ["--language", language]
        if capture_dir is not None:
            command += ["--capture", str(capture_dir)]
        for name, value in (scrapy_settings or {}).items():
            command += ["--set", f"{name}={json.dumps(value)}"]
        command += ["--log-level", logging.getLevelName(logging.getLogger().getEffectiveLevel())]
        logger.info("crawl subprocess: %s", " ".join(command))
        problem: str | None = None
        # The child stays in our process group: Ctrl-C, or a kill of the group, reaches it.
        with subprocess.Popen(command) as child:
            try:
                run.exit_status = child.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                _stop(child)
                problem = f"the poll did not finish within {limit:g} s"
            except BaseException:  # Ctrl-C: the child got it too and stops cleanly
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    _stop(child)
                raise
        _read(output, run)
    code = run.exit_status
    if code == EXIT_NOT_READY:
        from tracker.db import DatabaseNotReadyError

        raise DatabaseNotReadyError(run.problems[-1] if run.problems else "database not ready")
    if problem is None and code not in (0, EXIT_INCOMPLETE):
        problem = f"the crawl process failed (exit status {code})"
    elif code == EXIT_INCOMPLETE:
        logger.error("the crawl finished with errors (see the log above)")
    if problem is not None:
        logger.error("%s; %d poll(s) recorded", problem, len(run.reports))
        run.problems.append(problem)
        if capture_dir is None:
            wanted = [] if all_treaties else list(treaties or settings.treaties)
            languages = list(languages or settings.languages)
            run.reports += _record_missing(wanted, languages, run.reports, problem)
    return run


def run_crawl_subprocess(
    treaties: Sequence[str] | None = None,
    all_treaties: bool = False,
    timeout: float | None = None,
    *,
    languages: Sequence[str] | None = None,
    scrapy_settings: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """:func:`crawl`, returning only the recorded polls (each as a dict)."""
    return crawl(
        treaties,
        all_treaties=all_treaties,
        languages=languages,
        scrapy_settings=scrapy_settings,
        timeout=timeout,
    ).reports


def _require_ready_database() -> None:
    from tracker.db import make_engine, require_current

    engine = make_engine()
    try:
        require_current(engine)
    finally:
        engine.dispose()


def _stop(child: subprocess.Popen[bytes]) -> None:
    """SIGTERM the child (Scrapy then stops cleanly), then SIGKILL if it is still there."""
    for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        if child.poll() is not None:
            return
        try:
            child.send_signal(sig)
        except ProcessLookupError:
            return
        try:
            child.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def _read(path: Path, run: CrawlRun) -> None:
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:  # a line cut short by a killed child
            logger.warning("ignoring an incomplete line from the crawl")
            continue
        if "report" in entry:
            run.reports.append(entry["report"])
        elif "capture" in entry:
            run.captures.append(entry["capture"])
        elif "problem" in entry:
            run.problems.append(str(entry["problem"]))
        elif "stats" in entry:
            run.stats.update(entry["stats"])


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
    from tracker.sources.coe import ids as coe_ids

    settings = get_settings()
    base = settings.untc_base_url
    language = languages[0] if languages else "en"
    engine = make_engine()
    added = []
    try:
        for mtdsg_no in missing:
            url = (
                coe_ids.chart_url(mtdsg_no, language, site=settings.coe_base_url)
                if coe_ids.parse_treaty_id(mtdsg_no) == mtdsg_no
                else status_url(base, mtdsg_no, language)
            )
            page = FetchedPage(
                mtdsg_no=mtdsg_no,
                url=url,
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
