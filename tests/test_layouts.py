"""The parser on reconstructions of all 282 treaties of 2015: every layout class, varied markup.

The pages are built at test time (tests/fixtures/untc/layouts/layout_pages.py) from the real
participants tables in ``../shared/untc/data/untreaties-2015``; the expected values come from
layout_oracle.py, which reads the same CSVs and never calls the parser. Without ``../shared``
the tests are skipped, except under CI where that is a failure.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.domain import ParseError
from tracker.sources.untc import parse_status_page

LAYOUTS = Path(__file__).parent / "fixtures" / "untc" / "layouts"
sys.path.insert(0, str(LAYOUTS))
import layout_oracle as oracle  # noqa: E402
import layout_pages as pages  # noqa: E402

if not oracle.available():  # pragma: no cover - depends on the machine
    message = f"the shared 2015 data set is missing ({oracle.SHARED})"
    if os.environ.get("CI"):
        raise RuntimeError(message)
    pytest.skip(message, allow_module_level=True)

SOURCES = {s.key: s for s in oracle.sources()}
SYNTHETIC = {s.key: s for s in oracle.synthetic_sources()}


def check(built: pages.Built) -> None:
    """The parsed page equals the oracle's JSON; every unsure participant is named in a
    warning, and every warning names an unsure participant."""
    status = parse_status_page(built.page, built.url)
    got, want = status.to_json(), built.expected
    assert list(got) == list(want)
    for key in want:
        if key not in ("participants", "warnings", "territorial_applications"):
            assert got[key] == want[key], key
    for g, w in zip(
        got.get("territorial_applications", []),
        want.get("territorial_applications", []),
        strict=True,
    ):
        assert g == (w if w["code"] is not None else {**w, "code": g["code"]}), w
    assert len(got["participants"]) == len(want["participants"])
    for g, w in zip(got["participants"], want["participants"], strict=True):
        assert list(g) == list(w)
        expected: dict[str, Any] = dict(w)
        if w["code"] is None:  # an organisation: no code, and it must be said
            assert g["code"].startswith("X-"), g
            expected["code"] = g["code"]
        assert g == expected, w["name"]
    for warning in status.warnings:
        assert any(name in warning for name in built.unsure), warning
    for name in built.unsure:
        assert any(name in warning for warning in status.warnings), name


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_every_treaty_of_2015_parses_exactly(key: str) -> None:
    source = SOURCES[key]
    check(pages.build(source, pages.default_variant(source)))


@pytest.mark.parametrize("key", sorted(SYNTHETIC))
def test_synthetic_layouts_notification_extension_and_unknown_column(key: str) -> None:
    """Headings the 2015 tables lack: a notification column (X-9), an extension column, and
    a column no rule knows (kept as actions of kind "other", with a warning)."""
    source = SYNTHETIC[key]
    for lang in ("en", "fr"):
        check(pages.build(source, pages.replace(pages.default_variant(source), lang=lang)))


def _one_per_layout() -> list[str]:
    seen: dict[tuple[str, ...], str] = {}
    for key, source in sorted(SOURCES.items()):
        seen.setdefault(source.layout, key)
    return sorted(seen.values())


@pytest.mark.parametrize("key", _one_per_layout())
def test_every_layout_in_french(key: str) -> None:
    """French headings (translated), French months and names, French page labels."""
    source = SOURCES[key]
    variant = pages.replace(pages.default_variant(source), lang="fr", feb_fr="fév")
    built = pages.build(source, variant)
    assert built.expected["language"] == "fr"
    check(built)


def test_the_corpus_covers_every_layout_and_markup_option() -> None:
    assert len(SOURCES) == 282
    assert len({s.layout for s in SOURCES.values()}) == 88
    variants = [pages.default_variant(s) for s in SOURCES.values()]
    for option, values in {
        "lang": {"en", "fr"},
        "prefix": set(pages.PREFIXES),
        "table_id": {"tblgrid", "grdParticipants", None},
        "header": {"tr-td", "thead-th", "tr-th"},
        "tbody": {True, False},
        "date_sep": {"\t ", " ", "&nbsp;"},
        "footnotes": {"sup", "sup-list", "glued"},
        "territorial": {True, False},
        "split": {True, False},
        "subheading_row": {True, False},
        "withdrawn": {0, 1, 2},
        "declarations": {"p", "inline", "span-br"},
        "zone": {"EDT", "EST"},
    }.items():
        assert {getattr(v, option) for v in variants} == values, option


variants = st.builds(
    pages.Variant,
    lang=st.sampled_from(["en", "fr"]),
    prefix=st.sampled_from(pages.PREFIXES),
    table_id=st.sampled_from(["tblgrid", "grdParticipants", None]),
    header=st.sampled_from(["tr-td", "thead-th", "tr-th"]),
    tbody=st.booleans(),
    date_sep=st.sampled_from(["\t ", " ", "&nbsp;", "\t"]),
    feb_fr=st.sampled_from(["févr", "fév"]),
    footnotes=st.sampled_from(["sup", "sup-list", "glued"]),
    footnote_every=st.sampled_from([0, 2, 5, 13]),
    territorial=st.booleans(),
    split=st.booleans(),
    subheading_row=st.booleans(),
    withdrawn=st.integers(min_value=0, max_value=3),
    declarations=st.sampled_from(["p", "inline", "span-br"]),
    zone=st.sampled_from(["EDT", "EST"]),
    empty_cell=st.sampled_from(["", "&nbsp;"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from(sorted(SOURCES) + sorted(SYNTHETIC)), variant=variants)
def test_any_treaty_in_any_markup_parses_exactly(key: str, variant: pages.Variant) -> None:
    source = SOURCES.get(key) or SYNTHETIC[key]
    check(pages.build(source, variant))


def test_held_out_layouts_are_a_third_chosen_by_hash() -> None:
    held = {s.layout for s in SOURCES.values() if oracle.held_out(s)}
    assert 20 <= len(held) <= 35
    assert all(oracle.held_out(s) for s in SYNTHETIC.values())


@pytest.mark.parametrize(
    "key",
    ["19-34", "19-37", "26-6", "3-2-12", "13-2", "6-3", "25-2-a", "26-2-a", "10-4", "23-3"],
)
def test_the_layouts_named_in_issue_10(key: str) -> None:
    """Provisional acceptance | Definitive acceptance; Provisional application(n); Application;
    two consent columns; a notification marker in a consent column; P in its three meanings;
    the organisations of XXIII-3 (as a second table, in this variant)."""
    source = SOURCES[key]
    check(pages.build(source, pages.replace(pages.default_variant(source), split=True)))


def test_provisional_acceptance_is_not_a_ratification() -> None:
    """XIX-34 (2015 numbering): Belgium 6 Nov 1991 under "Provisional acceptance/accession",
    no definitive acceptance: not a party, one action (real values)."""
    source = SOURCES["19-34"]
    built = pages.build(source, pages.Variant())
    belgium = parse_status_page(built.page, built.url).participant("BEL")
    assert belgium is not None and belgium.consent is None
    assert [(a.kind, a.date.isoformat()) for a in belgium.actions] == [
        ("provisional_acceptance", "1991-11-06")
    ]


def test_a_page_without_dates_columns_is_still_refused() -> None:
    source = SOURCES["4-11-d"]
    built = pages.build(source, pages.Variant())
    no_dates = built.page.replace("<td>Signature</td>", "<td>Territories</td>")
    with pytest.raises(ParseError, match="no participants table"):
        parse_status_page(no_dates, built.url)


# --- the territorial-application table, with real values ------------------------------------

#: RECONSTRUCTION: a territorial-application table in the shape STRUCTURE.md gives
#: (Participant | Date of receipt of the notification | Territories), put before the real 2015
#: participants table of the ICESCR (IV-3). Its two rows are China's real notifications of
#: 20 June 1997 (Hong Kong) and 2 December 1999 (Macao), as China's real declaration on IV-3
#: states them (untreaties-2015 declarations_4-3.txt); the real page's table is not
#: available offline, so that UNTC lists them in such a table is reconstructed.
CHINA_TERRITORIAL = (
    "<!-- RECONSTRUCTION: rows from China's real declaration on IV-3 (2015 data); the table "
    "itself is not a capture. -->\n"
    '<div id="specialtbl"><p><b>Territorial Application</b></p><table border="1">\n'
    "<tr><td>Participant</td><td>Date of receipt of the notification</td>"
    "<td>Territories</td></tr>\n"
    "<tr><td>China</td><td>20 Jun\t 1997</td>"
    "<td>Hong Kong Special Administrative Region of the People's Republic of China</td></tr>\n"
    "<tr><td>China</td><td> 2 Dec\t 1999</td>"
    "<td>Macao Special Administrative Region of the People's Republic of China</td></tr>\n"
    "</table></div>\n"
)


def icescr_with_territorial_table() -> tuple[pages.Built, str]:
    built = pages.build(SOURCES["4-3"], pages.Variant())
    marker = '<div id="participants">\n'
    assert built.page.count(marker) == 1
    return built, built.page.replace(marker, marker + CHINA_TERRITORIAL)


def test_a_real_territorial_table_is_read_and_never_counted_as_consent() -> None:
    built, page = icescr_with_territorial_table()
    plain = parse_status_page(built.page, built.url)
    status = parse_status_page(page, built.url)
    assert [t.to_json() for t in status.territorial_applications] == [
        {
            "participant": "China",
            "code": "CHN",
            "date": "1997-06-20",
            "territories": (
                "Hong Kong Special Administrative Region of the People's Republic of China"
            ),
            "column": "Date of receipt of the notification",
        },
        {
            "participant": "China",
            "code": "CHN",
            "date": "1999-12-02",
            "territories": "Macao Special Administrative Region of the People's Republic of China",
            "column": "Date of receipt of the notification",
        },
    ]
    # the rows change no participant: China stays a party by its ratification of 27 Mar 2001
    assert status.participants == plain.participants
    china = status.participant("CHN")
    assert china is not None and china.consent is not None
    assert china.consent.date.isoformat() == "2001-03-27"
    assert status.row_counts() == plain.row_counts()
    assert status.warnings == plain.warnings
    got = status.to_json()
    assert list(got) == [*plain.to_json(), "territorial_applications"]


def test_the_real_territorial_rows_colour_hong_kong_and_macao_with_china() -> None:
    from tracker import territories

    built, page = icescr_with_territorial_table()
    status = parse_status_page(page, built.url)
    statuses = {p.code: "party" if p.consent else "signed" for p in status.participants}
    # without the declarations, so that the table alone decides
    ruled = territories.territory_statuses(
        statuses, {}, ["HKG", "MAC", "PRI"], status.territorial_applications
    )
    assert (ruled["HKG"].status, ruled["HKG"].how) == ("party", "table")
    assert ruled["HKG"].evidence == (
        "China | 1997-06-20 | Hong Kong Special Administrative Region of the People's Republic "
        "of China"
    )
    assert (ruled["MAC"].status, ruled["MAC"].how) == ("party", "table")
    assert ruled["MAC"].evidence is not None and "1999-12-02" in ruled["MAC"].evidence
    assert (ruled["PRI"].status, ruled["PRI"].how) == ("no_data", "unknown")
