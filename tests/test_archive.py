"""The raw-page archive: content-addressed, gzip-compressed, atomic, idempotent."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from tracker.archive import Archive, ArchiveError
from tracker.config import get_settings

BODY = b"<html><body><table id='tblgrid'><tr><td>Belgium</td></tr></table></body></html>" * 50


def test_put_stores_compressed_under_digest_path(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    digest = archive.put(BODY)
    assert digest == hashlib.sha256(BODY).hexdigest()
    path = tmp_path / digest[:2] / f"{digest[2:]}.html.gz"
    assert path.is_file()
    assert gzip.decompress(path.read_bytes()) == BODY
    assert path.stat().st_size < len(BODY)
    assert archive.has(digest)
    assert archive.get(digest) == BODY
    # no temporary files left behind
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_second_put_writes_nothing(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    digest = archive.put(BODY)
    path = archive.path_for(digest)
    before = path.stat()
    assert archive.put(BODY) == digest
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_same_body_gives_same_bytes_on_disk(tmp_path: Path) -> None:
    one, two = Archive(tmp_path / "a"), Archive(tmp_path / "b")
    digest = one.put(BODY)
    two.put(BODY)
    assert one.path_for(digest).read_bytes() == two.path_for(digest).read_bytes()


def test_missing_and_damaged_pages_raise(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    missing = hashlib.sha256(b"never stored").hexdigest()
    assert not archive.has(missing)
    with pytest.raises(ArchiveError, match="no archived page"):
        archive.get(missing)
    digest = archive.put(BODY)
    archive.path_for(digest).write_bytes(gzip.compress(b"something else"))
    with pytest.raises(ArchiveError, match="damaged"):
        archive.get(digest)
    archive.path_for(digest).write_bytes(b"not gzip at all")
    with pytest.raises(ArchiveError, match="cannot be read"):
        archive.get(digest)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ABC", "g" * 64, "A" * 64])
def test_rejects_anything_but_a_hex_digest(tmp_path: Path, bad: str) -> None:
    archive = Archive(tmp_path)
    with pytest.raises(ValueError, match="not a SHA-256 hex digest"):
        archive.has(bad)


def test_default_root_is_the_settings_archive_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        archive = Archive()
        assert archive.root == tmp_path / "data" / "archive"
        digest = archive.put(b"x")
        assert (tmp_path / "data" / "archive" / digest[:2]).is_dir()
    finally:
        get_settings.cache_clear()


def test_empty_body_round_trips(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    assert archive.get(archive.put(b"")) == b""
