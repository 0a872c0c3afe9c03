"""apprise delivery, URL masking and the wording of alert messages."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest

from tests.helpers_mail import PASSWORD, smtp_server, text_of
from tests.helpers_webhook import Webhook
from tracker import notify
from tracker.domain import Change, ChangeKind, ConsentKind

URL = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-11-d&chapter=4"
TITLE = (
    "Optional Protocol to the Convention on the Rights of the Child on a communications procedure"
)


def belgium(observed: datetime = datetime(2014, 6, 2, tzinfo=UTC)) -> notify.EventContext:
    change = Change(
        kind=ChangeKind.CONSENT,
        mtdsg_no="IV-11-d",
        participant_code="BEL",
        participant_name="Belgium",
        old_value=None,
        new_value="2014-05-30",
        effective_date=date(2014, 5, 30),
        observed_at=observed,
        source_url=URL,
        consent_kind=ConsentKind.RATIFICATION,
    )
    return notify.EventContext(change=change, treaty_title=TITLE, in_force_date=date(2014, 8, 30))


@pytest.mark.parametrize(
    ("url", "shown", "secrets"),
    [
        (
            "json://user:pw-Secret1@127.0.0.1:8080/hook?token=abcdef",
            "json://127.0.0.1:8080/…",
            ["pw-Secret1", "abcdef", "user"],
        ),
        (
            "mailtos://me:hunter22@example.org?to=a@example.org",
            "mailtos://example.org/…",
            ["hunter22", "me:"],
        ),
        ("tgram://123456789:AAHsecrettoken/12345", "tgram://1...n/…", ["AAHsecrettoken"]),
        ("discord://1234/webhooktoken", "discord://1...4/…", ["webhooktoken"]),
        ("ntfy://secret-topic", "ntfy://…", ["secret-topic"]),
        ("json://example.org", "json://example.org", []),
        ("nonsense://what:ever@x/y", "nonsense://…", ["ever"]),
    ],
)
def test_mask_url_shows_scheme_and_host_only(url: str, shown: str, secrets: list[str]) -> None:
    masked = notify.mask_url(url)
    assert masked == shown
    for secret in secrets:
        assert secret not in masked


def test_scrub_removes_every_secret_part() -> None:
    url = "json://user:pw%2Fx@127.0.0.1:8080/tok-123?key=k-456"
    text = f"failed for {url} at 127.0.0.1 (password pw/x, token tok-123, key k-456)"
    scrubbed = notify.scrub(text, notify.secrets_of(url))
    for secret in ("pw/x", "pw%2Fx", "tok-123", "k-456", url):
        assert secret not in scrubbed
    assert "127.0.0.1" in scrubbed


def test_sentence_english_and_french() -> None:
    assert notify.sentence(belgium()) == (
        f"Belgium ratified the {TITLE} (IV-11-d) on 30 May 2014; it enters into force for "
        "Belgium on 30 August 2014."
    )
    later = belgium(observed=datetime(2015, 1, 1, tzinfo=UTC))
    assert notify.sentence(later).endswith("it entered into force for Belgium on 30 August 2014.")
    assert notify.event_message(belgium(), language="fr").endswith(
        "; entrée en vigueur à son égard le 30 août 2014. Source : " + URL
    )


def test_html_message_escapes_scraped_text() -> None:
    ctx = belgium()
    evil = notify.EventContext(
        change=Change(
            **{
                **{f: getattr(ctx.change, f) for f in ctx.change.__slots__},
                "participant_name": "<script>alert(1)</script>",
            }
        ),
        treaty_title="A & B <i>",
        in_force_date=None,
    )
    body = notify.event_message(evil, fmt="html")
    assert "<script>" not in body and "<i>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "A &amp; B &lt;i&gt;" in body
    assert 'href="' + URL.replace("&", "&amp;") + '"' in body


def test_send_to_local_webhook_and_logs_keep_the_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    hook = Webhook().start()
    url = f"json://watcher:{PASSWORD}@127.0.0.1:{hook.port}/hook"
    try:
        notify.send(url, title="Treaty tracker: test", body="Belgium ratified.")
    finally:
        hook.stop()
    assert hook.messages()[0]["title"] == "Treaty tracker: test"
    assert hook.messages()[0]["message"] == "Belgium ratified."
    with pytest.raises(notify.DeliveryError) as failure:  # the endpoint is down now
        notify.send(url, title="again", body="x")
    assert PASSWORD not in str(failure.value)
    assert "json://127.0.0.1:" in str(failure.value)
    assert "delivered" in caplog.text and "Connection error" in caplog.text
    assert PASSWORD not in caplog.text


def test_send_by_plain_local_smtp(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with smtp_server() as box:
        url = box.url(to="officer@example.org")
        assert notify.body_format(url) == "html"
        notify.send(
            url,
            title="Treaty tracker: Belgium",
            body=notify.event_message(belgium(), fmt="html"),
            fmt="html",
        )
    [message] = box.messages
    assert message["Subject"] == "Treaty tracker: Belgium"
    assert message["To"] == "officer@example.org"
    assert (
        message["From"].endswith("<tracker@example.org>")
        or "tracker@example.org" in message["From"]
    )
    assert "Belgium ratified the Optional Protocol" in text_of(message)
    assert "30 August 2014" in text_of(message)
    assert PASSWORD not in caplog.text


def test_unusable_url_is_a_clear_error() -> None:
    with pytest.raises(notify.DeliveryError, match=r"not a usable apprise URL: nonsense://…"):
        notify.send("nonsense://user:pw@host", title="t", body="b")
