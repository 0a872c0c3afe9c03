"""HTML helpers shared by the readers of a status page: parse, text of an element, clean text.

PURE (lxml only).
"""

from __future__ import annotations

import logging
import unicodedata
from typing import TypeAlias

import lxml.etree

logger = logging.getLogger(__name__)

Element: TypeAlias = lxml.etree._Element

# collect_ids=False: ids are searched by XPath, never through the parser's id index
_HTML_PARSER = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
_HTML_PARSER_UTF8 = lxml.etree.HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, encoding="utf-8"
)


def parse_html(text: str) -> Element | None:
    """The page's element tree. Raises ``ValueError`` when libxml2 had to stop reading."""
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


def text_of(el: Element) -> str:
    """All text inside an element (lxml's plain elements have no ``text_content``)."""
    return "".join(el.itertext())


def clean(text: str | None) -> str:
    """Whitespace collapsed (tabs, non-breaking spaces, newlines), NFC-normalised, stripped."""
    if not text:
        return ""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def looks_cut_off(text: str) -> bool:
    """A full HTML document (it opens with <html or <!DOCTYPE) that never closes."""
    head = text.lstrip()[:200].lower()
    if not (head.startswith("<!doctype") or head.startswith("<html") or head.startswith("<!--")):
        return False
    if "<html" not in text[:4000].lower():
        return False
    return "</html>" not in text[-2000:].lower()
