"""The treaty-tracker command: help, documentation, and the parse subcommand."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tracker.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "untc"


def subcommands() -> dict[str, object]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return dict(action.choices)  # type: ignore[arg-type]


def test_every_subcommand_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in subcommands() if f"treaty-tracker {name}" not in readme]
    assert not missing, f"subcommands missing from README.md: {missing}"


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_subcommand_has_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([name, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: treaty-tracker " + name)
    sub = subcommands()[name]
    assert sub.description, f"{name} has no description"  # type: ignore[attr-defined]
    for action in sub._actions:  # type: ignore[attr-defined]
        if action.dest != "help":
            assert action.help, f"{name}: option {action.dest} has no help text"


def test_top_level_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in subcommands():
        assert re.search(rf"\b{re.escape(name)}\b", out)


def test_parse_json_has_exactly_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(FIXTURES / "IV-11-d.en.html"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == [
        "mtdsg_no",
        "language",
        "title",
        "conclusion",
        "status_as_at",
        "entry_into_force",
        "registration",
        "counts",
        "participants",
        "declarations",
        "warnings",
    ]
    assert set(data["entry_into_force"]) == {"date", "text"}
    assert set(data["counts"]) == {"signatories", "parties"}
    belgium = next(p for p in data["participants"] if p["code"] == "BEL")
    # the keys from before issue 10, in their order, then the two it added
    assert list(belgium) == [
        "name",
        "code",
        "footnotes",
        "signature",
        "consent",
        "withdrawn",
        "has_declarations",
        "signature_kind",
        "actions",
    ]
    assert belgium["signature_kind"] == "signature"
    assert belgium["actions"] == []
    assert belgium["signature"] == "2012-02-28"
    assert belgium["consent"] == {"date": "2014-05-30", "kind": "ratification"}


def test_parse_prints_a_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(FIXTURES / "IV-11-d.fr.html")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("IV-11-d (fr):")
    assert re.search(r"Belgique\s+BEL\s+2012-02-28\s+2014-05-30\s+ratification", out)


@pytest.mark.parametrize("name", ["empty.html", "maintenance.html", "no-table.html"])
def test_parse_error_goes_to_stderr_with_status_2(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "parse",
                str(FIXTURES / "broken" / name),
                "--url",
                "https://treaties.un.org/Pages/ViewDetails.aspx?mtdsg_no=IV-11-d",
            ]
        )
        == 2
    )
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "is not a treaty status page" in captured.err


def test_parse_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(tmp_path / "nope.html")]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["status", "--country", "BEL"],
        ["changes"],
        ["history", "--treaty", "IV-11-d"],
        ["snapshot", "--if-empty"],
        ["db", "current"],
        ["feed", "--output", "feed.xml"],
        ["watch", "list"],
        ["alerts", "list"],
        ["poll", "--treaty", "IV-11-d"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_bad_database_url_is_a_one_line_error(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.config import get_settings

    monkeypatch.setenv("TRACKER_DATABASE_URL", "mysql://someone@somewhere/tracker")
    get_settings.cache_clear()
    try:
        assert main(argv) == 2
    finally:
        get_settings.cache_clear()
    captured = capsys.readouterr()
    assert captured.err.startswith("error: unsupported database 'mysql'")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
