"""Alert delivery through apprise, and the alert messages themselves.

* :func:`mask_url` shows an apprise URL as ``scheme://host`` only (the host as apprise's
  privacy mode writes it, so a bot token used as a "host" is masked too). Every place that
  shows or logs a notification URL uses it: the URLs carry passwords and tokens.
* :func:`send` delivers one message to one apprise URL and raises :class:`DeliveryError`
  unless apprise confirms it. While it runs, every apprise log record has the URL's secret
  parts replaced by ``****`` (see :func:`scrub`).
* :func:`event_message` / :func:`digest_message` write messages for a person, in English
  or French, from stored change events (:class:`EventContext`). Scraped text (names,
  titles, addresses) is HTML-escaped when the target's format is HTML (e-mail).
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qsl, unquote, urlsplit

import apprise

from tracker.changes import consent_noun, describe, format_date
from tracker.domain import Change, ChangeKind

logger = logging.getLogger(__name__)

MASK = "****"
#: URL parts shorter than this are not treated as secrets (ports, "json", "to" ...).
_MIN_SECRET_LEN = 3

LANGUAGES = ("en", "fr")


class DeliveryError(RuntimeError):
    """apprise did not confirm the delivery. The message never contains the URL's secrets."""


# --------------------------------------------------------------------------------------
# masking


def _quiet_instantiate(url: str) -> apprise.plugins.NotifyBase | None:
    """The apprise plugin for ``url`` (None if unusable), without apprise logging the URL."""
    apprise_logger = logging.getLogger("apprise")
    previous = apprise_logger.disabled
    apprise_logger.disabled = True
    try:
        return apprise.Apprise.instantiate(url)
    except Exception:  # a malformed URL must never break masking
        return None
    finally:
        apprise_logger.disabled = previous


def _looks_like_host(host: str) -> bool:
    """A dotted name, an IP address or localhost (not a token or topic in the host slot)."""
    return bool(host) and ("." in host or ":" in host or host == "localhost")


def mask_url(url: str) -> str:
    """``scheme://host[:port]`` of an apprise URL, with ``/…`` when more was hidden.

    The host is taken from apprise's privacy-mode URL, so services whose "host" is a token
    (``tgram://TOKEN/...``) show it masked. A URL apprise cannot read shows ``scheme://…``.
    """
    text = (url or "").strip()
    scheme = text.split("://", 1)[0] if "://" in text else "?"
    plugin = _quiet_instantiate(text) if text else None
    if plugin is None:
        return f"{scheme}://…"
    private = urlsplit(plugin.url(privacy=True))
    try:
        host = private.hostname or ""
        port = private.port
    except ValueError:
        host, port = "", None
    if not _looks_like_host(host):  # ntfy://TOPIC, tgram://TOKEN ...: a secret, not a host
        return f"{scheme}://…"
    shown = f"{scheme}://{host}" + (f":{port}" if port else "")
    original = urlsplit(text)
    hidden = bool(original.username or original.password or original.query)
    hidden = hidden or original.path.strip("/") != ""
    return shown + ("/…" if hidden else "")


def secrets_of(url: str) -> set[str]:
    """The parts of ``url`` that may be secret: user, password, path segments, query values
    and (when it is not a dotted name or address) the host; raw and URL-decoded."""
    parts = urlsplit(url.strip())
    found: set[str] = {url.strip()}
    candidates: list[str] = []
    try:
        candidates += [parts.username or "", parts.password or ""]
        host = parts.hostname or ""
    except ValueError:
        host = ""
    netloc = parts.netloc.rsplit("@", 1)[0] if "@" in parts.netloc else ""
    candidates += netloc.split(":")
    if host and not _looks_like_host(host):
        candidates.append(host)
    candidates += parts.path.split("/")
    candidates += [value for _, value in parse_qsl(parts.query, keep_blank_values=True)]
    for item in candidates:
        for form in (item, unquote(item)):
            if len(form) >= _MIN_SECRET_LEN:
                found.add(form)
    return found


def scrub(text: str, secrets: set[str]) -> str:
    """``text`` with every secret replaced by ``****`` (longest first)."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, MASK)
    return text


class _Scrubber(logging.Filter):
    """Masks the secrets registered by the current thread in apprise's log records."""

    def __init__(self) -> None:
        super().__init__()
        self._local = threading.local()

    @property
    def secrets(self) -> set[str]:
        value: set[str] | None = getattr(self._local, "secrets", None)
        if value is None:
            value = set()
            self._local.secrets = value
        return value

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = self.secrets
        if secrets:
            record.msg = scrub(record.getMessage(), secrets)
            record.args = ()
        return True


class _Collector(logging.Handler):
    """Keeps the apprise warnings/errors of the current thread (the reason of a failure)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.thread = threading.get_ident()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.lines.append(record.getMessage())


#: Loggers whose records may carry a notification URL (apprise, and the HTTP/SMTP libraries
#: it uses, which log request paths at debug level).
_SCRUBBED_LOGGERS = ("apprise", "urllib3.connectionpool", "requests")
_scrubber_lock = threading.Lock()
_scrubber: _Scrubber | None = None


def _get_scrubber() -> _Scrubber:
    global _scrubber
    with _scrubber_lock:
        if _scrubber is None:
            _scrubber = _Scrubber()
            for name in _SCRUBBED_LOGGERS:
                logging.getLogger(name).addFilter(_scrubber)
        return _scrubber


@contextmanager
def _guard(url: str) -> Iterator[tuple[set[str], _Collector]]:
    scrubber = _get_scrubber()
    secrets = secrets_of(url)
    scrubber.secrets.update(secrets)
    collector = _Collector()
    apprise_logger = logging.getLogger("apprise")
    apprise_logger.addHandler(collector)
    try:
        yield secrets, collector
    finally:
        apprise_logger.removeHandler(collector)
        scrubber.secrets.clear()


# --------------------------------------------------------------------------------------
# sending


def body_format(url: str) -> str:
    """``"html"`` when the target renders HTML (e-mail), else ``"text"``."""
    plugin = _quiet_instantiate(url)
    if plugin is not None and str(plugin.notify_format) == str(apprise.NotifyFormat.HTML):
        return "html"
    return "text"


def send(url: str, *, title: str, body: str, fmt: str = "text") -> None:
    """Deliver one message through apprise; raise :class:`DeliveryError` unless confirmed.

    ``fmt`` is ``"text"`` or ``"html"`` (the format ``body`` is written in).
    """
    notify_format = apprise.NotifyFormat.HTML if fmt == "html" else apprise.NotifyFormat.TEXT
    with _guard(url) as (secrets, collector):
        apobj = apprise.Apprise()
        if not apobj.add(url):
            raise DeliveryError(f"not a usable apprise URL: {mask_url(url)}")
        try:
            ok = apobj.notify(title=title, body=body, body_format=notify_format)
        except Exception as exc:  # apprise plugins may raise on odd input
            raise DeliveryError(scrub(f"{type(exc).__name__}: {exc}", secrets)) from None
    if not ok:
        reason = "; ".join(dict.fromkeys(collector.lines)) or "apprise reported a failure"
        raise DeliveryError(f"delivery to {mask_url(url)} failed: {scrub(reason, secrets)}")
    logger.info("delivered %r to %s", title, mask_url(url))


# --------------------------------------------------------------------------------------
# messages


@dataclass(frozen=True, slots=True)
class EventContext:
    """A stored change event with what a message needs around it."""

    change: Change
    treaty_title: str | None
    in_force_date: date | None = None


_KIND_LABEL = {
    "en": {
        ChangeKind.SIGNATURE: "signature",
        ChangeKind.CONSENT: "ratification or accession",
        ChangeKind.WITHDRAWAL: "withdrawal",
        ChangeKind.DATE_CORRECTION: "correction",
        ChangeKind.DECLARATION: "declaration",
        ChangeKind.RENAME: "new name",
        ChangeKind.DISAPPEARED: "no longer listed",
        ChangeKind.TREATY_IN_FORCE: "entry into force",
        ChangeKind.ACTION: "provisional application or other action",
    },
    "fr": {
        ChangeKind.SIGNATURE: "signature",
        ChangeKind.CONSENT: "ratification ou adhésion",
        ChangeKind.WITHDRAWAL: "retrait",
        ChangeKind.DATE_CORRECTION: "correction",
        ChangeKind.DECLARATION: "déclaration",
        ChangeKind.RENAME: "nouveau nom",
        ChangeKind.DISAPPEARED: "ne figure plus",
        ChangeKind.TREATY_IN_FORCE: "entrée en vigueur",
        ChangeKind.ACTION: "application provisoire ou autre formalité",
    },
}


def _lang(language: str) -> str:
    return language if language in LANGUAGES else "en"


def sentence(ctx: EventContext, language: str = "en") -> str:
    """One sentence for the event, with the date the treaty enters into force for the
    participant after a ratification/accession when it is known."""
    language = _lang(language)
    c = ctx.change
    text = describe(c, language=language, treaty_title=ctx.treaty_title)
    if c.kind is ChangeKind.CONSENT and ctx.in_force_date is not None:
        name = c.participant_name or c.participant_code or ""
        when = format_date(ctx.in_force_date, language)
        text = text.rstrip(".")
        if language == "fr":
            text += f" ; entrée en vigueur à son égard le {when}."
        else:
            verb = "enters" if ctx.in_force_date > c.observed_at.date() else "entered"
            text += f"; it {verb} into force for {name} on {when}."
    return text


def event_title(ctx: EventContext, language: str = "en") -> str:
    language = _lang(language)
    c = ctx.change
    label = _KIND_LABEL[language].get(c.kind, str(c.kind))
    if c.kind is ChangeKind.CONSENT and c.consent_kind is not None:
        label = consent_noun(c.consent_kind, language)
    who = c.participant_name or c.participant_code
    prefix = "Veille des traités" if language == "fr" else "Treaty tracker"
    sep = " : " if language == "fr" else ": "
    return f"{prefix}{sep}{who + ', ' if who else ''}{label} ({c.mtdsg_no})"


def _source_label(language: str) -> str:
    return "Source :" if language == "fr" else "Source:"


def event_message(ctx: EventContext, *, language: str = "en", fmt: str = "text") -> str:
    """The body of a message about one event: the sentence and the UN source page."""
    language = _lang(language)
    text = sentence(ctx, language)
    url = ctx.change.source_url
    if fmt == "html":
        link = f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>'
        return f"<p>{html.escape(text)}</p>\n<p>{_source_label(language)} {link}</p>"
    return f"{text} {_source_label(language)} {url}"


def digest_title(count: int, day: date, *, language: str = "en") -> str:
    if _lang(language) == "fr":
        plural = "changement" if count == 1 else "changements"
        return f"Veille des traités : {count} {plural} le {format_date(day, 'fr')}"
    plural = "change" if count == 1 else "changes"
    return f"Treaty tracker: {count} {plural} on {format_date(day)}"


def digest_message(
    contexts: Sequence[EventContext], day: date, *, language: str = "en", fmt: str = "text"
) -> str:
    """The body of a daily digest: one line per event, each with its source page."""
    language = _lang(language)
    if language == "fr":
        intro = f"Changements constatés le {format_date(day, 'fr')} :"
    else:
        intro = f"Changes seen on {format_date(day)}:"
    if fmt == "html":
        items = "\n".join(
            f"<li>{html.escape(sentence(ctx, language))} {_source_label(language)} "
            f'<a href="{html.escape(ctx.change.source_url, quote=True)}">'
            f"{html.escape(ctx.change.source_url)}</a></li>"
            for ctx in contexts
        )
        return f"<p>{html.escape(intro)}</p>\n<ul>\n{items}\n</ul>"
    lines = [intro]
    lines += [
        f"- {sentence(ctx, language)} {_source_label(language)} {ctx.change.source_url}"
        for ctx in contexts
    ]
    return "\n".join(lines)


def health_message(text: str, *, observed_at: datetime) -> tuple[str, str]:
    """Title and body of an operator health alert."""
    return "Treaty tracker health", f"{text} (checked at {observed_at.isoformat()})"
