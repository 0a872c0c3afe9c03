"""Scheduled polling with APScheduler 3.x (``treaty-tracker schedule``).

One :class:`~apscheduler.schedulers.blocking.BlockingScheduler` runs in the foreground:

* the **poll job** (id ``poll``) fires on ``TRACKER_POLL_CRON`` (UTC;
  :meth:`CronTrigger.from_crontab`) or every ``--interval`` seconds. It lives in a
  persistent SQLAlchemy job store on the tracker's own database (table
  ``apscheduler_jobs``), so a restart neither loses nor duplicates it: at start the stored
  job is kept as it is when its trigger is unchanged (so a run missed while the scheduler
  was down still happens, once: ``coalesce=True``, no misfire limit), and replaced when the
  schedule changed. ``max_instances=1``: a poll never overlaps the previous one.
* the **delivery job** (in memory, every minute) retries failed alerts and sends daily
  digests between polls.

Each poll cycle (:func:`run_cycle`): crawl in a child process with a time limit
(:func:`tracker.crawl.run_crawl_subprocess`: killed on timeout, the unfinished treaties
recorded as failed polls), then queue and deliver alerts, then check health.

**One scheduler per database** (:class:`SchedulerLock`): on PostgreSQL a session-level
advisory lock held on a dedicated connection; on SQLite an exclusive ``flock`` on the file
``<database file>.scheduler.lock`` next to it (POSIX). Both are released by the operating
system or the server when the process dies, even by SIGKILL, so a crashed scheduler never
blocks its restart. A second scheduler on the same database exits with status 3.

**Stopping**: SIGTERM or Ctrl-C stops the scheduler; a running crawl child is asked to stop
(SIGTERM to its process group: Scrapy finishes the pages in flight) and the scheduler waits
for it. Every treaty's poll is one database transaction in the child, so a poll either
completes or, if the child is killed, rolls back.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import IO, Any

from apscheduler.events import EVENT_SCHEDULER_STARTED, SchedulerEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from tracker import alerts, crawl, db, store
from tracker.config import Settings

logger = logging.getLogger(__name__)

POLL_JOB_ID = "poll"
POLL_JOB_FUNC = "tracker.scheduler:scheduled_poll"
DELIVER_JOB_ID = "deliver"
JOBS_TABLE = "apscheduler_jobs"
#: How often the delivery job runs between polls (seconds).
DELIVERY_EVERY = 60.0
#: PostgreSQL advisory lock key of the scheduler ("tracker1" as a 64-bit integer).
PG_LOCK_KEY = 0x747261636B657231
#: Exit status when another scheduler holds the lock.
EXIT_LOCKED = 3


class SchedulerLockedError(RuntimeError):
    """Another scheduler already runs on this database."""


# --------------------------------------------------------------------------------------
# triggers


def poll_trigger(*, cron: str, interval: float | None = None) -> BaseTrigger:
    """The poll schedule: every ``interval`` seconds if given, else the cron expression (UTC)."""
    if interval is not None:
        if interval <= 0:
            raise ValueError("the interval must be a positive number of seconds")
        return IntervalTrigger(seconds=interval, timezone=UTC)
    try:
        return CronTrigger.from_crontab(cron, timezone=UTC)
    except ValueError as exc:
        raise ValueError(f"TRACKER_POLL_CRON {cron!r} is not a cron expression: {exc}") from exc


def trigger_period(trigger: BaseTrigger, now: datetime, samples: int = 8) -> timedelta:
    """The longest gap between the next ``samples`` fire times of ``trigger``."""
    if isinstance(trigger, IntervalTrigger):
        interval: timedelta = trigger.interval
        return interval
    longest = timedelta(0)
    previous: datetime | None = trigger.get_next_fire_time(None, now)
    for _ in range(samples):
        if previous is None:
            break
        following: datetime | None = trigger.get_next_fire_time(
            previous, previous + timedelta(seconds=1)
        )
        if following is None:
            break
        longest = max(longest, following - previous)
        previous = following
    return longest or timedelta(days=1)


# --------------------------------------------------------------------------------------
# one scheduler per database


class SchedulerLock:
    """Exclusive right to schedule polls on one database (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._file: IO[str] | None = None
        self._connection: Connection | None = None

    def lock_path(self) -> Path:
        database = self.engine.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            raise SchedulerLockedError(
                "the scheduler needs a database file or a PostgreSQL server, not an "
                "in-memory SQLite database"
            )
        return Path(database).resolve().with_name(Path(database).name + ".scheduler.lock")

    def acquire(self) -> None:
        if self.engine.dialect.name == "postgresql":
            connection = self.engine.connect()
            got = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": PG_LOCK_KEY}
            ).scalar()
            connection.commit()
            if not got:
                connection.close()
                raise SchedulerLockedError("another scheduler is running on this database")
            self._connection = connection
            return
        path = self.lock_path()
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise SchedulerLockedError(
                f"another scheduler is running on this database (lock file {path})"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": PG_LOCK_KEY}
                )
                self._connection.commit()
            finally:
                self._connection.close()
                self._connection = None
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> SchedulerLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# --------------------------------------------------------------------------------------
# the poll cycle


@dataclass
class Runtime:
    """What the jobs of a running scheduler share."""

    database_url: str
    treaties: list[str]
    poll_timeout: float
    failure_threshold: int
    operator_urls: list[str]
    period: timedelta
    started_at: datetime
    scrapy_settings: dict[str, Any] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)
    busy: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class CycleReport:
    polls: int = 0
    queued: int = 0
    delivery: alerts.DeliveryReport | None = None
    health: alerts.HealthReport | None = None
    errors: list[str] = field(default_factory=list)


_runtime: Runtime | None = None


def make_runtime(
    settings: Settings,
    *,
    period: timedelta,
    started_at: datetime,
    scrapy_settings: Mapping[str, Any] | None = None,
) -> Runtime:
    return Runtime(
        database_url=settings.resolved_database_url,
        treaties=list(settings.treaties),
        poll_timeout=float(settings.poll_timeout_seconds),
        failure_threshold=settings.failure_threshold,
        operator_urls=[u.get_secret_value() for u in settings.operator_notify_urls],
        period=period,
        started_at=started_at,
        scrapy_settings=dict(scrapy_settings or {}),
    )


def after_poll(rt: Runtime, report: CycleReport, *, now: datetime | None = None) -> None:
    """Queue and deliver alerts, then check health (each step logged, none fatal)."""
    engine = db.make_engine(rt.database_url)
    try:
        try:
            with db.session(engine) as s:
                report.queued = alerts.enqueue(session=s, now=now)
        except Exception as exc:
            logger.exception("queueing alerts failed")
            report.errors.append(f"queueing alerts failed: {exc}")
        try:
            report.delivery = alerts.deliver_due(engine=engine, now=now)
        except Exception as exc:
            logger.exception("delivering alerts failed")
            report.errors.append(f"delivering alerts failed: {exc}")
        try:
            report.health = alerts.check_health(
                engine=engine,
                treaties=rt.treaties,
                failure_threshold=rt.failure_threshold,
                max_quiet=2 * rt.period,
                operator_urls=rt.operator_urls,
                now=now,
                watching_since=rt.started_at,
            )
        except Exception as exc:
            logger.exception("the health check failed")
            report.errors.append(f"the health check failed: {exc}")
    finally:
        engine.dispose()


def run_cycle(rt: Runtime) -> CycleReport:
    """One poll: crawl in a child process, then :func:`after_poll` (unless stopping)."""
    report = CycleReport()
    logger.info("poll of %d treaties starting", len(rt.treaties))
    try:
        polls = crawl.run_crawl_subprocess(
            rt.treaties, timeout=rt.poll_timeout, scrapy_settings=rt.scrapy_settings
        )
        report.polls = len(polls)
    except Exception as exc:
        logger.exception("the crawl could not run")
        report.errors.append(f"the crawl could not run: {exc}")
    if rt.stop.is_set():
        logger.warning("stopping: alerts are left for the next start")
        return report
    after_poll(rt, report)
    logger.info(
        "poll done: %d poll(s), %d alert(s) queued, %s",
        report.polls,
        report.queued,
        "no delivery"
        if report.delivery is None
        else f"{report.delivery.sent} sent, {report.delivery.failed} failed",
    )
    return report


def scheduled_poll() -> None:
    """The poll job (stored by reference in the job store; uses the running scheduler)."""
    rt = _runtime
    if rt is None:
        logger.error("the poll job ran outside a running scheduler; ignored")
        return
    if rt.stop.is_set():
        return
    with rt.busy:
        run_cycle(rt)


def scheduled_delivery() -> None:
    """The delivery job: retries and digests between polls (skipped while a poll runs)."""
    rt = _runtime
    if rt is None or rt.stop.is_set() or not rt.busy.acquire(blocking=False):
        return
    try:
        after_poll(rt, CycleReport())
    finally:
        rt.busy.release()


# --------------------------------------------------------------------------------------
# running


def _crawl_children() -> list[int]:
    """Process ids of this process's crawl children (Linux ``/proc``; empty elsewhere)."""
    me = os.getpid()
    found: list[int] = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid != me:
                continue
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, ValueError, IndexError):
            continue
        if b"scraper.runner" in cmdline:
            found.append(int(entry.name))
    return found


def stop_crawl_children() -> None:
    """Ask running crawl children to stop (SIGTERM to their process groups)."""
    for pid in _crawl_children():
        logger.warning("asking the crawl (pid %d) to stop", pid)
        try:
            os.killpg(pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            continue


def same_schedule(a: BaseTrigger, b: BaseTrigger) -> bool:
    """Whether two triggers fire on the same schedule (an interval trigger's start date,
    set when it was made, does not count)."""
    return (
        type(a) is type(b)
        and str(a) == str(b)
        and str(getattr(a, "timezone", None)) == str(getattr(b, "timezone", None))
    )


def ensure_poll_job(scheduler: BlockingScheduler, trigger: BaseTrigger) -> str:
    """Keep the stored poll job if its schedule is unchanged, else (re)place it.

    Returns ``"kept"``, ``"replaced"`` or ``"added"``.
    """
    job = scheduler.get_job(POLL_JOB_ID, jobstore="default")
    if job is not None and same_schedule(job.trigger, trigger) and job.func_ref == POLL_JOB_FUNC:
        logger.info("poll job kept: %s, next run %s", job.trigger, job.next_run_time)
        return "kept"
    scheduler.add_job(
        POLL_JOB_FUNC,
        trigger=trigger,
        id=POLL_JOB_ID,
        name="poll the UN Treaty Collection",
        jobstore="default",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
    )
    action = "added" if job is None else "replaced"
    logger.info("poll job %s: %s", action, trigger)
    return action


def build_scheduler(engine: Engine) -> BlockingScheduler:
    return BlockingScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE),
            "memory": MemoryJobStore(),
        },
        executors={"default": ThreadPoolExecutor(max_workers=2)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        timezone=UTC,
    )


def run(
    settings: Settings,
    *,
    interval: float | None = None,
    once: bool = False,
    catch_up: bool = False,
    scrapy_settings: Mapping[str, Any] | None = None,
) -> int:
    """Run the scheduler in the foreground until SIGTERM / Ctrl-C (or one cycle with
    ``once``). Returns the exit status (:data:`EXIT_LOCKED` if another one runs).

    With ``catch_up``, poll once right after the start when no tracked treaty has had a
    successful poll within one schedule period (e.g. a fresh install showing the snapshot)."""
    global _runtime
    trigger = poll_trigger(cron=settings.poll_cron, interval=interval)
    now = datetime.now(UTC)
    rt = make_runtime(
        settings,
        period=trigger_period(trigger, now),
        started_at=now,
        scrapy_settings=scrapy_settings,
    )
    engine = db.make_engine(rt.database_url)
    lock = SchedulerLock(engine)
    try:
        db.upgrade(engine)
        lock.acquire()
    except SchedulerLockedError as exc:
        logger.error("%s", exc)
        engine.dispose()
        return EXIT_LOCKED
    _runtime = rt
    try:
        if once:
            report = run_cycle(rt)
            return 1 if report.errors else 0
        return _run_forever(engine, rt, trigger, poll_now=catch_up and _stale(engine, rt, now))
    finally:
        _runtime = None
        lock.release()
        engine.dispose()


def _stale(engine: Engine, rt: Runtime, now: datetime) -> bool:
    """True when no tracked treaty has had a successful poll within the last period."""
    with db.session(engine) as session:
        started = [
            poll.started_at
            for mtdsg_no in rt.treaties
            if (poll := store.last_poll(session=session, mtdsg_no=mtdsg_no, successful=True))
        ]
    return not started or max(started) < now - rt.period


def _run_forever(engine: Engine, rt: Runtime, trigger: BaseTrigger, *, poll_now: bool) -> int:
    scheduler = build_scheduler(engine)
    outcome: dict[str, str] = {}

    def started(event: SchedulerEvent) -> None:
        outcome["poll_job"] = ensure_poll_job(scheduler, trigger)
        scheduler.add_job(
            scheduled_delivery,
            trigger=IntervalTrigger(
                seconds=min(DELIVERY_EVERY, rt.period.total_seconds()), timezone=UTC
            ),
            id=DELIVER_JOB_ID,
            jobstore="memory",
            replace_existing=True,
        )
        if poll_now:
            logger.info("no recent successful poll: polling now")
            scheduler.add_job(
                scheduled_poll, id="poll-at-start", jobstore="memory", replace_existing=True
            )

    def stop(signum: int, frame: FrameType | None) -> None:
        logger.info("%s received: stopping", signal.Signals(signum).name)
        rt.stop.set()
        stop_crawl_children()
        if scheduler.running:
            scheduler.shutdown(wait=False)

    scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        logger.info(
            "scheduler started (pid %d): polling %d treaties, %s",
            os.getpid(),
            len(rt.treaties),
            trigger,
        )
        scheduler.start()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if "poll_job" not in outcome:
        logger.error("the poll job could not be set up (see the log above)")
        return 1
    # Wait for a poll that is still running (its crawl child was asked to stop).
    if not rt.busy.acquire(timeout=rt.poll_timeout + 60):
        logger.error("the running poll did not finish in time; exiting anyway")
        return 1
    rt.busy.release()
    logger.info("scheduler stopped")
    return 0
