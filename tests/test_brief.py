"""The country brief (``tracker.brief``, ``treaty-tracker brief``) on the read-side database
(the 14 Mar 2015 snapshot, Brazil's OPIC ratification seen on 1 Oct 2017)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import lxml.html
import pytest

from tests.app_support import _changes_template, app_db  # noqa: F401  (fixtures)
from tracker import brief, db, queries
from tracker.cli import main
from tracker.config import get_settings

NOW = datetime(2017, 10, 20, 12, 0, tzinfo=UTC)


def make(code: str, language: str = "en") -> str:
    settings = get_settings()
    with db.session(db.make_engine(settings.resolved_database_url)) as s:
        data = brief.collect(
            session=s,
            code=code,
            treaties=list(settings.treaties),
            language=language,
            stale_after=settings.stale_after,
        )
    return brief.render(data, generated_at=NOW)


def status_rows(html: str) -> dict[str, list[str]]:
    """Treaty number -> the cells of its row in the status table."""
    tree = lxml.html.fromstring(html)
    table = tree.xpath("//h2[1]/following-sibling::table[1]")[0]
    rows = {}
    for tr in table.xpath(".//tbody/tr"):
        cells = [" ".join(td.text_content().split()) for td in tr.xpath("td")]
        rows[cells[0].split()[0]] = cells
    return rows


@pytest.mark.usefixtures("app_db")
def test_belgium_brief_in_english() -> None:
    html = make("BEL")
    assert "@media print" in html and "size: A4" in html
    rows = status_rows(html)
    opic = rows["IV-11-d"]
    assert opic[0].startswith("IV-11-d OPIC — Optional Protocol to the Convention")
    assert opic[1:] == [
        "party", "28 Feb 2012", "30 May 2014", "ratification", "30 Aug 2014", "present",
    ]  # fmt: skip
    assert rows["IV-11-a"][-1] == "none stated"
    # a tracked treaty whose page was never read: unknown, never "none" or "not signed"
    assert rows["IV-16"][1].startswith("no data yet")
    assert "none stated" not in rows["IV-16"][1] and "not signed" not in rows["IV-16"][1]
    text = " ".join(lxml.html.fromstring(html).text_content().split())
    assert "Belgium is a party to 6 of the 14 tracked treaties." in text
    assert "For 8 of them there is no data yet" in text
    assert "Signed but not ratified: No treaty among the 6 with data." in text
    assert "Not known for 8 treaties with no data yet" in text
    # sources: each row's page and when it was verified (OPIC live on 1 Oct 2017)
    assert "mtdsg_no=IV-11-d&chapter=4&clang=_en" in html.replace("&amp;", "&")
    assert "1 Oct 2017 (live poll)" in text and "14 Mar 2015 (bundled snapshot)" in text
    assert "not yet verified live: IV-11, IV-11-a, IV-11-b, IV-11-c, IV-15" in text
    # Belgium's OPIC declaration (real text, cut) and no change recorded for Belgium
    assert "The Kingdom of Belgium recognizes the competence of the Committee" in text
    assert "No change recorded for Belgium since the tracker started." in text
    assert "None" not in text


@pytest.mark.usefixtures("app_db")
def test_brief_in_french_and_gaps() -> None:
    html = make("AUT", "fr")
    assert '<html lang="fr">' in html
    rows = status_rows(html)
    assert rows["IV-11-d"][1:3] == ["signé, non ratifié", "28 févr. 2012"]
    assert rows["IV-11-d"][5] == "pas en vigueur pour lui"
    text = " ".join(lxml.html.fromstring(html).text_content().split())
    assert "Signés mais non ratifiés: OPIC (IV-11-d)" in text
    assert "pas encore de données" in text


@pytest.mark.usefixtures("app_db")
def test_recent_changes_name_the_catch_up() -> None:
    text = " ".join(lxml.html.fromstring(make("BRA")).text_content().split())
    assert "Brazil ratified the Optional Protocol" in text
    assert "found by a catch-up poll" in text and "29 Sep 2017" in text


def test_scraped_text_is_escaped() -> None:
    row = queries.CountryTreatyRow(
        mtdsg_no="IV-11-d",
        title="<i>Optional</i> Protocol",
        status="party",
        participant_name="Belgium",
        signature_date=date(2012, 2, 28),
        consent_date=date(2014, 5, 30),
        consent_kind="ratification",
        in_force_date=None,
        treaty_in_force_date=date(2014, 4, 14),
        has_declarations=True,
        declaration_text='<script>alert("x")</script>',
        footnotes=(),
        listed=True,
        source_url="https://treaties.un.org/x?a=1&b=2",
        last_verified_at=datetime(2017, 10, 1, tzinfo=UTC),
        status_as_at=None,
        source="live",
    )
    data = brief.BriefData("BEL", "Belgium", "en", (row,), stale_after=timedelta(days=30))
    html = brief.render(data, generated_at=NOW)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<i>Optional</i>" not in html and "&lt;i&gt;Optional" in html
    assert 'href="https://treaties.un.org/x?a=1&amp;b=2"' in html
    cells = status_rows(html)["IV-11-d"]
    assert cells[5] == "not known"  # a party whose entry into force for it is not stated


@pytest.mark.usefixtures("app_db")
def test_brief_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "brief.html"
    assert main(["brief", "--country", "Belgique", "--lang", "fr", "--output", str(out)]) == 0
    assert "30 mai 2014" in out.read_text(encoding="utf-8")
    assert "Belgique (BEL)" in capsys.readouterr().err
    assert main(["brief", "--country", "Congo"]) == 2
    assert "could mean several countries" in capsys.readouterr().err
    assert main(["brief", "--country", "BEL"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


@pytest.mark.usefixtures("app_db")
def test_country_view_offers_the_brief() -> None:
    from tests.app_support import open_view

    at = open_view("country", timeout=120)
    assert not at.exception
    buttons = [b for b in at.get("download_button") if "brief" in b.proto.label.lower()]
    [button] = buttons
    assert button.proto.label == "Download the country brief (HTML, to print)"


@pytest.mark.usefixtures("app_db")
def test_brief_keeps_to_the_tracked_treaties() -> None:
    settings = get_settings()
    with db.session(db.make_engine(settings.resolved_database_url)) as s:
        data = brief.collect(session=s, code="BEL", treaties=["IV-11-d", "IV-16"])
    assert [r.mtdsg_no for r in data.rows] == ["IV-11-d", "IV-16"]  # IV-11 … stored, left out
