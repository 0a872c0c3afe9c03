"""Parse a UN Treaty Collection (MTDSG) status page into a :class:`TreatyStatus`.

Pure: page text + URL in, domain objects out; no network, no clock, no Scrapy.

The parser anchors on meaning, not on one exact element id (see ``../shared/untc/STRUCTURE.md``):

* the participants tables are the tables whose header row begins with "Participant" and
  whose other columns hold dates; what each column means is read from its heading
  (:mod:`.columns`: signature, consent and its kinds, provisional application, notification
  ...); a territorial-application table is known by its shape and heading, a column of
  words headed "Territories" beside a column of dates (:mod:`.table`), and its rows are kept as
  ``territorial_applications``, never as consents;
* header fields are found by the id suffixes UNTC uses and, failing that, by their labels
  (:mod:`.header`);
* the declarations section is read per participant (:mod:`.declarations`);
* the page checks itself: the stated counts of signatories and parties are compared with the
  rows, and whatever the parser is unsure of is said in ``warnings``, naming the participant.

A page that is not a status page raises :class:`ParseError` saying what was missing.
"""

from __future__ import annotations

import dataclasses
import logging
import re

import lxml.etree

from tracker.domain import ParseError, Participant, TreatyStatus
from tracker.sources.untc import header as hdr
from tracker.sources.untc.declarations import read_declarations
from tracker.sources.untc.markup import looks_cut_off, parse_html, text_of
from tracker.sources.untc.table import find_tables, read_participants, read_territorial

logger = logging.getLogger(__name__)

__all__ = ["ParseError", "parse_status_page"]

_MAINTENANCE = re.compile(r"maintenance|temporarily unavailable|service unavailable", re.I)


def parse_status_page(text: str, url: str) -> TreatyStatus:
    """Parse one MTDSG status page (HTML). Raises :class:`ParseError` if it is not one."""
    if not text or text.isspace():
        raise ParseError("the page is empty", url=url)
    try:
        doc = parse_html(text)
    except (lxml.etree.LxmlError, ValueError) as exc:
        raise ParseError(f"the page is not readable HTML ({exc})", url=url) from exc
    if doc is None:
        raise ParseError("the page has no HTML document in it", url=url)
    if looks_cut_off(text):
        raise ParseError(
            "the page is incomplete: it ends before its closing </html> tag (cut off in transfer?)",
            url=url,
        )
    lxml.etree.strip_elements(doc, "script", "style", "noscript", with_tail=False)

    table_warnings: list[str] = []
    tables, territorial = find_tables(doc, table_warnings)
    if not tables:
        page_text = " ".join(text_of(doc).split())
        if not page_text:
            raise ParseError("the page has no text", url=url)
        if _MAINTENANCE.search(page_text[:3000]):
            raise ParseError("this is the UNTC maintenance page, not a treaty status page", url=url)
        raise ParseError(
            "no participants table: no table has a header row beginning with 'Participant' "
            "and columns of dates (Signature, Ratification, Accession ...)",
            url=url,
        )
    mtdsg_no = hdr.mtdsg_no_from_url(url)
    if mtdsg_no is None:
        raise ParseError("the URL does not name a treaty (no mtdsg_no parameter)", url=url)

    warnings: list[str] = table_warnings
    head = hdr.head_span(text)
    language = hdr.language(url, text, warnings, head)
    header = hdr.read_header(doc, warnings)
    participants = read_participants(tables, warnings)
    if not participants:
        raise ParseError("the participants table has no participant rows", url=url)

    declarations, problems = read_declarations(doc, participants, tables[-1].element, text)
    warnings.extend(problems)
    if declarations:
        participants = [_declared(p) if p.code in declarations else p for p in participants]
    warnings.extend(hdr.count_warnings(header.counts, participants))
    applications = read_territorial(territorial, warnings)
    listed = {p.code for p in participants}
    for unlisted in dict.fromkeys(a.participant for a in applications if a.code not in listed):
        warnings.append(
            f"{unlisted}: in the territorial-application table but in no participants table"
        )
    return TreatyStatus(
        mtdsg_no=mtdsg_no,
        language=language,
        title=header.title,
        url=url,
        conclusion=header.conclusion,
        chapter=header.chapter,
        status_as_at=hdr.status_as_at(text, head, warnings),
        entry_into_force=header.entry_into_force,
        registration=header.registration,
        counts=header.counts,
        participants=tuple(participants),
        declarations=declarations,
        warnings=tuple(warnings),
        territorial_applications=tuple(applications),
    )


def _declared(p: Participant) -> Participant:
    return p if p.has_declarations else dataclasses.replace(p, has_declarations=True)
