"""Territories on the treaty map: coloured with their State only where the treaty is known
to apply there.

PURE (pycountry's ISO 3166 data is read, nothing else). A territory that has its own
ISO 3166-1 code but is not a participant of UN treaties (Greenland, the Faroe Islands,
Hong Kong, Puerto Rico, New Caledonia …) is shown:

* with its State's status when the State's declarations on the treaty's page say the treaty
  applies or is extended to it ("… shall be applicable to the Hong Kong Special
  Administrative Region …"), or when it is an integral part of the State (the French
  overseas departments, which ISO 3166-2 lists as parts of France);
* as "not applicable" when the declarations say the treaty does NOT apply there ("The
  Convention shall not apply to the Faroe Islands and Greenland.");
* otherwise as "no data": nothing on the page says whether the treaty applies there. It is
  never painted "not signed", and never with the State's colour by guess.

The map of which State a territory belongs to comes from ISO 3166-2 through pycountry (the
State's subdivision whose code ends with the territory's alpha-2 code: FR-NC, US-PR, CN-HK,
NL-AW …), completed by :data:`OTHER_TERRITORIES` for those ISO 3166-2 does not list under
their State (Greenland, the Faroe Islands, the British overseas territories …). Taiwan and
Western Sahara are left out on purpose: no State's declaration decides them here.

The page's territorial-application table (read by ``tracker/sources/untc/table.py`` into
:class:`~tracker.domain.TerritorialApplication` rows) decides too: a row of a State that names
the territory ("Aruba", "Hong Kong" …) gives the territory the State's status, the note quoting
the row. A State that has not signed, or has withdrawn, gives no colour either way.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import pycountry

from tracker.domain import TerritorialApplication

logger = logging.getLogger(__name__)

#: ISO 3166-2 subdivision types that are territories with their own ISO 3166-1 code
_TERRITORY_TYPES = frozenset(
    {
        "Overseas collectivity",
        "Overseas collectivity with special status",
        "Overseas territory",
        "Outlying area",
        "Special administrative region",
        "Country",  # the Kingdom of the Netherlands' Aruba, Curaçao, Sint Maarten
    }
)
#: integral parts of a State with their own ISO 3166-1 code: territory -> ISO 3166-2 code
INTEGRAL_PARTS: dict[str, str] = {
    "GLP": "FR-971",
    "MTQ": "FR-972",
    "GUF": "FR-973",
    "REU": "FR-974",
    "MYT": "FR-976",
}
#: territories ISO 3166-2 does not list under their State: territory -> State
OTHER_TERRITORIES: dict[str, str] = {
    "GRL": "DNK", "FRO": "DNK",
    "BMU": "GBR", "FLK": "GBR", "GIB": "GBR", "CYM": "GBR", "VGB": "GBR", "TCA": "GBR",
    "MSR": "GBR", "AIA": "GBR", "SHN": "GBR", "PCN": "GBR", "IOT": "GBR", "SGS": "GBR",
    "GGY": "GBR", "JEY": "GBR", "IMN": "GBR",
    "CXR": "AUS", "CCK": "AUS", "NFK": "AUS", "HMD": "AUS",
    "TKL": "NZL",
    "SJM": "NOR", "BVT": "NOR",
    "BES": "NLD",
}  # fmt: skip
#: decided by no State's declaration here: always "no data"
EXCLUDED = frozenset({"TWN", "ESH", "ATA"})

#: names declarations use that ISO's names do not give (English and French)
_EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "GRL": ("Greenland", "Groenland"),
    "FRO": ("Faroe Islands", "Faeroe Islands", "Faroes", "îles Féroé", "Îles Féroé"),
    "HKG": ("Hong Kong", "Hongkong"),
    "MAC": ("Macao", "Macau"),
    "PRI": ("Puerto Rico", "Porto Rico"),
    "NCL": ("New Caledonia", "Nouvelle-Calédonie"),
    "PYF": ("French Polynesia", "Polynésie française"),
    "ABW": ("Aruba",),
    "CUW": ("Curaçao", "Curacao"),
    "SXM": ("Sint Maarten",),
    "BMU": ("Bermuda", "Bermudes"),
    "FLK": ("Falkland Islands", "îles Falkland"),
    "GIB": ("Gibraltar",),
    "TKL": ("Tokelau",),
    "IMN": ("Isle of Man", "île de Man"),
    "JEY": ("Jersey",),
    "GGY": ("Guernsey", "Guernesey"),
    "CYM": ("Cayman Islands", "îles Caïmans"),
    "SJM": ("Svalbard",),
}

_SUBJECT = (
    r"(?:convention|covenant|protocol|treaty|agreement|instrument|ratification|accession|"
    r"pacte|protocole|trait[ée]|accord)"
)
_NEGATED = re.compile(
    _SUBJECT + r"[^.;:]{0,160}?\b(?:shall|will|does|is|do)\s+not\s+(?:be\s+)?"
    r"(?:appl(?:y|icable)|extend(?:ed)?)\b"
    r"|" + _SUBJECT + r"[^.;:]{0,160}?\bne\s+s[’']appliquer(?:a|ont)?\s+pas\b"
    r"|" + _SUBJECT + r"[^.;:]{0,160}?\bn[’']est\s+pas\s+applicable\b"
    r"|\bexclu(?:d(?:es|ed|ing)|sion)?\b",
    re.IGNORECASE,
)
_POSITIVE = re.compile(
    _SUBJECT + r"[^.;:]{0,160}?\b(?:shall|will|is|are)\s+(?:also\s+)?(?:be\s+)?"
    r"(?:appl(?:y|ies|icable)|extend(?:s|ed)?)\b"
    r"|\bextend(?:s|ed|ing)?\s+(?:the\s+)?(?:application\s+of\s+)?(?:the\s+|this\s+|said\s+)*"
    + _SUBJECT
    + r"|\bextension\s+of\s+(?:the\s+)?"
    + _SUBJECT
    + r"|"
    + _SUBJECT
    + r"[^.;:]{0,160}?\bs[’']appliquer(?:a|ont)?\b"
    r"|" + _SUBJECT + r"[^.;:]{0,160}?\b(?:est|sera)\s+(?:également\s+)?(?:applicable|étendue?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class TerritoryStatus:
    """What the map shows for one territory on one treaty.

    ``status``: the State's status (``party``, ``signed`` …) when the treaty applies there,
    ``not_applicable`` or ``no_data``; ``how``: ``table`` (a row of the page's
    territorial-application table names it), ``extended`` (a declaration says so),
    ``part`` (an integral part of the State), ``excluded`` (a declaration says it does not
    apply) or ``unknown``; ``evidence``: the sentence of the declaration or the table's row
    (:func:`quote_row`), when one decided.
    """

    code: str
    state: str | None
    status: str
    how: str
    evidence: str | None = None


@lru_cache(maxsize=1)
def sovereign_states() -> dict[str, str]:
    """Territory alpha-3 -> its State's alpha-3."""
    alpha2 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    found: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        state, _, suffix = sub.code.partition("-")
        if sub.type in _TERRITORY_TYPES and suffix in alpha2 and suffix != state:
            found[alpha2[suffix]] = alpha2[state]
    for territory, code in INTEGRAL_PARTS.items():
        found[territory] = alpha2[code.split("-")[0]]
    for territory, state in OTHER_TERRITORIES.items():
        found.setdefault(territory, state)
    for code in EXCLUDED:
        found.pop(code, None)
    return found


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@cache
def _name_pattern(code: str) -> re.Pattern[str]:
    names = set(_EXTRA_NAMES.get(code, ()))
    country = pycountry.countries.get(alpha_3=code)
    if country is not None:
        names.update({country.name, getattr(country, "common_name", country.name)})
    folded = sorted({_fold(n) for n in names if len(n) > 3}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in folded) + r")\b")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.;])\s+|[\"“”]\s*(?=[A-Z“\"])", text) if s.strip()]


def from_declaration(code: str, text: str | None) -> tuple[str, str] | None:
    """``("extended" | "excluded", sentence)`` when a sentence of ``text`` naming territory
    ``code`` says the treaty applies / does not apply there; None when none says."""
    if not text:
        return None
    pattern = _name_pattern(code)
    for sentence in _sentences(" ".join(text.split())):
        folded = _fold(sentence)
        if not pattern.search(folded):
            continue
        if _NEGATED.search(sentence):
            return "excluded", sentence
        if _POSITIVE.search(sentence):
            return "extended", sentence
    return None


def quote_row(row: TerritorialApplication) -> str:
    """A territorial-application row as the note quotes it: participant | date | territories."""
    when = row.date.isoformat() if row.date is not None else "no date"
    return f"{row.participant} | {when} | {row.territories}"


def from_table(code: str, state: str, rows: Sequence[TerritorialApplication]) -> str | None:
    """The first row of ``state`` whose territories name territory ``code``, quoted; None
    when no row of the State names it."""
    pattern = _name_pattern(code)
    for row in rows:
        if row.code == state and pattern.search(_fold(" ".join(row.territories.split()))):
            return quote_row(row)
    return None


def territory_statuses(
    statuses: Mapping[str, str],
    declarations: Mapping[str, str | None],
    territories: Iterable[str] | None = None,
    applications: Sequence[TerritorialApplication] = (),
) -> dict[str, TerritoryStatus]:
    """For each territory (default: every one :func:`sovereign_states` knows), what the map
    shows. ``statuses``: participant code -> status on the treaty; ``declarations``:
    participant code -> its declaration text on the treaty's page; ``applications``: the
    rows of the page's territorial-application table. A row naming the territory decides
    before the declarations: it is the depositary's record of the State's notification."""
    states = sovereign_states()
    result: dict[str, TerritoryStatus] = {}
    for code in territories if territories is not None else states:
        if code in statuses:  # a participant in its own right (the Cook Islands …)
            continue
        state = states.get(code)
        if state is None:
            result[code] = TerritoryStatus(code, None, "no_data", "unknown")
            continue
        state_status = statuses.get(state)
        decided = from_declaration(code, declarations.get(state))
        row = from_table(code, state, applications) if applications else None
        if row is None and decided is not None and decided[0] == "excluded":
            result[code] = TerritoryStatus(code, state, "not_applicable", "excluded", decided[1])
        elif state_status in (None, "not_signed", "withdrawn") and code not in INTEGRAL_PARTS:
            result[code] = TerritoryStatus(code, state, "no_data", "unknown")
        elif row is not None:
            result[code] = TerritoryStatus(code, state, state_status or "no_data", "table", row)
        elif decided is not None:
            result[code] = TerritoryStatus(code, state, state_status or "no_data", *decided)
        elif code in INTEGRAL_PARTS:
            result[code] = TerritoryStatus(code, state, state_status or "not_signed", "part")
        else:
            result[code] = TerritoryStatus(code, state, "no_data", "unknown")
    return result


_LABELS: dict[str, tuple[str, str]] = {
    "not_applicable": ("not applicable there", "non applicable"),
    "no_data": ("no data (not stated)", "pas de données (non indiqué)"),
    "extended": ("extended by {state}: {evidence}", "étendu par {state} : {evidence}"),
    "table": (
        "extended by {state}, in the page's territorial-application table: {evidence}",
        "étendu par {state}, dans le tableau d'application territoriale de la page : {evidence}",
    ),
    "excluded": ("excluded by {state}: {evidence}", "exclu par {state} : {evidence}"),
    "part": ("part of {state}", "partie de {state}"),
    "unknown": (
        "{state}'s declarations on this page do not say whether the treaty applies here",
        "les déclarations de {state} sur cette page ne disent pas si le traité s'applique ici",
    ),
    "unknown_no_state": ("not a participant", "pas un participant"),
}


def label(key: str, language: str, **values: object) -> str:
    """Map labels: ``not_applicable``/``no_data`` (legend), and the tooltip notes
    (``table``, ``extended``, ``excluded``, ``part``, ``unknown``)."""
    text = _LABELS[key][0 if language == "en" else 1]
    return text.format(**values) if values else text


def note(status: TerritoryStatus, state_name: str, language: str) -> str:
    """The tooltip's sentence on why a territory has its colour (evidence cut to 160 chars)."""
    if status.state is None:
        return label("unknown_no_state", language)
    evidence = status.evidence or ""
    if len(evidence) > 160:
        evidence = evidence[:160].rsplit(" ", 1)[0] + " …"
    return label(status.how, language, state=state_name, evidence=evidence)
