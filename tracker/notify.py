"""Alert delivery through apprise, and the alert messages themselves.

A notification address (a watch's, or the operator's) is either a plain e-mail address
(``officer@ecpat.be``), sent through the mail server the operator configured once
(``TRACKER_SMTP_URL``, an apprise ``mailto://``/``mailtos://`` URL), or an apprise URL for
any other channel (``slack://…``, ``msteams://…``, ``matrix://…``, ``ntfy://…`` …).

* :func:`check_address` is the check made when an address is saved: apprise's own parser
  must accept it (and, for a plain address, apprise's e-mail check and a configured mail
  server); :class:`AddressError` says in plain words why not.
* :func:`mask_url` shows an apprise URL as ``scheme://host`` only (the host as apprise's
  privacy mode writes it, so a bot token used as a "host" is masked too), and an e-mail
  address as ``…@domain``. Every place that shows or logs a notification address uses it:
  the URLs carry passwords and tokens, the addresses are personal data.
* :func:`send` delivers one message to one address and raises :class:`DeliveryError`
  unless apprise confirms it. While it runs, every apprise log record has the address's
  secret parts replaced by ``****`` (see :func:`scrub`). :func:`send_test` sends the
  "test message" of a watch.
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
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import apprise
from apprise.utils.parse import is_email

from tracker.changes import consent_noun, describe, kind_name
from tracker.dates import format_date
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
    """``scheme://host[:port]`` of an apprise URL, with ``/…`` when more was hidden; an
    e-mail address as ``…@domain``.

    The host is taken from apprise's privacy-mode URL, so services whose "host" is a token
    (``tgram://TOKEN/...``) show it masked. A URL apprise cannot read shows ``scheme://…``.
    """
    text = (url or "").strip()
    if "://" not in text and "@" in text:
        return "…@" + text.rsplit("@", 1)[1]
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
    for value in list(candidates):  # e-mail addresses: also their user part
        if "@" in value and "://" not in value:
            candidates.append(value.rsplit("@", 1)[0].removeprefix("mailto:"))
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
    """Masks the secrets registered by the current thread in apprise's log records; while
    the thread is quiet (:func:`_guard` with ``quiet``), keeps its warnings instead of
    logging them."""

    def __init__(self) -> None:
        super().__init__()
        self._local = threading.local()

    @property
    def captured(self) -> list[str] | None:
        value: list[str] | None = getattr(self._local, "captured", None)
        return value

    @captured.setter
    def captured(self, value: list[str] | None) -> None:
        self._local.captured = value

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
        captured = self.captured
        if captured is not None and record.name == "apprise":
            if record.levelno >= logging.WARNING:
                captured.append(record.getMessage())
            return False
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
def _guard(*urls: str, quiet: bool = False) -> Iterator[list[str]]:
    """Mask the secrets of ``urls`` in apprise's log records while the block runs, and
    collect the warnings and errors apprise logs in this thread (the reason of a failure).
    ``quiet``: keep them out of the logs too (the answer to a check, not an incident)."""
    scrubber = _get_scrubber()
    scrubber.secrets.update(set().union(*(secrets_of(url) for url in urls)))
    collector = _Collector()
    apprise_logger = logging.getLogger("apprise")
    if quiet:
        scrubber.captured = collector.lines
    else:
        apprise_logger.addHandler(collector)
    try:
        yield collector.lines
    finally:
        apprise_logger.removeHandler(collector)
        scrubber.captured = None
        scrubber.secrets.clear()


# --------------------------------------------------------------------------------------
# addresses: a plain e-mail address (through TRACKER_SMTP_URL) or an apprise URL

APPRISE_HELP = "https://github.com/caronc/apprise/wiki"
#: apprise's e-mail schemes, the forms TRACKER_SMTP_URL may take (plain/STARTTLS, TLS).
SMTP_SCHEMES = ("mailto", "mailtos")


class AddressError(ValueError):
    """A notification address that could never deliver. The message says why in plain
    words and shows the address masked; ``reason`` names the case (for translations):
    ``empty``, ``no_smtp``, ``smtp_unusable``, ``not_address``, ``several`` or ``apprise``;
    ``detail`` is apprise's own explanation, when it gave one."""

    def __init__(self, message: str, *, reason: str, detail: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.detail = detail


def plain_email(address: str) -> str | None:
    """The e-mail address when ``address`` is exactly one plain address (``officer@ecpat.be``
    or ``mailto:officer@ecpat.be``), by apprise's own e-mail check; otherwise None."""
    text = (address or "").strip()
    if "://" in text:
        return None
    if text[:7].lower() == "mailto:":
        text = text[7:].strip()
    found = is_email(text)
    if not found or found["name"] or found["full_email"] != text:
        return None
    return str(found["full_email"])


def smtp_url() -> str | None:
    """The operator's mail server (``TRACKER_SMTP_URL``), or None when not configured."""
    from tracker.config import get_settings

    secret = get_settings().smtp_url
    return secret.get_secret_value() if secret is not None else None


def email_url(address: str, server: str) -> str:
    """The apprise URL that sends to ``address`` through the mail server ``server``: the
    server's URL with its recipients (path, ``to=``) replaced by ``address``."""
    parts = urlsplit(server.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "to"]
    query.append(("to", address))
    return urlunsplit((parts.scheme, parts.netloc, "", urlencode(query, quote_via=quote), ""))


def resolve(address: str) -> str:
    """The apprise URL for ``address``: itself, or for a plain e-mail address the
    configured mail server's URL addressed to it (:class:`AddressError` without one)."""
    email = plain_email(address)
    if email is None:
        return address.strip()
    server = smtp_url()
    if not server:
        raise AddressError(
            f"{mask_url(email)} is an e-mail address, but no mail server is set up to send "
            "e-mail: the operator must set TRACKER_SMTP_URL (see the README). Until then, "
            "use a link for another service (Slack, Teams, Matrix, ntfy ...).",
            reason="no_smtp",
        )
    scheme = server.split("://", 1)[0].lower()
    if scheme not in SMTP_SCHEMES:
        detail = "it must start with mailto:// or mailtos://"
        raise AddressError(_smtp_unusable(email, detail), reason="smtp_unusable", detail=detail)
    return email_url(email, server)


def _smtp_unusable(email: str, detail: str) -> str:
    return (
        f"the mail server setting TRACKER_SMTP_URL cannot send to {mask_url(email)}: {detail}. "
        "The operator must correct it, e.g. "
        "mailtos://USER:PASSWORD@smtp.example.org?from=alerts@example.org (see the README)."
    )


def _load(url: str) -> tuple[apprise.plugins.NotifyBase | None, str]:
    """apprise's plugin for ``url`` (``Apprise().add``), or None and apprise's reason."""
    with _guard(url, quiet=True) as lines:
        apobj = apprise.Apprise()
        try:
            added = apobj.add(url)
        except Exception as exc:  # a malformed URL must be an answer, not a crash
            lines.append(scrub(f"{type(exc).__name__}: {exc}", secrets_of(url)))
            added = False
    noise = ("Could not load ", "Unparseable URL", "Unsupported URL")
    reasons = [line.strip().rstrip(".: ") for line in lines if not line.startswith(noise)]
    return (apobj[0] if added else None), "; ".join(dict.fromkeys(reasons))


def check_address(address: str) -> str:
    """The address to store for ``address``, or :class:`AddressError` when it could never
    deliver: nothing given; a plain e-mail address without a configured mail server, or
    that apprise cannot address; several addresses; text that is neither an e-mail address
    nor a URL; a URL apprise's own check (``Apprise().add``) refuses."""
    text = (address or "").strip()
    if not text:
        raise AddressError(
            "give an e-mail address (officer@example.org) or a link for another service",
            reason="empty",
        )
    email = plain_email(text)
    if email is not None:
        url = resolve(email)
        plugin, why = _load(url)
        targets = [str(t[1]) for t in getattr(plugin, "targets", None) or []]
        if plugin is None or targets != [email]:
            detail = why or "apprise cannot use it"
            raise AddressError(_smtp_unusable(email, detail), reason="smtp_unusable", detail=detail)
        return email
    if "://" not in text:
        if text.count("@") > 1 or "," in text or ";" in text:
            raise AddressError(
                "give one e-mail address per watch (add one watch for each person)",
                reason="several",
            )
        raise AddressError(
            "this is neither an e-mail address (officer@example.org) nor a link for another "
            "service (such as slack://…, msteams://…, ntfy://…)",
            reason="not_address",
        )
    plugin, why = _load(text)
    if plugin is None:
        scheme = text.split("://", 1)[0]
        if scheme.lower() not in _known_schemes():
            why = f"{scheme}:// is not a service apprise knows"
        detail = why or "its parts are missing or malformed"
        raise AddressError(
            f"apprise cannot send to {mask_url(text)}: {detail}. The form of each service's "
            f"link is at {APPRISE_HELP}",
            reason="apprise",
            detail=detail,
        )
    return text


def _known_schemes() -> set[str]:
    from apprise.manager_plugins import NotificationManager

    return {str(s).lower() for s in NotificationManager().schemas()}


# --------------------------------------------------------------------------------------
# sending


def body_format(address: str) -> str:
    """``"html"`` when the target renders HTML (e-mail), else ``"text"``."""
    if plain_email(address) is not None:
        return "html"  # apprise's e-mail plugins write HTML
    plugin = _quiet_instantiate(address)
    if plugin is not None and str(plugin.notify_format) == str(apprise.NotifyFormat.HTML):
        return "html"
    return "text"


def send(address: str, *, title: str, body: str, fmt: str = "text", quiet: bool = False) -> None:
    """Deliver one message to an address (e-mail or apprise URL) through apprise; raise
    :class:`DeliveryError` unless confirmed.

    ``fmt`` is ``"text"`` or ``"html"`` (the format ``body`` is written in). ``quiet``:
    apprise's warnings go only into the error, not the logs (a test the user watches).
    """
    shown = mask_url(address)
    try:
        url = resolve(address)
    except AddressError as exc:
        raise DeliveryError(str(exc)) from None
    notify_format = apprise.NotifyFormat.HTML if fmt == "html" else apprise.NotifyFormat.TEXT
    secrets = secrets_of(url) | secrets_of(address)
    with _guard(url, address, quiet=quiet) as lines:
        apobj = apprise.Apprise()
        if not apobj.add(url):
            raise DeliveryError(f"not a usable apprise URL: {shown}")
        try:
            ok = apobj.notify(title=title, body=body, body_format=notify_format)
        except Exception as exc:  # apprise plugins may raise on odd input
            raise DeliveryError(scrub(f"{type(exc).__name__}: {exc}", secrets)) from None
    if not ok:
        reason = "; ".join(dict.fromkeys(lines)) or "apprise reported a failure"
        raise DeliveryError(f"delivery to {shown} failed: {scrub(reason, secrets)}")
    logger.info("delivered %r to %s", title, shown)


def send_test(address: str, *, label: str, language: str = "en") -> None:
    """Send a watch's test message to ``address``; :class:`DeliveryError` if it fails."""
    fmt = body_format(address)
    if _lang(language) == "fr":
        title = "Veille des traités : message d'essai"
        text = (
            f"Ceci est un message d'essai de treaty-tracker pour la veille « {label} ». "
            "Les alertes sur les changements qu'elle suit arriveront ici."
        )
    else:
        title = "Treaty tracker: test message"
        text = (
            f"This is a test message from treaty-tracker for the watch “{label}”. "
            "Alerts about the changes it follows will arrive here."
        )
    body = f"<p>{html.escape(text, quote=False)}</p>" if fmt == "html" else text
    send(address, title=title, body=body, fmt=fmt, quiet=True)


# --------------------------------------------------------------------------------------
# messages


@dataclass(frozen=True, slots=True)
class EventContext:
    """A stored change event with what a message needs around it."""

    change: Change
    treaty_title: str | None
    in_force_date: date | None = None


def _lang(language: str) -> str:
    return language if language in LANGUAGES else "en"


def sentence(ctx: EventContext, language: str = "en") -> str:
    """One sentence for the event (:func:`tracker.changes.describe`), with the date the
    treaty enters into force for the participant after a ratification/accession when it is
    known."""
    return describe(
        ctx.change,
        language=_lang(language),
        treaty_title=ctx.treaty_title,
        in_force_date=ctx.in_force_date,
    )


def event_title(ctx: EventContext, language: str = "en") -> str:
    language = _lang(language)
    c = ctx.change
    label = kind_name(c.kind, language)
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
    return _list_message(intro, [(sentence(c, language), c) for c in contexts], language, fmt)


def _list_message(
    intro: str, items: Sequence[tuple[str, EventContext]], language: str, fmt: str
) -> str:
    """An intro, then one line per (text, event) with the event's source page."""
    if fmt == "html":
        rows = "\n".join(
            f"<li>{html.escape(text)} {_source_label(language)} "
            f'<a href="{html.escape(ctx.change.source_url, quote=True)}">'
            f"{html.escape(ctx.change.source_url)}</a></li>"
            for text, ctx in items
        )
        return f"<p>{html.escape(intro)}</p>\n<ul>\n{rows}\n</ul>"
    lines = [intro]
    lines += [f"- {text} {_source_label(language)} {ctx.change.source_url}" for text, ctx in items]
    return "\n".join(lines)


def catch_up_title(count: int, since: date, *, from_snapshot: bool, language: str = "en") -> str:
    """Title of the one summary message a watch gets for the events of a catch-up poll."""
    when = format_date(since, _lang(language))
    if _lang(language) == "fr":
        plural = "changement" if count == 1 else "changements"
        origin = f"l'instantané du {when}" if from_snapshot else f"le {when}"
        return f"Veille des traités : {count} {plural} depuis {origin} (rattrapage)"
    plural = "change" if count == 1 else "changes"
    origin = f"the {when} snapshot" if from_snapshot else when
    return f"Treaty tracker: {count} {plural} since {origin} (catch-up)"


def catch_up_message(
    contexts: Sequence[EventContext],
    since: date,
    *,
    from_snapshot: bool,
    language: str = "en",
    fmt: str = "text",
) -> str:
    """The body of a catch-up summary: why these changes arrive together (they happened
    while the tracker was not watching), then one line per change with its date and source."""
    language = _lang(language)
    when = format_date(since, language)
    if language == "fr":
        intro = (
            f"Première vérification en direct depuis l'instantané fourni (valeurs publiées le "
            f"{when}) : ces changements ont eu lieu entre-temps, aux dates indiquées ; ce ne "
            "sont pas des nouvelles du jour."
            if from_snapshot
            else f"Ces traités n'avaient pas été vérifiés depuis le {when} : ces changements ont "
            "eu lieu entre-temps, aux dates indiquées."
        )
        undated = " (date non indiquée sur la page)"
    else:
        intro = (
            "First live check since the bundled snapshot (values as published on "
            f"{when}): these changes happened in the meantime, on the dates given; they are "
            "not today's news."
            if from_snapshot
            else f"These treaties had not been verified since {when}: these changes happened "
            "in the meantime, on the dates given."
        )
        undated = " (date not given on the page)"

    items = [
        (sentence(c, language) + (undated if c.change.effective_date is None else ""), c)
        for c in contexts
    ]
    return _list_message(intro, items, language, fmt)


def health_message(text: str, *, observed_at: datetime) -> tuple[str, str]:
    """Title and body of an operator health alert."""
    return "Treaty tracker health", f"{text} (checked at {observed_at.isoformat()})"
