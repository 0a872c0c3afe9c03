"""Common short names and full titles of the tracked treaties, in English and French.

PURE: no I/O. The app shows a treaty as its short name (what officers say: "OPIC", "CRC")
with its full title in the page's language; the MTDSG number stays beside it.

Sources of the French forms, where French writers use a short form: "CIDE" (Convention
internationale des droits de l'enfant: France's Défenseur des droits, the Assemblée
nationale), "PIDCP" and "PIDESC" (the two Covenants), "CEDEF" (CEDAW), "CDPH" (CRPD); the
French parliament's and Child Rights Connect's French texts keep the English "OPAC", "OPSC"
and "OPIC" for the three protocols to the CRC. Where no French short form could be checked
(ICERD, CAT, CMW, CED, the Arms Trade Treaty), the French short name is the full French title
rather than an invented abbreviation. Titles are those of the UN Treaty Collection.
"""

from __future__ import annotations

import logging
from typing import NamedTuple

from tracker.sources.coe.ids import CATALOGUE

logger = logging.getLogger(__name__)


class TreatyName(NamedTuple):
    short_en: str
    short_fr: str | None  # None: no checked French short form; the full French title is used
    title_en: str
    title_fr: str


_CRC_FR = "Convention relative aux droits de l'enfant"
_PROTOCOL_FR = "Protocole facultatif à la Convention relative aux droits de l'enfant"
_PROTOCOL_EN = "Optional Protocol to the Convention on the Rights of the Child"

NAMES: dict[str, TreatyName] = {
    "IV-2": TreatyName(
        "ICERD",
        None,
        "International Convention on the Elimination of All Forms of Racial Discrimination",
        "Convention internationale sur l'élimination de toutes les formes de discrimination "
        "raciale",
    ),
    "IV-3": TreatyName(
        "ICESCR",
        "PIDESC",
        "International Covenant on Economic, Social and Cultural Rights",
        "Pacte international relatif aux droits économiques, sociaux et culturels",
    ),
    "IV-4": TreatyName(
        "ICCPR",
        "PIDCP",
        "International Covenant on Civil and Political Rights",
        "Pacte international relatif aux droits civils et politiques",
    ),
    "IV-8": TreatyName(
        "CEDAW",
        "CEDEF",
        "Convention on the Elimination of All Forms of Discrimination against Women",
        "Convention sur l'élimination de toutes les formes de discrimination à l'égard des femmes",
    ),
    "IV-9": TreatyName(
        "CAT",
        None,
        "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
        "Convention contre la torture et autres peines ou traitements cruels, inhumains ou "
        "dégradants",
    ),
    "IV-11": TreatyName("CRC", "CIDE", "Convention on the Rights of the Child", _CRC_FR),
    "IV-11-a": TreatyName(
        "CRC amendment art. 43(2)",
        "CIDE, amendement art. 43(2)",
        "Amendment to article 43 (2) of the Convention on the Rights of the Child",
        "Amendement au paragraphe 2 de l'article 43 de la Convention relative aux droits de "
        "l'enfant",
    ),
    "IV-11-b": TreatyName(
        "OPAC",
        "OPAC",
        f"{_PROTOCOL_EN} on the involvement of children in armed conflict",
        f"{_PROTOCOL_FR}, concernant l'implication d'enfants dans les conflits armés",
    ),
    "IV-11-c": TreatyName(
        "OPSC",
        "OPSC",
        f"{_PROTOCOL_EN} on the sale of children, child prostitution and child pornography",
        f"{_PROTOCOL_FR}, concernant la vente d'enfants, la prostitution des enfants et la "
        "pornographie mettant en scène des enfants",
    ),
    "IV-11-d": TreatyName(
        "OPIC",
        "OPIC",
        f"{_PROTOCOL_EN} on a communications procedure",
        f"{_PROTOCOL_FR} établissant une procédure de présentation de communications",
    ),
    "IV-13": TreatyName(
        "CMW",
        None,
        "International Convention on the Protection of the Rights of All Migrant Workers and "
        "Members of Their Families",
        "Convention internationale sur la protection des droits de tous les travailleurs "
        "migrants et des membres de leur famille",
    ),
    "IV-15": TreatyName(
        "CRPD",
        "CDPH",
        "Convention on the Rights of Persons with Disabilities",
        "Convention relative aux droits des personnes handicapées",
    ),
    "IV-16": TreatyName(
        "CED",
        None,
        "International Convention for the Protection of All Persons from Enforced Disappearance",
        "Convention internationale pour la protection de toutes les personnes contre les "
        "disparitions forcées",
    ),
    "XXVI-8": TreatyName(
        "Arms Trade Treaty", None, "Arms Trade Treaty", "Traité sur le commerce des armes"
    ),
}

#: Council of Europe treaties: the names the Council itself uses ("the Lanzarote Convention",
#: "la Convention de Lanzarote"); a treaty named after no place keeps its full French title.
_COE_SHORT_FR = {201: "Convention de Lanzarote", 210: "Convention d'Istanbul"}
NAMES.update(
    {
        f"CETS-{entry.number}": TreatyName(
            entry.short_name, _COE_SHORT_FR.get(entry.number), entry.title_en, entry.title_fr
        )
        for entry in CATALOGUE.values()
    }
)


def title(mtdsg_no: str, language: str, stored_en: str | None, stored_fr: str | None) -> str:
    """The full title in ``language``: the page's own title in that language when one was
    stored, else the known title, else the stored title in the other language, else the
    number."""
    known = NAMES.get(mtdsg_no)
    if language == "fr":
        return stored_fr or (known.title_fr if known else None) or stored_en or mtdsg_no
    return stored_en or (known.title_en if known else None) or stored_fr or mtdsg_no


def short_name(mtdsg_no: str, language: str, full_title: str | None = None) -> str:
    """The common short name in ``language`` ("OPIC", "CIDE"); for a treaty without one,
    the full title (``full_title``, else the known title, else the number)."""
    known = NAMES.get(mtdsg_no)
    if known is not None:
        if language == "fr":
            return known.short_fr or known.title_fr
        return known.short_en
    return full_title or mtdsg_no


def label(mtdsg_no: str, language: str, full_title: str | None = None) -> str:
    """ "OPIC (IV-11-d)": the short name and the number, for lists and choices."""
    short = short_name(mtdsg_no, language, full_title)
    return f"{short} ({mtdsg_no})" if short != mtdsg_no else mtdsg_no
