"""A local HTTPS server with the Council of Europe service's TLS weakness: a 1024-bit
Diffie-Hellman group (RFC 2409 group 2, a published constant) and only a DHE cipher, TLS 1.2.
OpenSSL at its default security level refuses it ("dh key too small"); at level 1 it connects.
The certificate is self-signed, made here with ``cryptography`` (Scrapy does not check
certificates by default, like a browser told to continue)."""

from __future__ import annotations

import contextlib
import datetime
import ssl
import threading
import warnings
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dh, rsa
from cryptography.x509.oid import NameOID

#: RFC 2409 section 6.2, the 1024-bit MODP group ("Oakley group 2"), generator 2.
MODP_1024 = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
    "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B"
    "0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF",
    16,
)

S = TypeVar("S")


def weak_dh_context(folder: Path, host: str = "localhost") -> ssl.SSLContext:
    folder.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # finite-field DH is deprecated: that is the point
        params = dh.DHParameterNumbers(MODP_1024, 2).parameters()
        dh_pem = params.parameter_bytes(
            serialization.Encoding.PEM, serialization.ParameterFormat.PKCS3
        )
    (folder / "dh1024.pem").write_bytes(dh_pem)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (folder / "server.pem").write_bytes(pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers("DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0")
    context.load_cert_chain(folder / "server.pem")
    context.load_dh_params(str(folder / "dh1024.pem"))
    return context


@contextlib.contextmanager
def run_tls_server(
    server: S, handler: Callable[[S], type], context: ssl.SSLContext, *, name: str
) -> Iterator[S]:
    """Like :func:`tests.plugin_http.run_server`, over TLS (``server.port`` set)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler(server))
    httpd.daemon_threads = True
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    server.port = httpd.server_address[1]  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
