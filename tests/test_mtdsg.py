"""MTDSG numbers, roman numerals and UNTC addresses: one module, tracker.mtdsg."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.commands.parse import guess_url
from tracker.mtdsg import (
    UNTC_BASE_URL,
    chapter_of,
    check_mtdsg_no,
    int_to_roman,
    parse_mtdsg_no,
    roman_to_int,
    status_url,
)


@given(st.integers(min_value=1, max_value=399))
def test_roman_numerals_both_ways(number: int) -> None:
    assert roman_to_int(int_to_roman(number)) == number


def test_roman_numerals_of_the_chapters() -> None:
    assert [int_to_roman(n) for n in (1, 4, 9, 14, 18, 27, 29)] == [
        "I", "IV", "IX", "XIV", "XVIII", "XXVII", "XXIX",
    ]  # fmt: skip
    for bad in (0, 400, -3):
        with pytest.raises(ValueError):
            int_to_roman(bad)


@pytest.mark.parametrize(
    ("text", "number"),
    [("IV-11-d", "IV-11-d"), (" XXVII-7-a ", "XXVII-7-a"), ("XI-B-1", "XI-B-1"),
     ("CETS-201", None), ("IV", None), ("4-11", None), ("", None), ("IV-11 d", None)],
)  # fmt: skip
def test_what_is_an_mtdsg_number(text: str, number: str | None) -> None:
    assert parse_mtdsg_no(text) == number
    if number is None:
        with pytest.raises(ValueError, match="not an MTDSG treaty reference"):
            check_mtdsg_no(text)
    else:
        assert check_mtdsg_no(text) == number


def test_every_status_address_names_its_chapter() -> None:
    assert status_url(UNTC_BASE_URL, "XXVII-7-a", "fr") == (
        "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XXVII-7-a"
        "&chapter=27&clang=_fr"
    )
    assert chapter_of("XVIII-12-b") == 18


def test_parse_guesses_the_address_with_the_right_chapter() -> None:
    """`treaty-tracker parse` builds the address from the file name with the one builder:
    chapter 27 for XXVII-7-a (it used to say chapter 4 for every treaty)."""
    assert guess_url(Path("XXVII-7-a.fr.html")) == status_url(UNTC_BASE_URL, "XXVII-7-a", "fr")
    assert guess_url(Path("IV-11-d.html")) == status_url(UNTC_BASE_URL, "IV-11-d", "en")
    assert guess_url(Path("saved-page.html")) is None


def test_parse_says_when_the_file_name_names_no_treaty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tracker.cli import main

    page = Path(__file__).resolve().parent / "fixtures" / "untc" / "IV-11-d.en.html"
    copy = tmp_path / "saved-page.html"
    copy.write_bytes(page.read_bytes())
    assert main(["parse", str(copy)]) == 2
    assert "does not say which treaty" in capsys.readouterr().err
    assert main(["parse", str(copy), "--url", status_url(UNTC_BASE_URL, "IV-11-d")]) == 0


@pytest.mark.parametrize(
    ("url", "language"),
    [
        (status_url(UNTC_BASE_URL, "IV-11-d", "fr"), "fr"),
        ("https://treaties.un.org/pages/ViewDetails.aspx?mtdsg_no=IV-3&lang=en", "en"),
        ("https://treaties.un.org/Pages/ViewDetails.aspx?mtdsg_no=IV-3&CLANG=_FR", "fr"),
        ("https://treaties.un.org/Pages/ViewDetails.aspx?mtdsg_no=IV-3", None),
        ("https://treaties.un.org/Pages/ViewDetails.aspx?mtdsg_no=IV-3&clang=_de", None),
    ],
)
def test_the_language_an_address_asks_for(url: str, language: str | None) -> None:
    from tracker.mtdsg import language_of

    assert language_of(url) == language
