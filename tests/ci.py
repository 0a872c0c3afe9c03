"""What the tests do when a service they need is missing: skip on a developer's machine, fail in
CI. ``.ci/run`` sets ``CI=true``; under CI a missing PostgreSQL or Chromium must never turn
into a quiet skip."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """True when the environment variable ``CI`` is set to anything but empty/0/false/no."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(message: str) -> NoReturn:
    """Skip the test because ``message`` (something it needs is not there) — or, under CI,
    fail it."""
    if in_ci():
        pytest.fail(f"{message}; CI is set, so this test must run", pytrace=False)
    pytest.skip(message)
