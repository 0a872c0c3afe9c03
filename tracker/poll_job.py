""" "Poll now" in the background: start ``treaty-tracker poll`` as a child process and follow
its progress from the polls it records in the database.

The crawl already runs in its own process (``python -m scraper.runner``, started by
``treaty-tracker poll``); this module starts that command without waiting for it, so the app
stays responsive, and tells how far it is: pages recorded / pages asked for (each treaty in
each polled language is one page), read from the ``poll`` table (only polls newer than the
job's start, by id), and how each recorded poll ended. The command's own output goes to a
log file, shown only when it failed.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.models import Poll

logger = logging.getLogger(__name__)


@dataclass
class PollJob:
    """One running (or finished) "poll now"."""

    treaties: tuple[str, ...]
    languages: tuple[str, ...]
    after_poll_id: int  # the newest poll id when the job started
    started_at: datetime
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def total(self) -> int:
        return len(self.treaties) * max(1, len(self.languages))

    def exit_status(self) -> int | None:
        """The command's exit status; None while it runs."""
        return self.process.poll()

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:].strip()
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()


@dataclass(frozen=True, slots=True)
class Progress:
    """``done`` of ``total`` pages recorded; ``outcomes``: how many polls ended how
    (new, changed, unchanged, suspect, error); ``failed``: the treaties whose poll failed;
    ``finished``/``exit_status``: whether the command has ended, and how."""

    done: int
    total: int
    outcomes: dict[str, int]
    failed: tuple[str, ...]
    finished: bool
    exit_status: int | None

    @property
    def fraction(self) -> float:
        return 0.0 if not self.total else min(1.0, self.done / self.total)


def newest_poll_id(*, session: Session) -> int:
    return int(session.exec(select(func.max(Poll.id))).one() or 0)


def start(
    *,
    session: Session,
    treaties: Sequence[str],
    languages: Sequence[str],
    log_dir: Path,
    now: datetime,
) -> PollJob:
    """Start ``treaty-tracker poll --treaty …`` for ``treaties`` in the background (the child
    inherits the environment, so the same database and settings)."""
    if not treaties:
        raise ValueError("no treaty to poll")
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"poll-now-{now.strftime('%Y%m%dT%H%M%S')}.log"
    command = [sys.executable, "-m", "tracker.cli", "poll"]
    for treaty in treaties:
        command += ["--treaty", treaty]
    for language in languages:
        command += ["--language", language]
    after = newest_poll_id(session=session)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    logger.info("poll now started (pid %s): %s", process.pid, " ".join(command))
    return PollJob(
        treaties=tuple(treaties),
        languages=tuple(languages),
        after_poll_id=after,
        started_at=now,
        process=process,
        log_path=log_path,
    )


def progress(job: PollJob, *, session: Session) -> Progress:
    """How far ``job`` is, from the polls recorded since it started."""
    status = job.exit_status()  # read first: a poll recorded after it still counts
    rows = session.exec(
        select(Poll.mtdsg_no, Poll.outcome).where(
            col(Poll.id) > job.after_poll_id, col(Poll.mtdsg_no).in_(job.treaties)
        )
    ).all()
    outcomes = Counter(outcome for _, outcome in rows)
    failing = {n for n, outcome in rows if outcome in ("error", "suspect")}
    failed = tuple(n for n in job.treaties if n in failing)  # in the order asked for
    return Progress(
        done=min(len(rows), job.total),
        total=job.total,
        outcomes=dict(outcomes),
        failed=failed,
        finished=status is not None,
        exit_status=status,
    )
