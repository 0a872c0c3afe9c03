"""Country names people type (tracker.country_names): short forms and former names map to the
right State; a name that fits several States lists them; nothing is picked silently."""

from __future__ import annotations

import pytest

from tests.app_support import _changes_template, app_db  # noqa: F401  (fixtures)
from tracker.cli import main
from tracker.country_names import AMBIGUOUS, resolve

TYPED = {
    # the short forms and abbreviations of issue 11
    "UK": "GBR", "U.K.": "GBR", "uk": "GBR", "Great Britain": "GBR",
    "USA": "USA", "US": "USA", "U.S.": "USA", "United States": "USA",
    "DRC": "COD", "DR Congo": "COD", "D.R. Congo": "COD", "Congo-Kinshasa": "COD",
    "Congo-Brazzaville": "COG", "Republic of the Congo": "COG",
    "Russia": "RUS", "Iran": "IRN", "Syria": "SYR", "Laos": "LAO", "Vietnam": "VNM",
    "Czechia": "CZE", "Czech Republic": "CZE", "Turkey": "TUR", "Türkiye": "TUR",
    "Turkiye": "TUR", "Holland": "NLD", "Ivory Coast": "CIV", "Swaziland": "SWZ",
    "UAE": "ARE", "South Korea": "KOR", "North Korea": "PRK", "DPRK": "PRK",
    # former UN names of the same State
    "Zaire": "COD", "Burma": "MMR", "East Timor": "TLS", "Upper Volta": "BFA",
    "Dahomey": "BEN", "Byelorussian SSR": "BLR",
    # UN names, French names and ISO codes as before
    "Belgique": "BEL", "be": "BEL", "BEL": "BEL", "Republic of Korea": "KOR",
    "Democratic Republic of the Congo": "COD", "South Sudan": "SSD", "Guinea-Bissau": "GNB",
    "Equatorial Guinea": "GNQ", "Papua New Guinea": "PNG", "Ukraine": "UKR", "UKR": "UKR",
    "Niger": "NER", "Nigeria": "NGA", "Ireland": "IRL", "Dominica": "DMA",
    # part of a name, long enough and fitting one State only
    "Luxem": "LUX", "Belg": "BEL",
}  # fmt: skip


@pytest.mark.parametrize(("typed", "code"), sorted(TYPED.items()))
def test_names_people_type(typed: str, code: str) -> None:
    match = resolve(typed)
    assert (match.code, match.candidates) == (code, (code,)), typed


@pytest.mark.parametrize(
    ("typed", "candidates"),
    [
        ("Korea", {"KOR", "PRK"}),
        ("korea", {"KOR", "PRK"}),
        ("Congo", {"COG", "COD"}),
        ("the Congo", {"COG", "COD"}),
        ("Guinea", {"GIN", "GNB", "GNQ", "PNG"}),
        ("Sudan", {"SDN", "SSD"}),
    ],
)
def test_a_name_that_fits_several_states_lists_them(typed: str, candidates: set[str]) -> None:
    match = resolve(typed)
    assert match.code is None and match.how == "several"
    assert set(match.candidates) == candidates


def test_nothing_is_picked_silently() -> None:
    assert resolve("UK").code != "UKR"  # "UK" is not the start of "Ukraine"
    assert resolve("Uk").code == "GBR"
    island = resolve("island")  # part of several names
    assert island.code is None and len(island.candidates) > 1
    for typed, near in (("Belgum", "BEL"), ("England", "GBR"), ("Hong Kong", "CHN")):
        match = resolve(typed)  # close spellings and regions: offered, not taken
        assert match.code is None and match.how == "approximate", typed
        assert near in match.candidates, typed
    assert resolve("Atlantis").candidates == ()
    assert resolve("HK").candidates == ()  # two letters that are no code: no guess
    assert resolve("   ").code is None
    assert set(AMBIGUOUS) == {"korea", "congo", "guinea", "sudan"}


def test_status_uk_is_the_united_kingdom(
    app_db: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["status", "--country", "UK"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("United Kingdom of Great Britain and Northern Ireland (GBR)")


def test_status_korea_lists_both_and_exits_2(
    app_db: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["status", "--country", "Korea"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "error: 'Korea' could mean several countries; use one of these:",
        "  KOR  Republic of Korea",
        "  PRK  Democratic People's Republic of Korea",
    ]
    assert main(["status", "--country", "Belgum"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: no country is called 'Belgum'; did you mean one of these:",
        "  BEL  Belgium",
    ]
    assert main(["changes", "--country", "Congo"]) == 2
    assert "Democratic Republic of the Congo" in capsys.readouterr().err


def test_watch_add_refuses_an_ambiguous_name(
    app_db: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["watch", "add", "--treaty", "IV-11-d", "--notify", "json://127.0.0.1:9/x"]
    assert main([*args, "--country", "Sudan", "--label", "x"]) == 2
    err = capsys.readouterr().err
    assert "could mean several countries" in err and "SSD (South Sudan)" in err
    assert main([*args, "--country", "DRC", "--label", "DRC"]) == 0
    assert "COD" in capsys.readouterr().out
