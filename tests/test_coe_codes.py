"""Council of Europe participants -> the tracker's stable codes: every member State, the former
member, the observers and the European Union, in English and French."""

from __future__ import annotations

import csv

import pycountry
import pytest

from tests.coe_fixtures import FIXTURES
from tracker import countries
from tracker.sources.coe import codes

#: Written here by hand, independently of tracker/sources/coe/codes.py: what each group must be.
OBSERVER_CODES = {"CAN", "VAT", "ISR", "JPN", "MEX", "USA"}
ALL = (*codes.MEMBERS, *codes.FORMER_MEMBERS, *codes.OBSERVERS, codes.EUROPEAN_UNION)


def _fixture_members() -> dict[str, str]:
    """English name -> code, from the fixtures' hand-written table."""
    with (FIXTURES / "source" / "members.csv").open(encoding="utf-8", newline="") as f:
        return {r["name_en"]: r["iso3"] for r in csv.DictReader(f)}


def test_the_46_member_states() -> None:
    assert len(codes.MEMBERS) == 46
    assert len({m.code for m in codes.MEMBERS}) == 46
    assert "RUS" not in {m.code for m in codes.MEMBERS}  # expelled on 16 March 2022
    assert [m.code for m in codes.FORMER_MEMBERS] == ["RUS"]
    # the same 46 as the fixtures' independent table, name for name
    assert {m.en: m.code for m in codes.MEMBERS} == _fixture_members()


def test_observers_and_the_european_union() -> None:
    assert {o.code for o in codes.OBSERVERS} == OBSERVER_CODES
    assert codes.EUROPEAN_UNION.code == "EUU"


@pytest.mark.parametrize("entry", ALL, ids=lambda e: e.code)
def test_english_and_french_names_map_to_the_code(entry: codes.CouncilName) -> None:
    assert codes.code_for_name(entry.en) == entry.code
    assert codes.code_for_name(entry.fr) == entry.code
    assert codes.participant_code(entry.en, "Z00") == codes.Match(entry.code)
    assert codes.participant_code(entry.fr.upper(), "Z00") == codes.Match(entry.code)


@pytest.mark.parametrize("entry", ALL, ids=lambda e: e.code)
def test_codes_are_the_iso_codes_of_those_states(entry: codes.CouncilName) -> None:
    """Not silently wrong: the code is the one ISO 3166 (or the tracker, for the EU) gives the
    State, and the tracker's own name for the code maps back to it."""
    if entry.code == "EUU":
        assert countries.from_iso("EU") == "EUU"
    else:
        record = pycountry.countries.get(alpha_3=entry.code)
        assert record is not None
        assert countries.code_for(record.name) == entry.code
    assert codes.code_for_name(countries.display_name(entry.code, "en")) == entry.code
    assert codes.code_for_name(countries.display_name(entry.code, "fr")) == entry.code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Turkey", "TUR"),
        ("Turquie", "TUR"),
        ("the former Yugoslav Republic of Macedonia", "MKD"),
        ("l'ex-République yougoslave de Macédoine", "MKD"),
        ("Slovak Republic", "SVK"),
        ("République slovaque", "SVK"),
        ("Etats-Unis d'Amérique", "USA"),
        ("Czechia", "CZE"),
        ("Moldova", "MDA"),
    ],
)
def test_older_and_other_council_spellings(name: str, code: str) -> None:
    assert codes.code_for_name(name) == code


def test_the_cited_council_code_must_agree_with_the_name() -> None:
    assert codes.participant_code("Bulgaria", "BUL") == codes.Match("BGR")
    assert codes.participant_code("Bulgarie", "bul") == codes.Match("BGR")
    wrong = codes.participant_code("Belgium", "BUL")
    assert wrong.code == "BEL" and wrong.conflict is not None and "BGR" in wrong.conflict
    # an unknown name with a cited code is identified by the code; without one, not at all
    assert codes.participant_code("Bulgaria (Republic of)", "BUL") == codes.Match("BGR")
    assert codes.participant_code("Atlantis", "ATL") == codes.Match(None)


def test_no_uncited_council_code_is_relied_on() -> None:
    """Codes other than the cited ones never decide a participant: a row is identified by its
    name whatever its code says (the fixtures use placeholder codes Z01 ... Z46)."""
    assert codes.CITED_CODES == {"BUL": "BGR"}
    for entry in codes.MEMBERS:
        assert codes.participant_code(entry.en, entry.code) == codes.Match(entry.code)
        assert codes.participant_code(entry.en, "ALB") == codes.Match(entry.code)


def test_partial_answer_threshold_is_below_the_membership() -> None:
    assert 40 <= codes.MIN_MEMBER_ROWS < len(codes.MEMBERS)
