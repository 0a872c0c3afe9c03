"""The country answer in words (tracker.answers) and the treaties' short names
(tracker.treaty_names), in English and French. Belgium's OPIC facts are the real ones the UN
Treaty Collection published (signed 28 Feb 2012, ratified 30 May 2014, in force for it
30 Aug 2014: data/snapshot/IV-11-d.en.html)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from tracker import answers, treaty_names

TODAY = date(2026, 12, 1)


@dataclass(frozen=True)
class Row:
    mtdsg_no: str
    status: str
    title: str = ""
    signature_date: date | None = None
    consent_date: date | None = None
    consent_kind: str | None = None
    in_force_date: date | None = None
    last_verified_at: datetime | None = None
    source: str | None = "live"
    published_on: date | None = None


OPIC = Row(
    "IV-11-d",
    "party",
    signature_date=date(2012, 2, 28),
    consent_date=date(2014, 5, 30),
    consent_kind="ratification",
    in_force_date=date(2014, 8, 30),
    last_verified_at=datetime(2017, 10, 1, 6, 0, tzinfo=UTC),
)


def test_a_party_in_english_and_french() -> None:
    assert answers.treaty_sentence("Belgium", OPIC, today=TODAY) == (
        "Belgium signed OPIC on 28 February 2012, ratified it on 30 May 2014; in force for "
        "Belgium since 30 August 2014 (source: UN Treaty Collection, verified on 1 October "
        "2017)."
    )
    assert answers.treaty_sentence("Belgique", OPIC, today=TODAY, language="fr") == (
        "Belgique — OPIC : signature le 28 février 2012, ratification le 30 mai 2014 ; en "
        "vigueur à son égard depuis le 30 août 2014 (source : Collection des traités des "
        "Nations Unies, vérifiée le 1er octobre 2017)."
    )


def test_accession_snapshot_future_and_unknown_dates() -> None:
    acceded = replace(
        OPIC,
        signature_date=None,
        consent_kind="accession",
        source="snapshot",
        published_on=date(2015, 3, 14),
    )
    assert answers.treaty_sentence("Gabon", acceded, today=TODAY) == (
        "Gabon acceded to OPIC on 30 May 2014; in force for Gabon since 30 August 2014 "
        "(source: UN Treaty Collection as published on 14 March 2015, bundled snapshot)."
    )
    soon = replace(OPIC, in_force_date=date(2027, 1, 1))
    assert "; enters into force for Belgium on 1 January 2027 (" in answers.treaty_sentence(
        "Belgium", soon, today=TODAY
    )
    unknown = replace(OPIC, in_force_date=None, consent_date=None)
    text = answers.treaty_sentence("Belgium", unknown, today=TODAY)
    assert "ratified it (date not given); date of entry into force for Belgium not known" in text
    fr = answers.treaty_sentence("Belgique", unknown, today=TODAY, language="fr")
    assert "ratification (date non indiquée) ; date d'entrée en vigueur à son égard inconnue" in fr


def test_signed_not_signed_withdrawn_and_no_data() -> None:
    signed = Row("IV-11", "signed", signature_date=date(1995, 2, 16), source="snapshot",
                 published_on=date(2015, 3, 14))  # fmt: skip
    assert answers.treaty_sentence("United States of America", signed, today=TODAY) == (
        "United States of America signed CRC on 16 February 1995 and has not ratified it "
        "(source: UN Treaty Collection as published on 14 March 2015, bundled snapshot)."
    )
    assert answers.treaty_sentence("États-Unis", signed, today=TODAY, language="fr").startswith(
        "États-Unis — CIDE : signé le 16 février 1995, non ratifié (source : "
    )
    assert answers.treaty_sentence("Belgium", Row("IV-16", "no_data"), today=TODAY) == (
        "No data yet on CED for Belgium: its status page has not been recorded."
    )
    no_data_fr = answers.treaty_sentence("Belgique", Row("IV-2", "no_data"), today=TODAY,
                                         language="fr")  # fmt: skip
    assert "pas encore de données" in no_data_fr and "None" not in no_data_fr
    assert answers.treaty_sentence("Chad", Row("IV-11-d", "not_signed"), today=TODAY) == (
        "Chad has neither signed nor joined OPIC (source: UN Treaty Collection)."
    )
    assert "shown as withdrawn" in answers.treaty_sentence(
        "X", Row("IV-11", "withdrawn"), today=TODAY
    )


def test_country_summary_names_every_group() -> None:
    rows = [
        OPIC,
        Row("IV-11", "party"),
        Row("IV-11-b", "signed"),
        Row("IV-11-c", "not_signed"),
        Row("IV-2", "no_data"),
        Row("IV-16", "no_data"),
    ]
    assert answers.country_summary("Belgium", rows) == (
        "Belgium is a party to 2 of 6 tracked treaties; signed, not ratified: OPAC; not "
        "signed: OPSC; no data yet: ICERD, CED."
    )
    fr = answers.country_summary("Belgique", rows, language="fr")
    assert fr.startswith(
        "Belgique : partie à 2 des 6 traités suivis ; signés, non ratifiés : OPAC ; non "
        "signés : OPSC ; pas encore de données : Convention internationale sur l'élimination"
    )
    assert answers.country_summary("Belgium", [OPIC]) == (
        "Belgium is a party to 1 of 1 tracked treaty."
    )


def test_short_names_and_titles() -> None:
    assert treaty_names.short_name("IV-11", "en") == "CRC"
    assert treaty_names.short_name("IV-11", "fr") == "CIDE"
    assert treaty_names.short_name("IV-4", "fr") == "PIDCP"
    assert treaty_names.short_name("IV-8", "fr") == "CEDEF"
    assert treaty_names.short_name("IV-15", "fr") == "CDPH"
    # no checked French short form: the full French title, never an invented one
    assert treaty_names.short_name("IV-9", "fr").startswith("Convention contre la torture")
    assert treaty_names.short_name("XXVI-8", "en") == "Arms Trade Treaty"
    assert treaty_names.short_name("XXVI-8", "fr") == "Traité sur le commerce des armes"
    assert treaty_names.short_name("I-1", "en", "Charter of the United Nations") == (
        "Charter of the United Nations"
    )
    assert treaty_names.label("IV-11-d", "en") == "OPIC (IV-11-d)"
    # a page's own title wins; the known French title stands in when only English was read
    assert treaty_names.title("IV-11-d", "fr", "Optional Protocol …", None).startswith(
        "Protocole facultatif à la Convention relative aux droits de l'enfant établissant"
    )
    assert treaty_names.title("IV-11-d", "en", "Stored title", None) == "Stored title"
    assert treaty_names.title("I-1", "fr", "Charter", None) == "Charter"
    for name in treaty_names.NAMES.values():
        for text in name:
            assert text is None or ("None" not in text and text.strip() == text)
