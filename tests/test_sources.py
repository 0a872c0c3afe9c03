"""Sources as a concept: the interface, the registry, Council of Europe ids and addresses, and
the ``treaty.depositary`` column (migration 0005)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from hypothesis import given
from hypothesis import strategies as st

from tracker import db, sources
from tracker.domain import TreatyStatus
from tracker.models import Treaty
from tracker.mtdsg import UNTC_BASE_URL, parse_mtdsg_no, status_url
from tracker.sources import Source
from tracker.sources import untc as untc_reader
from tracker.sources.coe import SOURCE as COE
from tracker.sources.coe import ids

UNTC_PAGE = Path(__file__).resolve().parent / "fixtures" / "untc" / "IV-11-d.en.html"


def test_the_registry_finds_the_council_of_europe() -> None:
    assert COE in sources.all_sources()
    assert sources.by_id("coe") is COE
    assert sources.by_id("nope") is None
    assert sources.source_for("CETS-201") is COE
    assert sources.source_for("CETS No. 210") is COE
    assert sources.depositary_of("CETS-201") == "coe"
    # an MTDSG number is not the Council's; until the UN package registers its SOURCE it falls
    # to the default depositary
    assert COE.parse_id("IV-11-d") is None
    assert sources.depositary_of("IV-11-d") == "untc"


def test_the_council_source_describes_itself() -> None:
    assert COE.id == "coe"
    assert COE.languages == ("en", "fr")
    assert COE.parse_id(COE.id_example) == COE.id_example
    assert COE.status_url("CETS-201", "fr") == (
        "https://www.coe.int/fr/web/conventions/full-list?module=signatures-by-treaty&treatynum=201"
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        COE.id = "x"  # type: ignore[misc]


def test_the_un_reader_fits_the_interface_unchanged() -> None:
    """What tracker/sources/untc/ will declare: its parser is a Reader as it is."""
    untc = Source(
        id="untc",
        name="United Nations Treaty Collection (MTDSG)",
        depositary="Secretary-General of the United Nations",
        languages=("en", "fr"),
        id_example="IV-11-d",
        parse_id=parse_mtdsg_no,
        status_url=lambda treaty_id, language: status_url(UNTC_BASE_URL, treaty_id, language),
        read=untc_reader.parse_status_page,
    )
    url = untc.status_url("IV-11-d", "en")
    status = untc.read(UNTC_PAGE.read_text(encoding="utf-8"), url)
    assert isinstance(status, TreatyStatus) and status.mtdsg_no == "IV-11-d"
    assert untc.owns("IV-11-d") and not untc.owns("CETS-201")
    assert not COE.owns("IV-11-d")


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("CETS-201", "CETS-201"),
        ("CETS 201", "CETS-201"),
        ("cets201", "CETS-201"),
        ("CETS No. 201", "CETS-201"),
        ("ETS No. 005", "CETS-5"),
        ("ETS 5", "CETS-5"),
        ("STCE n° 201", "CETS-201"),
        ("STE no 148", "CETS-148"),
        (" CETS-210 ", "CETS-210"),
    ],
)
def test_council_ids_as_users_type_them(typed: str, canonical: str) -> None:
    assert ids.parse_treaty_id(typed) == canonical


@pytest.mark.parametrize("text", ["IV-11-d", "CETS", "CETS-0", "CETS-1234", "201", "ETS-5-a", ""])
def test_not_council_ids(text: str) -> None:
    assert ids.parse_treaty_id(text) is None


@given(
    st.from_regex(r"[IVXLC]{1,5}-[0-9]{1,2}(-[a-z]{1,2})?", fullmatch=True),
)
def test_no_mtdsg_number_is_read_as_a_council_id(mtdsg_no: str) -> None:
    assert ids.parse_treaty_id(mtdsg_no) is None


def test_addresses() -> None:
    assert ids.num_ste("CETS-5") == "005"
    assert ids.signatures_url("CETS-201", "fr") == (
        "https://conventions-ws.coe.int/WS_LFRConventions/api/signatures?NumSte=201&langue=FRE"
    )
    assert ids.declarations_url("CETS-201", api_base="http://127.0.0.1:8000/ws/") == (
        "http://127.0.0.1:8000/ws/api/conventions/getDeclarations?numSte=201&codeNature=0"
        "&langue=ENG"
    )
    for url in (ids.chart_url("CETS-201", "fr"), ids.signatures_url("CETS-201", "fr")):
        assert ids.treaty_id_from_url(url) == "CETS-201"
        assert ids.language_from_url(url) == "fr"
    assert ids.treaty_id_from_url("https://www.coe.int/en/web/conventions/full-list") is None
    with pytest.raises(ValueError):
        ids.treaty_number("CETS 201")  # canonical ids only
    with pytest.raises(ValueError):
        ids.chart_url("CETS-201", "de")


# --- the depositary column ------------------------------------------------------------------


def test_a_new_treaty_row_is_a_un_treaty_by_default(sqlite_engine: sa.Engine) -> None:
    with db.session(sqlite_engine) as s:
        s.add(Treaty(mtdsg_no="IV-11-d"))
        s.commit()
        assert s.exec(sa.select(Treaty.depositary)).scalar_one() == "untc"  # type: ignore[call-overload]


def test_migration_0005_sets_the_depositary_and_goes_back(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        db.upgrade(engine, "0002")
        now = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
        with engine.begin() as c:
            for treaty_id in ("IV-11-d", "CETS-201"):
                c.execute(
                    sa.text("INSERT INTO treaty (mtdsg_no, created_at) VALUES (:id, :now)"),
                    {"id": treaty_id, "now": now},
                )
        db.upgrade(engine)
        with engine.connect() as c:
            rows: dict[str, str] = dict(
                c.execute(sa.text("SELECT mtdsg_no, depositary FROM treaty")).all()
            )
            columns = {col["name"] for col in sa.inspect(c).get_columns("participant_status")}
        assert rows == {"IV-11-d": "untc", "CETS-201": "coe"}
        assert {"denunciation_date", "denunciation_effective_date", "suspension_date"} <= columns
        command.downgrade(db.alembic_config(engine), "0002")
        with engine.connect() as c:
            assert "depositary" not in {col["name"] for col in sa.inspect(c).get_columns("treaty")}
        db.upgrade(engine)
        assert db.current_revision(engine) == db.head_revision()
    finally:
        engine.dispose()
