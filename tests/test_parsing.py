"""The parser against the reconstructed UNTC pages (tests/fixtures/untc) and edge cases.

The expected JSON beside each page is generated from the real source values by
tests/fixtures/untc/build_fixtures.py, not from this parser.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.dates import parse_date
from tracker.dates import parse_date_cell as parse_action
from tracker.domain import (
    ActionKind,
    Consent,
    ConsentKind,
    ParseError,
    SignatureKind,
    TreatyStatus,
)
from tracker.sources.untc import parse_status_page

FIXTURES = Path(__file__).parent / "fixtures" / "untc"
URL = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={}&chapter=4&clang=_{}"


def url_for(path: Path) -> str:
    mtdsg_no, lang = path.name.split(".")[:2]
    return URL.format(mtdsg_no, lang)


def pages() -> list[Path]:
    return sorted(FIXTURES.glob("*.html")) + sorted((FIXTURES / "variants").glob("*.html"))


def parse_file(path: Path):
    return parse_status_page(path.read_text(encoding="utf-8"), url_for(path))


def expected_for(path: Path) -> dict:
    return json.loads((FIXTURES / "expected" / (path.stem + ".json")).read_text("utf-8"))


@pytest.mark.parametrize("path", pages(), ids=lambda p: p.name)
def test_page_matches_expected_json_field_by_field(path: Path) -> None:
    got = parse_file(path).to_json()
    want = expected_for(path)
    assert list(got) == list(want)
    for key in want:
        if key == "participants":
            assert len(got[key]) == len(want[key])
            for g, w in zip(got[key], want[key], strict=True):
                assert g == w, f"participant {w['name']}"
        else:
            assert got[key] == want[key], key


def test_expected_pages_exist() -> None:
    names = {p.name for p in pages()}
    for required in [
        "IV-11-d.en.html",
        "IV-11-d.fr.html",
        "IV-11.en.html",
        "IV-11-a.en.html",
        "IV-11-b.en.html",
        "IV-11-c.en.html",
        "IV-15.en.html",
    ]:
        assert required in names


def test_opic_known_facts() -> None:
    status = parse_file(FIXTURES / "IV-11-d.en.html")
    assert status.mtdsg_no == "IV-11-d"
    assert status.language == "en"
    belgium = status.participant("BEL")
    assert belgium is not None and belgium.name == "Belgium"
    assert belgium.signature == date(2012, 2, 28)
    assert belgium.consent is not None
    assert belgium.consent.date == date(2014, 5, 30)
    assert belgium.consent.kind is ConsentKind.RATIFICATION
    bolivia = status.participant("BOL")
    assert bolivia is not None and bolivia.signature is None
    assert bolivia.consent is not None
    assert (bolivia.consent.date, bolivia.consent.kind) == (date(2013, 4, 2), ConsentKind.ACCESSION)
    assert status.entry_into_force is not None
    assert status.entry_into_force.date == date(2014, 4, 14)
    assert status.warnings == ()


@pytest.mark.parametrize("path", pages(), ids=lambda p: p.name)
def test_every_participant_maps_to_a_real_code(path: Path) -> None:
    status = parse_file(path)
    for p in status.participants:
        assert not p.code.startswith("X-"), p.name
    assert not [w for w in status.warnings if "unknown participant" in w]


def test_english_and_french_pages_give_the_same_codes_and_dates() -> None:
    en = parse_file(FIXTURES / "IV-11-d.en.html")
    fr = parse_file(FIXTURES / "IV-11-d.fr.html")
    assert fr.language == "fr"
    assert {p.code for p in en.participants} == {p.code for p in fr.participants}
    for p in en.participants:
        q = fr.participant(p.code)
        assert q is not None
        assert (p.signature, p.consent) == (q.signature, q.consent), p.name
    assert en.counts == fr.counts
    assert en.entry_into_force and fr.entry_into_force
    assert en.entry_into_force.date == fr.entry_into_force.date


def test_crc_has_footnotes_and_skips_the_territorial_table() -> None:
    status = parse_file(FIXTURES / "IV-11.en.html")
    assert len(status.participants) >= 190
    germany = status.participant("DEU")
    assert germany is not None and germany.name == "Germany" and "2" in germany.footnotes
    assert status.counts.parties == status.row_counts().parties
    assert status.warnings == ()


def test_table_without_signature_column() -> None:
    status = parse_file(FIXTURES / "IV-11-a.en.html")
    assert all(p.signature is None for p in status.participants)
    assert all(p.consent is not None for p in status.participants)
    kinds = {p.consent.kind for p in status.participants if p.consent}
    assert ConsentKind.ACCEPTANCE in kinds


def test_formal_confirmation() -> None:
    status = parse_file(FIXTURES / "IV-15.en.html")
    eu = status.participant("EUU")
    assert eu is not None and eu.consent is not None
    assert eu.consent.kind is ConsentKind.FORMAL_CONFIRMATION


def test_declarations_section_is_read_per_participant() -> None:
    status = parse_file(FIXTURES / "IV-11-d.en.html")
    assert "BEL" in status.declarations
    assert "Committee on the Rights of the Child" in status.declarations["BEL"]
    assert status.participant("BEL").has_declarations  # type: ignore[union-attr]
    assert not status.participant("BOL").has_declarations  # type: ignore[union-attr]


OPIC = FIXTURES / "IV-11-d.en.html"
BELGIAN_DECLARATION = (
    "The Kingdom of Belgium recognizes the competence of the Committee on the Rights of the "
    "Child to receive, pursuant to article 12 of the Optional Protocol, communications from a "
    "State party which claims that another State is not fulfilling its obligations."
)


def test_declaration_text_outside_a_paragraph_is_kept_with_its_participant() -> None:
    """Markup broken around a declaration (the text loose in the participant's block, a
    stray word "Notes" beside it) loses no text and neither ends the section nor moves text
    to another participant. The page is the OPIC reconstruction, edited for this test."""
    text = OPIC.read_text(encoding="utf-8")
    paragraph = f"<p>{BELGIAN_DECLARATION}</p>"
    assert paragraph in text
    broken = text.replace(paragraph, f"Notes\n{BELGIAN_DECLARATION}\n<br>")
    intact = parse_status_page(text, url_for(OPIC)).declarations
    status = parse_status_page(broken, url_for(OPIC))
    assert BELGIAN_DECLARATION in status.declarations["BEL"]
    assert set(status.declarations) == set(intact)
    for code in intact.keys() - {"BEL"}:
        assert status.declarations[code] == intact[code]


def test_declaration_white_space_and_composed_characters_are_normalised() -> None:
    """Tabs, newlines, non-breaking spaces and a decomposed accent in a declaration give the
    same clean NFC text as the plain form (the OPIC reconstruction, edited for this test)."""
    text = OPIC.read_text(encoding="utf-8")
    assert BELGIAN_DECLARATION in text
    plain = BELGIAN_DECLARATION.replace("the Committee", "the Comité")
    messy = BELGIAN_DECLARATION.replace("the Committee", "\n\t the\u00a0 Comite\u0301 ")
    one = parse_status_page(text.replace(BELGIAN_DECLARATION, plain), url_for(OPIC))
    two = parse_status_page(text.replace(BELGIAN_DECLARATION, messy), url_for(OPIC))
    assert plain in one.declarations["BEL"]
    assert two.declarations["BEL"] == one.declarations["BEL"]


def test_an_edited_row_is_read_anew_not_from_the_memo() -> None:
    """A row whose cell changes gives the new value (the parser once memoised rows between
    parses; it keeps nothing between pages now, and this stays a guard)."""
    text = OPIC.read_text(encoding="utf-8")
    row = "<td>28 Feb\t 2012</td><td>30 May\t 2014</td>"
    assert text.count(row) == 1
    before = parse_status_page(text, url_for(OPIC)).participant("BEL")
    edited = text.replace(row, "<td>28 Feb\t 2012</td><td>30 Jun\t 2014 a</td>")
    after = parse_status_page(edited, url_for(OPIC)).participant("BEL")
    assert before is not None and before.consent is not None
    assert before.consent.date == date(2014, 5, 30)
    assert after is not None and after.consent is not None
    assert (after.consent.date, after.consent.kind) == (date(2014, 6, 30), ConsentKind.ACCESSION)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.html", "empty"),
        ("maintenance.html", "maintenance"),
        ("no-table.html", "no participants table"),
        ("unknown-treaty.html", "no participants table"),
        ("truncated.html", "incomplete"),
    ],
)
def test_broken_pages_raise_a_clear_parse_error(name: str, reason: str) -> None:
    text = (FIXTURES / "broken" / name).read_text(encoding="utf-8")
    with pytest.raises(ParseError, match=reason):
        parse_status_page(text, URL.format("IV-11-d", "en"))


def test_truncated_page_never_passes_silently() -> None:
    """Cut in half, the page either fails or says its rows disagree with its counts."""
    full = (FIXTURES / "IV-11-d.en.html").read_text(encoding="utf-8")
    for cut in (len(full) // 2, len(full) * 2 // 3, len(full) - 200):
        try:
            status = parse_status_page(full[:cut], URL.format("IV-11-d", "en"))
        except ParseError:
            continue
        assert status.warnings, f"cut at {cut} parsed without warnings"


# --- edge cases, on small pages built here ----------------------------------------------

HEAD = """<html><body><table><tr><td id="x_rptTreaty_ctl00_tcTreaty">11 . d Optional Protocol</td>
</tr></table>"""


def mini_page(header: list[str], rows: list[list[str]], *, before: str = "") -> str:
    head = "".join(f"<td>{h}</td>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"{HEAD}{before}<table id='grid'><tr>{head}</tr>{body}</table></body></html>"


def test_dates_with_tabs_padding_and_suffixes() -> None:
    assert parse_action("29 May\t 2013") == (date(2013, 5, 29), "")
    assert parse_action("  2 Apr 2013 a") == (date(2013, 4, 2), "a")
    assert parse_action(" 6 Aug 1986\xa0AA") == (date(1986, 8, 6), "AA")
    assert parse_action("24 sept 2012") == (date(2012, 9, 24), "")
    assert parse_action("28 févr 2012 A") == (date(2012, 2, 28), "A")
    assert parse_action(" 1 déc 1990 c") == (date(1990, 12, 1), "c")
    assert parse_action("") is None
    with pytest.raises(ValueError):
        parse_action("soon")
    assert parse_date("2 septembre 1990, conformément au paragraphe 1") == date(1990, 9, 2)


def test_consent_columns_in_any_order_and_signature_column_after() -> None:
    text = mini_page(
        ["Accession(a), Succession(d), Ratification", "Participant", "Signature"],
        [["10 Jan 1992 a", "Angola", ""], ["12 Sep 1989", "Algeria", "10 Dec 1968"]],
    )
    # "Participant" must be the first header: a table that starts otherwise is not ours
    with pytest.raises(ParseError):
        parse_status_page(text, URL.format("IV-4", "en"))
    text = mini_page(
        ["Participant", "Accession(a), Succession(d), Ratification", "Signature"],
        [["Angola", "10 Jan 1992 a", ""], ["Algeria", "12 Sep 1989", "10 Dec 1968"]],
    )
    status = parse_status_page(text, URL.format("IV-4", "en"))
    algeria = status.participant("DZA")
    assert algeria and algeria.signature == date(1968, 12, 10)
    assert algeria.consent and algeria.consent.date == date(1989, 9, 12)


def test_footnotes_sup_and_glued_digits_and_withdrawn_brackets() -> None:
    text = mini_page(
        ["Participant", "Signature", "Ratification, Accession(a)"],
        [
            ["Cambodia<sup>2, 3</sup>", "17 Oct 1980", "26 May 1992 a"],
            ["Koweït31,77", "", " 2 Apr 2013 a"],
            ["North Macedonia 4 ,", "", "18 Jan 1994 d"],
            ["[Venezuela (Bolivarian Republic of)]<sup>5</sup>", "", "10 Mar 1978"],
        ],
    )
    status = parse_status_page(text, URL.format("IV-4", "en"))
    names = [(p.name, p.footnotes, p.withdrawn) for p in status.participants]
    assert names == [
        ("Cambodia", ("2", "3"), False),
        ("Koweït", ("31", "77"), False),
        ("North Macedonia", ("4",), False),
        ("Venezuela (Bolivarian Republic of)", ("5",), True),
    ]
    assert [p.code for p in status.participants] == ["KHM", "KWT", "MKD", "VEN"]
    assert status.participants[2].consent.kind is ConsentKind.SUCCESSION  # type: ignore[union-attr]


def test_territorial_table_before_the_participants_table_makes_no_participant() -> None:
    """Its row is kept as a territorial application (an invented row, for structure), never
    as a participant; a State listed only there is warned about."""
    territorial = (
        "<table><tr><td>Participant</td><td>Date of receipt of the notification</td>"
        "<td>Territories</td></tr><tr><td>Netherlands</td><td>1 Jan 2000</td><td>Aruba</td>"
        "</tr></table>"
    )
    text = mini_page(
        ["Participant", "Signature", "Ratification"],
        [["Belgium", "26 Jan 1990", "16 Dec 1991"]],
        before=territorial,
    )
    status = parse_status_page(text, URL.format("IV-11", "en"))
    assert [p.code for p in status.participants] == ["BEL"]
    assert [(t.code, t.date, t.territories) for t in status.territorial_applications] == [
        ("NLD", date(2000, 1, 1), "Aruba")
    ]
    assert [w for w in status.warnings if "Status field" not in w] == [
        "Netherlands: in the territorial-application table but in no participants table"
    ]


def test_french_territorial_table_and_its_unreadable_cells_are_warnings() -> None:
    """Rows invented for structure: a French table whose second row has no readable date and
    whose third has no territory; each is kept and warned, nothing raises."""
    territorial = (
        "<table><tr><td>Participant</td><td>Date de réception de la notification</td>"
        "<td>Territoires</td></tr>"
        "<tr><td>Belgique</td><td>1 janv 2000</td><td>Aruba<br/>Curaçao</td></tr>"
        "<tr><td>Belgique</td><td>le premier janvier</td><td>Aruba</td></tr>"
        "<tr><td>Belgique</td><td>2 janv 2000</td><td></td></tr></table>"
    )
    text = mini_page(
        ["Participant", "Signature", "Ratification"],
        [["Belgique", "26 janv 1990", "16 déc 1991"]],
        before=territorial,
    )
    status = parse_status_page(text, URL.format("IV-11", "fr"))
    assert [(t.code, t.date, t.territories) for t in status.territorial_applications] == [
        ("BEL", date(2000, 1, 1), "Aruba, Curaçao"),
        ("BEL", None, "Aruba"),
        ("BEL", date(2000, 1, 2), ""),
    ]
    table = [w for w in status.warnings if "territorial" in w]
    assert len(table) == 2, status.warnings
    assert table[0].startswith("territorial-application table, row 2 (Belgique)")
    assert "cannot read the date 'le premier janvier'" in table[0]
    assert table[1] == "territorial-application table, row 3 (Belgique): no territories named"
    assert status.participant("BEL").consent.date == date(1991, 12, 16)  # type: ignore[union-attr]


def test_a_participant_table_of_unknown_shape_is_a_warning_not_an_error() -> None:
    """A table headed "Participant" with territories but no dates is neither kind: it is
    not read and the warning says so; the page is still parsed."""
    odd = (
        "<table><tr><td>Participant</td><td>Territories</td></tr>"
        "<tr><td>Netherlands</td><td>Aruba</td></tr></table>"
    )
    text = mini_page(
        ["Participant", "Signature", "Ratification"],
        [["Belgium", "26 Jan 1990", "16 Dec 1991"]],
        before=odd,
    )
    status = parse_status_page(text, URL.format("IV-11", "en"))
    assert [p.code for p in status.participants] == ["BEL"]
    assert status.territorial_applications == ()
    table = [w for w in status.warnings if "Status field" not in w]
    assert len(table) == 1, status.warnings
    assert table[0].startswith("a table headed 'Participant' | 'Territories' is neither")
    assert "territorial_applications" not in status.to_json()


def test_counts_that_disagree_with_rows_are_warned() -> None:
    status_row = (
        "<table><tr><td id='p_rptStatus_ctl00_tcText'>Signatories : 5. Parties : 9</td>"
        "</tr></table>"
    )
    text = mini_page(
        ["Participant", "Signature", "Ratification"],
        [["Belgium", "26 Jan 1990", "16 Dec 1991"]],
        before=status_row,
    )
    status = parse_status_page(text, URL.format("IV-11", "en"))
    assert status.counts.parties == 9
    assert any("9 parties" in w for w in status.warnings)
    assert any("5 signatories" in w for w in status.warnings)


def test_unknown_participant_and_bad_date_are_warnings_not_crashes() -> None:
    text = mini_page(
        ["Participant", "Signature", "Ratification"],
        [["Atlantis", "someday", "16 Dec 1991"]],
    )
    status = parse_status_page(text, URL.format("IV-11", "en"))
    assert status.participants[0].code.startswith("X-")
    assert any("Atlantis" in w for w in status.warnings)
    assert any("someday" in w for w in status.warnings)


def test_url_without_treaty_is_an_error() -> None:
    text = mini_page(["Participant", "Ratification"], [["Belgium", "16 Dec 1991"]])
    with pytest.raises(ParseError, match="mtdsg_no"):
        parse_status_page(text, "https://treaties.un.org/Pages/ViewDetails.aspx")


# --- property tests: mutated or truncated pages ------------------------------------------

_OPIC = None


def opic_text() -> str:
    global _OPIC
    if _OPIC is None:
        _OPIC = (FIXTURES / "IV-11-d.en.html").read_text(encoding="utf-8")
    return _OPIC


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=100_000))
def test_truncated_pages_raise_parse_error_or_warn(cut: int) -> None:
    text = opic_text()
    cut = cut % (len(text) + 1)
    try:
        status = parse_status_page(text[:cut], URL.format("IV-11-d", "en"))
    except ParseError:
        return
    full = parse_status_page(text, URL.format("IV-11-d", "en"))
    if len(status.participants) < len(full.participants):
        assert status.warnings, "fewer rows than the page states, but no warning"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.integers(min_value=0, max_value=100_000),
    length=st.integers(min_value=1, max_value=400),
    junk=st.text(max_size=40),
)
def test_mutated_pages_raise_parse_error_or_parse(start: int, length: int, junk: str) -> None:
    text = opic_text()
    start = start % len(text)
    mutated = text[:start] + junk + text[start + length :]
    try:
        status = parse_status_page(mutated, URL.format("IV-11-d", "en"))
    except ParseError:
        return
    assert status.mtdsg_no == "IV-11-d"
    assert all(re.fullmatch(r"[A-Z]{3}|X-[A-Z0-9-]*", p.code) for p in status.participants)


# --- issue 10: columns, tables, declarations, small gaps -----------------------------------


def problems(status: TreatyStatus) -> list[str]:
    """The warnings, less the one these small pages all give (they have no Status field)."""
    return [w for w in status.warnings if "Status field" not in w]


def page_of(tables: list[tuple[list[str], list[list[str]]]], *, extra: str = "") -> str:
    """A small page: the title cell, then each (header, rows) as its own table, then extra."""
    out = HEAD
    for header, rows in tables:
        head = "".join(f"<td>{h}</td>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        out += f"<table><tr>{head}</tr>{body}</table>"
    return out + extra + "</body></html>"


def test_provisional_application_column_is_read_not_refused() -> None:
    """The issue: a "Provisional application(n)" column (Arms Trade Treaty, XIX-37) made the
    table look territorial. Values: XIX-37 of 2015 (Argentina, Australia; real)."""
    text = mini_page(
        [
            "Participant",
            "Signature",
            "Provisional application(n)",
            "Ratification, Accession(a), Acceptance(A), Approval(AA)",
        ],
        [
            ["Argentina", "29 Dec 1992", "29 Dec 1992 n", "9 Jul 2009"],
            ["Australia", "24 Dec 1992", "", "24 Dec 1992"],
        ],
    )
    status = parse_status_page(text, URL.format("XIX-37", "en"))
    argentina = status.participant("ARG")
    assert argentina is not None and argentina.consent is not None
    assert (argentina.consent.date, argentina.consent.kind) == (
        date(2009, 7, 9),
        ConsentKind.RATIFICATION,
    )
    assert [(a.kind, a.date, a.column, a.suffix) for a in argentina.actions] == [
        (ActionKind.PROVISIONAL_APPLICATION, date(1992, 12, 29), "Provisional application(n)", "n")
    ]
    assert problems(status) == []


def test_a_provisional_date_alone_is_no_consent() -> None:
    """XIX-34 of 2015 (real): Belgium provisional only; France provisional then definitive."""
    text = mini_page(
        ["Participant", "Provisional acceptance/accession", "Definitive acceptance"],
        [["Belgium", "6 Nov 1991", ""], ["France", "26 Nov 1991", "7 Aug 1992"]],
    )
    status = parse_status_page(text, URL.format("XIX-34", "en"))
    belgium, france = status.participants
    assert belgium.consent is None and belgium.status.value == "not_signed"
    assert [a.kind for a in belgium.actions] == [ActionKind.PROVISIONAL_ACCEPTANCE]
    assert france.consent == Consent(date(1992, 8, 7), ConsentKind.ACCEPTANCE)
    assert status.row_counts().parties == 1


def test_two_consents_on_a_row_keep_the_earliest_and_warn() -> None:
    """Two consent columns (an "as amended by the Protocol" page, XIII-2 headings); the row
    with a date in both is INVENTED (no 2015 row has two)."""
    text = mini_page(
        [
            "Participant",
            "Definitive signature or acceptance of the Protocol",
            "Ratification of the Convention as amended by the Protocol, Accession to the "
            "Convention as amended by the Protocol(a)",
        ],
        [["Belgium", "9 Dec 1948", "2 May 1952"], ["France", "", "12 Jan 1950 a"]],
    )
    status = parse_status_page(text, URL.format("XIII-2", "en"))
    belgium, france = status.participants
    assert belgium.consent == Consent(date(1948, 12, 9), ConsentKind.DEFINITIVE_SIGNATURE)
    assert france.consent == Consent(date(1950, 1, 12), ConsentKind.ACCESSION)
    assert any("Belgium: 2 consents on one row" in w and "1952-05-02" in w for w in status.warnings)
    assert not any("France" in w for w in status.warnings)


def test_every_participants_table_is_read_and_merged() -> None:
    """A second table (organisations) is read, and a State listed again in a notifications
    table is one participant with both tables' dates. Dates INVENTED for structure."""
    text = page_of(
        [
            (
                ["Participant", "Signature", "Ratification, Accession(a)"],
                [["Belgium", "1 Feb 2000", "3 Mar 2001"]],
            ),
            (
                ["Participant", "Signature", "Formal confirmation(c)"],
                [["European Union", "", "5 May 2005 c"]],
            ),
            (["Participant", "Notification under article 25"], [["Belgium", "6 Jun 2006"]]),
        ]
    )
    status = parse_status_page(text, URL.format("X-9", "en"))
    assert [p.code for p in status.participants] == ["BEL", "EUU"]
    belgium, eu = status.participants
    assert belgium.consent == Consent(date(2001, 3, 3), ConsentKind.RATIFICATION)
    assert [(a.kind, a.date) for a in belgium.actions] == [
        (ActionKind.NOTIFICATION, date(2006, 6, 6))
    ]
    assert eu.consent == Consent(date(2005, 5, 5), ConsentKind.FORMAL_CONFIRMATION)
    assert problems(status) == []


def test_an_unknown_column_is_kept_as_other_and_warned_never_refused() -> None:
    text = mini_page(
        ["Participant", "Ratification", "Denunciation"],
        [["Belgium", "3 Mar 2001", "4 Apr 2010"], ["France", "5 May 2002", ""]],
    )
    status = parse_status_page(text, URL.format("IV-99", "en"))
    belgium, france = status.participants
    assert [(a.kind, a.column) for a in belgium.actions] == [(ActionKind.OTHER, "Denunciation")]
    assert belgium.consent is not None  # an unknown column never takes the consent away
    (warning,) = problems(status)
    assert "Denunciation" in warning and "Belgium" in warning and "France" not in warning


def test_sub_heading_rows_spanning_the_table_are_not_participants() -> None:
    text = mini_page(
        ["Participant", "Ratification"],
        [["Belgium", "3 Mar 2001"]],
    ).replace(
        "<tr><td>Belgium", '<tr><td colspan="2"><b>Regional members</b></td></tr><tr><td>Belgium'
    )
    status = parse_status_page(text, URL.format("IV-99", "en"))
    assert [p.code for p in status.participants] == ["BEL"]
    assert problems(status) == []


def test_header_in_thead_with_th_cells_and_a_caption_row() -> None:
    text = (
        HEAD
        + "<table><thead><tr><th colspan='3'>Participants</th></tr>"
        + "<tr><th>Participant</th><th>Signature</th><th>Ratification, Accession(a)</th>"
        + "</tr></thead>"
        + "<tbody><tr><td>Belgium</td><td>1 Feb\t 2000</td><td> 3 Mar&nbsp;2001</td></tr></tbody>"
        + "</table></body></html>"
    )
    status = parse_status_page(text, URL.format("IV-99", "en"))
    assert [(p.code, p.signature, p.consent) for p in status.participants] == [
        ("BEL", date(2000, 2, 1), Consent(date(2001, 3, 3), ConsentKind.RATIFICATION))
    ]


def test_french_headings_and_months_incl_fev() -> None:
    text = mini_page(
        [
            "Participant",
            "Signature, Succession à la signature(d)",
            "Ratification, Adhésion(a), Succession(d)",
        ],
        [
            ["Belgique", "28 fév 2012", "30 mai 2014"],
            ["Monténégro", "23 oct 2006 d", "2 mai 2007 a"],
        ],
    )
    status = parse_status_page(text, URL.format("IV-99", "fr"))
    belgium, montenegro = status.participants
    assert (belgium.signature, belgium.signature_kind) == (
        date(2012, 2, 28),
        SignatureKind.SIGNATURE,
    )
    assert (montenegro.signature_kind, montenegro.consent) == (
        SignatureKind.SUCCESSION,
        Consent(date(2007, 5, 2), ConsentKind.ACCESSION),
    )


@pytest.mark.parametrize(
    ("status_line", "offset", "warned"),
    [
        ("STATUS AS AT : 14-03-2015 05:01:22 EDT", -4, False),
        ("État au : 14-03-2015 05:01:22EST", -5, False),
        ("STATUS AS AT : 14-03-2015 05:01:22 XYZ", 0, True),
        ("STATUS AS AT : 14-03-2015 05:01:22", 0, True),
    ],
)
def test_status_time_zone_unknown_or_missing_is_a_warning(
    status_line: str, offset: int, warned: bool
) -> None:
    text = mini_page(["Participant", "Ratification"], [["Belgium", "3 Mar 2001"]]).replace(
        "<body>", f"<body><p>{status_line}</p>"
    )
    status = parse_status_page(text, URL.format("IV-99", "en"))
    assert status.status_as_at is not None
    assert status.status_as_at.utcoffset() == timedelta(hours=offset)
    assert any("time zone" in w for w in status.warnings) is warned


DECL_TABLE = (
    ["Participant", "Signature", "Ratification"],
    [
        ['<a class="noteIndex" href="#EndDec">Belgium</a>', "1 Feb 2000", "3 Mar 2001"],
        ['<a class="noteIndex" href="#EndDec">France</a>', "1 Feb 2000", "3 Mar 2002"],
        ["Germany", "1 Feb 2000", "3 Mar 2003"],
    ],
)


def decl_page(section: str) -> str:
    """Declarations texts INVENTED for structure."""
    return page_of(
        [DECL_TABLE],
        extra=f'<div id="divAll"><a name="EndDec"></a><p><b>Declarations and Reservations</b></p>'
        f"<p><i>(Unless otherwise indicated, the declarations were made upon ratification.)</i></p>"
        f"{section}</div>",
    )


@pytest.mark.parametrize(
    "section",
    [
        "<p><b>Belgium</b></p><p><i>Declaration:</i></p><p>Belgian text.</p>"
        "<p><b>France</b></p><p><i>Reservation:</i></p><p>French text.</p>",
        "<p><b>Belgium</b> <i>Declaration:</i></p><p>Belgian text.</p>"
        "<p><b>France</b> <i>Reservation:</i></p><p>French text.</p>",
        "<div><span>Belgium</span><br/>Declaration:<br/>Belgian text.<br/></div>"
        "<div><span>France</span><br/>Reservation:<br/>French text.<br/></div>",
        "<div><span>Belgium</span><p><i>Declaration:</i></p><p>Belgian text.</p>"
        "<span>France 3</span><p><i>Reservation:</i></p><p>French text.</p></div>",
    ],
    ids=["own-paragraph", "inline-with-sub-heading", "span-before-br", "span-before-p"],
)
def test_declarations_are_credited_to_the_state_they_name(section: str) -> None:
    status = parse_status_page(decl_page(section), URL.format("IV-99", "en"))
    assert status.declarations == {
        "BEL": "Declaration:\nBelgian text.",
        "FRA": "Reservation:\nFrench text.",
    }
    assert problems(status) == []


def test_declarations_that_cannot_be_placed_are_warned() -> None:
    section = (
        "<p>A stray text that names nobody.</p>"
        "<p><b>Belgium</b></p><p>Belgian text.</p>"
        "<p><b>Czechoslovakia</b></p><p>A text of a State the table does not list.</p>"
    )
    status = parse_status_page(decl_page(section), URL.format("IV-99", "en"))
    assert status.declarations == {"BEL": "Belgian text."}  # nothing credited to Belgium wrongly
    warnings = "\n".join(status.warnings)
    assert "names no participant" in warnings and "A stray text" in warnings
    assert "'Czechoslovakia', which the participants table does not list" in warnings
    assert (
        "no declarations text was found for 1 participant(s)" in warnings and "France" in warnings
    )


def test_br_parts_the_modes_of_a_heading_and_footnote_digits_after_a_date() -> None:
    text = mini_page(
        ["Participant", "Signature", "Ratification<br/>Accession(a)<br>Succession(d)"],
        [["Belgium", "1 Feb 2000", "3 Mar 2001 a <sup>4</sup>"], ["Chile", "", "5 May 2002 7"]],
    )
    status = parse_status_page(text, URL.format("IV-99", "en"))
    belgium, chile = status.participants
    assert belgium.consent == Consent(date(2001, 3, 3), ConsentKind.ACCESSION)
    assert chile.consent == Consent(date(2002, 5, 5), ConsentKind.RATIFICATION)
    assert problems(status) == []


def test_header_fields_in_spans_with_another_id_prefix() -> None:
    text = mini_page(["Participant", "Ratification"], [["Belgium", "3 Mar 2001"]]).replace(
        "<body>",
        '<body><div><span id="MainContent_rptStatus_ctl00_tcText">Parties : 1</span>'
        '<span id="MainContent_rptEIF_ctl00_tcText">2 September 1990, in accordance with '
        "article 49(1).</span></div>",
    )
    status = parse_status_page(text, URL.format("IV-99", "en"))
    assert status.counts.parties == 1
    assert status.entry_into_force is not None
    assert status.entry_into_force.date == date(1990, 9, 2)
    assert status.warnings == ()
