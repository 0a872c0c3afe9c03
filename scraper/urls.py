"""UNTC addresses: status pages, chapter pages and the chapter list. Pure functions."""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

logger = logging.getLogger(__name__)

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_MTDSG_RE = re.compile(r"^(?P<roman>[IVXLC]+)-[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*$")
#: Status page templates UNTC uses (ViewDetails redirects to the others for some chapters).
STATUS_TEMPLATES = (
    "viewdetails.aspx",
    "viewdetailsii.aspx",
    "viewdetailsiii.aspx",
    "viewdetailsiv.aspx",
    "viewdetailsv.aspx",
)
LANGUAGES = ("en", "fr")


def roman_to_int(roman: str) -> int:
    """``"XXVII"`` -> 27. Raises ValueError on anything that is not a roman numeral."""
    if not roman or any(ch not in _ROMAN for ch in roman):
        raise ValueError(f"not a roman numeral: {roman!r}")
    total = 0
    for i, ch in enumerate(roman):
        value = _ROMAN[ch]
        if i + 1 < len(roman) and _ROMAN[roman[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def chapter_of(mtdsg_no: str) -> int:
    """The chapter number of an MTDSG reference: ``"IV-11-d"`` -> 4."""
    match = _MTDSG_RE.match(mtdsg_no.strip())
    if not match:
        raise ValueError(
            f"not an MTDSG treaty reference: {mtdsg_no!r} (expected e.g. 'IV-11-d': "
            "chapter in roman numerals, treaty number, optional letters)"
        )
    return roman_to_int(match["roman"])


def status_url(base_url: str, mtdsg_no: str, language: str = "en") -> str:
    """The MTDSG status page of one treaty, e.g. ``…/Pages/ViewDetails.aspx?src=TREATY&…``."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    query = urlencode(
        {
            "src": "TREATY",
            "mtdsg_no": mtdsg_no,
            "chapter": chapter_of(mtdsg_no),
            "clang": f"_{language}",
        }
    )
    return f"{base_url.rstrip('/')}/Pages/ViewDetails.aspx?{query}"


def chapter_list_url(base_url: str, language: str = "en") -> str:
    return f"{base_url.rstrip('/')}/Pages/ParticipationStatus.aspx?clang=_{language}"


def chapter_url(base_url: str, chapter: int, language: str = "en") -> str:
    return f"{base_url.rstrip('/')}/Pages/Treaties.aspx?id={chapter}&subid=A&clang=_{language}"


def query_value(url: str, name: str) -> str | None:
    """One query parameter of a URL, looked up case-insensitively (UNTC mixes cases)."""
    for key, values in parse_qs(urlsplit(url).query, keep_blank_values=True).items():
        if key.lower() == name.lower() and values:
            return values[0]
    return None


def is_status_url(url: str) -> bool:
    path = urlsplit(url).path.lower()
    return path.rsplit("/", 1)[-1] in STATUS_TEMPLATES and query_value(url, "mtdsg_no") is not None


def with_language(url: str, language: str) -> str:
    """The same UNTC URL in another language (sets ``clang=_xx``, drops ``lang=``)."""
    parts = urlsplit(url)
    pairs = [
        (k, v)
        for k, vs in parse_qs(parts.query, keep_blank_values=True).items()
        for v in vs
        if k.lower() not in ("clang", "lang")
    ]
    pairs.append(("clang", f"_{language}"))
    return urlunsplit(parts._replace(query=urlencode(pairs)))
