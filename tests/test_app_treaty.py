"""The Treaty page (AppTest): participants, filters, map, parties over time, declarations,
as it stood on a date, and the address that says which treaty and which date."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.app_support import _changes_template, app_db, open_view  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("app_db")


def _as_at(at):  # type: ignore[no-untyped-def]
    """The "As it stood on" field (its key carries the date it shows)."""
    return next(t for t in at.text_input if str(t.key).startswith("treaty_as_at"))


def test_opic_participants_map_and_chart() -> None:
    at = open_view("treaty", timeout=120)
    assert not at.exception
    assert at.selectbox(key="treaty").value == "IV-11-d"
    assert at.query_params["treaty"] in ("IV-11-d", ["IV-11-d"])
    frame = at.dataframe[0].value
    belgium = frame[frame["Code"] == "BEL"].iloc[0]
    assert belgium["Signature"] == "28 Feb 2012"
    assert belgium["Ratification, accession…"] == "30 May 2014"
    assert belgium["In force for it"] == "30 Aug 2014"
    assert len(frame) == 51
    cells = set(frame.astype(str).to_numpy().ravel().tolist())
    assert not {"None", "nan", "NaT", "False", "True", "[]"} & cells
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3  # the world, the Europe inset, parties over time
    specs = [json.loads(c.proto.spec) for c in charts]
    world = json.dumps(specs[0])
    assert '"geoshape"' in world and "equalEarth" in world and '"url"' not in world
    europe = specs[1]
    assert europe["projection"]["type"] == "mercator" and europe["title"] == "Europe"
    features = {f["properties"]["name"]: f["properties"] for f in map_features(specs[0])}
    assert features["Belgium"]["status"] == "party"
    # Greenland: Denmark is a party to OPIC but its declarations say nothing of Greenland
    assert features["Greenland (Denmark)"]["status"] == "no data (not stated)"
    assert "do not say whether the treaty applies" in features["Greenland (Denmark)"]["note"]
    # French Guiana is part of France: France's status (signed, not ratified, in 2015)
    france = frame[frame["Code"] == "FRA"].iloc[0]["Status"]
    assert features["French Guiana (France)"]["status"] == france == "signed, not ratified"
    marks = [layer["mark"]["type"] for layer in specs[2]["layer"]]
    assert marks == ["line", "rule", "text"]  # parties over time + the entry-into-force mark
    assert specs[2]["layer"][0]["encoding"]["x"]["axis"]["format"] == "%Y"  # years on the axis
    names = [e.proto.label for e in at.expander]
    assert "Belgium" in names


def map_features(spec: dict[str, object]) -> list[dict[str, Any]]:
    """The GeoJSON features of a map chart's shape layer (inline data)."""
    layer = spec["layer"][0]  # type: ignore[index]
    data = layer.get("data") or {}
    if "values" in data:
        return list(data["values"])
    datasets = spec.get("datasets") or {}
    return list(datasets[data["name"]])  # type: ignore[index]


def test_filters() -> None:
    at = open_view("treaty", timeout=120)
    at.multiselect(key="treaty_status_filter").set_value(["signed"]).run()
    frame = at.dataframe[0].value
    assert set(frame["Status"]) == {"signed, not ratified"}
    assert "AUT" in set(frame["Code"]) and "BEL" not in set(frame["Code"])
    at.multiselect(key="treaty_status_filter").set_value([]).run()
    at.text_input(key="treaty_name_filter").input("belg").run()
    assert list(at.dataframe[0].value["Code"]) == ["BEL"]
    at.selectbox(key="treaty").set_value("IV-11").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 1  # Belgium on the CRC, name filter kept
    assert at.query_params["treaty"] in ("IV-11", ["IV-11"])


def test_as_it_stood_on_filters_the_table_and_the_map() -> None:
    """OPIC on 13 April 2014, the day before it entered into force (real 2015 values: Belgium
    ratified on 30 May 2014, after that day; Gabon, Thailand, Germany ... before)."""
    at = open_view("treaty", timeout=120)
    _as_at(at).input("2014-04-13")
    next(b for b in at.button if b.label == "Apply").click().run()
    assert not at.exception
    assert at.query_params["at"] in ("2014-04-13", ["2014-04-13"])
    frame = at.dataframe[0].value.set_index("Code")
    assert frame.loc["BEL", "Status"] == "signed, not ratified"  # not yet ratified then
    assert frame.loc["BEL", "Ratification, accession…"] == ""  # a later date is not shown
    assert frame.loc["BEL", "Signature"] == "28 Feb 2012"
    assert len(frame) < 51  # those who had not yet signed are left out
    parties = frame[frame["Status"] == "party"]
    info = " ".join(i.value for i in at.info).replace("\\", "")
    assert "Showing the participants as they stood on 13 Apr 2014." in info
    assert f", {len(parties)} parties." in info and " signatures, " in info
    world = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    statuses = {f["properties"]["name"]: f["properties"]["status"] for f in map_features(world)}
    assert statuses["Belgium"] == "signed, not ratified"
    # the date marked on the chart, beside the entry into force
    chart = json.loads(at.get("vega_lite_chart")[2].proto.spec)  # after the Europe inset
    assert [layer["mark"]["type"] for layer in chart["layer"]] == ["line", "rule", "text"]
    # a shared address opens the same view; one signature is "1 signature"
    at = open_view("treaty", timeout=120, treaty="IV-11-d", at="2012-02-28")
    info = " ".join(i.value for i in at.info).replace("\\", "")
    assert "as they stood on 28 Feb 2012." in info
    # back to today's status
    next(b for b in at.button if b.label == "Today's status").click().run()
    assert "at" not in at.query_params
    assert len(at.dataframe[0].value) == 51


def test_one_signature_is_singular() -> None:
    at = open_view("treaty", timeout=120, treaty="IV-11-d", at="2012-02-28")
    assert not at.exception
    frame = at.dataframe[0].value
    signed = len(frame)
    info = " ".join(i.value for i in at.info).replace("\\", "")
    word = "signature" if signed == 1 else "signatures"
    assert f" {signed} {word}, 0 parties." in info


def test_french_labels() -> None:
    at = open_view("treaty", timeout=120, lang="fr")
    assert at.title[0].value == "Traité"
    frame = at.dataframe[0].value
    assert "Belgique" in set(frame["Participant"])
    assert set(frame["Statut"]) <= {"partie", "signé, non ratifié", "retiré"}
    belgium = frame[frame["Code"] == "BEL"].iloc[0]
    assert belgium["Signature"] == "28 févr. 2012"
    assert at.subheader[0].value.startswith(
        "Protocole facultatif à la Convention relative aux droits de l'enfant établissant"
    )
    assert at.multiselect(key="treaty_status_filter").placeholder == "Choisir des statuts"
