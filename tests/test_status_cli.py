"""``treaty-tracker status``, ``changes`` and ``history`` on a database built by record_poll."""

from __future__ import annotations

import json
import re

import pytest

from tests.app_support import _changes_template, app_db  # noqa: F401  (fixtures)
from tracker.cli import main

pytestmark = pytest.mark.usefixtures("app_db")


def test_status_belgium_opic_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--country", "Belgique", "--treaty", "IV-11-d", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["country"] == {"code": "BEL", "name": "Belgium"}
    [row] = out["treaties"]
    assert row["status"] == "party"
    assert row["signature_date"] == "2012-02-28"
    assert row["consent_date"] == "2014-05-30"
    assert row["consent_kind"] == "ratification"
    assert row["in_force_date"] == "2014-08-30"
    assert row["source_url"].endswith("mtdsg_no=IV-11-d&chapter=4&clang=_en")
    assert row["last_verified_at"] == "2017-10-01T06:00:00+00:00"


def test_status_table_lists_every_tracked_treaty(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--country", "AT"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Austria (AUT)")
    opic = next(line for line in out.splitlines() if line.startswith("IV-11-d "))
    assert opic.split()[:3] == ["IV-11-d", "signed", "2012-02-28"]
    assert any(line.split()[:2] == ["IV-16", "no_data"] for line in out.splitlines())


def test_status_ambiguous_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--country", "island"]) == 2
    err = capsys.readouterr().err
    assert "could mean several countries; use one of these:" in err and "Solomon Islands" in err
    assert main(["status", "--country", "Atlantis"]) == 2
    assert "no country matches 'Atlantis'" in capsys.readouterr().err
    assert main(["status", "--country", "BEL", "--treaty", "IV-99"]) == 2


def test_changes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["changes", "--json"]) == 0
    [event] = json.loads(capsys.readouterr().out)
    assert event["participant_code"] == "BRA" and event["new_value"] == "2017-09-29"
    assert main(["changes", "--country", "Brésil", "--since", "2017-10-01"]) == 0
    out = capsys.readouterr().out
    assert (
        "Brazil ratified the Optional Protocol to the Convention on the Rights of the Child "
        "on a communications procedure (IV-11-d) on 29 September 2017."
    ) in out
    assert main(["changes", "--treaty", "IV-11"]) == 0
    assert capsys.readouterr().out.strip() == "No changes recorded."
    assert main(["changes", "--since", "2017-10-02", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    with pytest.raises(SystemExit):
        main(["changes", "--since", "yesterday"])


def test_history(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--treaty", "IV-11-d", "--at", "2014-01-14", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["counts"]["parties"] == 10
    assert out["parties"][-1]["code"] == "CRI" or "CRI" in [p["code"] for p in out["parties"]]
    # Belgium had signed (2012-02-28) but not yet ratified (2014-05-30) on that date
    belgium = next(p for p in out["signed"] if p["code"] == "BEL")
    assert belgium["signature"] == "2012-02-28"
    assert belgium["consent"] is None and belgium["consent_kind"] is None
    assert main(["history", "--treaty", "IV-11-d", "--at", "2014-01-13"]) == 0
    text = capsys.readouterr().out
    assert "9 parties" in text
    assert re.search(r"BEL\s+Belgium\s+signed 2012-02-28\s+consent -", text)
    assert main(["history", "--treaty", "IV-99"]) == 2
