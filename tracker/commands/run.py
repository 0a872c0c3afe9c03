"""``treaty-tracker run`` (``make run``): database, snapshot, scheduler and app together."""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from importlib.resources import files
from pathlib import Path

from tracker import db, snapshot
from tracker.commands import open_engine
from tracker.config import Settings, get_settings
from tracker.service import PollReport

logger = logging.getLogger(__name__)


#: The package that holds the app (``webapp``, installed with ``tracker``). It is found by
#: name, not imported: the app depends on ``tracker``, never the other way round.
APP_PACKAGE = "webapp"


def app_file() -> Path:
    """The app's entry script, shipped inside the installed package (``webapp/app.py``),
    found through :mod:`importlib.resources` wherever the project is installed. Streamlit
    reads the ``.streamlit/config.toml`` beside it (no "Deploy" button, no developer menu)
    wherever ``treaty-tracker run`` is started from."""
    resource = files(APP_PACKAGE).joinpath("app.py")
    if not isinstance(resource, Path) or not resource.is_file():
        raise FileNotFoundError(f"the app's entry script is missing: {resource}")
    return resource


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
            "stored data. On the first start without an admin password (TRACKER_ADMIN_PASSWORD), "
            "one is created, stored in DATA_DIR/secrets/tracker_admin_password (readable only "
            "by you) and printed once: with it, officers manage their watches in the app."
        ),
    )
    p.add_argument("--port", type=int, default=None, help="app port (default: TRACKER_APP_PORT)")
    p.add_argument(
        "--no-scheduler", action="store_true", help="start the app only, without the scheduler"
    )
    p.set_defaults(func=run)


def app_command(port: int) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(app_file()),
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


def admin_password_notice(settings: Settings) -> str:
    """Create the admin password on the first start when none is set anywhere; return the
    lines to print about it (the password itself only when it was just created)."""
    secret = settings.admin_password
    path = settings.admin_password_file
    if secret is not None:
        value = secret.get_secret_value()
        if not value:
            return (
                "Changes in the app (watches, poll now, mark as read) are switched off: "
                "TRACKER_ADMIN_PASSWORD is empty."
            )
        if path.is_file() and path.read_text(encoding="utf-8").strip() == value:
            return f"Admin password for changes in the app (watches, poll now): in {path}"
        return "Admin password for changes in the app: the one set in TRACKER_ADMIN_PASSWORD."
    password = secrets.token_urlsafe(12)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(password + "\n")
    return (
        f"Created an admin password for changes in the app (watches, poll now): {password}\n"
        f"It is stored in {path} (readable only by you) and is not shown again. "
        "Type it in the app's sidebar. To choose your own, set TRACKER_ADMIN_PASSWORD "
        "(or replace the file); to offer no changes, set TRACKER_ADMIN_PASSWORD to empty."
    )


def email_notice(settings: Settings) -> str:
    if settings.smtp_url is not None:
        return "E-mail alerts: on (mail server set in TRACKER_SMTP_URL)."
    return (
        "E-mail alerts: off until a mail server is set in TRACKER_SMTP_URL (see the README); "
        "watches can use links for Slack, Teams, Matrix, ntfy ... meanwhile."
    )


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


def prepare_database() -> list[PollReport]:
    """The set-up step of ``run``: create or upgrade the database and load the bundled
    snapshot when it is empty (the migrations and the snapshot come from the installed
    package). Returns the snapshot's poll reports (empty when nothing was loaded)."""
    engine = open_engine()
    try:
        db.upgrade(engine)
        return snapshot.load_if_empty(engine)
    except snapshot.SnapshotError as exc:
        print(f"warning: the bundled snapshot was not loaded: {exc}", file=sys.stderr)
        return []
    finally:
        engine.dispose()


def run(args: argparse.Namespace) -> int:
    settings = get_settings()
    port = args.port or settings.app_port
    loaded = prepare_database()
    if loaded:
        print(
            "Loaded the bundled snapshot (as published on 14 Mar 2015): "
            + ", ".join(f"{r.mtdsg_no} {r.outcome}" for r in loaded)
        )
    try:
        print(admin_password_notice(settings))
    except OSError as exc:
        print(f"warning: no admin password was created: {exc}", file=sys.stderr)
    print(email_notice(settings), flush=True)
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
