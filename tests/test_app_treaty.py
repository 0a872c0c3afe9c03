"""The Treaty page (AppTest): participants, filters, map, parties over time, declarations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.app_support import _changes_template, app_db, open_view  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("app_db")


def test_opic_participants_map_and_chart() -> None:
    at = open_view("treaty", timeout=120)
    assert not at.exception
    assert at.selectbox(key="treaty").value == "IV-11-d"
    frame = at.dataframe[0].value
    belgium = frame[frame["Code"] == "BEL"].iloc[0]
    assert belgium["Signature"].date().isoformat() == "2012-02-28"
    assert belgium["Ratification, accession…"].date().isoformat() == "2014-05-30"
    assert belgium["In force for it"].date().isoformat() == "2014-08-30"
    # shown as "28 Feb 2012": the date columns are formatted "D MMM YYYY"
    columns = json.loads(at.dataframe[0].proto.columns)
    assert columns["Signature"]["type_config"]["format"] == "D MMM YYYY"
    assert len(frame) == 51
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


def test_french_labels() -> None:
    at = open_view("treaty", timeout=120)
    at.sidebar.radio(key="_lang_widget").set_value("fr").run()
    assert at.title[0].value == "Traité"
    frame = at.dataframe[0].value
    assert "Belgique" in set(frame["Participant"])
    assert set(frame["Statut"]) <= {"partie", "signé, non ratifié", "retiré"}
