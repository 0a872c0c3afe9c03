"""``treaty-tracker run`` (``make run``) offers the admin password: created on the first start
when none is set, kept in the data folder readable only by its owner, printed once."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from tracker.commands.run import admin_password_notice, email_notice
from tracker.config import Settings


@pytest.fixture(autouse=True)
def no_outside_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TRACKER_ADMIN_PASSWORD", "TRACKER_SECRETS_DIR", "TRACKER_SMTP_URL"):
        monkeypatch.delenv(name, raising=False)


def settings(data: Path) -> Settings:
    return Settings(data_dir=data)  # type: ignore[call-arg]


def test_first_start_creates_the_password_and_prints_it_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = admin_password_notice(settings(data))
    found = re.search(r"Created an admin password for changes in the app .*: (\S+)\n", first)
    assert found, first
    password = found.group(1)
    assert len(password) >= 16
    path = data / "secrets" / "tracker_admin_password"
    assert f"It is stored in {path} (readable only by you)" in first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # the app (a fresh process reading the settings) now asks for exactly this password
    secret = settings(data).admin_password
    assert secret is not None and secret.get_secret_value() == password
    later = admin_password_notice(settings(data))
    assert password not in later
    assert later == f"Admin password for changes in the app (watches, poll now): in {path}"
    assert path.read_text().strip() == password  # not replaced


def test_an_operator_password_is_used_and_nothing_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_ADMIN_PASSWORD", "chosen-by-the-operator")
    notice = admin_password_notice(settings(tmp_path))
    assert notice.endswith("the one set in TRACKER_ADMIN_PASSWORD.")
    assert "chosen-by-the-operator" not in notice
    assert not (tmp_path / "secrets").exists()
    monkeypatch.setenv("TRACKER_ADMIN_PASSWORD", "")
    assert "switched off" in admin_password_notice(settings(tmp_path))
    assert not (tmp_path / "secrets").exists()


def test_email_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert email_notice(settings(tmp_path)).startswith("E-mail alerts: off until a mail server")
    monkeypatch.setenv("TRACKER_SMTP_URL", "mailtos://u:p@smtp.example.org?from=a@b.org")
    notice = email_notice(settings(tmp_path))
    assert notice == "E-mail alerts: on (mail server set in TRACKER_SMTP_URL)."
