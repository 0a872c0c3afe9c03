"""The Council of Europe's participants -> the tracker's stable participant codes.

The Council's answers give each row its own code (``CodePays``: ``BUL`` for Bulgaria, which is
not ISO 3166) and a name (``LibPaysOrga``, in the answer's language). A row is identified by
its **name**, through :func:`tracker.countries.code_for` (every UN spelling, English and
French, and ISO names) and the few Council spellings listed in :data:`NAME_ALIASES`. The
Council's code is kept as provenance (the raw answer is archived) and is used only where it
is cited in :data:`CITED_CODES`: then it must agree with the name, or the answer is not
trusted. No Council code is written here that could not be cited.

:data:`MEMBERS`, :data:`FORMER_MEMBERS`, :data:`OBSERVERS` and :data:`EUROPEAN_UNION` list the
participants a Council answer can name, with the names the Council uses for them in English
and French (the public record of the Council's membership; the exact strings of the JSON
service are confirmed by the ``live`` test, and other forms are looked up all the same).
"""

from __future__ import annotations

import logging
from typing import NamedTuple

from tracker import countries

logger = logging.getLogger(__name__)


class CouncilName(NamedTuple):
    """One participant as the Council of Europe names it."""

    code: str  # the tracker's stable code (tracker.countries)
    en: str
    fr: str


#: The 46 member States of the Council of Europe (since the Russian Federation ceased to be
#: a member on 16 March 2022), in the Council's English alphabetical order.
MEMBERS: tuple[CouncilName, ...] = (
    CouncilName("ALB", "Albania", "Albanie"),
    CouncilName("AND", "Andorra", "Andorre"),
    CouncilName("ARM", "Armenia", "Arménie"),
    CouncilName("AUT", "Austria", "Autriche"),
    CouncilName("AZE", "Azerbaijan", "Azerbaïdjan"),
    CouncilName("BEL", "Belgium", "Belgique"),
    CouncilName("BIH", "Bosnia and Herzegovina", "Bosnie-Herzégovine"),
    CouncilName("BGR", "Bulgaria", "Bulgarie"),
    CouncilName("HRV", "Croatia", "Croatie"),
    CouncilName("CYP", "Cyprus", "Chypre"),
    CouncilName("CZE", "Czech Republic", "République tchèque"),
    CouncilName("DNK", "Denmark", "Danemark"),
    CouncilName("EST", "Estonia", "Estonie"),
    CouncilName("FIN", "Finland", "Finlande"),
    CouncilName("FRA", "France", "France"),
    CouncilName("GEO", "Georgia", "Géorgie"),
    CouncilName("DEU", "Germany", "Allemagne"),
    CouncilName("GRC", "Greece", "Grèce"),
    CouncilName("HUN", "Hungary", "Hongrie"),
    CouncilName("ISL", "Iceland", "Islande"),
    CouncilName("IRL", "Ireland", "Irlande"),
    CouncilName("ITA", "Italy", "Italie"),
    CouncilName("LVA", "Latvia", "Lettonie"),
    CouncilName("LIE", "Liechtenstein", "Liechtenstein"),
    CouncilName("LTU", "Lithuania", "Lituanie"),
    CouncilName("LUX", "Luxembourg", "Luxembourg"),
    CouncilName("MLT", "Malta", "Malte"),
    CouncilName("MDA", "Republic of Moldova", "République de Moldova"),
    CouncilName("MCO", "Monaco", "Monaco"),
    CouncilName("MNE", "Montenegro", "Monténégro"),
    CouncilName("NLD", "Netherlands", "Pays-Bas"),
    CouncilName("MKD", "North Macedonia", "Macédoine du Nord"),
    CouncilName("NOR", "Norway", "Norvège"),
    CouncilName("POL", "Poland", "Pologne"),
    CouncilName("PRT", "Portugal", "Portugal"),
    CouncilName("ROU", "Romania", "Roumanie"),
    CouncilName("SMR", "San Marino", "Saint-Marin"),
    CouncilName("SRB", "Serbia", "Serbie"),
    CouncilName("SVK", "Slovak Republic", "République slovaque"),
    CouncilName("SVN", "Slovenia", "Slovénie"),
    CouncilName("ESP", "Spain", "Espagne"),
    CouncilName("SWE", "Sweden", "Suède"),
    CouncilName("CHE", "Switzerland", "Suisse"),
    CouncilName("TUR", "Türkiye", "Türkiye"),
    CouncilName("UKR", "Ukraine", "Ukraine"),
    CouncilName("GBR", "United Kingdom", "Royaume-Uni"),
)

#: Former members still named in answers (as parties to treaties open to non-members).
FORMER_MEMBERS: tuple[CouncilName, ...] = (
    CouncilName("RUS", "Russian Federation", "Fédération de Russie"),
)

#: The States with observer status at the Council of Europe.
OBSERVERS: tuple[CouncilName, ...] = (
    CouncilName("CAN", "Canada", "Canada"),
    CouncilName("VAT", "Holy See", "Saint-Siège"),
    CouncilName("ISR", "Israel", "Israël"),
    CouncilName("JPN", "Japan", "Japon"),
    CouncilName("MEX", "Mexico", "Mexique"),
    CouncilName("USA", "United States of America", "États-Unis d'Amérique"),
)

EUROPEAN_UNION = CouncilName("EUU", "European Union", "Union européenne")

#: Council spellings that tracker.countries does not know (or knows only through pycountry),
#: older ones included: the Council's names before a State's renaming stay in older answers.
NAME_ALIASES: dict[str, str] = {
    "Slovak Republic": "SVK",
    "République slovaque": "SVK",
    "Turkey": "TUR",
    "Turquie": "TUR",
    "the former Yugoslav Republic of Macedonia": "MKD",
    "l'ex-République yougoslave de Macédoine": "MKD",
    "Etats-Unis d'Amérique": "USA",
}

#: The Council's own codes that can be cited, with where: only these are checked against
#: the name. ``BUL`` is Bulgaria in the answer quoted in ../shared/depositaries/COE.md.
CITED_CODES: dict[str, str] = {"BUL": "BGR"}

#: An answer whose member-State list has fewer rows than this is partial (the service lists
#: every member State, acted or not: COE.md's Bulgaria / ETS 148 row has no date at all).
MIN_MEMBER_ROWS = len(MEMBERS) * 9 // 10


def _alias(name: str) -> str | None:
    key = countries.normalize(name)
    for alias, code in NAME_ALIASES.items():
        if countries.normalize(alias) == key:
            return code
    return None


def code_for_name(name: str) -> str | None:
    """The tracker's code for a name as the Council writes it (English or French), or None."""
    return _alias(name) or countries.code_for(name)


class Match(NamedTuple):
    """How one row was identified: the code (None: unknown), and a disagreement if any."""

    code: str | None
    conflict: str | None = None


def participant_code(name: str, council_code: str) -> Match:
    """Identify one row by its name; a cited Council code must agree with it.

    ``participant_code("Bulgaria", "BUL") == Match("BGR")``; a row named "Bulgaria" with a code
    cited for another State gives a ``conflict`` (the answer is not trusted); an unknown name
    with a cited code is identified by the code.
    """
    by_name = code_for_name(name)
    by_code = CITED_CODES.get(council_code.strip().upper())
    if by_name is not None and by_code is not None and by_name != by_code:
        return Match(
            by_name,
            f"the row named {name!r} ({by_name}) has the Council code {council_code!r}, "
            f"which is {by_code}",
        )
    return Match(by_name or by_code)
