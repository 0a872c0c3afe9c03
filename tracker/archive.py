"""Raw-page archive: every fetched body, content-addressed by SHA-256 and gzip-compressed.

A body with digest ``abcdef...`` is stored as ``<root>/ab/cdef....html.gz``. Writes go to a
temporary file in the same folder and are moved into place with :func:`os.replace`, so a
reader never sees a half-written file; storing the same body twice writes nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import re
import tempfile
from pathlib import Path

from tracker.config import get_settings

logger = logging.getLogger(__name__)

_DIGEST = re.compile(r"[0-9a-f]{64}")
SUFFIX = ".html.gz"
#: gzip level of new entries: 1 makes a status page ~20 % larger than 9 for a fifth of the CPU
#: (every first poll archives every page); any level reads back the same.
COMPRESSLEVEL = 1


class ArchiveError(Exception):
    """A stored page is missing or damaged."""


def sha256_hex(body: bytes) -> str:
    """The archive key of ``body``: its SHA-256 digest in lower-case hex."""
    return hashlib.sha256(body).hexdigest()


class Archive:
    """A content-addressed store of raw page bodies under ``root``."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else get_settings().archive_dir

    def __repr__(self) -> str:
        return f"Archive({str(self.root)!r})"

    def path_for(self, digest: str) -> Path:
        """Where the body with ``digest`` is (or would be) stored."""
        if not _DIGEST.fullmatch(digest):
            raise ValueError(f"not a SHA-256 hex digest: {digest!r}")
        return self.root / digest[:2] / f"{digest[2:]}{SUFFIX}"

    def has(self, digest: str) -> bool:
        return self.path_for(digest).is_file()

    def put(self, body: bytes, *, digest: str | None = None) -> str:
        """Store ``body`` (if not stored yet) and return its SHA-256 hex digest (``digest``:
        the caller's, already computed)."""
        digest = digest or sha256_hex(body)
        path = self.path_for(digest)
        if path.is_file():
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as raw:
                with gzip.GzipFile(
                    filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=COMPRESSLEVEL
                ) as gz:
                    gz.write(body)
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        logger.debug("archived %d bytes as %s", len(body), digest)
        return digest

    def get(self, digest: str) -> bytes:
        """The body stored under ``digest``; :class:`ArchiveError` if missing or damaged."""
        path = self.path_for(digest)
        try:
            body = gzip.decompress(path.read_bytes())
        except FileNotFoundError as exc:
            raise ArchiveError(f"no archived page {digest} in {self.root}") from exc
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise ArchiveError(f"archived page {digest} cannot be read: {exc}") from exc
        if sha256_hex(body) != digest:
            raise ArchiveError(f"archived page {digest} is damaged (its content does not match)")
        return body
