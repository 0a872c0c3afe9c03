"""MTDSG numbers and the UN Treaty Collection's addresses: the one module that reads a
treaty reference ("IV-11-d": chapter in roman numerals, treaty number, optional letters),
converts roman numerals, and builds the addresses of status pages (always with
``chapter=``), chapter pages and the chapter list.

PURE: functions and tables only, no I/O; the standard library only. The crawler
(:mod:`scraper`), the CLI and :mod:`tracker.crawl` all use it.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

logger = logging.getLogger(__name__)

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_DOWN = ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
               (4, "IV"), (1, "I"))  # fmt: skip
#: An MTDSG reference: chapter in roman numerals, a hyphen, treaty number, optional parts.
MTDSG_PATTERN = re.compile(r"^(?P<roman>[IVXLC]+)-[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*$")
#: Where the UN Treaty Collection is (the default of the ``untc_base_url`` setting).
UNTC_BASE_URL = "https://treaties.un.org"
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


def int_to_roman(number: int) -> str:
    """``27`` -> ``"XXVII"`` (1 to 399). Raises ValueError outside that range."""
    if not 0 < number < 400:
        raise ValueError(f"no roman numeral for {number!r} here (1 to 399)")
    out = ""
    for value, letters in _ROMAN_DOWN:
        while number >= value:
            out += letters
            number -= value
    return out


def parse_mtdsg_no(text: str) -> str | None:
    """The MTDSG reference ``text`` names (white space around it removed), or None when it
    is not one: ``" IV-11-d "`` -> ``"IV-11-d"``, ``"CETS-201"`` -> None."""
    value = text.strip()
    return value if MTDSG_PATTERN.match(value) else None


def check_mtdsg_no(text: str) -> str:
    """``text`` as an MTDSG reference (stripped); ValueError saying what one looks like."""
    value = parse_mtdsg_no(text)
    if value is None:
        raise ValueError(
            f"not an MTDSG treaty reference: {text!r} (expected e.g. 'IV-11-d': "
            "chapter in roman numerals, treaty number, optional letters)"
        )
    return value


def chapter_of(mtdsg_no: str) -> int:
    """The chapter number of an MTDSG reference: ``"IV-11-d"`` -> 4."""
    match = MTDSG_PATTERN.match(check_mtdsg_no(mtdsg_no))
    assert match is not None
    return roman_to_int(match["roman"])


def status_url(base_url: str, mtdsg_no: str, language: str = "en") -> str:
    """The MTDSG status page of one treaty, e.g.
    ``…/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-11-d&chapter=4&clang=_en``. Raises
    ValueError for a reference that is not an MTDSG number, or another language."""
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


def language_of(url: str) -> str | None:
    """The page language a UNTC address asks for (``clang=_fr`` or ``lang=fr`` -> ``"fr"``);
    None when it does not say, or names another language."""
    value = (query_value(url, "clang") or query_value(url, "lang") or "").lstrip("_").lower()[:2]
    return value if value in LANGUAGES else None


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
