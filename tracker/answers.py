"""A country's answer in words, in English and French: the sentence at the top of the Country
view, so that the facts are in the page's text (read by screen readers, found with Ctrl-F,
copied into a letter), not only in a table.

PURE: no I/O, no clock (``today`` is passed in). Unknown stays unknown: a treaty never
recorded is "no data yet", never "not signed"; a date the page does not give is not made up.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from tracker.changes import format_date
from tracker.i18n import check_language
from tracker.treaty_names import short_name

logger = logging.getLogger(__name__)

SNAPSHOT = "snapshot"


class CountryRow(Protocol):
    """What the answer needs of one row of :func:`tracker.queries.country_overview`."""

    @property
    def mtdsg_no(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def signature_date(self) -> date | None: ...
    @property
    def consent_date(self) -> date | None: ...
    @property
    def consent_kind(self) -> str | None: ...
    @property
    def in_force_date(self) -> date | None: ...
    @property
    def last_verified_at(self) -> datetime | None: ...
    @property
    def source(self) -> str | None: ...
    @property
    def published_on(self) -> date | None: ...


#: Consent kind -> (English verb phrase, French noun): "ratified it" / "ratification le …".
_CONSENT: dict[str, tuple[str, str]] = {
    "ratification": ("ratified it", "ratification"),  # (English verb, French noun)
    "accession": ("acceded to it", "adhésion"),
    "succession": ("succeeded to it", "succession"),
    "acceptance": ("accepted it", "acceptation"),
    "approval": ("approved it", "approbation"),
    "formal_confirmation": ("formally confirmed it", "confirmation formelle"),
    "definitive_signature": (
        "became a party to it by definitive signature",
        "signature définitive",
    ),
}


def _names(rows: Sequence[CountryRow], language: str) -> str:
    return ", ".join(short_name(r.mtdsg_no, language, r.title) for r in rows)


def country_summary(country: str, rows: Sequence[CountryRow], language: str = "en") -> str:
    """ "Belgium is a party to 10 of 13 tracked treaties; signed, not ratified: …; not
    signed: …; no data yet: …." Empty groups are left out; the groups name treaties by
    their short names."""
    language = check_language(language)
    groups: dict[str, list[CountryRow]] = {}
    for r in rows:
        groups.setdefault(r.status, []).append(r)
    parties = len(groups.get("party", []))
    total = len(rows)
    en = language == "en"
    if en:
        noun = "treaty" if total == 1 else "treaties"
        head = f"{country} is a party to {parties} of {total} tracked {noun}"
    else:
        noun = "traité suivi" if total == 1 else "traités suivis"
        head = f"{country} : partie à {parties} {'sur' if total == 1 else 'des'} {total} {noun}"
    parts = [head]
    labels = {
        "signed": ("signed, not ratified", "signés, non ratifiés"),
        "not_signed": ("not signed", "non signés"),
        "withdrawn": ("withdrawn", "retirés"),
        "no_data": ("no data yet", "pas encore de données"),
    }
    for status, (label_en, label_fr) in labels.items():
        chosen = groups.get(status)
        if chosen:
            parts.append(f"{label_en if en else label_fr}{': ' if en else ' : '}"
                         f"{_names(chosen, language)}")  # fmt: skip
    return ("; " if en else " ; ").join(parts) + "."


def _source(row: CountryRow, language: str) -> str:
    en = language == "en"
    if row.source == SNAPSHOT and row.published_on is not None:
        when = format_date(row.published_on, language)
        return (
            f"source: UN Treaty Collection as published on {when}, bundled snapshot"
            if en
            else f"source : Collection des traités des Nations Unies telle que publiée le "
            f"{when}, instantané fourni"
        )
    if row.last_verified_at is not None:
        when = format_date(row.last_verified_at.date(), language)
        return (
            f"source: UN Treaty Collection, verified on {when}"
            if en
            else f"source : Collection des traités des Nations Unies, vérifiée le {when}"
        )
    return (
        "source: UN Treaty Collection"
        if en
        else "source : Collection des traités des Nations Unies"
    )


def treaty_sentence(country: str, row: CountryRow, *, today: date, language: str = "en") -> str:
    """One country on one treaty, in words: "Belgium signed OPIC on 28 February 2012,
    ratified it on 30 May 2014; in force for Belgium since 30 August 2014 (source: UN Treaty
    Collection, verified on 1 October 2017)."."""
    language = check_language(language)
    en = language == "en"
    name = short_name(row.mtdsg_no, language, row.title)
    if row.status == "no_data":
        return (
            f"No data yet on {name} for {country}: its status page has not been recorded."
            if en
            else f"{country} — {name} : pas encore de données (la page de statut n'a pas "
            "encore été enregistrée)."
        )
    source = _source(row, language)
    if row.status == "not_signed":
        return (
            f"{country} has neither signed nor joined {name} ({source})."
            if en
            else f"{country} — {name} : ni signé, ni ratifié, ni adhésion ({source})."
        )
    if row.status == "withdrawn":
        return (
            f"{country} is no longer a party to {name}: shown as withdrawn ({source})."
            if en
            else f"{country} — {name} : n'est plus partie, retrait indiqué ({source})."
        )
    if row.status == "signed":
        when = format_date(row.signature_date, language) if row.signature_date else None
        if en:
            signed = f"signed {name} on {when}" if when else f"is shown as a signatory of {name}"
            return f"{country} {signed} and has not ratified it ({source})."
        signed = f"signé le {when}" if when else "signataire"
        return f"{country} — {name} : {signed}, non ratifié ({source})."
    steps: list[str] = []
    if row.signature_date is not None:
        when = format_date(row.signature_date, language)
        steps.append(f"signed {name} on {when}" if en else f"signature le {when}")
    verb_en, noun_fr = _CONSENT.get(
        row.consent_kind or "", ("became a party to it", "consentement")
    )
    if row.signature_date is None:
        verb_en = verb_en.replace(" it", f" {name}")
    if row.consent_date is not None:
        when = format_date(row.consent_date, language)
        steps.append(f"{verb_en} on {when}" if en else f"{noun_fr} le {when}")
    else:
        steps.append(f"{verb_en} (date not given)" if en else f"{noun_fr} (date non indiquée)")
    if en:
        sentence = f"{country} " + ", ".join(steps)
    else:
        sentence = f"{country} — {name} : " + ", ".join(steps)
    if row.in_force_date is not None:
        when = format_date(row.in_force_date, language)
        if row.in_force_date <= today:
            sentence += (
                f"; in force for {country} since {when}"
                if en
                else f" ; en vigueur à son égard depuis le {when}"
            )
        else:
            sentence += (
                f"; enters into force for {country} on {when}"
                if en
                else f" ; entrera en vigueur à son égard le {when}"
            )
    else:
        sentence += (
            f"; date of entry into force for {country} not known"
            if en
            else " ; date d'entrée en vigueur à son égard inconnue"
        )
    return f"{sentence} ({source})."
