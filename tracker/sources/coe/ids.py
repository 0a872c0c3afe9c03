"""Council of Europe treaty ids and addresses, and the few treaties whose facts are catalogued.

A Council of Europe treaty is identified in the tracker as ``CETS-<number>`` (``CETS-201``,
the Lanzarote Convention): the Council of Europe Treaty Series numbers every treaty of the
Council once, old ones (published as "ETS No. 5") included. What users type is accepted in the
usual forms: ``CETS 201``, ``CETS No. 201``, ``ETS 5``, ``STCE n° 201`` (French), ``cets201``.
No MTDSG number can be read as one (MTDSG numbers start with a roman numeral and a hyphen).

Addresses (``../shared/depositaries/COE.md``): the public chart
``https://www.coe.int/<en|fr>/web/conventions/full-list?module=signatures-by-treaty&treatynum=201``
(a JavaScript shell: the address people read, and the one polls are recorded under), and the
JSON service behind it, ``…/WS_LFRConventions/api/signatures?NumSte=201&langue=ENG`` and
``…/api/conventions/getDeclarations?numSte=201&codeNature=0``. Pure functions, no network.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urlencode, urlsplit

logger = logging.getLogger(__name__)

#: The public site and the JSON service (COE.md).
SITE = "https://www.coe.int"
API_BASE = "https://conventions-ws.coe.int/WS_LFRConventions/"
LANGUAGES = ("en", "fr")
#: The service's language codes.
LANGUE = {"en": "ENG", "fr": "FRE"}
_LANGUE_TO_LANGUAGE = {v: k for k, v in LANGUE.items()}

_ID = re.compile(
    r"^\s*(?:C?ETS|STCE|STE)\s*[-_.]?\s*(?:(?:No|Nr|N°|n°|no)\.?\s*)?0*(\d{1,3})\s*$",
    re.IGNORECASE,
)
_CANONICAL = re.compile(r"^CETS-([1-9]\d{0,2})$")


def parse_treaty_id(text: str) -> str | None:
    """``"CETS No. 201"`` -> ``"CETS-201"``; None when ``text`` is not a Council of Europe id."""
    match = _ID.match(text)
    if match is None:
        return None
    number = int(match[1])
    return f"CETS-{number}" if number > 0 else None


def treaty_number(treaty_id: str) -> int:
    """``"CETS-201"`` -> 201. Raises ValueError for anything else (typed forms included:
    canonicalise them with :func:`parse_treaty_id` first)."""
    match = _CANONICAL.match(treaty_id.strip())
    if match is None:
        raise ValueError(
            f"not a Council of Europe treaty id: {treaty_id!r} (expected e.g. CETS-201)"
        )
    return int(match[1])


def num_ste(treaty_id: str) -> str:
    """The number as the Council's addresses write it, three digits: ``"CETS-5"`` -> ``"005"``."""
    return f"{treaty_number(treaty_id):03d}"


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    return language


def chart_url(treaty_id: str, language: str = "en", *, site: str = SITE) -> str:
    """The public chart of signatures and ratifications of one treaty."""
    query = urlencode({"module": "signatures-by-treaty", "treatynum": num_ste(treaty_id)})
    return f"{site.rstrip('/')}/{_language(language)}/web/conventions/full-list?{query}"


def signatures_url(treaty_id: str, language: str = "en", *, api_base: str = API_BASE) -> str:
    """The JSON service's signatures answer (three lists: members, non-members, organisations)."""
    query = urlencode({"NumSte": num_ste(treaty_id), "langue": LANGUE[_language(language)]})
    return f"{api_base.rstrip('/')}/api/signatures?{query}"


def declarations_url(treaty_id: str, language: str = "en", *, api_base: str = API_BASE) -> str:
    """The JSON service's reservations and declarations (``codeNature=0``: every kind).
    COE.md gives no ``langue`` for it; one is sent so that texts come in the chart's language
    (unverified: the ``live`` test reports what the service does)."""
    query = urlencode(
        {"numSte": num_ste(treaty_id), "codeNature": 0, "langue": LANGUE[_language(language)]}
    )
    return f"{api_base.rstrip('/')}/api/conventions/getDeclarations?{query}"


def _query(url: str) -> dict[str, str]:
    return {
        k.lower(): v[0].strip()
        for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()
        if v
    }


def treaty_id_from_url(url: str) -> str | None:
    """The treaty a chart or service address names (``treatynum=``, ``NumSte=``), or None."""
    query = _query(url)
    for key in ("treatynum", "numste"):
        value = query.get(key, "")
        if value.isdigit() and int(value) > 0:
            return f"CETS-{int(value)}"
    return None


def language_from_url(url: str) -> str | None:
    """``"en"``/``"fr"`` from a chart address (``/en/web/…``) or a service one (``langue=FRE``)."""
    langue = _query(url).get("langue", "").upper()
    if langue in _LANGUE_TO_LANGUAGE:
        return _LANGUE_TO_LANGUAGE[langue]
    first = urlsplit(url).path.strip("/").split("/", 1)[0].lower()
    return first if first in LANGUAGES else None


def language_of_langue(langue: str) -> str | None:
    """``"FRE"`` -> ``"fr"``; None for a code the tracker does not read."""
    return _LANGUE_TO_LANGUAGE.get(langue.strip().upper())


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """Facts of one treaty that the signatures answer does not carry (public record)."""

    number: int
    short_name: str
    title_en: str
    title_fr: str
    place: str
    opened: date  # opened for signature
    in_force: date  # entered into force


#: The treaties tracked by default or on request (issue 14). The signatures answer names no
#: title, place or date of the treaty; these are the public facts. Any other number is read
#: all the same, without a title until the treaty index (``api/traites/search``) is read.
CATALOGUE: dict[int, CatalogueEntry] = {
    entry.number: entry
    for entry in (
        CatalogueEntry(
            201,
            "Lanzarote Convention",
            "Council of Europe Convention on the Protection of Children against Sexual "
            "Exploitation and Sexual Abuse",
            "Convention du Conseil de l'Europe sur la protection des enfants contre "
            "l'exploitation et les abus sexuels",
            "Lanzarote",
            date(2007, 10, 25),
            date(2010, 7, 1),
        ),
        CatalogueEntry(
            210,
            "Istanbul Convention",
            "Council of Europe Convention on preventing and combating violence against women "
            "and domestic violence",
            "Convention du Conseil de l'Europe sur la prévention et la lutte contre la "
            "violence à l'égard des femmes et la violence domestique",
            "Istanbul",
            date(2011, 5, 11),
            date(2014, 8, 1),
        ),
        CatalogueEntry(
            197,
            "Convention on Action against Trafficking in Human Beings",
            "Council of Europe Convention on Action against Trafficking in Human Beings",
            "Convention du Conseil de l'Europe sur la lutte contre la traite des êtres humains",
            "Warsaw",
            date(2005, 5, 16),
            date(2008, 2, 1),
        ),
    )
}
