"""Tests of tracker.countries: every UN spelling of a participant maps to one stable code."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker import countries
from tracker.countries import (
    all_codes,
    alpha2,
    code_for,
    display_name,
    from_iso,
    names_for,
    normalize,
    search,
)
from tracker.countries_data import ALL, HISTORIC, MEMBER_STATES, NON_MEMBERS

NAMES_FILE = Path(__file__).parent / "fixtures" / "countries_names.txt"


def _read_names() -> list[tuple[str, str, str]]:
    rows = []
    for line in NAMES_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, name, code = line.split("\t")
            rows.append((source, name, code))
    return rows


NAMES = _read_names()
UNTC_NAMES = [row for row in NAMES if row[0].startswith(("untreaties-2015/", "text-extracts/"))]
HR_STATUS = [row for row in NAMES if row[0].startswith("hr-status-2022/")]
UN_SHORT = [row for row in NAMES if row[0].startswith("un-short-name/")]

OLD_AND_NEW = [
    ("TUR", ["Turkey", "Türkiye", "Turquie", "TÜRKIYE", "Turkiye"]),
    ("SWZ", ["Swaziland", "Eswatini"]),
    (
        "MKD",
        [
            "The former Yugoslav Republic of Macedonia",
            "North Macedonia",
            "Macédoine du Nord",
            "ex-République yougoslave de Macédoine",
            "North Macedonia 4 ,",
        ],
    ),
    ("CZE", ["Czech Republic", "Czechia", "République tchèque", "Tchéquie"]),
    (
        "NLD",
        ["Netherlands", "Netherlands (Kingdom of the)", "Pays-Bas", "Pays-Bas (Royaume des)"],
    ),
    ("CPV", ["Cape Verde", "Cabo Verde", "Cap-Vert"]),
    ("CIV", ["Côte d'Ivoire", "Cote d'Ivoire", "Côte d’Ivoire", "Ivory Coast"]),
    ("COD", ["Zaire", "Zaïre", "Democratic Republic of the Congo"]),
    ("MMR", ["Burma", "Birmanie", "Myanmar"]),
    ("KHM", ["Kampuchea", "Democratic Kampuchea", "Cambodia", "Cambodge", "Cambodia 2, 3"]),
    ("BLR", ["Byelorussian SSR", "Byelorussian Soviet Socialist Republic", "Belarus", "Bélarus"]),
    ("UKR", ["Ukrainian SSR", "Ukraine"]),
    ("MDA", ["Moldova", "Republic of Moldova", "République de Moldova"]),
    ("FSM", ["Micronesia", "Micronesia (Federated States of)", "Micronésie (États fédérés de)"]),
    ("VEN", ["Venezuela", "Venezuela (Bolivarian Republic of)"]),
    ("IRN", ["Iran", "Iran (Islamic Republic of)", "Iran (République islamique d')"]),
    ("LAO", ["Lao People's Democratic Republic", "République démocratique populaire lao"]),
    ("BOL", ["Bolivia", "Bolivia (Plurinational State of)", "Bolivie (État plurinational de)"]),
    (
        "GBR",
        [
            "United Kingdom of Great Britain and Northern Ireland",
            "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
            "United Kingdom of Great Britain and Northern Ireland 6 , 18 , 19 ,",
        ],
    ),
    ("USA", ["United States of America", "États-Unis d'Amérique"]),
    ("VCT", ["St. Vincent and the Grenadines", "Saint Vincent and the Grenadines"]),
    ("KNA", ["St. Kitts and Nevis", "Saint Kitts and Nevis", "Saint-Kitts-et-Nevis"]),
    ("LCA", ["St. Lucia", "Saint Lucia", "Sainte-Lucie"]),
    ("STP", ["Sao Tome and Principe", "São Tomé and Príncipe", "Sao Tomé-et-Principe"]),
    ("LBY", ["Libyan Arab Jamahiriya", "Libya", "Libye"]),
    ("TLS", ["East Timor", "Timor-Leste"]),
    ("DEU", ["Germany", "Allemagne", "Allemagne 2", "Federal Republic of Germany"]),
    ("KWT", ["Kuwait", "Koweït", "Koweït31,77"]),
    ("EUU", ["European Union", "Union européenne", "European Community"]),
    ("YUG", ["Yugoslavia", "Yugoslavia (former)", "Yougoslavie", "[Yugoslavia]"]),
]


@pytest.mark.parametrize(("code", "names"), OLD_AND_NEW, ids=[c for c, _ in OLD_AND_NEW])
def test_old_and_new_names_share_one_code(code: str, names: list[str]) -> None:
    assert {name: code_for(name) for name in names} == dict.fromkeys(names, code)


def test_every_untc_name_maps_to_its_code() -> None:
    assert len(UNTC_NAMES) > 250
    wrong = {name: code_for(name) for _, name, code in UNTC_NAMES if code_for(name) != code}
    assert wrong == {}


def test_untc_names_cover_the_2015_tables_and_the_text_extracts() -> None:
    sources = {source.split("/")[0] for source, _, _ in UNTC_NAMES}
    assert sources == {"untreaties-2015", "text-extracts"}
    names = {name for _, name, _ in UNTC_NAMES}
    for name in ("Yugoslavia (former)", "St. Kitts and Nevis", "Koweït31,77", "Birmanie"):
        assert name in names


def test_hr_status_common_names_agree_with_their_iso_codes() -> None:
    """hr-status-2022 gives an ISO code next to each (non-UN) name: an independent check."""
    assert len(HR_STATUS) == 193
    wrong = {name: (code_for(name), code) for _, name, code in HR_STATUS if code_for(name) != code}
    assert wrong == {}


def test_member_states_are_the_193_un_members() -> None:
    member_codes = {entry.code for entry in MEMBER_STATES}
    assert len(MEMBER_STATES) == len(member_codes) == 193
    assert member_codes == {code for _, _, code in HR_STATUS}
    assert {entry.code for entry in NON_MEMBERS} >= {"VAT", "PSE", "COK", "NIU", "EUU"}


def test_current_un_short_names_in_english_and_french() -> None:
    assert len(UN_SHORT) == 2 * (193 + 5)
    for source, name, code in UN_SHORT:
        language = source.rsplit("/", 1)[1]
        assert display_name(code, language) == name
        assert code_for(name) == code


@pytest.mark.parametrize(
    ("code", "en", "fr"),
    [
        ("BEL", "Belgium", "Belgique"),
        ("TUR", "Türkiye", "Türkiye"),
        ("NLD", "Netherlands (Kingdom of the)", "Pays-Bas (Royaume des)"),
        ("BOL", "Bolivia (Plurinational State of)", "Bolivie (État plurinational de)"),
        ("DEU", "Germany", "Allemagne"),
        ("BIH", "Bosnia and Herzegovina", "Bosnie-Herzégovine"),
        ("COK", "Cook Islands", "Îles Cook"),
        ("KWT", "Kuwait", "Koweït"),
        (
            "PRK",
            "Democratic People's Republic of Korea",
            "République populaire démocratique de Corée",
        ),
        ("FSM", "Micronesia (Federated States of)", "Micronésie (États fédérés de)"),
        ("PSE", "State of Palestine", "État de Palestine"),
        ("VAT", "Holy See", "Saint-Siège"),
        ("SWZ", "Eswatini", "Eswatini"),
        ("MKD", "North Macedonia", "Macédoine du Nord"),
        ("CZE", "Czechia", "Tchéquie"),
    ],
)
def test_english_and_french_names_give_the_same_code(code: str, en: str, fr: str) -> None:
    assert code_for(en) == code_for(fr) == code
    assert display_name(code) == en
    assert display_name(code, "fr") == fr


@pytest.mark.parametrize("language", ["en", "fr"])
def test_display_name_round_trips_for_every_code(language: str) -> None:
    codes = all_codes()
    assert len(codes) == len(ALL)
    assert {code: code_for(display_name(code, language)) for code in codes} == {c: c for c in codes}


def test_every_table_name_maps_back_to_its_own_code() -> None:
    wrong = [
        (name, entry.code, code_for(name))
        for entry in ALL
        for name in names_for(entry.code)
        if code_for(name) != entry.code
    ]
    assert wrong == []


def test_no_two_participants_share_a_loose_key() -> None:
    """Accent-free keys must not make two participants collide (e.g. Niger / Nigéria)."""
    owner: dict[str, str] = {}
    for entry in ALL:
        for name in names_for(entry.code):
            key = countries._fold(normalize(name))
            assert owner.setdefault(key, entry.code) == entry.code, name
    assert code_for("Niger") == "NER"
    assert code_for("Nigéria") == code_for("Nigeria") == "NGA"
    assert code_for("Guinée") == "GIN"
    assert code_for("Guinea-Bissau") == code_for("Guinea Bissau") == "GNB"


def test_codes_are_iso_where_iso_has_one() -> None:
    historic = {entry.code for entry in HISTORIC}
    for code in all_codes():
        if code in {"EUU", "XKX"}:
            continue
        if code in historic:
            assert pycountry.historic_countries.get(alpha_3=code) is not None, code
        else:
            assert pycountry.countries.get(alpha_3=code) is not None, code
    assert code_for("Union of Soviet Socialist Republics") == "SUN"
    assert code_for("German Democratic Republic") == "DDR"
    assert code_for("Czechoslovakia") == "CSK"
    assert code_for("Serbia and Montenegro") == "SCG"
    assert code_for("Kosovo") == "XKX"


def test_unknown_names_give_none() -> None:
    for name in ["Atlantis", "", "   ", "12, 3", "Korea", "[ ]", "Reservation:", "23 juin 1999"]:
        assert code_for(name) is None, name


def test_pycountry_names_are_accepted_after_un_names() -> None:
    assert code_for("Korea, Republic of") == "KOR"
    assert code_for("Tanzania, United Republic of") == "TZA"
    assert code_for("Irak") == "IRQ"
    assert code_for("Congo") == "COG"  # the UN name wins over any looser reading


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Cambodia 2, 3", "cambodia"),
        ("Koweït31,77", "koweït"),
        ("North Macedonia 4 ,", "north macedonia"),
        ("Malaisie31,35,67,79", "malaisie"),
        ("  Côte d’Ivoire ", "côte d'ivoire"),
        ("Côte d`Ivoire", "côte d'ivoire"),
        ("Côte d´Ivoire", "côte d'ivoire"),
        ("[Yugoslavia 5]", "yugoslavia"),
        ("Bolivia  (Plurinational\u00a0State of)", "bolivia (plurinational state of)"),
        ("Co\u0302te d'Ivoire", "côte d'ivoire"),  # decomposed accent -> NFC
        ("Guinea\u2011Bissau", "guinea-bissau"),
        ("Denmark\u00b9", "denmark"),
    ],
)
def test_normalize(raw: str, key: str) -> None:
    assert normalize(raw) == key


@given(st.text())
def test_normalize_never_raises_and_is_idempotent(text: str) -> None:
    key = normalize(text)
    assert normalize(key) == key


@given(st.text(max_size=30))
def test_lookups_never_raise(text: str) -> None:
    code = code_for(text)
    assert code is None or code == code_for(display_name(code))
    assert all(isinstance(found, str) for found in search(text))


@pytest.mark.parametrize("query", ["belg", "BE", "be", "bel", "BEL", "Belgique", "belgium"])
def test_search_finds_belgium_first(query: str) -> None:
    assert search(query)[0] == "BEL"


def test_search_orders_and_filters() -> None:
    assert search("") == []
    assert search("zzzz") == []
    assert search("Niger") == ["NER", "NGA"]  # exact name first, then names containing it
    assert search("guin")[:3] == ["GIN", "GNB", "GNQ"]
    assert search("cote") == ["CIV"]  # accent-insensitive
    assert search("Türkiye") == ["TUR"]
    assert search("turkey") == ["TUR"]
    assert search("royaume") == ["GBR", "NLD"]  # start of a current name first
    assert search("macedoine") == ["MKD"]
    assert search("TP") == ["TLS"]  # a withdrawn ISO code of a renamed State
    assert search("eu")[0] == "EUU"
    codes = search("congo")
    assert codes[:2] == ["COG", "COD"]


def test_from_iso_and_alpha2() -> None:
    assert from_iso("be") == "BEL"
    assert from_iso("BEL") == "BEL"
    assert from_iso("ZR") == "COD"
    assert from_iso("SU") == "SUN"
    assert from_iso("CS") is None  # Czechoslovakia and Serbia and Montenegro both had it
    assert from_iso("QQ") is None
    assert alpha2("BEL") == "BE"
    assert alpha2("TUR") == "TR"
    assert alpha2("EUU") == "EU"
    assert alpha2("XKX") == "XK"
    assert alpha2("SUN") == "SU"
    assert alpha2("NOPE") is None
    assert all(alpha2(code) for code in all_codes())


def test_display_name_fallbacks_and_errors() -> None:
    assert display_name("bel") == "Belgium"
    assert display_name("BEL", "_fr") == "Belgique"
    assert display_name("HKG") == "Hong Kong"  # not a participant: pycountry's name
    with pytest.raises(KeyError, match="unknown participant code"):
        display_name("QQQ")
    with pytest.raises(ValueError, match="'en' or 'fr'"):
        display_name("BEL", "de")


def test_all_codes_and_names_for() -> None:
    codes = all_codes()
    assert codes == sorted(codes)
    assert {"BEL", "EUU", "VAT", "PSE", "COK", "NIU", "YUG", "SUN"} <= set(codes)
    current = all_codes(include_historic=False)
    assert "YUG" not in current and "BEL" in current
    assert len(current) == 193 + len(NON_MEMBERS)
    assert names_for("TUR")[:2] == ("Türkiye", "Türkiye")
    assert "Turkey" in names_for("tur")
    assert names_for("QQQ") == ()
