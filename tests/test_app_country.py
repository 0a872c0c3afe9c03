"""The Country page (AppTest) on a database built by record_poll from the fixture pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from tests.app_support import (  # noqa: F401  (fixtures)
    FIXTURES,
    PAGES,
    _changes_template,
    app_db,
    open_view,
)

pytestmark = pytest.mark.usefixtures("app_db")

BELGIUM_OPIC = (
    "Belgium signed OPIC on 28 February 2012, ratified it on 30 May 2014; in force for "
    "Belgium since 30 August 2014 (source: UN Treaty Collection, verified on 1 October 2017)."
)


def _opic_row(at: AppTest, number_column: str = "MTDSG no.") -> dict[str, str]:
    frame = at.dataframe[0].value
    return frame[frame[number_column] == "IV-11-d"].iloc[0].to_dict()


def page_text(at: AppTest) -> str:
    """What the page says in words (Markdown and notes), without Markdown's escapes."""
    parts = [m.value for m in at.markdown] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [c.value for c in at.caption]
    return "\n".join(parts).replace("\\", "")


def test_belgium_opic_row_through_the_app() -> None:
    at = open_view("country", timeout=120)
    assert not at.exception
    assert at.selectbox(key="country").value == "BEL"  # TRACKER_DEFAULT_COUNTRY
    at.text_input(key="country_query").input("Belgique").run()
    assert at.selectbox(key="country").value == "BEL"
    row = _opic_row(at)
    assert row["Treaty"] == "OPIC (IV-11-d)"
    assert row["Status"] == "party"
    assert row["Signature"] == "28 Feb 2012"
    assert row["Ratification, accession…"] == "30 May 2014"
    assert row["Kind"] == "ratification"
    assert row["In force for it"] == "30 Aug 2014"
    assert row["Declarations / reservations"] == "yes"
    assert row["Last verified"] == "1 Oct 2017"  # the variant poll verified it
    assert "mtdsg_no=IV-11-d" in row["Source"]
    assert row["Title"] == (
        "Optional Protocol to the Convention on the Rights of the Child on a communications "
        "procedure"
    )
    # no cell reads None / nan / False
    cells = at.dataframe[0].value.astype(str).to_numpy().ravel().tolist()
    assert not {"None", "nan", "False", "True", "[]", "no_data"} & set(cells)
    csv = at.get("download_button")[0]
    assert csv is not None


def test_the_answer_in_words() -> None:
    at = open_view("country", timeout=120)
    text = page_text(at)
    # the first sentence answers the question; OPIC (chosen by default) is spelled out
    assert (
        "Belgium is a party to 6 of 14 tracked treaties; no data yet: ICERD, ICESCR, ICCPR, "
        "CEDAW, CAT, CMW, CED, Lanzarote Convention." in text
    )
    assert BELGIUM_OPIC in [i.value.replace("\\", "") for i in at.info]
    # every treaty in words, in the page's text
    assert "- Belgium signed CRC on 26 January 1990, ratified it on 16 December 1991" in text
    assert "No data yet on CED for Belgium: its status page has not been recorded." in text
    assert "None" not in text
    # another treaty picked: its sentence, and the address says which
    at.selectbox(key="country_treaty").set_value("IV-11-b").run()
    assert at.info[-1].value.replace("\\", "").startswith("Belgium signed OPAC on 6 September 2000")
    assert at.query_params["treaty"] == ["IV-11-b"] or at.query_params["treaty"] == "IV-11-b"


def test_address_opens_country_and_language() -> None:
    at = open_view("country", timeout=120, country="LUX", lang="fr")
    assert not at.exception
    assert at.title[0].value == "Vue par pays"
    assert at.selectbox(key="country").value == "LUX"
    assert at.subheader[0].value == "Luxembourg"
    assert "Luxembourg : partie à 5 des 14 traités suivis ; signés, non ratifiés : OPIC ; " in (
        page_text(at)
    )
    at = open_view("country", timeout=120, country="usa")  # a code as people type it
    assert at.selectbox(key="country").value == "USA"
    at.selectbox(key="country").set_value("FRA").run()
    assert at.query_params["country"] in ("FRA", ["FRA"])


def test_signed_and_not_signed_lists_and_french() -> None:
    at = open_view("country", timeout=120)
    at.text_input(key="country_query").input("USA").run()
    assert at.selectbox(key="country").value == "USA"
    text = " ".join(m.value for m in at.markdown)
    assert "IV\\-11** Convention on the Rights of the Child" in text  # signed, not ratified
    at.sidebar.radio(key="_lang_widget").set_value("fr").run()
    assert not at.exception
    assert at.title[0].value == "Vue par pays"
    assert [s.value for s in at.subheader][:1] == ["États-Unis d'Amérique"]
    assert "IV\\-11** Convention relative aux droits de l'enfant" in " ".join(
        m.value for m in at.markdown
    )
    at.text_input(key="country_query").input("Belgique").run()
    row = _opic_row(at, "N° MTDSG")
    assert row["Signature"] == "28 févr. 2012"
    assert row["Statut"] == "partie"
    assert row["En vigueur pour lui"] == "30 août 2014"
    assert row["Titre"].startswith("Protocole facultatif à la Convention relative aux droits")
    assert (
        "Belgique — OPIC : signature le 28 février 2012, ratification le 30 mai 2014 ; en "
        "vigueur à son égard depuis le 30 août 2014" in page_text(at)
    )


def test_ambiguous_or_unknown_search() -> None:
    at = open_view("country", timeout=120)
    at.text_input(key="country_query").input("Atlantis").run()
    assert "No country matches" in at.warning[0].value


def test_csv_in_words_and_in_french() -> None:
    """The CSV exports (webapp.ui.csv_frame, what every view's button downloads): French
    headers in French, booleans as words, empty for nothing, no Python or pandas values."""
    from tracker import db, queries
    from tracker.config import get_settings
    from webapp import ui

    engine = db.make_engine(get_settings().resolved_database_url)
    with db.session(engine) as s:
        rows = queries.country_overview(
            session=s, code="BEL", treaties=tuple(get_settings().treaties)
        )
    engine.dispose()
    records = [{"country": "BEL", **r.to_csv()} for r in rows]
    for lang in ("en", "fr"):
        frame = ui.csv_frame(records, lang)
        cells = set(frame.astype(str).to_numpy().ravel().tolist())
        assert not {"None", "nan", "False", "True", "[]", "no_data"} & cells, lang
    fr = ui.csv_frame(records, "fr").set_index("traité")
    assert fr.loc["IV-11-d", "declarations_ou_reserves"] == "oui"
    assert fr.loc["IV-11-d", "date_du_consentement"] == "2014-05-30"  # data stay ISO 8601
    assert fr.loc["IV-11-d", "statut"] == "partie"
    assert fr.loc["IV-2", "statut"] == "pas encore de données"
    assert fr.loc["IV-2", "declarations_ou_reserves"] == "inconnu (pas encore de données)"
    assert fr.loc["IV-2", "date_de_signature"] == ""
    en = ui.csv_frame(records, "en").set_index("treaty")
    assert en.loc["IV-11-d", "has_declarations"] == "yes"
    assert en.loc["IV-2", "status"] == "no data yet"


# --- many stored treaties: the tracked ones by default, all of them on request -------------

COPIES = 30  # stored treaties that are not tracked, as `poll --all` stores them


def _store_untracked_copies(url: str) -> int:
    """Store COPIES treaties that are not tracked: the fixture pages under made-up numbers
    (BENCH-n-copy-of-IV-11 …, as bench/bench_app.py builds them; clearly not real treaties).
    Returns how many treaties are stored in all."""
    from tracker import db, service
    from tracker.domain import FetchedPage

    engine = db.make_engine(url)
    at = datetime(2015, 3, 14, tzinfo=UTC)
    try:
        for index in range(COPIES):
            source_no = PAGES[index % len(PAGES)]
            number = f"BENCH-{index + 1}-copy-of-{source_no}"
            body = (FIXTURES / f"{source_no}.en.html").read_text(encoding="utf-8")
            body = body.replace(f"mtdsg_no={source_no}&", f"mtdsg_no={number}&")
            page = FetchedPage(
                mtdsg_no=number,
                url="https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no="
                f"{number}&chapter=4&clang=_en",
                fetched_at=at,
                http_status=200,
                body=body.encode("utf-8"),
            )
            with db.session(engine) as s:
                report = service.record_poll(session=s, page=page, expected_language="en")
            assert report.outcome == "new", (number, report.outcome, report.error)
    finally:
        engine.dispose()
    return len(PAGES) + COPIES


def test_many_stored_treaties_tracked_by_default_all_on_request() -> None:
    from tracker.config import get_settings

    stored = _store_untracked_copies(get_settings().resolved_database_url)
    tracked = len(get_settings().treaties)  # 14: 6 stored, 8 with no data yet
    at = open_view("country", timeout=120)
    assert not at.exception
    # by default: one row per tracked treaty, no copy in the table or in the sentences
    frame = at.dataframe[0].value
    assert sorted(frame["MTDSG no."]) == sorted(get_settings().treaties)
    assert "BENCH-" not in page_text(at)
    assert "- Belgium signed CRC on 26 January 1990, ratified it" in page_text(at)
    assert "Belgium signed Convention on the Rights of the Child" not in page_text(at)
    assert f"Belgium is a party to 6 of {tracked} tracked treaties" in page_text(at)
    toggle = at.toggle(key="country_all")
    assert toggle.value is False
    assert toggle.label == (
        f"Show all {stored} stored treaties, not only the {tracked} tracked ones"
    )
    assert f"Showing the {tracked} tracked treaties ({stored} treaties are stored)." in (
        page_text(at)
    )
    assert "all" not in at.query_params
    declaration_boxes = [e.label for e in at.expander]
    assert declaration_boxes  # Belgium's declarations on tracked treaties, text in boxes
    # the choice: every stored treaty in the table, and the address says so
    toggle.set_value(True).run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert len(frame) == tracked + COPIES
    assert "BENCH-1-copy-of-IV-11" in set(frame["MTDSG no."])
    assert at.query_params["all"] in ("1", ["1"])
    text = page_text(at)
    assert f"Showing all {stored} stored treaties." in text
    # the summary still speaks of the tracked treaties; copies Belgium is party to in words
    assert f"Belgium is a party to 6 of {tracked} tracked treaties" in text
    crc = "- Belgium signed Convention on the Rights of the Child on 26 January 1990, ratified"
    copies_of_crc = len([i for i in range(COPIES) if i % len(PAGES) == 0])
    assert text.count(crc) == copies_of_crc  # the copies, by title; the CRC itself as "CRC"
    assert "- Belgium signed CRC on 26 January 1990, ratified it" in text
    # declarations: the boxes of the tracked treaties; the other stored treaties are named
    assert [e.label for e in at.expander] == declaration_boxes
    assert "Declarations or reservations are also recorded on " in text
    assert "other stored treaties (their texts are in the Treaty view): BENCH-1-copy-of-IV-11" in (
        text
    )
    # the choice stays in the address: a shared /?all=1 opens every stored treaty
    shared = open_view("country", timeout=120, all="1", lang="fr")
    assert not shared.exception
    assert shared.toggle(key="country_all").value is True
    assert shared.toggle(key="country_all").label == (
        f"Afficher les {stored} traités enregistrés, pas seulement les {tracked} traités suivis"
    )
    assert len(shared.dataframe[0].value) == tracked + COPIES


def test_untracked_treaties_not_signed_are_in_a_collapsed_expander() -> None:
    """The United States did not sign OPIC: its copies, when all are shown, are spelled out
    only inside a collapsed expander, not in the main list."""
    from tracker.config import get_settings

    _store_untracked_copies(get_settings().resolved_database_url)
    at = open_view("country", timeout=120, country="USA", all="1")
    assert not at.exception
    assert at.selectbox(key="country").value == "USA"
    opic_copies = [f"BENCH-{i + 1}-copy-of-IV-11-d" for i in range(COPIES) if i % 6 == 4]
    assert opic_copies
    frame = at.dataframe[0].value
    assert set(opic_copies) <= set(frame["MTDSG no."])
    copies = frame[frame["MTDSG no."].str.startswith("BENCH-")]
    not_signed = copies[copies["Status"] == "not signed"]
    assert set(opic_copies) <= set(not_signed["MTDSG no."])
    assert len(at.expander) >= 1
    others = at.expander[0]
    assert others.label == (
        f"{len(not_signed)} other stored treaties the State has neither signed nor joined"
    )
    assert others.proto.expanded is False
    inside = "\n".join(m.value for m in others.markdown).replace("\\", "")
    assert inside.count("- United States of America has neither signed nor joined ") == len(
        not_signed
    )
    opic = "Optional Protocol to the Convention on the Rights of the Child on a communications"
    assert inside.count(f"neither signed nor joined {opic}") == len(opic_copies)
    # outside the expander, OPIC (tracked, not signed) is spelled out once, by its short name
    outside = "\n".join(m.value for m in at.main.markdown if m not in others.markdown)
    assert "has neither signed nor joined OPIC" in outside.replace("\\", "")
    assert f"neither signed nor joined {opic}" not in outside.replace("\\", "")


def test_overview_reads_the_tracked_treaties_only_when_asked() -> None:
    """queries.country_overview(every_stored=False): the tracked treaties only (the Country
    view's default), the same rows as the full read gives for them."""
    from tracker import db, queries
    from tracker.config import get_settings

    url = get_settings().resolved_database_url
    stored = _store_untracked_copies(url)
    tracked = tuple(get_settings().treaties)
    engine = db.make_engine(url)
    try:
        with db.session(engine) as s:
            every = queries.country_overview(session=s, code="BEL", treaties=tracked)
            only = queries.country_overview(
                session=s, code="BEL", treaties=tracked, every_stored=False
            )
            assert queries.stored_treaty_count(session=s) == stored
    finally:
        engine.dispose()
    assert len(every) == len(tracked) + COPIES
    assert sorted(r.mtdsg_no for r in only) == sorted(tracked)
    assert only == [r for r in every if r.mtdsg_no in set(tracked)]
