"""The ``watch``, ``alerts``, ``feed`` and ``schedule`` commands, run through the CLI."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy.engine import Engine

from tests.helpers_webhook import Webhook
from tests.test_alerts import add_event
from tracker import cli, db

SECRET = "tok-9f8e7d6c5b4a"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_watch_add_list_remove_masks_the_secret(
    sqlite_engine: Engine, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    url = sqlite_engine.url.render_as_string(hide_password=False)
    notify = f"json://bot:{SECRET}@hooks.example.org/alerts/{SECRET}"
    status, out, _ = run(
        capsys, "watch", "--database-url", url, "add", "--country", "Belgique",
        "--treaty", "IV-11-d", "--kinds", "consent,signature", "--notify", notify,
        "--digest", "--lang", "fr", "--label", "Belgium OPIC",
    )  # fmt: skip
    assert status == 0
    assert "watch 1 added" in out and "country BEL on treaty IV-11-d" in out
    assert "consent,signature, daily digest in fr to json://hooks.example.org/…" in out
    status, out, _ = run(capsys, "watch", "--database-url", url, "list")
    assert status == 0 and out.startswith("1\t'Belgium OPIC'")
    assert SECRET not in out and SECRET not in caplog.text

    status, _, err = run(
        capsys, "watch", "--database-url", url, "add", "--country", "Atlantis",
        "--notify", notify, "--label", "x",
    )  # fmt: skip
    assert status == 2 and "no participant called 'Atlantis'" in err
    status, _, err = run(
        capsys, "watch", "--database-url", url, "add", "--treaty", "IV-11", "--kinds",
        "ratified", "--notify", notify, "--label", "x",
    )  # fmt: skip
    assert status == 2 and "unknown event kind(s) ratified" in err
    status, _, err = run(
        capsys, "watch", "--database-url", url, "add", "--notify", notify, "--label", "x"
    )
    assert status == 2 and "needs a country" in err

    assert run(capsys, "watch", "--database-url", url, "remove", "1")[0] == 0
    assert run(capsys, "watch", "--database-url", url, "list")[1] == "no watches\n"
    assert run(capsys, "watch", "--database-url", url, "remove", "1")[0] == 1


def test_alerts_deliver_list_and_feed(
    sqlite_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sqlite_engine.url.render_as_string(hide_password=False)
    hook = Webhook()
    notify = f"json://user:{SECRET}@127.0.0.1:{hook.port}/hook"
    assert run(
        capsys, "watch", "--database-url", url, "add", "--country", "BEL", "--notify", notify,
        "--label", "Belgium",
    )[0] == 0  # fmt: skip
    with db.session(sqlite_engine) as s:
        add_event(s, observed_at=datetime.now(UTC))

    status, out, _ = run(capsys, "alerts", "--database-url", url, "deliver")
    assert status == 1 and "1 alert(s) queued; 0 sent in 0 message(s); 1 failed" in out
    status, out, _ = run(capsys, "alerts", "--database-url", url, "list")
    assert "failed\twatch 1 (Belgium)\tevent 1 consent BEL IV-11-d\tattempts 1\tnext try" in out
    assert "json://127.0.0.1:" in out and SECRET not in out
    assert run(capsys, "alerts", "--database-url", url, "retry")[1] == (
        "1 failed alert(s) queued again\n"
    )
    hook.start()
    try:
        status, out, _ = run(capsys, "alerts", "--database-url", url, "deliver")
    finally:
        hook.stop()
    assert status == 0 and "0 alert(s) queued; 1 sent in 1 message(s); 0 failed" in out
    assert len(hook.messages()) == 1
    out = run(capsys, "alerts", "--database-url", url, "list", "--status", "sent")[1]
    assert "sent\twatch 1 (Belgium)" in out and "attempts 2" in out

    target = tmp_path / "feed.xml"
    assert (
        run(capsys, "feed", "--database-url", url, "--output", str(target), "--watch", "1")[0] == 0
    )
    root = etree.parse(str(target)).getroot()
    assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == 1
    status, _, err = run(capsys, "feed", "--database-url", url, "--output", "-", "--watch", "7")
    assert status == 1 and "no watch with id 7" in err


def test_watch_by_plain_email_add_test_and_refusals(
    sqlite_engine: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers_mail import smtp_server
    from tracker.config import get_settings

    url = sqlite_engine.url.render_as_string(hide_password=False)
    watch = ("watch", "--database-url", url)
    monkeypatch.delenv("TRACKER_SMTP_URL", raising=False)
    get_settings.cache_clear()
    # nothing is saved that could never deliver, and the reason is plain
    status, _, err = run(
        capsys, *watch, "add", "--country", "BEL", "--notify", "officer@ecpat.be", "--label", "x"
    )
    assert status == 2
    assert err.startswith("error: …@ecpat.be is an e-mail address, but no mail server is set up")
    assert "officer@" not in err
    status, _, err = run(
        capsys, *watch, "add", "--country", "BEL", "--notify", "slack://nonsense", "--label", "x"
    )
    assert status == 2 and "error: apprise cannot send to slack://…: An invalid Slack" in err
    assert run(capsys, *watch, "list")[1] == "no watches\n"

    with smtp_server() as box:
        monkeypatch.setenv("TRACKER_SMTP_URL", box.server_url)
        get_settings.cache_clear()
        status, out, _ = run(
            capsys, *watch, "add", "--country", "BEL", "--notify", "officer@ecpat.be",
            "--label", "Belgium desk", "--lang", "fr",
        )  # fmt: skip
        assert status == 0
        assert "to …@ecpat.be" in out and "treaty-tracker watch test 1" in out
        status, out, err = run(capsys, *watch, "test", "1")
        assert (status, err) == (0, "")
        assert out == "test message sent to …@ecpat.be (watch 1, 'Belgium desk')\n"
    [message] = box.messages
    assert box.recipients == [["officer@ecpat.be"]]
    assert message["Subject"] == "Veille des traités : message d'essai"
    # the mail server is down now: exit status 1 and the reason, nothing else on stderr
    status, out, err = run(capsys, *watch, "test", "1")
    assert status == 1 and out == ""
    assert err == (
        "error: the test message was not sent: delivery to …@ecpat.be failed: "
        'Connection error while submitting email to "127.0.0.1"\n'
    )
    assert run(capsys, *watch, "test", "7")[2] == "error: no watch with id 7\n"
    get_settings.cache_clear()
