"""The header of a status page: title, conclusion, entry into force, registration, the
"Status" counts, the "Status as at" time, the page's language and the treaty's number.

PURE. Fields are found by the id suffixes UNTC uses (``tcTreaty``, ``rptEIF`` ...; the prefix
before them varies) and, failing that, by their labels ("Entry into force", "Registration",
"Status" and the French "Entrée en vigueur", "Enregistrement", "État").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import lxml.etree

from tracker.dates import parse_date, status_time
from tracker.domain import Conclusion, Counts, EntryIntoForce, Participant, row_counts
from tracker.sources.untc.markup import Element, clean, text_of

logger = logging.getLogger(__name__)

__all__ = ["Header", "language", "mtdsg_no_from_url", "other_treaty_number", "read_header"]

_TITLE_NUMBER = re.compile(r"^\s*\d+\s*\.\s*(?:[a-z]{1,2}\s*\.?\s+(?=[A-Z]))?")
_TITLE_NUMBER_PARTS = re.compile(r"^\s*(\d+)\s*\.\s*(?:([a-z]{1,2})\s*\.?\s+(?=[A-Z]))?")
_TITLE_CELL = re.compile(r"""id=["'][^"']*tcTreaty["'][^>]*>\s*([^<]{0,200})""")
_SIGNATORIES = re.compile(r"(?:Signatories|Signataires)\s*:\s*(\d+)", re.IGNORECASE)
_PARTIES = re.compile(r"Parties\s*:\s*(\d+)", re.IGNORECASE)
# every alternative starts with a literal, so that re scans for its first characters quickly
_STATUS_LABEL = re.compile(
    r"STATUS\s+AS\s+AT|Status\s+as\s+at|État\s+au|Etat\s+au|&Eacute;tat\s+au|&#201;tat\s+au"
)
_TAG = re.compile(r"<[^>]*>")
_NOT_WORD = re.compile(r"(?!\w)")
_ROMAN = re.compile(r"\s+[IVXL]")
_COLON = re.compile(r"\s*:")
# Words that tell the page's language, each with what must follow it (str.find, then a short
# match: much faster than one regular expression over the header)
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
# elements with an id, filtered in Python (quicker than contains() in XPath)
_TD_ID_XPATH = lxml.etree.XPath("//td[@id]")
_ID_XPATH = lxml.etree.XPath("//*[@id]")
_ID_ENDS = ("tcText", "tcTreaty")


@dataclass(frozen=True, slots=True)
class Header:
    title: str
    conclusion: Conclusion | None
    chapter: str | None
    entry_into_force: EntryIntoForce | None
    registration: str | None
    counts: Counts
    status_text: str


def read_header(doc: Element, warnings: list[str]) -> Header:
    """The header fields of the page."""
    ids = _id_fields(doc, _TD_ID_XPATH)  # UNTC's value cells are table cells (tcText)
    if not any("rptStatus" in i for i, _ in ids):  # not here: any element with such an id
        ids = _id_fields(doc, _ID_XPATH)
    title = _TITLE_NUMBER.sub("", _field(doc, ids, "tcTreaty", ())).strip()
    if not title:
        warnings.append("the treaty title was not found")
    eif_text = _field(doc, ids, "rptEIF", ("Entry into force", "Entrée en vigueur"))
    status_text = _field(doc, ids, "rptStatus", ("Status", "État", "Etat"))
    if not status_text:
        warnings.append("the Status field (counts of signatories and parties) was not found")
    return Header(
        title=title,
        conclusion=_conclusion(_field(doc, ids, "rptTreaty_ctl00_tcText", ())),
        chapter=_field(doc, ids, "rptHead_ctl00_tcText", ()) or None,
        entry_into_force=(
            EntryIntoForce(date=parse_date(eif_text), text=eif_text) if eif_text else None
        ),
        registration=_field(doc, ids, "rptRegistration", ("Registration", "Enregistrement"))
        or None,
        counts=Counts(
            signatories=_int(_SIGNATORIES.search(status_text)),
            parties=_int(_PARTIES.search(status_text)),
        ),
        status_text=status_text,
    )


def _id_fields(doc: Element, xpath: lxml.etree.XPath) -> list[tuple[str, Element]]:
    """The value cells UNTC marks with ids ending in ``tcText`` or ``tcTreaty``, in page
    order (the header's come first: it stands before the participants table)."""
    return [(i, el) for el in xpath(doc) if (i := el.get("id")).endswith(_ID_ENDS)]


def _field(
    doc: Element, ids: list[tuple[str, Element]], id_part: str, labels: Iterable[str]
) -> str:
    """A header field: by UNTC id (the value cell ``..._<id_part>..._tcText``), else by label."""
    for el_id, el in ids:
        if id_part in el_id:
            value = clean(text_of(el))
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
        text = clean(text_of(cell)).lower().rstrip(": ").strip()
        if text != wanted:
            continue
        sibling = cell.getnext()
        while sibling is not None:
            value = clean(text_of(sibling))
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


def _int(m: re.Match[str] | None) -> int | None:
    return int(m.group(1)) if m else None


def status_as_at(
    page_html: str, head: tuple[int, int] | None, warnings: list[str]
) -> datetime | None:
    """The "STATUS AS AT" time, looked for first in ``head`` (the header before the
    participants table, where UNTC prints it), then in the whole page. A time zone that is
    missing or unknown is read as UTC, with a warning."""
    spans = [head, (0, len(page_html))] if head else [(0, len(page_html))]
    for start, end in spans:
        for label in _STATUS_LABEL.finditer(page_html, start, end):
            window = page_html[label.end() : label.end() + 600]
            found = status_time(" ".join(_TAG.sub(" ", window).replace("&nbsp;", " ").split()))
            if found is not None:
                when, problem = found
                if problem:
                    warnings.append(problem)
                return when
    return None


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


def mtdsg_no_from_url(url: str) -> str | None:
    query = parse_qs(urlsplit(url).query)
    for key, values in query.items():
        if key.lower() == "mtdsg_no" and values and values[0].strip():
            return values[0].strip()
    return None


def head_span(page_html: str) -> tuple[int, int] | None:
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


def language(url: str, page_html: str, warnings: list[str], head: tuple[int, int] | None) -> str:
    """The page's language, told by marker words in ``head`` (see :func:`head_span`; the
    whole page when None), checked against the URL's."""
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


def count_warnings(stated: Counts, participants: list[Participant]) -> list[str]:
    """Where the page's stated counts disagree with those its rows imply."""
    rows = row_counts(participants)
    out = []
    if stated.parties is not None and stated.parties != rows.parties:
        out.append(f"the page states {stated.parties} parties but its rows show {rows.parties}")
    if stated.signatories is not None and stated.signatories != rows.signatories:
        out.append(
            f"the page states {stated.signatories} signatories but its rows show {rows.signatories}"
        )
    return out
