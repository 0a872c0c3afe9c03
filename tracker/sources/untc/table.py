"""The participants tables of a status page: which tables they are, and their rows.

PURE. A participants table is a table whose header row (one of its first three rows) begins
with "Participant" and whose other columns hold dates: a signature, consent or action column
by its heading (:mod:`.columns`), or a column of an unknown heading whose cells are dates. A
table with a column of words headed "Territories" ("Territoires") beside a column of dates is
a territorial-application table: its rows are read by :func:`read_territorial` into
:class:`~tracker.domain.TerritorialApplication` s, never into participants or consents. A table
headed "Participant" of any other shape (a column of words under another heading) is not read,
and says so in a warning. Every participants table of
the page is read (regional and non-regional members, States and organisations ...); a
participant listed in several is one participant, its dates gathered from all of them.

Each row gives one :class:`~tracker.domain.Participant`: its signature, at most one consent
(a row with two consents keeps the earlier one, the one further left on the same day, and
warns), and its other dates as :class:`~tracker.domain.Action` s. Whatever the reader is
unsure of is a warning naming the participant; nothing is dropped silently.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from tracker import countries
from tracker.dates import parse_date_cell
from tracker.domain import (
    Action,
    ActionKind,
    Consent,
    ConsentKind,
    Participant,
    SignatureKind,
    TerritorialApplication,
)
from tracker.sources.untc.columns import Column, Role, is_name_heading, read_heading
from tracker.sources.untc.markup import Element, clean, text_of

logger = logging.getLogger(__name__)

__all__ = [
    "ParticipantsTable",
    "find_participants_tables",
    "find_tables",
    "read_participants",
    "read_territorial",
    "split_footnotes",
]

# A table's rows are read into lists of *marked* cells: the cell's text, with <sup> footnote
# markers wrapped in _SUP_OPEN/_SUP_CLOSE, a link that opens a participant's declarations
# (a.noteIndex, onclick=ShowDeclarations) marked with _DECL, a <br> as _BR (a space, but
# in a heading it parts two modes: "Ratification<br>Accession(a)"), and a cell alone on its
# row that spans several columns (a sub-heading) starting with _SPAN. Cells without child
# elements (most date cells) are read at once.
_SUP_OPEN, _SUP_CLOSE, _DECL, _SPAN, _BR = "\ue002", "\ue003", "\ue004", "\ue007", "\ue009"
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_CELL_TAGS = frozenset({"td", "th"})
_SUP_RE = re.compile(f"{_SUP_OPEN}([^{_SUP_CLOSE}]*){_SUP_CLOSE}?")
_DIGITS = re.compile(r"\d+")
_MARKERS = re.compile(f"[{_SUP_OPEN}{_DECL}{_SPAN}{_BR}]")
_TRAILING_NOTES = re.compile(r"(?:[\s,]*(?<!\d)\d{1,3}(?!\d))+[\s,]*$")
_HEADER_ROWS = 3  # the header row is one of a table's first rows (a caption row may precede it)
# The enum members the row loop compares with, as module constants: in Python 3.11 reading
# a member from its class (Role.SIGNATURE) costs a descriptor call on every row.
_SIGNATURE, _CONSENT = Role.SIGNATURE, Role.CONSENT
_PLAIN_SIGNATURE, _RATIFICATION = SignatureKind.SIGNATURE, ConsentKind.RATIFICATION
_OTHER = ActionKind.OTHER


@dataclass
class ParticipantsTable:
    """One participants table: its element, its columns (index 0 is the name column) and its
    rows after the header row, each a list of marked cells."""

    element: Element
    columns: list[Column]
    rows: list[list[str]] = field(default_factory=list)
    first_row: int = 1  # the number (1-based, after the header) of rows[0]


def _rows(table: Element) -> list[list[str]]:
    """The table's own rows (not those of nested tables), each a list of marked cells."""
    out = []
    for child in table:
        tag = child.tag
        if tag == "tr":
            rows: Iterable[Element] = (child,)
        elif tag in _ROW_GROUPS:
            rows = child
        else:
            continue
        for tr in rows:
            if tr.tag != "tr":
                continue
            cells = [
                (cell.text or "") if len(cell) == 0 else _marked(cell)
                for cell in tr
                if cell.tag in _CELL_TAGS
            ]
            if len(cells) == 1:  # a cell alone on its row: spanning the table?
                only = next(c for c in tr if c.tag in _CELL_TAGS)
                if only.get("colspan") not in (None, "1"):
                    cells[0] = _SPAN + cells[0]
            out.append(cells)
    return out


def _marked(el: Element) -> str:
    parts = [el.text or ""]
    _walk(el, parts)
    return "".join(parts)


def _walk(el: Element, parts: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag == "sup":
            parts += (_SUP_OPEN, text_of(child), _SUP_CLOSE)
        elif tag == "br":
            parts.append(_BR)
        elif isinstance(tag, str):
            if tag == "a" and _opens_declarations(child):
                parts.append(_DECL)
            parts.append(child.text or "")
            _walk(child, parts)
        parts.append(child.tail or "")


def _opens_declarations(a: Element) -> bool:
    css = a.get("class") or ""
    if css == "noteIndex" or "noteindex" in css.lower():
        return True
    return "showdeclarations" in (a.get("onclick") or "").lower()


def _first_cells(table: Element) -> Iterator[list[Element]]:
    """The cells of the table's first rows (own rows only), cheaply, from Python."""
    seen = 0
    for child in table:
        rows = [child] if child.tag == "tr" else child if child.tag in ("thead", "tbody") else ()
        for row in rows:
            if row.tag != "tr":
                continue
            yield [c for c in row if c.tag in ("td", "th")]
            seen += 1
            if seen >= _HEADER_ROWS:
                return


def unmark(cell: str) -> str:
    """A marked cell's text without its footnote and other markers."""
    if _SUP_OPEN in cell:
        cell = _SUP_RE.sub("", cell)
    if _DECL in cell:
        cell = cell.replace(_DECL, "")
    if _SPAN in cell:
        cell = cell.replace(_SPAN, "")
    if _BR in cell:
        cell = cell.replace(_BR, " ")
    return cell


def find_participants_tables(doc: Element) -> list[ParticipantsTable]:
    """Every participants table of the page, in page order."""
    return find_tables(doc, [])[0]


def find_tables(
    doc: Element, warnings: list[str]
) -> tuple[list[ParticipantsTable], list[ParticipantsTable]]:
    """The page's participants tables and its territorial-application tables, each in page
    order. A table headed "Participant" that is neither is warned about in ``warnings``."""
    found: list[ParticipantsTable] = []
    territorial: list[ParticipantsTable] = []
    for table in doc.iter("table"):
        if not any(
            len(cells) > 1 and is_name_heading(text_of(cells[0])) for cells in _first_cells(table)
        ):
            continue
        rows = _rows(table)
        at = next(
            (
                i
                for i, cells in enumerate(rows[:_HEADER_ROWS])
                if len(cells) > 1 and is_name_heading(unmark(cells[0]))
            ),
            None,
        )
        if at is None:
            continue
        headings = [clean(unmark(c.replace(_BR, ", "))) for c in rows[at]]
        columns = [read_heading(h) for h in headings]
        body = rows[at + 1 :]
        if _is_participants_table(columns, body):
            found.append(ParticipantsTable(table, columns, body))
        elif _is_territorial_table(columns):
            territorial.append(ParticipantsTable(table, columns, body))
        else:
            logger.debug("table with headings %s is not a participants table", headings)
            warnings.append(
                "a table headed " + " | ".join(repr(h) for h in headings) + " is neither a "
                "participants table nor a territorial-application table (one column of "
                "territories beside dates); it was not read"
            )
    return found, territorial


def _is_territorial_table(columns: list[Column]) -> bool:
    """A name column, one column of words headed "Territories" / "Territoires" (the only
    heading :mod:`.columns` reads as words) and at least one column of dates."""
    others = columns[1:]
    words = [c for c in others if not c.dates]
    return (
        len(words) == 1
        and "territo" in countries.normalize(words[0].heading)
        and any(c.dates for c in others)
    )


def _is_participants_table(columns: list[Column], body: list[list[str]]) -> bool:
    others = columns[1:]
    if any(not c.dates for c in others):
        return False  # a column of words: a territorial-application table
    if any(c.role in (Role.SIGNATURE, Role.CONSENT) or c.names_consent for c in others):
        return True
    # only actions: a table of dates, unless an unknown column holds words
    for i, column in enumerate(columns):
        if i and not column.known and not _mostly_dates(body, i):
            return False
    return True


def _mostly_dates(body: list[list[str]], i: int) -> bool:
    filled = dated = 0
    for cells in body:
        if i < len(cells) and (value := unmark(cells[i])).strip():
            filled += 1
            with contextlib.suppress(ValueError):
                dated += parse_date_cell(value) is not None
    return dated * 2 > filled


# --- rows -------------------------------------------------------------------------------


@dataclass
class _Notes:
    """Unsure readings, gathered per note so that one note names all its participants."""

    by_note: dict[str, list[str]] = field(default_factory=dict)

    def add(self, note: str, name: str) -> None:
        names = self.by_note.setdefault(note, [])
        if name not in names:
            names.append(name)

    def warnings(self) -> list[str]:
        out = []
        for note, names in self.by_note.items():
            if len(names) == 1:
                out.append(f"{names[0]}: {note}")
            else:
                out.append(f"{note} ({len(names)} participants: {', '.join(names)})")
        return out


def read_participants(tables: list[ParticipantsTable], warnings: list[str]) -> list[Participant]:
    """The participants of all the tables, in page order; problems go to ``warnings``."""
    out: list[Participant] = []
    where: dict[str, int] = {}  # code -> index in out, for participants of earlier tables
    notes = _Notes()
    dates: dict[str, tuple[date, str] | None | str] = {}  # cell text -> reading, this page
    for table in tables:
        seen: dict[str, int] = {}
        ncols = len(table.columns)
        for n, cells in enumerate(table.rows, start=table.first_row):
            if not cells or (len(cells) == 1 and cells[0].startswith(_SPAN) and ncols > 1):
                continue  # an empty row, or a sub-heading spanning the table
            participant = _participant(cells, table.columns, notes, dates, warnings, n)
            if participant is None:
                continue
            if len(cells) != ncols:
                warnings.append(
                    f"row {n} ({participant.name}): {len(cells)} cells where the header has {ncols}"
                )
            code = participant.code
            if code in seen:  # twice in one table: both rows kept, and warned
                warnings.append(
                    f"{participant.name!r} ({code}) is listed twice (rows {seen[code]} and {n})"
                )
                out.append(participant)
            elif code in where:  # also in an earlier table: one participant
                out[where[code]] = _merged(out[where[code]], participant, warnings)
            else:
                where[code] = len(out)
                out.append(participant)
            seen[code] = n
    warnings.extend(notes.warnings())
    return out


def _participant(
    cells: list[str],
    columns: list[Column],
    notes: _Notes,
    dates: dict[str, tuple[date, str] | None | str],
    warnings: list[str],
    n: int,
) -> Participant | None:
    name, footnotes, withdrawn, declared = _name_cell(cells[0])
    if not name:
        if any(unmark(c).strip() for c in cells):
            warnings.append(f"row {n}: a row without a participant name was skipped")
        return None
    signature: tuple[date, SignatureKind, str] | None = None
    consent: tuple[date, ConsentKind, str] | None = None
    more_signatures: list[tuple[date, SignatureKind, str]] = []
    more_consents: list[tuple[date, ConsentKind, str]] = []
    actions: list[Action] = []
    for i in range(1, min(len(cells), len(columns))):
        value = cells[i]
        parsed = dates.get(value, "")
        if parsed == "":
            try:
                parsed = parse_date_cell(unmark(value) if _MARKERS.search(value) else value)
            except ValueError as exc:
                parsed = str(exc)
            dates[value] = parsed
        if parsed is None:
            continue
        column = columns[i]
        if isinstance(parsed, str):
            warnings.append(f"{name}: {_label(column)} {parsed}")
            continue
        when, suffix = parsed
        reading = column.read(suffix) if suffix else column.bare
        if reading.note:
            notes.add(reading.note, name)
        role = reading.role
        if role is _SIGNATURE:
            found = (when, reading.signature or _PLAIN_SIGNATURE, column.heading)
            if signature is None:
                signature = found
            else:
                more_signatures.append(found)
        elif role is _CONSENT:
            given = (when, reading.consent or _RATIFICATION, column.heading)
            if consent is None:
                consent = given
            else:
                more_consents.append(given)
        else:
            kind = reading.action or _OTHER
            actions.append(Action(kind=kind, date=when, column=column.heading, suffix=suffix))
    code = countries.code_for(name)
    if code is None:
        code = _unknown_code(name)
        warnings.append(f"unknown participant name {name!r}: add it to tracker/countries.py")
    if more_signatures and signature is not None:
        _warn_signatures(signature, more_signatures, name, warnings)
    chosen = None
    if consent is not None:
        chosen = (
            _consent([consent, *more_consents], name, warnings)
            if more_consents
            else Consent(date=consent[0], kind=consent[1])
        )
    return Participant(
        name=name,
        code=code,
        footnotes=footnotes,
        signature=None if signature is None else signature[0],
        consent=chosen,
        withdrawn=withdrawn,
        has_declarations=declared,
        signature_kind=None if signature is None else signature[1],
        actions=tuple(actions),
    )


def _unknown_code(name: str) -> str:
    """The code of a participant name the country list does not know: "X-" and the name."""
    return "X-" + re.sub(r"[^A-Z0-9]+", "-", countries.normalize(name).upper()).strip("-")


def _label(column: Column) -> str:
    if column.role is _SIGNATURE:
        return "signature"
    if column.role is _CONSENT:
        return "consent"
    return f"{column.heading!r}:"


def _warn_signatures(
    first: tuple[date, SignatureKind, str],
    others: list[tuple[date, SignatureKind, str]],
    name: str,
    warnings: list[str],
) -> None:
    """A row with several signature dates: the first is kept, the others warned."""
    for other in others:
        warnings.append(
            f"{name}: a second signature date, {other[0].isoformat()} under {other[2]!r}; "
            f"the first, {first[0].isoformat()} under {first[2]!r}, is kept"
        )


def _consent(
    consents: list[tuple[date, ConsentKind, str]], name: str, warnings: list[str]
) -> Consent:
    """One consent per row: the earliest (the State was bound from its first instrument);
    on the same day, the one further left."""
    if len(consents) == 1:
        return Consent(date=consents[0][0], kind=consents[0][1])
    chosen = min(consents, key=lambda c: c[0])  # min keeps the first of equal dates
    listed = "; ".join(
        f"{d.isoformat()} {str(k).replace('_', ' ')} under {h!r}" for d, k, h in consents
    )
    warnings.append(
        f"{name}: {len(consents)} consents on one row ({listed}); the earliest, "
        f"{chosen[0].isoformat()} {str(chosen[1]).replace('_', ' ')}, is kept"
    )
    return Consent(date=chosen[0], kind=chosen[1])


def _merged(first: Participant, later: Participant, warnings: list[str]) -> Participant:
    """One participant listed in two tables: the dates of both, conflicts warned."""
    signature, signature_kind = first.signature, first.signature_kind
    if later.signature is not None:
        if signature is None:
            signature, signature_kind = later.signature, later.signature_kind
        elif later.signature != signature:
            warnings.append(
                f"{first.name}: two tables give different signature dates "
                f"({signature.isoformat()}, {later.signature.isoformat()}); the first is kept"
            )
    consent = first.consent
    if later.consent is not None:
        if consent is None:
            consent = later.consent
        elif later.consent != consent:
            kept = min((consent, later.consent), key=lambda c: c.date)
            warnings.append(
                f"{first.name}: two tables give different consents ({consent.date.isoformat()} "
                f"{consent.kind}, {later.consent.date.isoformat()} {later.consent.kind}); "
                f"the earliest, {kept.date.isoformat()}, is kept"
            )
            consent = kept
    return Participant(
        name=first.name,
        code=first.code,
        footnotes=tuple(dict.fromkeys((*first.footnotes, *later.footnotes))),
        signature=signature,
        consent=consent,
        withdrawn=first.withdrawn or later.withdrawn,
        has_declarations=first.has_declarations or later.has_declarations,
        signature_kind=signature_kind,
        actions=first.actions + tuple(a for a in later.actions if a not in first.actions),
    )


# --- the name cell -------------------------------------------------------------------------


def _name_cell(cell: str) -> tuple[str, tuple[str, ...], bool, bool]:
    """A marked name cell -> (name, footnote numbers, withdrawn, has a declarations link)."""
    declared = _DECL in cell
    if declared:
        cell = cell.replace(_DECL, "")
    footnotes: list[str] = []
    if _SUP_OPEN in cell:
        footnotes = [n for sup in _SUP_RE.findall(cell) for n in _DIGITS.findall(sup)]
        cell = _SUP_RE.sub("", cell)
    if _SPAN in cell or _BR in cell:
        cell = cell.replace(_SPAN, "").replace(_BR, " ")
    name, glued, withdrawn = name_text(cell)
    if glued:
        footnotes.extend(glued)
    if len(footnotes) > 1:
        footnotes = list(dict.fromkeys(footnotes))
    return name, tuple(footnotes), withdrawn, declared


def name_text(text: str) -> tuple[str, tuple[str, ...], bool]:
    """Cell text -> (name, footnote numbers glued to it, withdrawn: the name in brackets)."""
    name, footnotes = split_footnotes(clean(text))
    withdrawn = False
    if name[:1] == "[" and "]" in name:
        withdrawn = True
        inner, _, after = name[1:].partition("]")
        name, inner_notes = split_footnotes(inner.strip())
        _, after_notes = split_footnotes(after.strip())
        footnotes = [*footnotes, *inner_notes, *after_notes]
    return name, tuple(footnotes), withdrawn


def split_footnotes(text: str) -> tuple[str, list[str]]:
    """ "Cambodia 2, 3" -> ("Cambodia", ["2", "3"]); "Koweït31,77" -> ("Koweït", ["31", "77"])."""
    last = text[-1:]
    # only a text that ends with a digit, a comma or a space can end with footnote numbers
    m = _TRAILING_NOTES.search(text) if last.isdigit() or last.isspace() or last == "," else None
    if not m or m.start() == 0:
        return text.strip(" ,"), []
    return text[: m.start()].strip(" ,"), _DIGITS.findall(m.group(0))


# --- the territorial-application table ------------------------------------------------------


def read_territorial(
    tables: list[ParticipantsTable], warnings: list[str]
) -> list[TerritorialApplication]:
    """The rows of the territorial-application tables, in page order. A row is never a
    participant nor a consent; what cannot be read is a warning naming the row."""
    out: list[TerritorialApplication] = []
    for table in tables:
        words = next(i for i, c in enumerate(table.columns) if i and not c.dates)
        dated = next(i for i, c in enumerate(table.columns) if i and c.dates)
        heading = table.columns[dated].heading
        ncols = len(table.columns)
        for n, cells in enumerate(table.rows, start=table.first_row):
            if not cells or (len(cells) == 1 and cells[0].startswith(_SPAN) and ncols > 1):
                continue
            name, _, _, _ = _name_cell(cells[0])
            where = f"territorial-application table, row {n}"
            if not name:
                if any(unmark(c).strip() for c in cells):
                    warnings.append(f"{where}: a row without a participant name was skipped")
                continue
            if len(cells) != ncols:
                warnings.append(
                    f"{where} ({name}): {len(cells)} cells where the header has {ncols}"
                )
            territories = (
                clean(unmark(cells[words].replace(_BR, ", "))) if words < len(cells) else ""
            )
            when: date | None = None
            raw = unmark(cells[dated]) if dated < len(cells) else ""
            try:
                parsed = parse_date_cell(raw)
            except ValueError as exc:
                warnings.append(f"{where} ({name}): {heading!r}: {exc}")
                parsed = None
            if parsed is not None:
                when = parsed[0]
            elif raw.strip() == "":
                warnings.append(f"{where} ({name}): no date of notification")
            if not territories:
                warnings.append(f"{where} ({name}): no territories named")
            code = countries.code_for(name)
            if code is None:
                code = _unknown_code(name)
                warnings.append(
                    f"{where}: unknown participant name {name!r}: add it to tracker/countries.py"
                )
            out.append(TerritorialApplication(name, code, when, territories, heading))
    return out
