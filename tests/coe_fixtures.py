"""The reconstructed Council of Europe answers (tests/fixtures/coe/) and the variants derived
from them. Each variant is one visible edit of the real-shaped answer; see the README there."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tracker.sources.coe import ids, make_bundle

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "coe"
TREATY = "CETS-201"

#: Armenia's real ratification (instrument deposited 7 September 2020, in force 1 January 2021;
#: reported that day from the Council of Europe: artsakh.news, irishlegal.com).
ARMENIA_CONSENT = "2020-09-07T00:00:00"
ARMENIA_IN_FORCE = "2021-01-01T00:00:00"


def answer_text(kind: str, language: str = "en") -> str:
    """``kind`` is ``"signatures"`` or ``"declarations"``."""
    return (FIXTURES / f"{kind}.201.{language}.json").read_text(encoding="utf-8")


def signatures(language: str = "en") -> list[list[dict[str, Any]]]:
    data: list[list[dict[str, Any]]] = json.loads(answer_text("signatures", language))
    return data


def row(data: list[list[dict[str, Any]]], name: str) -> dict[str, Any]:
    """The member-State row named ``name`` (as the answer writes it)."""
    return next(r for r in data[0] if r["LibPaysOrga"] == name)


def dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def bundle(
    language: str = "en",
    *,
    signatures_text: str | None = None,
    declarations_text: str | None = None,
) -> bytes:
    """One poll's body, as the crawler makes it from the two answers."""
    return make_bundle(
        treaty_id=TREATY,
        language=language,
        signatures_url=ids.signatures_url(TREATY, language),
        signatures=answer_text("signatures", language)
        if signatures_text is None
        else signatures_text,
        declarations_url=ids.declarations_url(TREATY, language),
        declarations=(
            answer_text("declarations", language)
            if declarations_text is None
            else declarations_text
        ),
    )


def chart_url(language: str = "en") -> str:
    return ids.chart_url(TREATY, language)


# --- variants ---------------------------------------------------------------------------------


def with_armenia_ratification(language: str = "en") -> list[list[dict[str, Any]]]:
    """The later answer: Armenia's instrument of ratification deposited (a real event)."""
    data = copy.deepcopy(signatures(language))
    armenia = row(data, "Armenia" if language == "en" else "Arménie")
    armenia["DateConsentement"] = ARMENIA_CONSENT
    armenia["DateEntreeVigueur"] = ARMENIA_IN_FORCE
    return data


def partial(keep: int = 20) -> list[list[dict[str, Any]]]:
    """A partial answer: the member-State list cut to its first ``keep`` rows."""
    data = copy.deepcopy(signatures())
    data[0] = data[0][:keep]
    return data


def truncated(text: str, share: float = 0.6) -> str:
    """The answer cut in transfer."""
    return text[: int(len(text) * share)]


ERROR_PAGE = (
    "<!DOCTYPE html><html><head><title>Service Unavailable</title></head>"
    "<body><h1>Service Unavailable</h1></body></html>"
)
