"""Parse a UN Treaty Collection (MTDSG) status page into a :class:`TreatyStatus`.

Pure: page text + URL in, domain objects out; no network, no clock, no Scrapy.

The parser anchors on meaning, not on one exact element id (see ``../shared/untc/STRUCTURE.md``):

* the participants table is the table whose header row begins with "Participant" and whose
  other headers name a kind of consent (a territorial-application table, which also begins
  with "Participant", is skipped);
* header fields are found by the id suffixes UNTC uses (``tcTreaty``, ``rptEIF`` ...) and,
  failing that, by their labels ("Entry into force", "Registration", "Status" and the French
  "Entrée en vigueur", "Enregistrement", "État");
* the page checks itself: the stated counts of signatories and parties are compared with the
  rows, and any disagreement is reported in ``warnings``.

A page that is not a status page raises :class:`ParseError` saying what was missing.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import TypeAlias
from urllib.parse import parse_qs, urlsplit

import lxml.etree

from tracker import countries
from tracker.domain import (
    SUFFIX_TO_KIND,
    Conclusion,
    Consent,
    Counts,
    EntryIntoForce,
    ParseError,
    Participant,
    TreatyStatus,
    row_counts,
)

logger = logging.getLogger(__name__)

__all__ = ["ParseError", "parse_status_page", "parse_date", "parse_action"]

MONTHS: dict[str, int] = {
    # English (UNTC writes 3-letter abbreviations in tables, full names in texts)
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    # French
    "janv": 1, "févr": 2, "fevr": 2, "mars": 3, "avr": 4, "mai": 5, "juin": 6,
    "juil": 7, "août": 8, "aout": 8, "oct.": 10, "déc": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "avril": 4, "juillet": 7,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}  # fmt: skip

_TZ_OFFSETS = {"EDT": -4, "EST": -5, "UTC": 0, "GMT": 0}

_DATE = re.compile(r"(\d{1,2})(?:er)?\s+([^\W\d_]+)\.?\s+(\d{4})")
_ACTION = re.compile(r"^(\d{1,2})\s+([^\W\d_]+)\.?\s+(\d{4})(?:\s+(AA|a|A|d|c))?$")
_ACTION_RAW = re.compile(r"\s*(\d{1,2})\s+([^\W\d_]+)\.?\s+(\d{4})(?:\s+(AA|a|A|d|c))?\s*\Z")
_TRAILING_NOTES = re.compile(r"(?:[\s,]*(?<!\d)\d{1,3}(?!\d))+[\s,]*$")
_TITLE_NUMBER = re.compile(r"^\s*\d+\s*\.\s*(?:[a-z]{1,2}\s*\.?\s+(?=[A-Z]))?")
_TITLE_NUMBER_PARTS = re.compile(r"^\s*(\d+)\s*\.\s*(?:([a-z]{1,2})\s*\.?\s+(?=[A-Z]))?")
_GAP = r"(?:\s|&nbsp;|&#160;|<[^>]*>)*"  # white space or tags between words in raw HTML
# every alternative starts with a literal, so that re scans for its first characters quickly
_STATUS_LABEL = re.compile(
    r"STATUS\s+AS\s+AT|Status\s+as\s+at|État\s+au|Etat\s+au|&Eacute;tat\s+au|&#201;tat\s+au"
)
_STATUS_AS_AT = re.compile(
    rf"(?:STATUS\s+AS\s+AT|(?:[ÉE]|&Eacute;|&#201;)tat\s+au){_GAP}:{_GAP}"
    rf"(\d{{2}})-(\d{{2}})-(\d{{4}}){_GAP}(\d{{2}}):(\d{{2}}):(\d{{2}}){_GAP}([A-Z]{{3}})?",
    re.IGNORECASE,
)
_SIGNATORIES = re.compile(r"(?:Signatories|Signataires)\s*:\s*(\d+)", re.IGNORECASE)
_PARTIES = re.compile(r"Parties\s*:\s*(\d+)", re.IGNORECASE)
_CONSENT_WORDS = re.compile(
    r"ratification|accession|acceptance|approval|succession|confirmation|"
    r"adh[ée]sion|acceptation|approbation|definitive|d[ée]finitive",
    re.IGNORECASE,
)
_TERRITORIAL_WORDS = re.compile(r"territor|notification|application", re.IGNORECASE)
_DECL_HEADING = re.compile(
    r"^(?:declarations?\s+and\s+reservations?|d[ée]clarations?\s+et\s+r[ée]serves?)\b",
    re.IGNORECASE,
)
_DECL_END = re.compile(
    r"^(?:objections?\b|notes?\s*:?$|end\s*notes?\b|notifications?\s+under\b|"
    r"territorial\s+application|application\s+territoriale)",
    re.IGNORECASE,
)
_MAINTENANCE = re.compile(r"maintenance|temporarily unavailable|service unavailable", re.I)
# Words that tell the page's language, each with what must follow it (str.find, then a
# short match: much faster than one regular expression over the header)
_NOT_WORD = re.compile(r"(?!\w)")
_ROMAN = re.compile(r"\s+[IVXL]")
_COLON = re.compile(r"\s*:")
_FRENCH_MARKERS = (
    ("tat au", _NOT_WORD),
    ("Signataires", _NOT_WORD),
    ("CHAPITRE", _ROMAN),
    ("Entrée en vigueur", None),
    ("Entr&eacute;e en vigueur", None),
)
_ENGLISH_MARKERS = (
    ("STATUS AS AT", _COLON),
    ("Signatories", _COLON),
    ("CHAPTER", _ROMAN),
    ("Entry into force", None),
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "td", "th", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd"}
)


Element: TypeAlias = lxml.etree._Element
# collect_ids=False: ids are searched by XPath, never through the parser's id index
_HTML_PARSER = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)


_HTML_PARSER_UTF8 = lxml.etree.HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, encoding="utf-8"
)


def _parse_html(text: str) -> Element | None:
    parser = _HTML_PARSER
    try:
        doc = lxml.etree.fromstring(text, parser)
    except ValueError:  # a str that declares its own encoding (<?xml ... encoding=...?>)
        parser = _HTML_PARSER_UTF8
        doc = lxml.etree.fromstring(text.encode("utf-8"), parser)
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        # libxml2 stops reading at its depth limit (256 levels) and drops the rest
        raise ValueError("its markup is nested more than 256 levels deep")
    return doc


def _text(el: Element) -> str:
    """All text inside an element (lxml's plain elements have no ``text_content``)."""
    return "".join(el.itertext())


@lru_cache(maxsize=8192)
def _normalize(name: str) -> str:
    return countries.normalize(name)


def _looks_cut_off(text: str) -> bool:
    """A full HTML document (it opens with <html or <!DOCTYPE) that never closes."""
    head = text.lstrip()[:200].lower()
    if not (head.startswith("<!doctype") or head.startswith("<html") or head.startswith("<!--")):
        return False
    if "<html" not in text[:4000].lower():
        return False
    return "</html>" not in text[-2000:].lower()


def clean(text: str | None) -> str:
    """Whitespace collapsed (tabs, non-breaking spaces, newlines), NFC-normalised, stripped."""
    if not text:
        return ""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def parse_date(text: str) -> date | None:
    """The first date in ``text`` ("28 Feb 2012", "24 sept 2012", "1er mai 2014")."""
    m = _DATE.search(clean(text))
    if not m:
        return None
    month = MONTHS.get(m.group(2).lower().rstrip("."))
    if month is None:
        return None
    try:
        return date(int(m.group(3)), month, int(m.group(1)))
    except ValueError:
        return None


def parse_action(text: str) -> tuple[date, str] | None:
    """A status-table date cell -> (date, suffix). ``None`` for an empty cell.

    Raises ``ValueError`` for a cell that holds something else than a date with a known suffix.
    """
    m = _ACTION_RAW.match(text)  # the usual cell, read as it is: no need to clean it first
    if m and (month := MONTHS.get(m.group(2).lower())) is not None:
        return date(int(m.group(3)), month, int(m.group(1))), m.group(4) or ""
    value = clean(text)
    if not value:
        return None
    m = _ACTION.match(value)
    if not m:
        raise ValueError(f"cannot read the date {value!r}")
    month = MONTHS.get(m.group(2).lower())
    if month is None:
        raise ValueError(f"unknown month {m.group(2)!r} in {value!r}")
    return date(int(m.group(3)), month, int(m.group(1))), m.group(4) or ""


def parse_status_page(text: str, url: str) -> TreatyStatus:
    """Parse one MTDSG status page (HTML). Raises :class:`ParseError` if it is not one."""
    if not text or text.isspace():
        raise ParseError("the page is empty", url=url)
    try:
        doc = _parse_html(text)
    except (lxml.etree.LxmlError, ValueError) as exc:
        raise ParseError(f"the page is not readable HTML ({exc})", url=url) from exc
    if doc is None:
        raise ParseError("the page has no HTML document in it", url=url)
    if _looks_cut_off(text):
        raise ParseError(
            "the page is incomplete: it ends before its closing </html> tag (cut off in transfer?)",
            url=url,
        )
    lxml.etree.strip_elements(doc, "script", "style", "noscript", with_tail=False)
    head_html = text  # status as at and the labels that tell the language

    table, headers = _find_participants_table(doc)
    if table is None:
        page_text = " ".join(_text(doc).split())
        if not page_text:
            raise ParseError("the page has no text", url=url)
        if _MAINTENANCE.search(page_text[:3000]):
            raise ParseError("this is the UNTC maintenance page, not a treaty status page", url=url)
        raise ParseError(
            "no participants table: no table has a header row beginning with 'Participant' "
            "and a consent column (Ratification, Accession ...)",
            url=url,
        )

    warnings: list[str] = []
    mtdsg_no = _mtdsg_no_from_url(url)
    if mtdsg_no is None:
        raise ParseError("the URL does not name a treaty (no mtdsg_no parameter)", url=url)
    head = _head(head_html)
    language = _language(url, head_html, warnings, head)

    ids = _id_fields(doc, table)
    if len(ids) < len(_HEADER_IDS):  # some header field is elsewhere: search the whole page
        ids = _id_fields(doc)
    title_text = _field(doc, ids, "tcTreaty", ())
    title = _TITLE_NUMBER.sub("", title_text).strip()
    if not title:
        warnings.append("the treaty title was not found")
    conclusion = _conclusion(_field(doc, ids, "rptTreaty_ctl00_tcText", ()))
    chapter = _field(doc, ids, "rptHead_ctl00_tcText", ()) or None
    eif_text = _field(doc, ids, "rptEIF", ("Entry into force", "Entrée en vigueur"))
    registration = _field(doc, ids, "rptRegistration", ("Registration", "Enregistrement")) or None
    status_text = _field(doc, ids, "rptStatus", ("Status", "État", "Etat"))
    counts = Counts(
        signatories=_int(_SIGNATORIES.search(status_text)),
        parties=_int(_PARTIES.search(status_text)),
    )
    if not status_text:
        warnings.append("the Status field (counts of signatories and parties) was not found")

    participants = _participants(table, headers, warnings)
    if not participants:
        raise ParseError("the participants table has no participant rows", url=url)

    declarations = _declarations(doc, participants, table, text)
    if declarations:
        participants = [
            p if p.has_declarations or p.code not in declarations else _with_decl(p)
            for p in participants
        ]

    warnings.extend(_count_warnings(counts, participants))
    return TreatyStatus(
        mtdsg_no=mtdsg_no,
        language=language,
        title=title,
        url=url,
        conclusion=conclusion,
        chapter=chapter,
        status_as_at=_status_as_at(head_html, head),
        entry_into_force=(
            EntryIntoForce(date=parse_date(eif_text), text=eif_text) if eif_text else None
        ),
        registration=registration,
        counts=counts,
        participants=tuple(participants),
        declarations=declarations,
        warnings=tuple(warnings),
    )


# --- the participants table -------------------------------------------------------------


def _rows(table: Element) -> Iterable[Element]:
    """The table's own rows (not those of nested tables), in order."""
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (r for r in child if r.tag == "tr")


def _cells(row: Element) -> list[Element]:
    return [c for c in row if c.tag == "td" or c.tag == "th"]


def _find_participants_table(
    doc: Element,
) -> tuple[Element | None, list[str]]:
    found: list[tuple[Element, list[str]]] = []
    for table in doc.iter("table"):
        first = next(iter(_rows(table)), None)
        cells = [] if first is None else _cells(first)
        if not cells:
            continue
        name_header = clean(_text(cells[0]))
        if not name_header.lower().startswith("participant"):
            continue
        headers = [name_header, *(clean(_text(c)) for c in cells[1:])]
        rest = " ".join(headers[1:])
        if not _CONSENT_WORDS.search(rest) or _TERRITORIAL_WORDS.search(rest):
            continue
        found.append((table, headers))
    if len(found) > 1:  # the UNTC grid (id ...tblgrid), else the longest
        found.sort(
            key=lambda f: (
                sum(1 for _ in _rows(f[0])) + (10_000 if "tblgrid" in (f[0].get("id") or "") else 0)
            ),
            reverse=True,
        )
    return found[0] if found else (None, [])


def _participants(table: Element, headers: list[str], warnings: list[str]) -> list[Participant]:
    sig_col: int | None = None
    consent_col: int | None = None
    for i, header in enumerate(headers[1:], start=1):
        if header.lower().startswith("signature") and sig_col is None:
            sig_col = i
        elif _CONSENT_WORDS.search(header) and consent_col is None:
            consent_col = i
    if consent_col is None:  # pragma: no cover - guarded by _find_participants_table
        raise ParseError("the participants table has no consent column")

    out: list[Participant] = []
    seen: dict[str, int] = {}
    ncols = len(headers)
    for n, row in enumerate(_table_rows(table)[1:], start=1):
        if not row:
            continue
        participant, problems, ncells = _row(row, sig_col, consent_col)
        if participant is None:
            if problems:
                warnings.append(f"row {n}: a row without a participant name was skipped")
            continue
        if ncells < ncols:
            warnings.append(
                f"row {n} ({participant.name}): {ncells} cells where the header has {ncols}"
            )
        if problems:
            warnings.extend(problems)
        code = participant.code
        if code in seen:
            warnings.append(
                f"{participant.name!r} ({code}) is listed twice (rows {seen[code]} and {n})"
            )
        seen[code] = n
        out.append(participant)
    return out


@lru_cache(maxsize=16384)
def _row(
    row: str, sig_col: int | None, consent_col: int
) -> tuple[Participant | None, tuple[str, ...], int]:
    """One marked row of the participants table (each cell followed by _CELL) ->
    (participant, problems, number of cells). Without a name there is no participant, and
    the problems are not empty when the row holds some other text. Memoised: from one poll
    to the next most rows are the same."""
    cells = row[:-1].split(_CELL)
    name, footnotes, withdrawn, declared = _name_cell(cells[0])
    if not name:
        return None, tuple(c for c in cells if _unmark(c).strip()), len(cells)
    problems: list[str] = []
    signature: date | None = None
    if sig_col is not None and sig_col < len(cells):
        signature, suffix, problem = _date_cell(cells[sig_col])
        if problem:
            problems.append(f"{name}: signature {problem}")
        elif suffix not in ("", "d"):
            problems.append(f"{name}: unexpected suffix {suffix!r} on the signature date")
    consent: Consent | None = None
    if consent_col < len(cells):
        consent, problem = _consent_cell(cells[consent_col])
        if problem:
            problems.append(f"{name}: consent {problem}")
    code = _code_for(name)
    if code is None:
        code = "X-" + re.sub(r"[^A-Z0-9]+", "-", _normalize(name).upper()).strip("-")
        problems.append(f"unknown participant name {name!r}: add it to tracker/countries.py")
    participant = Participant(
        name=name,
        code=code,
        footnotes=footnotes,
        signature=signature,
        consent=consent,
        withdrawn=withdrawn,
        has_declarations=declared,
    )
    return participant, tuple(problems), len(cells)


# The rows of the participants table as one string, made by libxslt in C (much faster than
# visiting each cell from Python): cells end with _CELL, rows with _ROW, <sup> footnote
# markers are wrapped in _SUP_OPEN/_SUP_CLOSE, and a link that opens a participant's
# declarations (a.noteIndex, onclick=ShowDeclarations) is marked with _DECL (UNTC's exact
# class="noteIndex" is tested first: a plain comparison, cheaper than the lenient test).
_CELL, _ROW, _SUP_OPEN, _SUP_CLOSE, _DECL = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004"
_LOWER = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_ROWS_XSLT = lxml.etree.XSLT(
    lxml.etree.XML(
        f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/">
  <xsl:for-each select="*/tr|*/thead/tr|*/tbody/tr|*/tfoot/tr">
    <xsl:for-each select="td|th"><xsl:apply-templates/><xsl:text>&#xE000;</xsl:text></xsl:for-each>
    <xsl:text>&#xE001;</xsl:text>
  </xsl:for-each>
</xsl:template>
<xsl:template match="sup">&#xE002;<xsl:value-of select="."/>&#xE003;</xsl:template>
<xsl:template match="a[@class='noteIndex']" priority="2">
  <xsl:text>&#xE004;</xsl:text><xsl:apply-templates/>
</xsl:template>
<xsl:template match="a[contains({_LOWER.format("@class")}, 'noteindex')
                     or contains({_LOWER.format("@onclick")}, 'showdeclarations')]">
  <xsl:text>&#xE004;</xsl:text><xsl:apply-templates/>
</xsl:template>
</xsl:stylesheet>"""
    )
)
_SUP_RE = re.compile(f"{_SUP_OPEN}([^{_SUP_CLOSE}]*){_SUP_CLOSE}?")


def _table_rows(table: Element) -> list[str]:
    """The table's own rows (not those of nested tables), each a string of marked cells,
    every cell followed by _CELL ("" for a row without cells)."""
    return str(_ROWS_XSLT(table)).split(_ROW)[:-1]


def _unmark(cell: str) -> str:
    """A marked cell's text without its footnote markers."""
    if _SUP_OPEN in cell:
        cell = _SUP_RE.sub("", cell)
    return cell.replace(_DECL, "")


def _name_cell(cell: str) -> tuple[str, tuple[str, ...], bool, bool]:
    """A marked name cell -> (name, footnote numbers, withdrawn, has a declarations link)."""
    footnotes = (
        [n for sup in _SUP_RE.findall(cell) for n in re.findall(r"\d+", sup)]
        if _SUP_OPEN in cell
        else []
    )
    name, glued, withdrawn = _name_text(_unmark(cell))
    footnotes.extend(glued)
    return name, tuple(dict.fromkeys(footnotes)), withdrawn, _DECL in cell


@lru_cache(maxsize=8192)
def _date_cell(cell: str) -> tuple[date | None, str, str | None]:
    """A marked date cell -> (date, suffix, problem); (None, "", None) for an empty cell."""
    try:
        action = parse_action(_unmark(cell))
    except ValueError as exc:
        return None, "", str(exc)
    return (None, "", None) if action is None else (action[0], action[1], None)


@lru_cache(maxsize=8192)
def _consent_cell(cell: str) -> tuple[Consent | None, str | None]:
    """A marked consent cell -> (consent, problem)."""
    when, suffix, problem = _date_cell(cell)
    if when is None:
        return None, problem
    return Consent(date=when, kind=SUFFIX_TO_KIND[suffix]), None


def _code_for(name: str) -> str | None:
    return countries.code_for(name)  # not memoised here: _row and _short_block are


def _name_text(text: str) -> tuple[str, tuple[str, ...], bool]:
    """Cell text -> (name, footnote numbers glued to it, withdrawn)."""
    name, footnotes = split_footnotes(clean(text))
    withdrawn = False
    if name.startswith("[") and "]" in name:
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
    return text[: m.start()].strip(" ,"), re.findall(r"\d+", m.group(0))


def _with_decl(p: Participant) -> Participant:
    return Participant(
        name=p.name,
        code=p.code,
        footnotes=p.footnotes,
        signature=p.signature,
        consent=p.consent,
        withdrawn=p.withdrawn,
        has_declarations=True,
    )


# --- header fields -----------------------------------------------------------------------


_HEADER_IDS = (
    "tcTreaty",
    "rptTreaty_ctl00_tcText",
    "rptHead",
    "rptEIF",
    "rptRegistration",
    "rptStatus",
)
_ID_XPATH = lxml.etree.XPath('//*[contains(@id, "_tc")]')
_ID_BEFORE_XPATH = lxml.etree.XPath('preceding::*[contains(@id, "_tc")]')


def _id_fields(doc: Element, table: Element | None = None) -> list[tuple[str, Element]]:
    """The value cells UNTC marks with ids ending in ``tcText`` or ``tcTreaty``: those before
    ``table`` (where the header sits, a shorter search) or, without it, in the whole page."""
    found = _ID_XPATH(doc) if table is None else _ID_BEFORE_XPATH(table)
    return [(el.get("id"), el) for el in found if el.get("id").endswith(("tcText", "tcTreaty"))]


def _field(
    doc: Element,
    ids: list[tuple[str, Element]],
    id_part: str,
    labels: Iterable[str],
) -> str:
    """A header field: by UNTC id (the value cell ``..._<id_part>..._tcText``), else by label."""
    for el_id, el in ids:
        if id_part in el_id:
            value = clean(_text(el))
            if value:
                return value
    for label in labels:
        value = _by_label(doc, label)
        if value:
            return value
    return ""


def _by_label(doc: Element, label: str) -> str:
    wanted = label.lower()
    for cell in doc.iter("td", "th", "span", "div", "dt"):
        text = clean(_text(cell)).lower().rstrip(": ").strip()
        if text != wanted:
            continue
        sibling = cell.getnext()
        while sibling is not None:
            value = clean(_text(sibling))
            if value and value != ":":
                return value.lstrip(": ").strip()
            sibling = sibling.getnext()
    return ""


def _conclusion(text: str) -> Conclusion | None:
    if not text:
        return None
    m = re.match(r"^(.*?\b\d{4})\b[\s\d,]*$", text)
    if m:
        text = m.group(1)  # "New York, 17 December 1963 1": the 1 is a footnote marker
    place, _, when = text.rpartition(",")
    return Conclusion(text=text, place=place.strip() or None, date=parse_date(when or text))


def _status_as_at(page_html: str, head: tuple[int, int] | None) -> datetime | None:
    """The "STATUS AS AT" time, looked for first in ``head`` (the header before the
    participants table, where UNTC prints it), then in the whole page."""
    spans = [head, (0, len(page_html))] if head else [(0, len(page_html))]
    m = next(
        (
            m
            for start, end in spans
            for label in _STATUS_LABEL.finditer(page_html, start, end)
            if (m := _STATUS_AS_AT.match(page_html, label.start(), label.start() + 600))
        ),
        None,
    )
    if not m:
        return None
    day, month, year, hh, mm, ss, tz = m.groups()
    offset = _TZ_OFFSETS.get((tz or "").upper(), 0)
    try:
        return datetime(
            int(year), int(month), int(day), int(hh), int(mm), int(ss),
            tzinfo=timezone(timedelta(hours=offset)),
        )  # fmt: skip
    except ValueError:
        return None


_TITLE_CELL = re.compile(r"""id=["'][^"']*tcTreaty["'][^>]*>\s*([^<]{0,200})""")


def other_treaty_number(text: str, mtdsg_no: str) -> str | None:
    """The treaty number the page's title gives ("11 . c") when it is not the number of
    ``mtdsg_no`` ("IV-11-d"): the page is another treaty's. None when they agree, or when the
    page has no numbered title."""
    cell = _TITLE_CELL.search(text)
    if cell is None:
        return None
    match = _TITLE_NUMBER_PARTS.match(cell[1])
    parts = mtdsg_no.strip().lower().split("-")[1:]
    if match is None or not parts or len(parts) > 2:
        return None
    number, letter = match[1], match[2]
    if number == parts[0].lstrip("0") and (letter or None) == (
        parts[1] if len(parts) > 1 else None
    ):
        return None
    return f"{number} . {letter}" if letter else f"{number} ."


def _mtdsg_no_from_url(url: str) -> str | None:
    query = parse_qs(urlsplit(url).query)
    for key, values in query.items():
        if key.lower() == "mtdsg_no" and values and values[0].strip():
            return values[0].strip()
    return None


def _head(page_html: str) -> tuple[int, int] | None:
    """Where the header fields sit in the raw page: the 20,000 characters before the
    participants table. None when the table is not found in the raw text."""
    found = (page_html.find("tblgrid"), page_html.find(">Participant<"))
    i = min((j for j in found if j >= 0), default=-1)
    return (max(0, i - 20_000), i) if i > 0 else None


def _count_markers(
    text: str, start: int, end: int, markers: tuple[tuple[str, re.Pattern[str] | None], ...]
) -> int:
    """How many times the marker words occur in ``text[start:end]``."""
    n = 0
    for word, after in markers:
        i = text.find(word, start, end)
        while i >= 0:
            j = i + len(word)
            if after is None or after.match(text, j, end):
                n += 1
            i = text.find(word, j, end)
    return n


def _language(url: str, page_html: str, warnings: list[str], head: tuple[int, int] | None) -> str:
    """The page's language, told by marker words in ``head`` (see :func:`_head`; the whole
    page when None), checked against the URL's."""
    query = {k.lower(): v[0].lower() for k, v in parse_qs(urlsplit(url).query).items() if v}
    from_url = None
    if "clang" in query:
        from_url = query["clang"].lstrip("_")[:2]
    elif "lang" in query:
        from_url = query["lang"][:2]
    start, end = head or (0, len(page_html))
    fr = _count_markers(page_html, start, end, _FRENCH_MARKERS)
    en = _count_markers(page_html, start, end, _ENGLISH_MARKERS)
    from_page = "fr" if fr > en else "en" if en > fr else None
    if from_page and from_url and from_page != from_url:
        warnings.append(f"the URL asks for language {from_url!r} but the page is in {from_page!r}")
    return from_page or from_url or "en"


def _int(m: re.Match[str] | None) -> int | None:
    return int(m.group(1)) if m else None


def _count_warnings(stated: Counts, participants: list[Participant]) -> list[str]:
    """Where the page's stated counts disagree with those its rows imply."""
    rows = row_counts(participants)
    signatories, parties = rows.signatories, rows.parties
    out = []
    if stated.parties is not None and stated.parties != parties:
        out.append(f"the page states {stated.parties} parties but its rows show {parties}")
    if stated.signatories is not None and stated.signatories != signatories:
        out.append(
            f"the page states {stated.signatories} signatories but its rows show {signatories}"
        )
    return out


# --- declarations and reservations -------------------------------------------------------


_BLOCK_NAMES = "|".join(sorted(_BLOCK_TAGS))
_START, _OPEN, _CLOSE = "\ue005", "\ue006", "\ue008"
_LOOSE_BLANK = " " + _CLOSE
# The declarations container's text, with _OPEN and _CLOSE where each block element (p, div,
# td ...) opens and closes: text between an _OPEN and the next _CLOSE is a leaf block's (a
# block with no block inside); other text lies loose between blocks. Only match patterns, no
# per-element XPath tests, so libxslt copies the text in C.
_BLOCKS_XSLT = lxml.etree.XSLT(
    lxml.etree.XML(
        f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="{_BLOCK_NAMES}">&#xE006;<xsl:apply-templates/>&#xE008;</xsl:template>
</xsl:stylesheet>"""
    )
)


# ASCII white space (as str.split() knows it) -> " ", on the UTF-8 bytes of the section: in
# UTF-8 these bytes never occur inside a multi-byte character
_ASCII_SPACES = bytes.maketrans(b"\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f", b" " * 9)


def _collapse(text: str) -> str:
    """``clean(text)`` for a text whose ASCII white space is already plain spaces: quick
    when the text is already clean (no double space, no other white space)."""
    if "  " in text or not (text.isascii() or text.isprintable()):
        return clean(text)
    text = text.strip(" ")
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _find_anchor(doc: Element, table: Element | None) -> Element | None:
    """The ``EndDec`` anchor where the declarations section starts: first after the
    participants table (where UNTC puts it, so the walk stops early), else anywhere."""
    el = table
    while el is not None:
        for sibling in el.itersiblings(lxml.etree.Element):
            for x in sibling.iter(lxml.etree.Element):
                if x.get("name") == "EndDec" or x.get("id") == "EndDec":
                    return x
        el = el.getparent()
    anchors = _ANCHOR(doc)
    return anchors[0] if anchors else None


def _has_blocks(el: Element, n: int) -> bool:
    """Whether ``el`` holds at least ``n`` block elements (itself not counted)."""
    for i, _ in enumerate(el.iter(*_BLOCK_TAGS), start=0 if el.tag in _BLOCK_TAGS else 1):
        if i >= n:
            return True
    return False


_ANCHOR = lxml.etree.XPath('//*[@name="EndDec" or @id="EndDec"]')


def _declarations(
    doc: Element, participants: list[Participant], table: Element | None = None, page: str = ""
) -> dict[str, str]:
    """Text of the declarations and reservations section, per participant code.

    The section starts at the ``EndDec`` anchor (or, failing that, at a heading
    "Declarations and Reservations" / "Déclarations et réserves") and runs to the end of the
    element that contains it, or to a heading that starts another section (Objections, Notes).
    Inside it, a block that holds only a participant's name starts that participant's text.
    """
    heading = _find_anchor(doc, table) if not page or "EndDec" in page else None
    if heading is None:
        for el in doc.iter(*_BLOCK_TAGS, "span", "b", "strong"):
            if len(el) <= 3 and _DECL_HEADING.match(clean(_text(el))):
                heading = el
                break
    if heading is None:
        return {}
    container = heading.getparent()
    while container is not None and not _has_blocks(container, 3):
        container = container.getparent()
    # mark the heading; a heading inside a block that holds no other block (a leaf, as
    # <p><b>Declarations and Reservations</b></p>) starts the section with that block
    block = heading
    while block is not None and block.tag not in _BLOCK_TAGS:
        block = block.getparent()
    at_block = block is not None and not _has_blocks(block, 1)
    heading.text = _START + (heading.text or "")
    marked = (
        bytes(_BLOCKS_XSLT(container if container is not None else doc))
        .translate(_ASCII_SPACES)
        .decode("utf-8")
    )
    start = max(marked.find(_START), 0)
    if at_block:
        start = max(marked.rfind(_OPEN, 0, start), 0)
    # the section: the pieces after the one where it starts (a piece is the text after an
    # _OPEN; the text before the section's first _OPEN precedes every participant's name)
    pieces = marked.split(_OPEN)
    first = marked.count(_OPEN, 0, start) + 1
    if at_block and first < len(pieces):
        pieces[first] = pieces[first].replace(_START, "", 1)

    # a block names a participant by its code; participants that have no code of their own
    # (an unknown name, "X-...") are recognised by their normalised name
    codes = {p.code for p in participants}
    unknown = {_normalize(p.name): p.code for p in participants if p.code[:2] == "X-"}
    out: dict[str, list[str]] = {}
    parts: list[str] | None = None  # the current participant's texts
    collapse, short_block = _collapse, _short_block
    # each piece: a leaf block's text up to the first _CLOSE (no _CLOSE: the text of a block
    # that holds blocks), then loose text
    for piece in pieces[first:]:
        if not piece or piece.isspace():
            continue
        raw, closed, loose = piece.partition(_CLOSE)
        if not closed:  # the text of a block that holds blocks: loose text
            loose = raw
        elif raw and not raw.isspace():
            text = collapse(raw)
            if len(text) > 100:  # a paragraph: neither a heading nor a participant's name
                if parts is not None:
                    parts.append(text)
            else:
                kind, name, code = short_block(text)
                if kind == "text":
                    if code not in codes and unknown:
                        code = unknown.get(_normalize(name))
                    if code is not None and code in codes:
                        parts = out.setdefault(code, [])
                    elif parts is not None:
                        parts.append(text)
                elif kind == "end":
                    break
        if parts is not None and loose and loose.strip(_LOOSE_BLANK):
            # loose text (outside any leaf block) is only ever part of a participant's text
            parts.extend(collapse(t) for t in loose.split(_CLOSE) if t and not t.isspace())
    return _joined(out)


def _joined(out: dict[str, list[str]]) -> dict[str, str]:
    return {code: "\n".join(parts) for code, parts in out.items() if parts}


@lru_cache(maxsize=8192)
def _short_block(text: str) -> tuple[str, str, str | None]:
    """A short block of the declarations section -> (kind, name, code): kind is "heading"
    (the section's own heading), "end" (a heading that ends the section) or "text"; the name
    and its code (None if unknown) are those of the participant the block would name."""
    if _DECL_HEADING.match(text):
        return "heading", "", None
    if _DECL_END.match(text):
        return "end", "", None
    name, _ = split_footnotes(text.strip("[] "))
    return "text", name, _code_for(name)
