"""The dependency set is pinned: ``requirements.lock`` (made by ``make lock``) pins every
dependency of ``pyproject.toml`` — and the test extra and the build requirements — to a
version its bounds allow, with hashes; ``make install`` installs exactly that; the linters are
pinned exactly; every dependency has an upper bound on its major version."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pins() -> dict[str, str]:
    """name -> version of every package in the lock."""
    found: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", line)
        if match:
            found[canonicalize_name(match[1])] = match[2]
    return found


def requirements() -> list[Requirement]:
    declared = (
        PROJECT["project"]["dependencies"] + PROJECT["project"]["optional-dependencies"]["test"]
    )
    return [Requirement(r) for r in declared + PROJECT["build-system"]["requires"]]


def test_every_dependency_is_pinned_within_its_bounds() -> None:
    locked = pins()
    assert len(locked) > 50
    for requirement in requirements():
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in requirements.lock: run make lock"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"{name}=={locked[name]} does not satisfy {requirement}: run make lock"
        )


def test_every_pin_has_hashes() -> None:
    text = LOCK.read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9_.\-]+==)", text)
    pinned = [b for b in blocks if re.match(r"^[A-Za-z0-9_.\-]+==", b)]
    assert pinned and all("--hash=sha256:" in b for b in pinned)


def test_dependencies_have_upper_bounds_and_linters_are_exact() -> None:
    for requirement in requirements():
        operators = {spec.operator for spec in requirement.specifier}
        assert operators & {"<", "=="}, f"{requirement} has no upper bound"
    exact: dict[str, str] = {canonicalize_name(r.name): str(r.specifier) for r in requirements()}
    assert exact["ruff"].startswith("==") and exact["mypy"].startswith("==")


def test_make_install_installs_the_lock_with_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes --no-deps -r $(LOCK)" in makefile
    assert "pip install --quiet --no-deps --no-build-isolation -e ." in makefile
    assert "$(STAMP): pyproject.toml $(LOCK)" in makefile  # a new lock reinstalls
