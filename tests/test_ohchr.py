"""The OHCHR dashboard export reader, on the real ICESCR export in ../shared (never copied)."""

from __future__ import annotations

import csv
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import pycountry
import pytest
import xlrd

from tests.ohchr_support import OHCHR_CELLS, OHCHR_XLS, shared_file
from tracker import countries
from tracker.countries_data import MEMBER_STATES
from tracker.domain import ParseError
from tracker.sources.ohchr import OhchrExport, read_export
from tracker.sources.ohchr.reader import read_sheet

NON_MEMBERS = {"VAT", "PSE", "COK", "NIU", "EUU"}


@lru_cache(maxsize=1)
def _export() -> OhchrExport:
    path = shared_file(OHCHR_XLS)
    return read_export(path.read_bytes(), source=path.name)


def _cells() -> list[dict[str, str]]:
    """Every non-empty cell, as the shared folder's mechanical dump lists it."""
    with shared_file(OHCHR_CELLS).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_reads_title_last_updated_headers_and_footer() -> None:
    export = _export()
    assert export.source == "UnderlyingData_ICESCR_OHCHR_02_07_2026.xls"
    assert export.title == "International Covenant on Economic, Social and Cultural Rights"
    assert export.last_updated == datetime(2025, 10, 10, 11, 26, 54)
    assert export.last_updated.tzinfo is None  # the export states no time zone
    assert export.headers == (
        "Country",
        "Date of Signature (dd/mm/yyyy)",
        "Date of Ratification/Accession",
        "Date of acceptance of individual communications procedure",
        "Date of acceptance of inquiry procedure",
    )
    assert len(export.footer) == 2 and export.footer[1].startswith("Source: Database of the")
    assert export.warnings == ()


def test_198_participants_with_the_dates_of_their_cells() -> None:
    export = _export()
    assert len(export.rows) == 198
    expected: dict[int, dict[int, str]] = {}
    for cell in _cells():
        row, col = int(cell["row"]), int(cell["col"])
        if 2 <= row <= 199:
            expected.setdefault(row, {})[col] = (
                cell["iso_date_if_date_cell"] or cell["value_as_stored"]
            )
    for r in export.rows:
        cells = expected[r.row]
        assert r.name == cells[0]
        got = {1: r.signature, 2: r.consent}
        got.update({3 + i: r.procedures.get(h) for i, h in enumerate(export.headers[3:])})
        assert {c: d.isoformat() for c, d in got.items() if d is not None} == {
            c: v for c, v in cells.items() if c > 0
        }, r.name
    argentina = export.row_for("ARG")
    assert argentina is not None
    assert (argentina.signature, argentina.consent) == (date(1968, 2, 19), date(1986, 8, 8))
    assert argentina.procedures == {
        "Date of acceptance of individual communications procedure": date(2011, 10, 24)
    }


def test_every_ohchr_spelling_maps_to_its_own_code() -> None:
    """All 198 names map, to 198 different codes, which are exactly the UN member States and
    the five non-member participants; and none silently wrong: each name is one of the names
    the tracker (or ISO 3166) gives that very code."""
    export = _export()
    codes = [r.code for r in export.rows]
    assert None not in codes
    assert len(set(codes)) == 198
    assert set(codes) == {m.code for m in MEMBER_STATES} | NON_MEMBERS
    for r in export.rows:
        assert r.code is not None
        known = set(countries.names_for(r.code))
        record = pycountry.countries.get(alpha_3=r.code)
        if record is not None:
            known |= {getattr(record, a, "") for a in ("name", "official_name", "common_name")}
        assert r.name in known, (r.name, r.code)
    spelled = {r.name: r.code for r in export.rows}
    assert spelled["Czech Republic"] == "CZE"
    assert spelled["Netherlands"] == "NLD"
    assert spelled["Türkiye"] == "TUR"
    assert spelled["State of Palestine"] == "PSE"
    assert spelled["European Union"] == "EUU"


# --- a changed or broken export: ParseError -----------------------------------------------------


class _Sheet:
    """The real export's cells (from the shared dump), editable, with xlrd's sheet interface."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], xlrd.sheet.Cell] = {}
        for cell in _cells():
            r, c, ctype = int(cell["row"]), int(cell["col"]), int(cell["xlrd_ctype"])
            value: object = cell["value_as_stored"]
            if ctype == xlrd.XL_CELL_DATE:
                value = float(str(value))
            self.cells[(r, c)] = xlrd.sheet.Cell(ctype, value)

    @property
    def nrows(self) -> int:
        return max(r for r, _ in self.cells) + 1

    @property
    def ncols(self) -> int:
        return max(c for _, c in self.cells) + 1

    def cell(self, r: int, c: int) -> xlrd.sheet.Cell:
        return self.cells.get((r, c), xlrd.sheet.Cell(xlrd.XL_CELL_EMPTY, ""))

    def cell_value(self, r: int, c: int) -> object:
        return self.cell(r, c).value


def _read(sheet: _Sheet) -> OhchrExport:
    return read_sheet(sheet, datemode=0, source="edited.xls")


def test_the_cell_dump_reads_like_the_file() -> None:
    assert _read(_Sheet()).rows == _export().rows


def test_a_changed_layout_raises() -> None:
    sheet = _Sheet()
    sheet.cells[(0, 0)] = xlrd.sheet.Cell(xlrd.XL_CELL_TEXT, "International Covenant")
    with pytest.raises(ParseError, match="Last Updated"):
        _read(sheet)
    sheet = _Sheet()
    sheet.cells[(1, 2)] = xlrd.sheet.Cell(xlrd.XL_CELL_TEXT, "Date of Entry into Force")
    with pytest.raises(ParseError, match="expected header row"):
        _read(sheet)
    sheet = _Sheet()
    sheet.cells[(4, 2)] = xlrd.sheet.Cell(xlrd.XL_CELL_TEXT, "12 Sep 1989")  # Algeria, as text
    with pytest.raises(ParseError, match="Algeria.*expected a date cell"):
        _read(sheet)
    sheet = _Sheet()
    sheet.cells[(5, 0)] = xlrd.sheet.Cell(xlrd.XL_CELL_TEXT, "Albania")  # a row twice
    with pytest.raises(ParseError, match="both ALB"):
        _read(sheet)
    sheet = _Sheet()
    for key in [k for k in sheet.cells if k[0] >= 2]:
        del sheet.cells[key]
    with pytest.raises(ParseError, match="no country rows"):
        _read(sheet)


def test_an_unknown_spelling_is_reported_not_guessed() -> None:
    sheet = _Sheet()
    sheet.cells[(2, 0)] = xlrd.sheet.Cell(xlrd.XL_CELL_TEXT, "Afghanistan (Islamic Emirate)")
    export = _read(sheet)
    assert export.rows[0].code is None
    assert [r.name for r in export.unidentified] == ["Afghanistan (Islamic Emirate)"]
    assert export.warnings == (
        "unknown country name 'Afghanistan (Islamic Emirate)' (row 3): it is not compared",
    )


def test_not_an_xls_file_raises(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="not a readable Excel .xls file"):
        read_export(b"Country,Date of Signature\n", source="export.csv")
    data = shared_file(OHCHR_XLS).read_bytes()
    with pytest.raises(ParseError, match="not a readable Excel"):
        read_export(data[: len(data) // 3], source="cut.xls")
