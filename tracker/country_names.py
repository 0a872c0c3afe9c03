"""What people type for a country -> one participant code, or the candidates to choose from.

:mod:`tracker.countries` knows how the UN writes each participant (English and French, old and
new names) and pycountry's ISO names; people also type short forms, abbreviations and names
that fit several States. :func:`resolve` tries, in order:

1. a name that could mean several States (:data:`AMBIGUOUS`: "Korea", "Congo", "Guinea",
   "Sudan"): every one of them is a candidate, none is picked;
2. a short form or abbreviation from :data:`ALIASES` ("UK", "DRC", "UAE", "Holland" ...);
3. an ISO 3166 code, alpha-2 or alpha-3, current or former (pycountry);
4. a UN name in English or French, of any era, or a pycountry name
   (:func:`tracker.countries.code_for`: "Türkiye", "Turkey", "Czechia", "Swaziland" ...);
   an ISO code or name of a territory that is no treaty participant (Hong Kong) is not
   taken: the fuzzy step offers the State instead;
5. part of a name (:func:`tracker.countries.search`): resolved only when it is at least
   :data:`MIN_PARTIAL` characters long and fits one participant; otherwise the matches are
   candidates;
6. pycountry's fuzzy search (a region names its State: "England", "Texas") and close
   spellings ("Belgum"): candidates only, never picked.

Nothing is picked silently: a :class:`CountryMatch` either has one ``code`` or lists the
``candidates`` (empty: nothing matched) for the user to choose from.
"""

from __future__ import annotations

import difflib
import logging
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from tracker import countries

logger = logging.getLogger(__name__)

#: Typed text shorter than this never resolves by part of a name ("UK" is not "Ukraine").
MIN_PARTIAL = 4
#: At most this many candidates from the fuzzy steps.
MAX_FUZZY = 6

#: Names that fit several States: all are offered, none is picked.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "korea": ("KOR", "PRK"),
    "congo": ("COG", "COD"),
    "guinea": ("GIN", "GNB", "GNQ", "PNG"),
    "sudan": ("SDN", "SSD"),
}

#: Short forms and abbreviations people type that are neither a UN name nor an ISO name.
ALIASES: dict[str, str] = {
    # United Kingdom ("UK" is reserved in ISO 3166-1 for it; the UN writes the long name)
    "uk": "GBR",
    "great britain": "GBR",
    "britain": "GBR",
    # United States
    "us": "USA",
    "usa": "USA",
    "united states": "USA",
    # Democratic Republic of the Congo / Republic of the Congo
    "drc": "COD",
    "dr congo": "COD",
    "dr of congo": "COD",
    "dr of the congo": "COD",
    "rdc": "COD",
    "dem rep congo": "COD",
    "dem rep of the congo": "COD",
    "democratic republic of congo": "COD",
    "congo kinshasa": "COD",
    "congo (kinshasa)": "COD",
    "congo brazzaville": "COG",
    "congo (brazzaville)": "COG",
    "republic of congo": "COG",
    "republic of the congo": "COG",
    # others
    "uae": "ARE",
    "emirates": "ARE",
    "holland": "NLD",
    "the netherlands": "NLD",
    "south korea": "KOR",
    "rok": "KOR",
    "north korea": "PRK",
    "dprk": "PRK",
    "prc": "CHN",
    "russia": "RUS",
    "iran": "IRN",
    "syria": "SYR",
    "laos": "LAO",
    "vietnam": "VNM",
    "czechia": "CZE",
    "czech republic": "CZE",
    "turkey": "TUR",
    "turkiye": "TUR",
    "ivory coast": "CIV",
    "swaziland": "SWZ",
    "macedonia": "MKD",
    "fyrom": "MKD",
    "bosnia": "BIH",
    "trinidad": "TTO",
    "antigua": "ATG",
    "st kitts": "KNA",
    "saint kitts": "KNA",
    "st vincent": "VCT",
    "saint vincent": "VCT",
    "sao tome": "STP",
    "vatican": "VAT",
    "vatican city": "VAT",
    "moldavia": "MDA",
    "byelorussia": "BLR",
    "kirghizia": "KGZ",
    "nz": "NZL",
    "ksa": "SAU",
    "saudi": "SAU",
    "ussr": "SUN",
    "soviet union": "SUN",
}


@dataclass(frozen=True, slots=True)
class CountryMatch:
    """What a typed country resolved to: ``code`` when it is one participant, otherwise
    ``candidates`` (empty: nothing matched; several, or one found only approximately: the
    user must choose)."""

    query: str
    code: str | None
    candidates: tuple[str, ...] = ()
    #: How the candidates were found when there is no code: ``"several"`` (the name fits
    #: several States, or several names contain it) or ``"approximate"`` (close spellings,
    #: or the State a region or territory belongs to).
    how: str = ""

    @property
    def ambiguous(self) -> bool:
        return self.code is None and bool(self.candidates)


def explain(match: CountryMatch) -> str:
    """Why ``match`` is not one participant, as a phrase to put before a colon and the
    candidates (or alone, when there are none)."""
    if match.code is not None:
        return f"{match.query!r} is {match.code}"
    if not match.candidates:
        return f"no country matches {match.query!r}"
    if match.how == "approximate":
        return f"no country is called {match.query!r}; did you mean one of these"
    return f"{match.query!r} could mean several countries; use one of these"


def key(text: str) -> str:
    """The lookup key of typed text: UN normalisation (case, apostrophes, footnote marks),
    then no accents, no full stops, hyphens and commas as spaces, "saint" kept as typed."""
    base = countries.normalize(text)
    decomposed = unicodedata.normalize("NFD", base)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace(".", "").replace("-", " ").replace(",", " ").replace("'", " ")
    return " ".join(plain.split())


def _without_article(text: str) -> str:
    return text[4:] if text.startswith("the ") else text


def resolve(query: str) -> CountryMatch:
    """Resolve what a user typed to one participant code or to candidates (see the module
    docstring for the order of the steps)."""
    text = query.strip()
    if not text:
        return CountryMatch(query, None)
    typed = key(text)
    for form in dict.fromkeys((typed, _without_article(typed))):
        if form in AMBIGUOUS:
            return CountryMatch(query, None, AMBIGUOUS[form], "several")
        if form in ALIASES:
            return _one(query, ALIASES[form])
    known = _known()
    if len(text) in (2, 3) and text.isascii() and text.isalpha():
        code = countries.from_iso(text)
        if code in known:
            return _one(query, code)
    code = countries.code_for(text)
    if code in known:
        return _one(query, code)
    found = tuple(c for c in countries.search(text) if c in known)
    if len(found) == 1 and len(text) >= MIN_PARTIAL:
        return _one(query, found[0])
    if found:
        return CountryMatch(query, None, found, "several")
    if len(text) < MIN_PARTIAL:  # two or three letters that are no code: nothing to guess
        return CountryMatch(query, None)
    return CountryMatch(query, None, _fuzzy(text, typed), "approximate")


def _one(query: str, code: str) -> CountryMatch:
    return CountryMatch(query, code, (code,))


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    """Every participant code (a territory such as Hong Kong is none: its State is)."""
    return frozenset(countries.all_codes())


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Key of every UN name (English, French, former) -> participant code."""
    result: dict[str, str] = {}
    for code in countries.all_codes():
        for name in countries.names_for(code):
            result.setdefault(key(name), code)
    for alias, code in ALIASES.items():
        result.setdefault(alias, code)
    return result


def _fuzzy(text: str, typed: str) -> tuple[str, ...]:
    """Candidates for text no step matched: the State a region belongs to (pycountry's fuzzy
    search, which knows subdivisions) and names spelt closely (difflib)."""
    known = _known()
    found: list[str] = []
    try:
        records = pycountry.countries.search_fuzzy(text)
    except LookupError:
        records = []
    for record in records:
        code = countries.from_iso(record.alpha_3)
        if code in known and code not in found:
            found.append(code)
    names = _names()
    for close in difflib.get_close_matches(typed, list(names), n=MAX_FUZZY, cutoff=0.8):
        if names[close] not in found:
            found.append(names[close])
    return tuple(found[:MAX_FUZZY])
