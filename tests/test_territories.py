"""Territories on the map (tracker.territories): coloured with their State only where the
State's declarations on the page extend the treaty to them, or where they are part of it.

The declaration texts are real, quoted from ../shared/untc/data/untreaties-2015:
Denmark on VI-19 (declarations_6-19.txt), China on the ICESCR (declarations_4-3.txt),
Denmark on the CRC (declarations_4-11.txt), the Netherlands on OPAC (declarations_4-11-b.txt).
The territorial-application rows are a reconstruction: China's real notifications of
20 June 1997 (Hong Kong) and 2 December 1999 (Macao) on the ICESCR, as its declaration above
states them, written as rows of the table (the real table is not available offline).
"""

from __future__ import annotations

from datetime import date

from tracker import territories
from tracker.domain import TerritorialApplication

DENMARK_VI_19 = (
    '"The Convention shall not apply to the Faroe Islands and Greenland.""Authorization '
    "granted by Danish authority pursuant to article 17 denotes only that Denmark will abstain "
    "from pleading infringement of Danish sovereignty in connection with the requesting "
    "State's boarding of a vessel."
)
CHINA_ICESCR = (
    "2. In accordance with the official notes addressed to the Secretary-General of the United "
    "Nations by the Permanent Representative of the People's Republic of China to the United "
    "Nations on 20 June 1997 and 2 December 1999 respectively, the International Covenant on "
    "Economic, Social and Cultural Rights shall be applicable to the Hong Kong Special "
    "Administrative Region of the People's Republic of China and the Macao Special "
    "Administrative Region of the People's Republic of China and shall, pursuant to the "
    "provisions of the Basic Law of the Hong Kong Special Administrative Region of the "
    "People's Republic of China and the Basic Law of the Macao Special Administrative Region "
    "of the People's Republic of China , be implemented through the respective laws of the "
    "two special administrative regions."
)
DENMARK_CRC = (
    '"Article 40, paragraph 2 (b) (v) shall not be binding on Denmark."It is a fundamental '
    "principle of the Danish Administration of Justice Act that everybody shall be entitled "
    "to have any penal measures imposed on him or her by a court of first instance reviewed "
    "by a higher court."
)
NETHERLANDS_OPAC = (
    "However, persons that have reached the age of seventeen years, may on a strictly "
    "voluntary basis be recruited as military personnel in probation.The above does not "
    "apply to the Netherlands Antilles and Aruba."
)


def test_states_of_territories_from_iso_3166() -> None:
    states = territories.sovereign_states()
    # from ISO 3166-2 through pycountry
    assert states["NCL"] == "FRA" and states["PRI"] == "USA"
    assert states["HKG"] == "CHN" and states["MAC"] == "CHN" and states["ABW"] == "NLD"
    assert states["GUF"] == "FRA"
    # completed where ISO 3166-2 does not list them under their State
    assert states["GRL"] == "DNK" and states["FRO"] == "DNK" and states["BMU"] == "GBR"
    assert "TWN" not in states and "ESH" not in states


def test_excluded_by_a_declaration() -> None:
    found = territories.territory_statuses({"DNK": "party"}, {"DNK": DENMARK_VI_19}, ["GRL", "FRO"])
    assert found["GRL"].status == "not_applicable" and found["GRL"].how == "excluded"
    assert found["FRO"].status == "not_applicable"
    assert (
        found["GRL"].evidence
        == "The Convention shall not apply to the Faroe Islands and Greenland."
    )


def test_extended_by_a_declaration() -> None:
    found = territories.territory_statuses({"CHN": "party"}, {"CHN": CHINA_ICESCR}, ["HKG", "MAC"])
    assert found["HKG"].status == "party" and found["HKG"].how == "extended"
    assert found["MAC"].status == "party" and found["MAC"].state == "CHN"


def test_silence_is_no_data_never_the_states_colour() -> None:
    # Denmark is a party to the CRC; its declaration says nothing of Greenland: no data,
    # neither "not signed" nor Denmark's green
    found = territories.territory_statuses({"DNK": "party"}, {"DNK": DENMARK_CRC}, ["GRL"])
    assert found["GRL"].status == "no_data" and found["GRL"].how == "unknown"
    # "The above does not apply to … Aruba" is about a declaration, not the treaty
    found = territories.territory_statuses({"NLD": "party"}, {"NLD": NETHERLANDS_OPAC}, ["ABW"])
    assert found["ABW"].status == "no_data"
    # a State that has not signed extends nothing
    found = territories.territory_statuses({"DNK": "not_signed"}, {}, ["GRL"])
    assert found["GRL"].status == "no_data"


def test_integral_parts_share_the_states_status() -> None:
    found = territories.territory_statuses({"FRA": "party"}, {}, ["GUF", "NCL"])
    assert found["GUF"].status == "party" and found["GUF"].how == "part"
    assert found["NCL"].status == "no_data"  # an overseas collectivity needs an extension
    found = territories.territory_statuses({"FRA": "signed"}, {}, ["GUF"])
    assert found["GUF"].status == "signed"


def test_a_participant_in_its_own_right_is_left_to_its_row() -> None:
    found = territories.territory_statuses({"COK": "party", "NZL": "party"}, {}, ["COK", "TKL"])
    assert "COK" not in found and found["TKL"].status == "no_data"


def test_french_declarations() -> None:
    text = "La Convention ne s'appliquera pas aux îles Féroé et au Groenland."
    assert territories.from_declaration("FRO", text) == ("excluded", text)
    text = "Le Pacte s'appliquera également à la Région administrative spéciale de Hong Kong."
    assert territories.from_declaration("HKG", text) == ("extended", text)


HONG_KONG_ROW = TerritorialApplication(
    "China",
    "CHN",
    date(1997, 6, 20),
    "Hong Kong Special Administrative Region of the People's Republic of China",
    "Date of receipt of the notification",
)
MACAO_ROW = TerritorialApplication(
    "China",
    "CHN",
    date(1999, 12, 2),
    "Macao Special Administrative Region of the People's Republic of China",
    "Date of receipt of the notification",
)


def test_a_territorial_table_row_gives_the_territory_its_states_status() -> None:
    # no declaration at all: the table alone decides, and the note quotes its row
    found = territories.territory_statuses({"CHN": "party"}, {}, ["HKG", "MAC"], [HONG_KONG_ROW])
    assert (found["HKG"].state, found["HKG"].status, found["HKG"].how) == ("CHN", "party", "table")
    assert found["HKG"].evidence == (
        "China | 1997-06-20 | Hong Kong Special Administrative Region of the People's Republic "
        "of China"
    )
    # Macao is not named by that row: unchanged behaviour, no data
    assert (found["MAC"].status, found["MAC"].how) == ("no_data", "unknown")
    found = territories.territory_statuses({"CHN": "signed"}, {}, ["MAC"], [MACAO_ROW])
    assert (found["MAC"].status, found["MAC"].how) == ("signed", "table")


def test_a_row_of_another_state_or_of_a_state_not_bound_decides_nothing() -> None:
    # the row is China's: Puerto Rico (the United States) is not named, Hong Kong is not
    # the United Kingdom's
    found = territories.territory_statuses(
        {"CHN": "party", "USA": "party"}, {}, ["PRI"], [HONG_KONG_ROW]
    )
    assert found["PRI"].status == "no_data"
    for status in ("not_signed", "withdrawn"):
        found = territories.territory_statuses({"CHN": status}, {}, ["HKG"], [HONG_KONG_ROW])
        assert (found["HKG"].status, found["HKG"].how) == ("no_data", "unknown")


def test_the_note_of_a_table_row_in_english_and_french() -> None:
    found = territories.territory_statuses({"CHN": "party"}, {}, ["HKG"], [HONG_KONG_ROW])
    assert territories.note(found["HKG"], "China", "en") == (
        "extended by China, in the page's territorial-application table: China | 1997-06-20 | "
        "Hong Kong Special Administrative Region of the People's Republic of China"
    )
    assert territories.note(found["HKG"], "Chine", "fr").startswith(
        "étendu par Chine, dans le tableau d'application territoriale de la page : China | "
    )
