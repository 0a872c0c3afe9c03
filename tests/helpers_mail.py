"""A local SMTP server (aiosmtpd) without TLS that accepts one user and keeps the messages."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.helpers_webhook import free_port

USER = "officer"
PASSWORD = "s3cret-Pa55word"


@dataclass
class Mailbox:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    #: the envelope recipients of each message (who the server was asked to deliver to)
    recipients: list[list[str]] = field(default_factory=list)

    @property
    def server_url(self) -> str:
        """The mail server as an operator sets it (``TRACKER_SMTP_URL``): no recipient."""
        return f"mailto://{USER}:{PASSWORD}@127.0.0.1:{self.port}?from=tracker@example.org"

    def url(self, *, to: str = "watcher@example.org") -> str:
        """The apprise URL: plain SMTP (``mailto://``, no TLS) with a login."""
        return f"mailto://{USER}:{PASSWORD}@127.0.0.1:{self.port}?from=tracker@example.org&to={to}"


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.box.messages.append(message)
        self.box.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    box = Mailbox(port=free_port())

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == USER
            and auth_data.password.decode() == PASSWORD
        )
        if ok:
            box.logins.append(USER)
        return AuthResult(success=ok)

    controller = Controller(
        _Handler(box),
        hostname="127.0.0.1",
        port=box.port,
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def text_of(message: EmailMessage) -> str:
    """The plain or HTML body of a message, whichever it has (HTML preferred)."""
    part = message.get_body(preferencelist=("html", "plain"))
    assert part is not None
    return str(part.get_content())
