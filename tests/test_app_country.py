"""The Country page (AppTest) on a database built by record_poll from the fixture pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app_support import _changes_template, app_db, open_view  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("app_db")


def _opic_row(at: AppTest) -> dict[str, str]:
    frame = at.dataframe[0].value
    treaty_column = frame.columns[0]
    return frame[frame[treaty_column] == "IV-11-d"].iloc[0].to_dict()


def test_belgium_opic_row_through_the_app() -> None:
    at = open_view("country", timeout=120)
    assert not at.exception
    assert at.selectbox(key="country").value == "BEL"  # TRACKER_DEFAULT_COUNTRY
    at.text_input(key="country_query").input("Belgique").run()
    assert at.selectbox(key="country").value == "BEL"
    row = _opic_row(at)
    assert row["Status"] == "party"
    assert row["Signature"] == "28 Feb 2012"
    assert row["Ratification, accession…"] == "30 May 2014"
    assert row["Kind"] == "ratification"
    assert row["In force for it"] == "30 Aug 2014"
    assert row["Declarations / reservations"] == "yes"
    assert row["Last verified"] == "1 Oct 2017"  # the variant poll verified it
    assert "mtdsg_no=IV-11-d" in row["Source"]
    csv = at.get("download_button")[0]
    assert csv is not None


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
    at.text_input(key="country_query").input("Belgique").run()
    row = _opic_row(at)
    assert row["Signature"] == "28 févr. 2012"
    assert row["Statut"] == "partie"
    assert row["En vigueur pour lui"] == "30 août 2014"


def test_ambiguous_or_unknown_search() -> None:
    at = open_view("country", timeout=120)
    at.text_input(key="country_query").input("Atlantis").run()
    assert "No country matches" in at.warning[0].value
