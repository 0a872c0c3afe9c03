"""The reconstructed Council of Europe answers are exactly what build_fixtures.py makes from
source/, and every value set in them comes with its source."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path
from types import ModuleType

from tests.coe_fixtures import FIXTURES


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("coe_build", FIXTURES / "build_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fixtures_are_rebuilt_byte_for_byte(tmp_path: Path) -> None:
    written = _builder().build(tmp_path)
    assert len(written) == 4
    for path in written:
        assert path.read_bytes() == (FIXTURES / path.name).read_bytes(), path.name


def test_every_set_value_has_a_source() -> None:
    for name in ("facts.csv", "declarations.csv"):
        with (FIXTURES / "source" / name).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                assert len(row["source"]) > 20, row
    # and nothing else is set: the dates and flags in the answers are exactly the facts
    with (FIXTURES / "source" / "facts.csv").open(encoding="utf-8", newline="") as f:
        facts = {(r["name_en"], r["field"]) for r in csv.DictReader(f)}
    data = json.loads((FIXTURES / "signatures.201.en.json").read_text(encoding="utf-8"))
    set_values = {
        (row["LibPaysOrga"], key)
        for row in data[0]
        for key, value in row.items()
        if key.startswith("Date") and value is not None or value is True
    }
    assert set_values == facts


def test_only_bulgaria_carries_a_council_code() -> None:
    data = json.loads((FIXTURES / "signatures.201.en.json").read_text(encoding="utf-8"))
    real = [r["CodePays"] for r in data[0] if not r["CodePays"].startswith("Z")]
    assert real == ["BUL"]
    assert all(c[1:].isdigit() for r in data[0] if (c := r["CodePays"]) != "BUL")


def test_the_readme_says_what_is_real() -> None:
    readme = " ".join((FIXTURES / "README.md").read_text(encoding="utf-8").split())
    assert "RECONSTRUCTION" in readme
    assert "not known to this reconstruction" in readme
