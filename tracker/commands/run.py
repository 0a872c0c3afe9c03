"""``treaty-tracker run`` (``make run``): database, snapshot, scheduler and app together."""

from __future__ import annotations

import argparse
import logging
import signal
import subprocess
import sys
import time
from pathlib import Path

from tracker import db, snapshot
from tracker.commands import open_engine
from tracker.config import get_settings

logger = logging.getLogger(__name__)

APP = Path(__file__).resolve().parents[2] / "app.py"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "run",
        help="run everything: migrate the database, load the snapshot if empty, start the "
        "scheduler and the app",
        description=(
            "Create or upgrade the database, load the bundled snapshot (pages as published "
            "on 14 March 2015) when the database is empty, start the scheduler "
            "(`treaty-tracker schedule`) as a child process and the app (Streamlit, headless, "
            "on 127.0.0.1 and TRACKER_APP_PORT), and print the app's address. Ctrl-C stops "
            "both. Offline, polls fail visibly in the Health view and the app still shows the "
            "stored data."
        ),
    )
    p.add_argument("--port", type=int, default=None, help="app port (default: TRACKER_APP_PORT)")
    p.add_argument(
        "--no-scheduler", action="store_true", help="start the app only, without the scheduler"
    )
    p.set_defaults(func=run)


def app_command(port: int) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


def _stop(child: subprocess.Popen[bytes], name: str) -> None:
    if child.poll() is not None:
        return
    logger.info("stopping the %s (pid %d)", name, child.pid)
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=30)
    except subprocess.TimeoutExpired:
        logger.warning("the %s did not stop in 30 s; killing it", name)
        child.kill()
        child.wait()


def run(args: argparse.Namespace) -> int:
    settings = get_settings()
    port = args.port or settings.app_port
    engine = open_engine()
    try:
        db.upgrade(engine)
        loaded = snapshot.load_if_empty(engine)
    except snapshot.SnapshotError as exc:
        print(f"warning: the bundled snapshot was not loaded: {exc}", file=sys.stderr)
        loaded = []
    finally:
        engine.dispose()
    if loaded:
        print(
            "Loaded the bundled snapshot (as published on 14 Mar 2015): "
            + ", ".join(f"{r.mtdsg_no} {r.outcome}" for r in loaded)
        )
    children: list[tuple[str, subprocess.Popen[bytes]]] = []

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        if not args.no_scheduler:
            scheduler = subprocess.Popen(
                [sys.executable, "-m", "tracker.cli", "schedule", "--catch-up"]
            )
            children.append(("scheduler", scheduler))
        app = subprocess.Popen(app_command(port))
        children.append(("app", app))
        print(f"The app runs at http://127.0.0.1:{port} (Ctrl-C stops it).", flush=True)
        while True:
            code = app.poll()
            if code is not None:
                print(f"The app stopped (exit status {code}).", file=sys.stderr)
                return code or 0
            for name, child in children:
                if name == "scheduler" and child.poll() is not None:
                    print(
                        f"warning: the scheduler stopped (exit status {child.returncode}); "
                        "the app keeps running without scheduled polls.",
                        file=sys.stderr,
                    )
                    children.remove((name, child))
                    break
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("Stopping.", file=sys.stderr)
        return 0
    finally:
        for name, child in reversed(children):
            _stop(child, name)
        signal.signal(signal.SIGTERM, previous)
