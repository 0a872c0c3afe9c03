"""The app says what it does not know (AppTest): unknown is never "none" or "no", each view
says how fresh its rows are and which are only the snapshot, names people type are offered,
never picked, and the treaty view says whether the treaty was in force on a date.

The database (tests/app_support.py) holds the six reconstructed pages of 14 March 2015 as the
bundled snapshot, a live poll of OPIC on 1 Oct 2017 (Brazil's real ratification added: a
catch-up), a failed poll of IV-15; the other 8 of the 14 tracked treaties have no data yet.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app_support import _changes_template, app_db, open_view  # noqa: F401  (fixtures)
from tracker import db, queries
from tracker.config import get_settings

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("app_db")
NO_DATA = ("IV-2", "IV-3", "IV-4", "IV-8", "IV-9", "IV-13", "IV-16", "CETS-201")


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts).replace("\\", "")


def test_country_view_says_what_is_unknown_and_how_old_it_is() -> None:
    at = open_view("country", timeout=120)
    assert not at.exception
    assert at.selectbox(key="country").value == "BEL"
    shown = texts(at)
    # Belgium has no gap among the 6 treaties with data; the 8 others are unknown, not "none"
    assert "None." not in [m.value for m in at.markdown]
    assert shown.count("No treaty among the 6 with data.") == 2
    assert f"Not known for 8 treaties with no data yet: {', '.join(NO_DATA)}." in shown
    frame = at.dataframe[0].value.set_index("MTDSG no.")
    assert frame.loc["IV-2", "Declarations / reservations"] == "unknown (no data yet)"
    assert frame.loc["IV-2", "Status"] == "no data yet"
    assert frame.loc["IV-11-d", "Declarations / reservations"] == "yes"
    # freshness: the oldest verification among the rows, the snapshot rows named
    assert "Oldest “last verified” among these rows: 14 Mar 2015." in shown
    assert (
        "From the bundled snapshot (values as published on 14 Mar 2015), not yet verified "
        "live: IV-11, IV-11-a, IV-11-b, IV-11-c, IV-15." in shown
    )
    # the banner does not say "verified today" for data that is the 2015 snapshot
    assert (
        "Live data for 1 of 6 recorded treaties, last verified on 1 Oct 2017; the other 5 show "
        "only the bundled snapshot, as published on 14 Mar 2015." in shown
    )


def test_country_csv_writes_unknown_not_false() -> None:
    """The country CSV export (the same rows the page exports)."""
    engine = db.make_engine(get_settings().resolved_database_url)
    with db.session(engine) as s:
        rows = queries.country_overview(
            session=s, code="BEL", treaties=tuple(get_settings().treaties)
        )
    engine.dispose()
    frame = pd.DataFrame([r.to_csv() for r in rows]).set_index("treaty")
    assert frame.loc["IV-2", "has_declarations"] == "unknown"
    assert frame.loc["IV-2", "last_verified_at"] == "never"
    assert frame.loc["IV-2", "data_source"] == "no data yet"
    assert bool(frame.loc["IV-11-d", "has_declarations"]) is True
    assert frame.loc["IV-15", "data_source"] == "snapshot"
    assert frame.loc["IV-11-d", "data_source"] == "live"


@pytest.mark.parametrize(
    ("typed", "chosen"), [("Korea", "PRK"), ("Congo", "COD"), ("Guinea", "PNG"), ("Sudan", "SSD")]
)
def test_a_name_of_several_countries_is_offered_never_picked(typed: str, chosen: str) -> None:
    at = open_view("country", timeout=120)
    at.text_input(key="country_query").input(typed).run()
    assert not at.exception
    box = at.selectbox(key="country")
    assert box.value is None  # nothing chosen for the user
    assert len(box.options) >= 2
    assert f"'{typed}' could mean several countries: choose one (" in texts(at)
    assert queries.country_name(chosen) in texts(at)
    assert not at.dataframe  # no answer until one is chosen
    assert any(f"({chosen})" in option for option in box.options)
    box.set_value(chosen).run()
    assert at.dataframe  # now there is one
    assert at.subheader[0].value == queries.country_name(chosen)


def test_short_forms_people_type() -> None:
    at = open_view("country", timeout=120)
    for typed, code in (("UK", "GBR"), ("DRC", "COD"), ("Holland", "NLD"), ("USA", "USA")):
        at.text_input(key="country_query").input(typed).run()
        assert at.selectbox(key="country").value == code, typed
    at.text_input(key="country_query").input("Congo").run()
    options = at.selectbox(key="country").options
    assert any("Democratic Republic of the Congo" in o for o in options)  # offered too


def as_it_stood_on(at: AppTest, day: date) -> None:
    """Type a date in the treaty view's "As it stood on" form and send it."""
    field = next(t for t in at.text_input if str(t.key).startswith("treaty_as_at"))
    field.input(day.isoformat())
    next(b for b in at.button if b.label == "Apply").click().run()


def test_treaty_view_as_it_stood_on_says_whether_it_was_in_force() -> None:
    at = open_view("treaty", timeout=120)
    assert at.selectbox(key="treaty").value == "IV-11-d"
    as_it_stood_on(at, date(2013, 6, 1))
    shown = texts(at)
    assert "In force on 1 Jun 2013: no; it entered into force on 14 Apr 2014" in shown
    assert "Entry into force needed 10 instruments of ratification or accession (art. 19)" in shown
    as_it_stood_on(at, date(2014, 4, 14))
    assert "In force on 14 Apr 2014: yes, since 14 Apr 2014" in texts(at)
    # OPIC was polled live in 2017 (stale now), with one catch-up change since the snapshot
    shown = texts(at)
    assert "Since the 14 Mar 2015 snapshot: 1 change (IV-11-d, found on 1 Oct 2017" in shown
    assert "Not verified for more than 30 days (stale): IV-11-d." in shown
    at.selectbox(key="treaty").set_value("IV-15").run()
    assert "not yet verified live: IV-15." in texts(at)


def test_health_view_names_the_source_of_each_treaty() -> None:
    at = open_view("health", timeout=120)
    assert not at.exception
    frame = at.dataframe[0].value.set_index("Treaty")
    assert frame.loc["IV-11-d", "Data"] == "live"
    assert frame.loc["IV-15", "Data"] == "bundled snapshot (as published on 14 Mar 2015)"
    assert frame.loc["IV-16", "Data"] == "no data yet"
    assert frame.loc["IV-16", "Last verified"] == "never"


def test_alerts_view_shows_the_catch_up() -> None:
    at = open_view("alerts", timeout=120)
    assert not at.exception
    assert "Since the 14 Mar 2015 snapshot: 1 change (IV-11-d, found on 1 Oct 2017" in texts(at)
    frame = at.dataframe[0].value
    assert list(frame["Catch-up"]) == ["yes"]
