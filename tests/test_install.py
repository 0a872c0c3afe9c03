"""A non-editable install runs (issue 13 item 8): ``pip install .`` of a copy of the project
into a folder of its own, then, from another folder, the app, its views and Streamlit
settings, the migrations and the bundled snapshot are all found inside the installed package
(importlib.resources), never in the source tree; ``treaty-tracker run``'s set-up step
migrates a fresh SQLite file and loads the snapshot; and ``treaty-tracker run`` serves the
app until it is stopped.

The dependencies come from the project's .venv (``--no-deps``); only the project itself is
built and installed (``--no-build-isolation``: setuptools from the .venv, no network).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: What a copy of the project leaves out (the checkout's own environment and outputs).
LEFT_OUT = (".git", ".venv", ".venv-lock", "test-artifacts", "build", "*.egg-info",
            ".pytest_cache", ".mypy_cache", ".ruff_cache", "__pycache__", "tracker.db*",
            "archive", "jobs.db*", "secrets")  # fmt: skip

PROBE = r"""
import json, sys
from pathlib import Path
import tracker, webapp
from tracker import db, snapshot
from tracker.commands.run import app_command, app_file, prepare_database
from tracker.config import get_settings
app = app_file()
reports = prepare_database()
from sqlmodel import select
from tracker.models import Treaty
engine = db.make_engine(get_settings().resolved_database_url)
with db.session(engine) as s:
    stored = sorted(t.mtdsg_no for t in s.exec(select(Treaty)).all())
engine.dispose()
print(json.dumps({
    "tracker": tracker.__file__, "webapp": webapp.__file__, "app": str(app),
    "command": app_command(8501),
    "views": sorted(p.name for p in (app.parent / "views").glob("*.py")),
    "config": (app.parent / ".streamlit" / "config.toml").read_text(),
    "migrations": str(db.MIGRATIONS_DIR),
    "versions": len(list((db.MIGRATIONS_DIR / "versions").glob("*.py"))),
    "snapshot": str(snapshot.SNAPSHOT_DIR), "pages": len(snapshot.pages()),
    "loaded": [r.outcome for r in reports], "stored": stored,
}))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built and installed, not editable, into a folder of its own."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*LEFT_OUT))
    target = work / "site"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--no-build-isolation", "--no-index", "--target", str(target), str(source)],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return target


def environment(site: Path, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        PYTHONPATH=str(site),
        TRACKER_DATA_DIR=str(data),
        TRACKER_DATABASE_URL=f"sqlite:///{data / 'tracker.db'}",
        TRACKER_ADMIN_PASSWORD="",
    )
    return env


def test_the_installed_package_finds_its_app_views_migrations_and_snapshot(
    installed: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=elsewhere, env=environment(installed, tmp_path / "data"),
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    for key in ("tracker", "webapp", "app", "migrations", "snapshot"):
        assert Path(found[key]).is_relative_to(installed), (key, found[key])
        assert not Path(found[key]).is_relative_to(ROOT), (key, found[key])
    assert found["command"][3:5] == ["run", found["app"]]  # streamlit run <the installed app>
    assert found["views"] == [
        "__init__.py",
        "alerts.py",
        "country.py",
        "health.py",
        "treaty.py",
        "watchlists.py",
    ]
    assert 'toolbarMode = "viewer"' in found["config"]
    assert found["versions"] >= 5
    assert found["pages"] == 6
    assert found["loaded"] == ["new"] * 6  # migrated and loaded on a fresh SQLite file
    assert found["stored"] == ["IV-11", "IV-11-a", "IV-11-b", "IV-11-c", "IV-11-d", "IV-15"]
    assert not (installed / "tracker" / "bundled_snapshot" / "derive.py").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_treaty_tracker_run_serves_the_installed_app(installed: Path, tmp_path: Path) -> None:
    """``treaty-tracker run`` (as ``python -m tracker.cli``, the installed package) from
    another folder: it loads the snapshot, starts Streamlit on the installed app and answers
    on its port; stopped with SIGTERM, it stops the app too."""
    port = _free_port()
    log = (tmp_path / "run.log").open("w")
    child = subprocess.Popen(
        [sys.executable, "-m", "tracker.cli", "run", "--no-scheduler", "--port", str(port)],
        cwd=tmp_path, env=environment(installed, tmp_path / "data"),
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120  # a hang guard, not a speed check
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                pass
            assert child.poll() is None, (tmp_path / "run.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "run.log").read_text()
            time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert page.status == 200
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        log.close()
    output = (tmp_path / "run.log").read_text()
    assert "Loaded the bundled snapshot (as published on 14 Mar 2015)" in output
    assert f"The app runs at http://127.0.0.1:{port}" in output
    with pytest.raises(OSError):  # nothing left listening
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
