"""TLS for the crawl: Scrapy's own settings everywhere, a lowered OpenSSL security level for
the few hosts that need it, and for no other.

The Council of Europe's JSON service (``conventions-ws.coe.int``) negotiates a small
Diffie-Hellman key, which OpenSSL refuses at its default security level (2): clients of it
have needed ``DEFAULT@SECLEVEL=1`` (``../shared/depositaries/COE.md``). Scrapy's
``DOWNLOADER_CLIENT_TLS_CIPHERS`` would lower it for every site, and even then loses the
``@SECLEVEL`` part (Twisted expands a cipher string into cipher names).

So the ``https`` download handler is :class:`HostTLSDownloadHandler` (``DOWNLOAD_HANDLERS``):
Scrapy's HTTP/1.1 handler whose TLS policy (:class:`HostTLSPolicy`) hands every host to
Scrapy's own context factory unchanged and, only for the hosts in
``TRACKER_TLS_LEGACY_HOSTS``, appends ``@SECLEVEL=1`` to the cipher list that factory would
use. The UN Treaty Collection and every other host keep OpenSSL's defaults.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from twisted.internet.interfaces import IAcceptableCiphers
from twisted.internet.ssl import AcceptableCiphers
from twisted.web.iweb import IPolicyForHTTPS
from zope.interface import implementer  # type: ignore[import-untyped]  # no stubs

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: What the listed hosts get: OpenSSL's security level 1 (1024-bit DH and RSA keys accepted).
LEGACY_SECURITY_LEVEL = "@SECLEVEL=1"


class _CipherStringPart:
    """Something Twisted joins into the OpenSSL cipher string (it only reads ``fullName``)."""

    def __init__(self, text: str) -> None:
        self.fullName = text


@implementer(IAcceptableCiphers)
class LegacySecurityLevelCiphers:
    """The ciphers ``base`` accepts, with ``@SECLEVEL=1`` at the end of the cipher string."""

    def __init__(self, base: Any) -> None:
        self.base = base

    def selectCiphers(self, availableCiphers: Iterable[Any]) -> tuple[Any, ...]:  # noqa: N802
        return (
            *self.base.selectCiphers(availableCiphers),
            _CipherStringPart(LEGACY_SECURITY_LEVEL),
        )


def normalise_hosts(hosts: Iterable[str]) -> frozenset[str]:
    return frozenset(h.strip().lower().rstrip(".") for h in hosts if h and h.strip())


@implementer(IPolicyForHTTPS)
class HostTLSPolicy:
    """``default`` (Scrapy's context factory) for every host; for ``legacy_hosts``, a copy of
    it whose cipher list ends in ``@SECLEVEL=1``, made for that one connection."""

    def __init__(self, default: Any, legacy_hosts: Iterable[str]) -> None:
        if not hasattr(default, "tls_ciphers"):
            raise TypeError(
                f"{type(default).__name__} has no tls_ciphers: cannot lower the TLS security "
                "level for TRACKER_TLS_LEGACY_HOSTS with this Scrapy version"
            )
        self.default = default
        self.legacy_hosts = normalise_hosts(legacy_hosts)

    def is_legacy(self, hostname: str) -> bool:
        return hostname.strip().lower().rstrip(".") in self.legacy_hosts

    def creatorForNetloc(self, hostname: bytes, port: int) -> Any:  # noqa: N802
        if not self.is_legacy(hostname.decode("ascii")):
            return self.default.creatorForNetloc(hostname, port)
        legacy = copy.copy(self.default)  # the shared factory itself keeps the defaults
        legacy.tls_ciphers = LegacySecurityLevelCiphers(
            self.default.tls_ciphers or AcceptableCiphers.fromOpenSSLCipherString("DEFAULT")  # type: ignore[no-untyped-call]
        )
        return legacy.creatorForNetloc(hostname, port)


class HostTLSDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 download handler with :class:`HostTLSPolicy` as its TLS policy."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        hosts = crawler.settings.getlist("TRACKER_TLS_LEGACY_HOSTS")
        self._contextFactory = HostTLSPolicy(self._contextFactory, hosts)  # type: ignore[assignment]
        if hosts:
            logger.debug("TLS security level 1 for %s only", sorted(hosts))
