"""Read an export of OHCHR's "Status of Ratification Interactive Dashboard" (indicators.ohchr.org).

PURE: the file's bytes in, an :class:`OhchrExport` out (``xlrd`` reads the legacy ``.xls``).
OHCHR mirrors the UN Office of Legal Affairs' record; the tracker reads it only as a second
opinion on a treaty it already tracks (:mod:`tracker.crosscheck`), never as a source of change
events.

The layout (``../shared/depositaries/README.md``, seen in a real ICESCR export): one sheet;
row 0 the title with ``[Last Updated: dd/mm/yyyy hh:mm:ss]``; row 1 the headers ``Country``,
``Date of Signature (dd/mm/yyyy)``, ``Date of Ratification/Accession`` and, per treaty, the
procedure columns (ICESCR: individual communications, inquiry); then one row per State (OHCHR
spellings, every UN member State and the non-member participants, acted or not) until a blank
row; then a footer (definitions, source). Date cells are Excel dates. The export gives no time
zone for "Last Updated" and does not say which kind of instrument a consent date is.

A file that does not have this layout raises :class:`~tracker.domain.ParseError`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import xlrd

from tracker import countries
from tracker.domain import ParseError

logger = logging.getLogger(__name__)

__all__ = ["OhchrExport", "OhchrRow", "read_export", "read_sheet"]

_LAST_UPDATED = re.compile(
    r"\[\s*Last\s+Updated\s*:\s*(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})\s*\]",
    re.IGNORECASE,
)
_HEADERS = ("country", "date of signature", "date of ratification")

#: OHCHR spellings tracker.countries does not know (none in the ICESCR export of 10 Oct 2025;
#: add a spelling here when an export brings one, and the test of every row catches it).
NAME_ALIASES: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class OhchrRow:
    """One State's row."""

    row: int  # 0-based row of the sheet
    name: str  # as OHCHR writes it
    code: str | None  # the tracker's stable code; None when the name is unknown
    signature: date | None
    consent: date | None  # "Date of Ratification/Accession": the kind is not given
    procedures: dict[str, date] = field(default_factory=dict)  # column header -> date

    @property
    def acted(self) -> bool:
        return self.signature is not None or self.consent is not None


@dataclass(frozen=True, slots=True)
class OhchrExport:
    """One export: its title, when OHCHR last updated it, and its rows."""

    source: str  # the file's name, to cite
    title: str  # the treaty's title, without the "[Last Updated …]" part
    last_updated: datetime  # as stated; naive: the export states no time zone
    headers: tuple[str, ...]
    rows: tuple[OhchrRow, ...]
    footer: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def row_for(self, code: str) -> OhchrRow | None:
        return next((r for r in self.rows if r.code == code), None)

    @property
    def unidentified(self) -> tuple[OhchrRow, ...]:
        return tuple(r for r in self.rows if r.code is None)


def _text(sheet: Any, row: int, col: int) -> str:
    if row >= sheet.nrows or col >= sheet.ncols:
        return ""
    value = sheet.cell_value(row, col)
    return " ".join(str(value).split()) if isinstance(value, str) else ""


def _date(sheet: Any, datemode: int, row: int, col: int, where: str) -> date | None:
    if col >= sheet.ncols:
        return None
    cell = sheet.cell(row, col)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_TEXT and not cell.value.strip():
        return None
    if cell.ctype != xlrd.XL_CELL_DATE:
        raise ParseError(f"{where}: expected a date cell, found {cell.value!r}")
    try:
        value: datetime = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
    except (ValueError, xlrd.xldate.XLDateError) as exc:
        raise ParseError(f"{where}: not a readable date ({exc})") from None
    return value.date()


def code_for_name(name: str) -> str | None:
    return NAME_ALIASES.get(name) or countries.code_for(name)


def read_export(data: bytes, *, source: str) -> OhchrExport:
    """Read the bytes of one dashboard export (``source``: its file name, kept to cite it)."""
    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:  # xlrd raises several unrelated types on a non-.xls file
        raise ParseError(f"{source} is not a readable Excel .xls file ({exc})") from None
    if book.nsheets < 1:
        raise ParseError(f"{source} has no sheet")
    return read_sheet(book.sheet_by_index(0), datemode=book.datemode, source=source)


def read_sheet(sheet: Any, *, datemode: int, source: str) -> OhchrExport:
    """Read the export's sheet (an ``xlrd`` sheet: ``nrows``, ``ncols``, ``cell``,
    ``cell_value``); ``datemode`` is the workbook's date system."""
    title_cell = _text(sheet, 0, 0)
    stamp = _LAST_UPDATED.search(title_cell)
    if stamp is None:
        raise ParseError(
            f"{source}: the first cell has no '[Last Updated: dd/mm/yyyy hh:mm:ss]' "
            f"(is it an OHCHR dashboard export?): {title_cell[:120]!r}"
        )
    day, month, year, hour, minute, second = (int(g) for g in stamp.groups())
    try:
        last_updated = datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise ParseError(f"{source}: 'Last Updated' is not a date: {stamp.group(0)!r}") from None
    title = title_cell[: stamp.start()].strip()

    headers = tuple(_text(sheet, 1, c) for c in range(sheet.ncols))
    while headers and not headers[-1]:
        headers = headers[:-1]
    if len(headers) < 3 or not all(
        h.casefold().startswith(want) for h, want in zip(headers, _HEADERS, strict=False)
    ):
        raise ParseError(
            f"{source}: row 2 is not the expected header row (Country, Date of Signature, "
            f"Date of Ratification/Accession ...): {headers}"
        )

    rows: list[OhchrRow] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    r = 2
    while r < sheet.nrows and _text(sheet, r, 0):
        name = _text(sheet, r, 0)
        where = f"{source}, row {r + 1} ({name})"
        code = code_for_name(name)
        if code is None:
            warnings.append(f"unknown country name {name!r} (row {r + 1}): it is not compared")
        elif code in seen:
            raise ParseError(f"{where}: {seen[code]!r} and {name!r} are both {code}")
        else:
            seen[code] = name
        procedures = {
            headers[c]: d
            for c in range(3, len(headers))
            if (d := _date(sheet, datemode, r, c, f"{where}, {headers[c]}")) is not None
        }
        rows.append(
            OhchrRow(
                row=r,
                name=name,
                code=code,
                signature=_date(sheet, datemode, r, 1, f"{where}, signature"),
                consent=_date(sheet, datemode, r, 2, f"{where}, ratification/accession"),
                procedures=procedures,
            )
        )
        r += 1
    if not rows:
        raise ParseError(f"{source}: no country rows under the header row")
    footer = tuple(text for i in range(r, sheet.nrows) if (text := _text(sheet, i, 0)))
    return OhchrExport(
        source=source,
        title=title,
        last_updated=last_updated,
        headers=headers,
        rows=tuple(rows),
        footer=footer,
        warnings=tuple(warnings),
    )
