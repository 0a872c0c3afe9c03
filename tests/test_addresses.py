"""Notification addresses: plain e-mail addresses sent through the operator's mail server
(TRACKER_SMTP_URL), apprise URLs for other channels, the check made when a watch is saved,
and the test message. Delivery goes to a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.helpers_mail import PASSWORD, smtp_server, text_of
from tests.helpers_webhook import Webhook
from tests.test_alerts import add_event
from tracker import alerts, notify, queries
from tracker.config import Settings, get_settings
from tracker.models import Watch

ADDRESS = "officer@ecpat.be"


@pytest.fixture(autouse=True)
def no_settings_from_outside(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No mail server, admin password or secrets folder unless a test sets one."""
    for name in ("TRACKER_SMTP_URL", "TRACKER_ADMIN_PASSWORD", "TRACKER_SECRETS_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def product_logs(caplog: pytest.LogCaptureFixture) -> str:
    """What the tracker and apprise logged (not the test SMTP server's own log)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail."))


def use_smtp(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("TRACKER_SMTP_URL", url)
    get_settings.cache_clear()


# --- the check made when an address is saved ---------------------------------------------------


def test_plain_address_without_a_mail_server_is_refused() -> None:
    with pytest.raises(notify.AddressError) as failure:
        notify.check_address(ADDRESS)
    assert failure.value.reason == "no_smtp"
    message = str(failure.value)
    assert message.startswith("…@ecpat.be is an e-mail address, but no mail server is set up")
    assert "TRACKER_SMTP_URL" in message and "officer" not in message


@pytest.mark.parametrize(
    ("address", "reason", "words"),
    [
        ("", "empty", "give an e-mail address"),
        ("slack://nonsense", "apprise", "An invalid Slack (second) Token (None) was specified"),
        ("nonsense://user:pw-1234@host", "apprise", "nonsense:// is not a service apprise knows"),
        ("mailtos://smtp.example.org", "apprise", "Invalid ~From~ email specified"),
        ("officer at ecpat", "not_address", "neither an e-mail address"),
        ("officer@ecpat", "not_address", "neither an e-mail address"),
        ("a@ecpat.be, b@ecpat.be", "several", "one e-mail address per watch"),
    ],
)
def test_addresses_that_can_never_deliver_are_refused(
    address: str, reason: str, words: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(notify.AddressError) as failure:
        notify.check_address(address)
    assert failure.value.reason == reason
    assert words in str(failure.value)
    assert "pw-1234" not in str(failure.value) and "pw-1234" not in caplog.text
    # a check's answer is not an incident: apprise's complaints are not logged as well
    assert not [r for r in caplog.records if r.name == "apprise" and r.levelno >= logging.WARNING]


def test_accepted_addresses_are_stored_as_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert notify.check_address(" json://hooks.example.org/alerts ") == (
        "json://hooks.example.org/alerts"
    )
    use_smtp(monkeypatch, "mailtos://user:pw@smtp.example.org?from=alerts@example.org")
    assert notify.check_address(ADDRESS) == ADDRESS
    assert notify.check_address("mailto:Officer@ecpat.be") == "Officer@ecpat.be"


@pytest.mark.parametrize(
    ("server", "words"),
    [
        ("smtp://user:pw-1234@smtp.example.org:587", "it must start with mailto:// or mailtos://"),
        ("mailto://127.0.0.1:2525", "Invalid ~From~ email specified"),
    ],
)
def test_an_unusable_mail_server_setting_is_named(
    server: str, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_smtp(monkeypatch, server)
    with pytest.raises(notify.AddressError) as failure:
        notify.check_address(ADDRESS)
    assert failure.value.reason == "smtp_unusable"
    assert "TRACKER_SMTP_URL cannot send to …@ecpat.be" in str(failure.value)
    assert words in str(failure.value) and "pw-1234" not in str(failure.value)


def test_watches_are_checked_when_saved(sqlite_session: Session) -> None:
    with pytest.raises(alerts.WatchError, match="no mail server is set up"):
        alerts.add_watch(session=sqlite_session, label="x", notify_url=ADDRESS, country_code="BEL")
    with pytest.raises(notify.AddressError, match="An invalid Slack"):
        queries.add_watch(
            session=sqlite_session,
            watch=queries.WatchInput(label="x", notify_url="slack://nonsense"),
        )
    sqlite_session.rollback()
    assert sqlite_session.exec(select(Watch)).all() == []


# --- masking --------------------------------------------------------------------------------------


def test_plain_addresses_are_masked_everywhere() -> None:
    assert notify.mask_url(ADDRESS) == "…@ecpat.be"
    assert queries.mask_url(ADDRESS) == "••••@ecpat.be"
    secrets = notify.secrets_of(ADDRESS)
    assert "officer" not in notify.scrub(f"Sent to {ADDRESS} (officer)", secrets)


# --- delivery through the operator's mail server -------------------------------------------------


def test_plain_address_watch_is_delivered_by_smtp(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with smtp_server() as box:
        use_smtp(monkeypatch, box.server_url)
        with Session(sqlite_engine) as s:
            watch = alerts.add_watch(
                session=s, label="Belgium desk", notify_url=ADDRESS, country_code="BEL"
            )
            s.commit()
            assert watch.notify_url == ADDRESS  # the mail server's login is not copied in
            add_event(s, observed_at=datetime.now(UTC))
            assert alerts.enqueue(session=s) == 1
        report = alerts.deliver_due(engine=sqlite_engine)
    assert (report.sent, report.failed) == (1, 0), report.errors
    [message] = box.messages
    assert box.recipients == [[ADDRESS]] and message["To"] == ADDRESS
    assert "tracker@example.org" in message["From"]
    assert "Belgium ratified the Optional Protocol" in text_of(message)
    assert box.logins == ["officer"]
    logged = product_logs(caplog)
    assert "delivered 'Treaty tracker: Belgium, ratification (IV-11-d)' to …@ecpat.be" in logged
    assert PASSWORD not in logged and ADDRESS not in logged


def test_test_message_reaches_the_address_or_says_why_not(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with smtp_server() as box:
        use_smtp(monkeypatch, box.server_url)
        notify.send_test(ADDRESS, label="Belgium <desk>", language="fr")
    [message] = box.messages
    assert message["Subject"] == "Veille des traités : message d'essai"
    assert (
        "Ceci est un message d'essai de treaty-tracker pour la veille « Belgium &lt;desk&gt; »"
        in (text_of(message))
    )
    # the server is gone now: a plain reason, the address masked
    with pytest.raises(notify.DeliveryError) as failure:
        notify.send_test(ADDRESS, label="Belgium desk")
    assert str(failure.value).startswith("delivery to …@ecpat.be failed: Connection error")
    assert ADDRESS not in product_logs(caplog) and PASSWORD not in product_logs(caplog)
    monkeypatch.delenv("TRACKER_SMTP_URL")
    get_settings.cache_clear()
    with pytest.raises(notify.DeliveryError, match="no mail server is set up"):
        notify.send_test(ADDRESS, label="Belgium desk")


def test_operator_health_alerts_may_go_to_a_plain_address(monkeypatch: pytest.MonkeyPatch) -> None:
    with smtp_server() as box:
        use_smtp(monkeypatch, box.server_url)
        notify.send("ops@ecpat.be", title="Treaty tracker health", body="stale", fmt="text")
    assert box.recipients == [["ops@ecpat.be"]]


def test_links_for_other_channels_still_work() -> None:
    hook = Webhook().start()
    try:
        address = notify.check_address(hook.url)
        notify.send_test(address, label="Belgium desk")
    finally:
        hook.stop()
    assert hook.messages()[0]["title"] == "Treaty tracker: test message"


# --- settings -------------------------------------------------------------------------------------


def test_mail_server_and_admin_password_from_secret_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "tracker_smtp_url").write_text("mailtos://u:p@smtp.example.org?from=a@b.org\n")
    (secrets / "tracker_admin_password").write_text("from-the-secrets-dir\n")
    monkeypatch.setenv("TRACKER_SECRETS_DIR", str(secrets))
    get_settings.cache_clear()
    settings = get_settings()
    assert settings.smtp_url is not None
    assert settings.smtp_url.get_secret_value() == "mailtos://u:p@smtp.example.org?from=a@b.org"
    assert settings.admin_password is not None
    assert settings.admin_password.get_secret_value() == "from-the-secrets-dir"
    assert "u:p" not in repr(settings)


def test_admin_password_falls_back_to_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert Settings(data_dir=data).admin_password is None  # type: ignore[call-arg]
    (data / "secrets").mkdir(parents=True)
    (data / "secrets" / "tracker_admin_password").write_text("generated-one\n")
    settings = Settings(data_dir=data)  # type: ignore[call-arg]
    assert settings.admin_password is not None
    assert settings.admin_password.get_secret_value() == "generated-one"
    os.environ["TRACKER_ADMIN_PASSWORD"] = "chosen-one"  # the operator's choice wins
    try:
        chosen = Settings(data_dir=data).admin_password  # type: ignore[call-arg]
    finally:
        del os.environ["TRACKER_ADMIN_PASSWORD"]
    assert chosen is not None and chosen.get_secret_value() == "chosen-one"
