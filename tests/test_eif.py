"""Entry into force (tracker.eif), checked on real dates.

``tests/fixtures/opic_2015.csv`` is a copy of the participants table of OPIC (IV-11-d) as
parsed from the MTDSG XML on 2015-03-14 (zmjones/untreaties data; real values, footnote
digits stripped from names). ``load_opic_2015`` turns it into a TreatyStatus; the codes come
from the small table below (the project's country table is not used here). It is shared by
tests/test_changes.py and tests/test_history.py.
"""

from __future__ import annotations

import csv
import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from tracker.config import DEFAULT_TREATIES
from tracker.domain import (
    SUFFIX_TO_KIND,
    Consent,
    ConsentKind,
    Counts,
    EntryIntoForce,
    Participant,
    TreatyStatus,
)
from tracker.eif import (
    RULES,
    add_months,
    entry_into_force,
    entry_into_force_by_participant,
    in_force_for,
    rule_for,
    treaty_entry_into_force,
)

OPIC_CSV = Path(__file__).parent / "fixtures" / "opic_2015.csv"
OPIC_URL = (
    "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-11-d&chapter=4&clang=_en"
)
OPIC_TITLE = (
    "Optional Protocol to the Convention on the Rights of the Child on a communications procedure"
)

#: ISO 3166 alpha-3 codes for the 51 names of the 2015 table (test-only).
OPIC_CODES: dict[str, str] = {
    "Albania": "ALB",
    "Andorra": "AND",
    "Argentina": "ARG",
    "Austria": "AUT",
    "Belgium": "BEL",
    "Benin": "BEN",
    "Bolivia (Plurinational State of)": "BOL",
    "Brazil": "BRA",
    "Cabo Verde": "CPV",
    "Chile": "CHL",
    "Costa Rica": "CRI",
    "Côte d'Ivoire": "CIV",
    "Croatia": "HRV",
    "Cyprus": "CYP",
    "Ecuador": "ECU",
    "El Salvador": "SLV",
    "Finland": "FIN",
    "France": "FRA",
    "Gabon": "GAB",
    "Germany": "DEU",
    "Ghana": "GHA",
    "Guinea-Bissau": "GNB",
    "Ireland": "IRL",
    "Italy": "ITA",
    "Liechtenstein": "LIE",
    "Luxembourg": "LUX",
    "Madagascar": "MDG",
    "Maldives": "MDV",
    "Mali": "MLI",
    "Malta": "MLT",
    "Mauritius": "MUS",
    "Monaco": "MCO",
    "Mongolia": "MNG",
    "Montenegro": "MNE",
    "Morocco": "MAR",
    "Paraguay": "PRY",
    "Peru": "PER",
    "Poland": "POL",
    "Portugal": "PRT",
    "Romania": "ROU",
    "Senegal": "SEN",
    "Serbia": "SRB",
    "Seychelles": "SYC",
    "Slovakia": "SVK",
    "Slovenia": "SVN",
    "Spain": "ESP",
    "Thailand": "THA",
    "The former Yugoslav Republic of Macedonia": "MKD",
    "Turkey": "TUR",
    "Ukraine": "UKR",
    "Uruguay": "URY",
}


def parse_cell(text: str) -> tuple[date | None, str]:
    """'2 Apr 2013 a' -> (2013-04-02, 'a'); '' -> (None, '')."""
    parts = text.split()
    if not parts:
        return None, ""
    return datetime.strptime(" ".join(parts[:3]), "%d %b %Y").date(), " ".join(parts[3:])


def load_opic_2015() -> TreatyStatus:
    """The real OPIC participants of 2015-03-14 as a TreatyStatus.

    The entry-into-force date (14 Apr 2014) is the real one; the stated counts are set to what
    the rows give (48 signatories, 16 parties): the 2015 page's own counts were not captured.
    """
    participants = []
    with OPIC_CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["Participant", "Signature"]
    for name, sig_text, consent_text in rows[1:]:
        signature, _ = parse_cell(sig_text)
        consent_date, suffix = parse_cell(consent_text)
        participants.append(
            Participant(
                name=name,
                code=OPIC_CODES[name],
                signature=signature,
                consent=(
                    None if consent_date is None else Consent(consent_date, SUFFIX_TO_KIND[suffix])
                ),
            )
        )
    return TreatyStatus(
        mtdsg_no="IV-11-d",
        language="en",
        title=OPIC_TITLE,
        url=OPIC_URL,
        entry_into_force=EntryIntoForce(
            date(2014, 4, 14), "14 April 2014, in accordance with article 19(1)."
        ),
        counts=Counts(signatories=48, parties=16),
        participants=tuple(participants),
    )


@pytest.fixture
def opic() -> TreatyStatus:
    return load_opic_2015()


def replace_participant(status: TreatyStatus, code: str, **changes: Any) -> TreatyStatus:
    """``status`` with the participant ``code`` edited (the edit is visible in the test)."""
    participants = tuple(
        dataclasses.replace(p, **changes) if p.code == code else p for p in status.participants
    )
    assert participants != status.participants, f"{code} not edited"
    return dataclasses.replace(status, participants=participants)


# --- month arithmetic and delays ----------------------------------------------------------


def test_add_months_clamps_the_day() -> None:
    assert add_months(date(2014, 1, 14), 3) == date(2014, 4, 14)
    assert add_months(date(2013, 11, 30), 3) == date(2014, 2, 28)
    assert add_months(date(2011, 11, 30), 3) == date(2012, 2, 29)
    assert add_months(date(2014, 12, 31), 1) == date(2015, 1, 31)
    assert add_months(date(2014, 3, 31), -1) == date(2014, 2, 28)


def test_every_default_treaty_has_a_rule() -> None:
    assert set(DEFAULT_TREATIES) == set(RULES)
    for number, rule in RULES.items():
        assert rule.mtdsg_no == number
        assert rule.article and rule.source


def test_rule_lookup_is_case_insensitive() -> None:
    assert rule_for("iv-11-d") is RULES["IV-11-d"]
    assert rule_for("XXVII-7") is None


def test_real_entry_into_force_dates_follow_the_rules() -> None:
    # Real dates: CRC, 20th instrument 3 Aug 1990 (Bangladesh, Benin, Sudan that day),
    # in force 2 Sep 1990 ("thirtieth day following"); ICESCR, 35th instrument 3 Oct 1975,
    # in force 3 Jan 1976; CMW, 20th instrument 14 Mar 2003, in force 1 Jul 2003;
    # CRPD, 20th instrument 3 Apr 2008, in force 3 May 2008.
    assert RULES["IV-11"].treaty_delay.after(date(1990, 8, 3)) == date(1990, 9, 2)
    assert RULES["IV-3"].treaty_delay.after(date(1975, 10, 3)) == date(1976, 1, 3)
    assert RULES["IV-13"].treaty_delay.after(date(2003, 3, 14)) == date(2003, 7, 1)
    assert RULES["IV-15"].treaty_delay.after(date(2008, 4, 3)) == date(2008, 5, 3)


# --- OPIC, real values of 2015 -------------------------------------------------------------


def test_opic_tenth_instrument_is_costa_rica(opic: TreatyStatus) -> None:
    found = treaty_entry_into_force(RULES["IV-11-d"], opic.participants)
    assert found is not None
    eif, tenth = found
    assert tenth.name == "Costa Rica"
    assert tenth.consent == Consent(date(2014, 1, 14), ConsentKind.RATIFICATION)
    assert eif == date(2014, 4, 14)


def test_opic_dates_per_state(opic: TreatyStatus) -> None:
    by_code = entry_into_force_by_participant(opic)
    assert by_code["BEL"] == date(2014, 8, 30)  # ratified 30 May 2014, art. 19(2)
    assert by_code["DEU"] == date(2014, 4, 14)  # ratified 28 Feb 2013, before the treaty
    assert by_code["CRI"] == date(2014, 4, 14)  # the tenth instrument itself
    assert by_code["URY"] == date(2015, 5, 23)  # ratified 23 Feb 2015
    assert by_code["BOL"] == date(2014, 4, 14)  # accession 2 Apr 2013
    assert set(by_code) == {p.code for p in opic.participants if p.consent is not None}
    assert len(by_code) == 16
    assert "ARG" not in by_code  # signed only


def test_in_force_for_takes_the_later_date() -> None:
    opac = RULES["IV-11-b"]
    # OPAC in force 12 Feb 2002; a State ratifying soon after the 10th instrument still
    # waits for the treaty; one ratifying later gets one month.
    assert in_force_for(opac, date(2002, 2, 12), date(2001, 11, 20)) == date(2002, 2, 12)
    assert in_force_for(opac, date(2002, 2, 12), date(2002, 5, 10)) == date(2002, 6, 10)


def test_stated_and_computed_dates_agree_for_opic(opic: TreatyStatus) -> None:
    result = entry_into_force(opic)
    assert result.source == "page"
    assert result.treaty_date == result.stated_date == result.computed_date == date(2014, 4, 14)
    assert result.nth_instrument is not None and result.nth_instrument.code == "CRI"
    assert result.warnings == ()


def test_a_disagreement_between_page_and_rule_is_a_warning(opic: TreatyStatus) -> None:
    edited = dataclasses.replace(
        opic, entry_into_force=EntryIntoForce(date(2014, 5, 14), "14 May 2014 (edited)")
    )
    result = entry_into_force(edited)
    assert result.treaty_date == date(2014, 5, 14)  # the page wins
    assert result.computed_date == date(2014, 4, 14)
    assert len(result.warnings) == 1
    assert "2014-05-14" in result.warnings[0] and "2014-04-14" in result.warnings[0]
    assert "Costa Rica" in result.warnings[0]
    assert result.by_participant["DEU"] == date(2014, 5, 14)


def test_without_a_stated_date_the_computed_one_is_used(opic: TreatyStatus) -> None:
    result = entry_into_force(dataclasses.replace(opic, entry_into_force=None))
    assert result.source == "computed"
    assert result.treaty_date == date(2014, 4, 14)
    assert result.by_participant["BEL"] == date(2014, 8, 30)


def test_too_few_instruments_and_no_stated_date(opic: TreatyStatus) -> None:
    # Keep only the instruments deposited up to 3 Dec 2013 (nine of them).
    early = tuple(
        p
        if p.consent is None or p.consent.date <= date(2013, 12, 3)
        else dataclasses.replace(p, consent=None)
        for p in opic.participants
    )
    status = dataclasses.replace(opic, participants=early, entry_into_force=None)
    assert treaty_entry_into_force(RULES["IV-11-d"], early) is None
    result = entry_into_force(status)
    assert result.treaty_date is None and result.source == "unknown"
    assert result.by_participant == {}


def test_withdrawn_instruments_still_count(opic: TreatyStatus) -> None:
    status = replace_participant(opic, "THA", withdrawn=True)
    found = treaty_entry_into_force(RULES["IV-11-d"], status.participants)
    assert found is not None and found[1].code == "CRI"
    assert entry_into_force_by_participant(status)["THA"] == date(2014, 4, 14)


def test_succession_dates_are_flagged(opic: TreatyStatus) -> None:
    status = replace_participant(
        opic, "MNE", consent=Consent(date(2013, 9, 24), ConsentKind.SUCCESSION)
    )
    result = entry_into_force(status)
    assert any("succession" in w and "Montenegro" in w for w in result.warnings)


def test_crc_rule_on_real_dates() -> None:
    # The first 20 CRC instruments and Belgium's (real values, CRC table of 2015-03-14).
    first = [
        ("Ghana", date(1990, 2, 5)),
        ("Viet Nam", date(1990, 2, 28)),
        ("Ecuador", date(1990, 3, 23)),
        ("Holy See", date(1990, 4, 20)),
        ("Belize", date(1990, 5, 2)),
        ("Guatemala", date(1990, 6, 6)),
        ("Sierra Leone", date(1990, 6, 18)),
        ("Bolivia (Plurinational State of)", date(1990, 6, 26)),
        ("Sweden", date(1990, 6, 29)),
        ("Mongolia", date(1990, 7, 5)),
        ("Egypt", date(1990, 7, 6)),
        ("El Salvador", date(1990, 7, 10)),
        ("Guinea", date(1990, 7, 13)),
        ("St. Kitts and Nevis", date(1990, 7, 24)),
        ("Mauritius", date(1990, 7, 26)),
        ("Kenya", date(1990, 7, 30)),
        ("Senegal", date(1990, 7, 31)),
        ("Bhutan", date(1990, 8, 1)),
        ("Togo", date(1990, 8, 1)),
        ("Bangladesh", date(1990, 8, 3)),
        ("Belgium", date(1991, 12, 16)),
    ]
    participants = tuple(
        Participant(name=name, code=name.upper()[:12], consent=Consent(d, ConsentKind.RATIFICATION))
        for name, d in reversed(first)  # page order is alphabetical, not by date
    )
    status = TreatyStatus(mtdsg_no="IV-11", language="en", title="CRC", url="u")
    status = dataclasses.replace(status, participants=participants)
    result = entry_into_force(status)
    assert result.source == "computed"
    assert result.nth_instrument is not None and result.nth_instrument.name == "Bangladesh"
    assert result.treaty_date == date(1990, 9, 2)
    assert result.by_participant["BELGIUM"] == date(1992, 1, 15)
    assert result.by_participant["GHANA"] == date(1990, 9, 2)


def test_crc_amendment_uses_the_stated_date() -> None:
    amendment = RULES["IV-11-a"]
    assert amendment.instruments is None
    early = Participant("A", "A", consent=Consent(date(1997, 1, 1), ConsentKind.ACCEPTANCE))
    late = Participant("B", "B", consent=Consent(date(2005, 6, 1), ConsentKind.ACCEPTANCE))
    assert treaty_entry_into_force(amendment, (early, late)) is None
    status = TreatyStatus(
        mtdsg_no="IV-11-a",
        language="en",
        title="Amendment to article 43 (2) of the Convention on the Rights of the Child",
        url="u",
        entry_into_force=EntryIntoForce(date(2002, 11, 18), "18 November 2002"),
        participants=(early, late),
    )
    result = entry_into_force(status)
    assert result.treaty_date == date(2002, 11, 18) and result.source == "page"
    assert result.by_participant == {"A": date(2002, 11, 18), "B": date(2005, 6, 1)}
    assert result.warnings == ()


def test_unknown_treaty_gives_a_warning_and_no_dates() -> None:
    status = TreatyStatus(
        mtdsg_no="XXVII-7",
        language="en",
        title="Paris Agreement",
        url="u",
        entry_into_force=EntryIntoForce(date(2016, 11, 4), "4 November 2016"),
        participants=(
            Participant("X", "X", consent=Consent(date(2016, 10, 5), ConsentKind.RATIFICATION)),
        ),
    )
    result = entry_into_force(status)
    assert result.treaty_date == date(2016, 11, 4)
    assert result.by_participant == {}
    assert result.warnings and "XXVII-7" in result.warnings[0]
