"""Write the bundled snapshot pages from the test fixtures of the same name, without what the
fixtures invent for structure (see README.md beside this file).

    .venv/bin/python data/snapshot/derive.py          # rewrites the six pages here
    .venv/bin/python data/snapshot/derive.py --check  # exit status 1 if they are out of date

Standard library only. Every edit must apply exactly as written (an assertion says which one
no longer does after a fixture changed).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent.parent / "tests" / "fixtures" / "untc"

COMMENT = (
    "<!-- Bundled snapshot page of treaty-tracker: the values the UN Treaty Collection "
    "published on 14 March 2015, laid out as its status pages are. Not a copy of a UN page: "
    "see data/snapshot/README.md. -->\n"
)
NOTE_LEFT_OUT = "[This copy of the page leaves out the text of this note.]"

#: (old, new) replacements made on every page.
COMMON: list[tuple[str, str]] = [
    ("[Reconstruction: the text of this note is not available offline.]", NOTE_LEFT_OUT),
    ("objid=reconstruction&", "objid=left-out&"),
    ("d=reconstruction&", "d=left-out&"),
]


def _note(n: int) -> str:
    return (
        '<tr><td><div id="ctl00_ctl00_ContentPlaceHolder1_ContentPlaceHolderInnerPage_'
        f'dgNotesAll_ctl{n + 1:02d}_divNotesAll"><sup>{n}</sup> {NOTE_LEFT_OUT}</div></td></tr>\n'
    )


#: Edits of single pages: footnote markers and notes the fixtures add for structure (CRC:
#: Czech Republic 5, Serbia 6 and 7), the invented territorial-application rows, and the
#: IV-11-a status time moved to the day the values were gathered.
ONLY: dict[str, list[tuple[str, str]]] = {
    "IV-11.en.html": [
        ("<tr><td>Czech Republic <sup>5</sup></td>", "<tr><td>Czech Republic</td>"),
        ("<tr><td>Serbia <sup>6</sup>, <sup>7</sup></td>", "<tr><td>Serbia</td>"),
        (_note(5), ""),
        (_note(6), ""),
        (_note(7), ""),
    ],
    "IV-11-a.en.html": [
        ('lblDate">06-03-2015 05:01:22<', 'lblDate">14-03-2015 05:01:22<'),
        ('lblTimeZone">EST<', 'lblTimeZone">EDT<'),
    ],
}
_TERRITORIAL = re.compile(
    r"<!-- INVENTED FOR STRUCTURE.*?-->\n<div id=\"specialtbl\">.*?</table>\n</div>\n</div>\n",
    re.S,
)
_FIRST_COMMENT = re.compile(r"\A<!--.*?-->\n", re.S)


def derive(name: str, text: str) -> str:
    """The snapshot page ``name`` from the fixture page's ``text``."""
    text, n = _FIRST_COMMENT.subn(COMMENT, text, count=1)
    assert n == 1, f"{name}: no first-line comment to replace"
    text, _ = _TERRITORIAL.subn("", text)
    for old, new in COMMON:  # not every page has a note
        text = text.replace(old, new)
    for old, new in ONLY.get(name, []):
        assert old in text, f"{name}: {old!r} not found; the fixture changed"
        text = text.replace(old, new)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if stale")
    args = parser.parse_args(argv)
    entries = json.loads((HERE / "pages.json").read_text(encoding="utf-8"))
    stale = []
    for entry in entries:
        name = str(entry["file"])
        source = (FIXTURES / name).read_bytes().decode("utf-8")
        wanted = derive(name, source).encode("utf-8")
        target = HERE / name
        if target.exists() and target.read_bytes() == wanted:
            continue
        stale.append(name)
        if not args.check:
            target.write_bytes(wanted)
    if args.check and stale:
        print(f"out of date: {', '.join(stale)}; run data/snapshot/derive.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
