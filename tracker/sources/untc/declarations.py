"""The declarations and reservations section of a status page, per participant.

PURE. The section starts at the ``EndDec`` anchor (or, failing that, at a heading
"Declarations and Reservations" / "Déclarations et réserves") and runs to the end of the
element that contains it, or to a heading that starts another section (Objections, Notes).

Inside it, a participant's text starts where a block (a paragraph, a ``<br>``-separated line,
a ``<span>`` alone) names that participant of the table, with or without footnote digits, by
itself ("Belgium", "Algérie72") or followed by a sub-heading on the same line
("Belgium Declaration:", ``<p><b>Belgium</b> <i>Declaration:</i></p>``). Participants are
matched by their code, so the section may spell a name differently from the table.

What the reader cannot place is a warning, never silently credited to a neighbour: a block
that names a State the table does not list (its text is not attributed), text before the
first participant that names no one (the section's parenthesised intro excepted), and
participants whose names link to declarations (``noteIndex``) with no text found.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field

import lxml.etree

from tracker import countries
from tracker.domain import Participant
from tracker.sources.untc.markup import Element, clean, text_of
from tracker.sources.untc.table import split_footnotes

logger = logging.getLogger(__name__)

__all__ = ["read_declarations"]

_BLOCK_TAGS = frozenset(
    {"p", "div", "td", "th", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd"}
)
_DECL_HEADING = re.compile(
    r"^(?:declarations?\s+and\s+reservations?|d[ée]clarations?\s+et\s+r[ée]serves?)\b",
    re.IGNORECASE,
)
_DECL_END = re.compile(
    r"^(?:objections?\b|notes?\s*:?$|end\s*notes?\b|notifications?\s+under\b|"
    r"territorial\s+application|application\s+territoriale)",
    re.IGNORECASE,
)
# The heading's words in the raw page (entities allowed): without them, no need to look for it
_DECL_HEADING_RAW = re.compile(
    r"declarations?\s+and\s+reservations?|d(?:[ée]|&eacute;|&#233;)clarations?\s+et\s+r",
    re.IGNORECASE,
)
# What may follow a participant's name on its own line: a sub-heading, a short phrase
# beginning with a capital and ending with a colon ("Declaration:", "Upon signature:",
# "Réserve :"), maybe followed by the text itself.
_SUBHEADING = re.compile(r"[A-ZÀ-Ý][^.:;]{0,80}?\s?:")
_BLOCK_NAMES = "|".join(sorted(_BLOCK_TAGS))
_START, _OPEN, _CLOSE = "\ue005", "\ue006", "\ue008"
_LOOSE_BLANK = " " + _CLOSE
# The declarations container's text, with _OPEN and _CLOSE where each block element (p, div,
# td ...) opens and closes, and a <br> closing one line and opening the next: text between an
# _OPEN and the next _CLOSE is a leaf block's (a block with no block inside); other text lies
# loose between blocks. Only match patterns, so libxslt copies the text in C.
_BLOCKS_XSLT = lxml.etree.XSLT(
    lxml.etree.XML(
        f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="{_BLOCK_NAMES}">&#xE006;<xsl:apply-templates/>&#xE008;</xsl:template>
<xsl:template match="br">&#xE008;&#xE006;</xsl:template>
</xsl:stylesheet>"""
    )
)
# ASCII white space (as str.split() knows it) -> " ", on the UTF-8 bytes of the section: in
# UTF-8 these bytes never occur inside a multi-byte character
_ASCII_SPACES = bytes.maketrans(b"\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f", b" " * 9)
_ANCHOR = lxml.etree.XPath('//*[@name="EndDec" or @id="EndDec"]')


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


def _section(doc: Element, table: Element | None, page: str) -> list[str] | None:
    """The section's pieces (see _BLOCKS_XSLT), each the text after one _OPEN; None when
    the page has no declarations section."""
    heading = _find_anchor(doc, table) if not page or "EndDec" in page else None
    if heading is None and (not page or _DECL_HEADING_RAW.search(page)):
        for el in doc.iter(*_BLOCK_TAGS, "span", "b", "strong"):
            if len(el) <= 3 and _DECL_HEADING.match(clean(text_of(el))):
                heading = el
                break
    if heading is None:
        return None
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
    pieces = marked.split(_OPEN)
    first = marked.count(_OPEN, 0, start) + 1
    if at_block and first < len(pieces):
        pieces[first] = pieces[first].replace(_START, "", 1)
    return pieces[first:]


@dataclass
class _Reader:
    """Walks the section's blocks, crediting each text to the participant named before it."""

    participants: list[Participant]
    codes: set[str]
    _by_name: dict[str, str] | None = None  # normalised table name -> code, made when needed
    _seen: dict[str, str | None] = field(default_factory=dict)  # text -> code_of(text)
    _named: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # text -> named()
    out: dict[str, list[str]] = field(default_factory=dict)
    parts: list[str] | None = None  # the current participant's texts (None: nobody's yet)
    unplaced: list[str] = field(default_factory=list)  # warnings
    started: bool = False

    def code_of(self, text: str) -> str | None:
        """The code of a table participant that ``text`` (footnote digits allowed) names."""
        if text in self._seen:
            return self._seen[text]
        name, code = self.named(text)
        if code is None and name:
            if self._by_name is None:  # participants countries.py does not know: by name
                self._by_name = {
                    countries.normalize(p.name): p.code
                    for p in self.participants
                    if p.code.startswith("X-")
                }
            if self._by_name:
                code = self._by_name.get(countries.normalize(name))
        self._seen[text] = code if code in self.codes else None
        return self._seen[text]

    def named(self, text: str) -> tuple[str, str | None]:
        """(the name ``text`` gives, footnote digits and brackets removed; the code
        countries.py knows it by, or None)."""
        found = self._named.get(text)
        if found is None:
            name, _ = split_footnotes(text.strip("[] "))
            found = self._named[text] = (name, countries.code_for(name) if name else None)
        return found

    def leading(self, text: str) -> tuple[str, str] | None:
        """(code, rest) when ``text`` begins with a table participant's name followed by
        nothing or a sub-heading ("Belgium Declaration:")."""
        words = text[: text.find(":") + 1].split(" ")  # a name, then a sub-heading
        if len(words) > 16 or not text[:1].isupper():
            return None
        for k in range(min(len(words) - 1, 10), 0, -1):
            if not words[k][:1].isupper():
                continue
            rest = " ".join(words[k:])
            if not _SUBHEADING.match(rest):
                continue
            code = self.code_of(" ".join(words[:k]))
            if code is not None:
                return code, text[len(" ".join(words[:k])) :].strip()
        return None

    def start(self, code: str) -> None:
        self.started = True
        self.parts = self.out.setdefault(code, [])

    def block(self, text: str) -> bool:
        """One leaf block's text; False when it ends the section."""
        if len(text) <= 100:
            if _DECL_HEADING.match(text):
                return True
            if _DECL_END.match(text):
                return False
            code = self.code_of(text)
            if code is not None:
                self.start(code)
                return True
            if self.foreign(text):
                return True
        found = self.leading(text) if ":" in text[:160] else None
        if found is not None:
            self.start(found[0])
            self.add(found[1])
            return True
        self.add(text)
        return True

    def foreign(self, text: str) -> bool:
        """A block that only names a UN participant the table does not list: its text is not
        attributed (to the participant before it or anyone), and that is a warning."""
        name, code = self.named(text)
        if len(name) > 80:
            code = None
        if code is None or code in self.codes or not countries.names_for(code):
            return False
        self.unplaced.append(
            f"the declarations section has a block for {name!r}, which the participants "
            "table does not list; its text is not attributed to any participant"
        )
        self.started = True
        self.parts = None
        return True

    def loose(self, text: str) -> None:
        """Text outside any leaf block: a participant's name alone starts its text (a name in
        a <span> before the paragraphs); anything else belongs to the current participant."""
        if len(text) <= 100:
            code = self.code_of(text)
            if code is not None:
                self.start(code)
                return
        self.add(text)

    def add(self, text: str) -> None:
        if self.parts is not None:
            self.parts.append(text)
        elif not self.started and not (text.startswith("(") and text.endswith(")")):
            self.unplaced.append(
                f"the declarations section has text before any participant's name, which "
                f"names no participant: {text[:80]!r}"
            )
            self.started = True  # said once


def read_declarations(
    doc: Element, participants: list[Participant], table: Element | None, page: str
) -> tuple[dict[str, str], list[str]]:
    """Text of the declarations and reservations section per participant code, and the
    warnings about what could not be placed or was not found."""
    pieces = _section(doc, table, page)
    flagged = [p.name for p in participants if p.has_declarations]
    if pieces is None:
        return {}, _missing(flagged)
    reader = _Reader(participants=participants, codes={p.code for p in participants})
    collapse = _collapse
    for piece in pieces:
        if not piece or piece.isspace():
            continue
        raw, closed, loose = piece.partition(_CLOSE)
        if not closed:  # the text of a block that holds blocks: loose text
            loose = raw
        elif raw and not raw.isspace() and not reader.block(collapse(raw)):
            break
        if loose and loose.strip(_LOOSE_BLANK):
            for t in loose.split(_CLOSE):
                if t and not t.isspace():
                    reader.loose(collapse(t))
    found = {code: "\n".join(parts) for code, parts in reader.out.items() if parts}
    by_code = {p.code: p.name for p in participants if p.has_declarations}
    missing = [name for code, name in by_code.items() if code not in found]
    return found, reader.unplaced + _missing(missing)


def _missing(names: list[str]) -> list[str]:
    if not names:
        return []
    return [
        f"no declarations text was found for {len(names)} participant(s) whose names link to "
        f"declarations: {', '.join(names)}"
    ]
