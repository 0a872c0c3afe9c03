"""UN participant names (English and French, old and new) -> one stable participant code.

The UN renames States ("Turkey" -> "Türkiye", "Swaziland" -> "Eswatini", "Netherlands" ->
"Netherlands (Kingdom of the)") and writes each name differently in English and French, with
footnote numbers glued on ("Koweït31,77", "Cambodia 2, 3"). The tracker identifies a
participant by a code instead, and this module maps every spelling to that code.

Codes:

* ISO 3166-1 alpha-3 where one exists (``pycountry.countries``): BEL, TUR, NLD, and also the
  non-member participants Holy See ``VAT``, State of Palestine ``PSE``, Cook Islands ``COK``
  and Niue ``NIU``.
* ``EUU`` for the European Union (and the former European (Economic) Community); ``XKX``
  for Kosovo. Neither is an ISO 3166-1 alpha-3 code.
* ISO 3166-3 codes (``pycountry.historic_countries``) for former participants that no current
  participant continues under the UN's practice: Czechoslovakia ``CSK``, German Democratic
  Republic ``DDR``, Union of Soviet Socialist Republics ``SUN``, Yugoslavia ``YUG`` (also
  "Yugoslavia (former)" and the Federal Republic of Yugoslavia), Serbia and Montenegro
  ``SCG``, Democratic Yemen ``YMD``.
* A renamed State keeps its current code: Burma -> ``MMR``, Zaire -> ``COD``, Kampuchea ->
  ``KHM``, Byelorussian SSR -> ``BLR``, Ukrainian SSR -> ``UKR``, Dahomey -> ``BEN``, Upper
  Volta -> ``BFA``, East Timor -> ``TLS``, Swaziland -> ``SWZ``, Federal Republic of Germany
  -> ``DEU``, United Arab Republic -> ``EGY``, Tanganyika -> ``TZA``, Yemen Arab Republic ->
  ``YEM``.

Lookup keys (:func:`normalize`) keep accents; when the exact key is unknown, a second key
without accents, hyphens and full stops is tried ("Cote d'Ivoire", "Guinea Bissau",
"St Lucia"). No two participants share either key (the tests check it). Names that only
pycountry knows ("Korea, Republic of", "Irak") are accepted after the UN's own names.
"""

from __future__ import annotations

import gettext
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from tracker.countries_data import ALL, HISTORIC, NON_ISO_ALPHA2, RENAMED_CODES, UNName

logger = logging.getLogger(__name__)

__all__ = [
    "all_codes",
    "alpha2",
    "code_for",
    "display_name",
    "from_iso",
    "names_for",
    "normalize",
    "search",
]

LANGUAGES = ("en", "fr")

_APOSTROPHES = str.maketrans(
    dict.fromkeys("\u2019\u2018\u201b`\u00b4\u02bc\u02b9\u2032\uff07", "'")
)
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212\u00ad", "-"))
#: Footnote markers after a name: digits (also superscript ones), commas, spaces.
_TRAILING_NOTES = re.compile(r"[\s\d,\u00b9\u00b2\u00b3\u2070-\u2079]+$")
_MAX_PASSES = 8


def _normalize_once(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = unicodedata.normalize("NFC", text.casefold())
    text = text.translate(_APOSTROPHES).translate(_DASHES)
    text = " ".join(text.split())
    text = _TRAILING_NOTES.sub("", text)
    return text.strip("[] ")


def normalize(name: str) -> str:
    """The lookup key of a participant name.

    NFC-normalised, case-folded, apostrophes (’ ‘ ` ´) unified to ``'``, dashes to ``-``,
    whitespace collapsed, surrounding square brackets (a withdrawn participant) and trailing
    footnote markers ("Cambodia 2, 3", "Koweït31,77", "North Macedonia 4 ,") removed.
    Accents are kept. ``normalize(normalize(x)) == normalize(x)`` for every string.
    """
    text = name
    for _ in range(_MAX_PASSES):
        step = _normalize_once(text)
        if step == text:
            break
        text = step
    return text


def _fold(key: str) -> str:
    """A looser key: no accents, hyphens as spaces, no full stops, "&" as "and"."""
    decomposed = unicodedata.normalize("NFD", key)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = text.replace("-", " ").replace(".", "").replace("&", " and ")
    return unicodedata.normalize("NFC", " ".join(text.split()))


@dataclass(frozen=True)
class _Index:
    by_code: dict[str, UNName]
    exact: dict[str, str]  # normalize(name) -> code
    folded: dict[str, str]  # _fold(normalize(name)) -> code
    searchable: tuple[tuple[str, str, bool], ...]  # (code, folded key, is a current name)
    iso: dict[str, str]  # upper-case ISO alpha-2 / alpha-3 / historic code -> code
    verbatim: dict[str, str]  # a UN name exactly as written in the table -> code (fast path)


def _pycountry_names() -> Iterable[tuple[str, str]]:
    """(name, alpha-3) for every name pycountry knows, in English and French."""
    french: gettext.NullTranslations
    try:
        french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    except OSError:  # pragma: no cover - pycountry always ships its translations
        french = gettext.NullTranslations()
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                yield value, country.alpha_3
                yield french.gettext(value), country.alpha_3


@lru_cache(maxsize=1)
def _index() -> _Index:
    by_code: dict[str, UNName] = {}
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    searchable: list[tuple[str, str, bool]] = []
    for entry in ALL:
        if entry.code in by_code:
            raise RuntimeError(f"participant code {entry.code} is listed twice")
        by_code[entry.code] = entry
        for position, name in enumerate((entry.en, entry.fr, *entry.aliases)):
            key = normalize(name)
            for table, k in ((exact, key), (folded, _fold(key))):
                other = table.setdefault(k, entry.code)
                if other != entry.code:
                    raise RuntimeError(f"name {name!r} is given to both {other} and {entry.code}")
            searchable.append((entry.code, _fold(key), position < 2))
    for name, code in _pycountry_names():
        key = normalize(name)
        exact.setdefault(key, code)
        folded.setdefault(_fold(key), code)

    iso: dict[str, str] = {code: code for code in by_code}
    iso.update(RENAMED_CODES)
    iso.update({two: code for code, two in NON_ISO_ALPHA2.items()})
    for country in pycountry.countries:
        iso.setdefault(country.alpha_3, country.alpha_3)
        iso.setdefault(country.alpha_2, country.alpha_3)
    historic_alpha2: dict[str, list[str]] = {}
    for entry in HISTORIC:
        old = pycountry.historic_countries.get(alpha_3=entry.code)
        if old is not None and getattr(old, "alpha_2", None):
            historic_alpha2.setdefault(old.alpha_2, []).append(entry.code)
    for two, codes in historic_alpha2.items():
        if len(codes) == 1:  # "CS" was both Czechoslovakia and Serbia and Montenegro
            iso.setdefault(two, codes[0])
    verbatim = {name: entry.code for entry in ALL for name in (entry.en, entry.fr, *entry.aliases)}
    return _Index(by_code, exact, folded, tuple(searchable), iso, verbatim)


def code_for(name: str) -> str | None:
    """The participant code for a UN name (English or French, any era), or None if unknown.

    Footnote markers, brackets, case, apostrophe style and (as a fallback) accents do not
    matter: ``code_for("Koweït31,77") == code_for("Kuwait") == "KWT"``.
    """
    index = _index()
    code = index.verbatim.get(name)  # most names on a page are written exactly as listed
    if code is not None:
        return code
    key = normalize(name)
    if not key:
        return None
    candidates = [key]
    if key.startswith("the "):
        candidates.append(key[4:])
    for candidate in candidates:
        code = index.exact.get(candidate) or index.folded.get(_fold(candidate))
        if code is not None:
            return code
    logger.debug("no participant code for name %r", name)
    return None


def _language(language: str) -> str:
    lang = language.strip().lower().lstrip("_")[:2]
    if lang not in LANGUAGES:
        raise ValueError(f"language must be 'en' or 'fr', not {language!r}")
    return lang


def display_name(code: str, language: str = "en") -> str:
    """The UN's current short name of a participant, in English (``"en"``) or French (``"fr"``).

    Falls back to pycountry's name (translated for French) for an ISO code that is not a UN
    participant. Raises ``KeyError`` for a code that neither knows, ``ValueError`` for a
    language other than English or French.
    """
    lang = _language(language)
    wanted = code.strip().upper()
    entry = _index().by_code.get(wanted)
    if entry is not None:
        return entry.en if lang == "en" else entry.fr
    record = pycountry.countries.get(alpha_3=wanted) or pycountry.historic_countries.get(
        alpha_3=wanted
    )
    if record is None:
        raise KeyError(f"unknown participant code {code!r}")
    if lang == "en":
        return str(record.name)
    domain = "iso3166-1" if pycountry.countries.get(alpha_3=wanted) else "iso3166-3"
    try:
        french = gettext.translation(domain, pycountry.LOCALES_DIR, languages=["fr"])
    except OSError:  # pragma: no cover
        return str(record.name)
    return french.gettext(record.name)


def names_for(code: str) -> tuple[str, ...]:
    """Every UN name of a participant: English, French, then the other forms. Empty if unknown."""
    entry = _index().by_code.get(code.strip().upper())
    return () if entry is None else (entry.en, entry.fr, *entry.aliases)


def from_iso(code: str) -> str | None:
    """The participant code for an ISO 3166 alpha-2 or alpha-3 code (current or withdrawn).

    ``from_iso("be") == "BEL"``, ``from_iso("TP") == "TLS"`` (East Timor),
    ``from_iso("EU") == "EUU"``. None if the code is unknown.
    """
    return _index().iso.get(code.strip().upper())


def all_codes(*, include_historic: bool = True) -> list[str]:
    """The codes of all UN participants this module knows, sorted."""
    historic = {entry.code for entry in HISTORIC}
    return sorted(code for code in _index().by_code if include_historic or code not in historic)


def alpha2(code: str) -> str | None:
    """The two-letter code to show for a participant on a map, or None.

    ISO 3166-1 alpha-2 for current States, the withdrawn alpha-2 for historic ones ("SU",
    "DD", "YU", "CS"), "EU" for the European Union and "XK" for Kosovo.
    """
    wanted = code.strip().upper()
    if wanted in NON_ISO_ALPHA2:
        return NON_ISO_ALPHA2[wanted]
    record = pycountry.countries.get(alpha_3=wanted) or pycountry.historic_countries.get(
        alpha_3=wanted
    )
    value = getattr(record, "alpha_2", None) if record is not None else None
    return str(value) if value else None


def search(query: str) -> list[str]:
    """Participant codes matching what a user typed, best matches first.

    In order: the participant with that ISO alpha-3 or alpha-2 code (case-insensitive); the
    participant with exactly that name (English or French, any era); then every participant
    one of whose UN names contains the query, ignoring case and accents. Among the latter, a
    match at the start of a name ranks before a match at the start of a word, which ranks
    before a match inside a word; then a current name before an older one; then a shorter
    name before a longer one; then alphabetical by English name. An empty query matches nothing.
    """
    text = query.strip()
    if not text:
        return []
    results: list[str] = []

    def add(code: str | None) -> None:
        if code is not None and code not in results:
            results.append(code)

    if len(text) in (2, 3) and text.isascii() and text.isalpha():
        add(from_iso(text))
    add(code_for(text))

    needle = _fold(normalize(text))
    if not needle:
        return results
    index = _index()
    best: dict[str, tuple[int, int, int]] = {}
    for code, haystack, current in index.searchable:
        found = haystack.find(needle)
        if found < 0:
            continue
        where = 0 if found == 0 else 1 if haystack[found - 1] in " '(" else 2
        rank = (where, 0 if current else 1, len(haystack))
        if code not in best or rank < best[code]:
            best[code] = rank
    ordered = sorted(best, key=lambda c: (best[c], _fold(normalize(index.by_code[c].en))))
    for code in ordered:
        add(code)
    return results
