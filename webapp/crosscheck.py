"""The Health view's cross-check panel: where a second source (an OHCHR dashboard export, read
by ``treaty-tracker crosscheck FILE``) disagrees with the stored status.

One function, :func:`crosscheck_panel`, called by the Health view; self-contained (its labels
are here) so that it moves with the views. It reads only through
:func:`tracker.queries.crosscheck_runs`. Disagreements are findings to check on the
depositary's own page, never change events.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker import db, queries
from tracker.i18n import readable_datetime

TTL_SECONDS = 60

LABELS: dict[str, tuple[str, str]] = {
    "heading": ("Second opinion: OHCHR cross-checks", "Second avis : comparaisons avec le HCDH"),
    "none": (
        "No cross-check kept yet. Run `treaty-tracker crosscheck FILE` with an export of "
        "OHCHR's ratification dashboard to compare it with the stored status.",
        "Aucune comparaison enregistrée. Lancez `treaty-tracker crosscheck FICHIER` avec un "
        "export du tableau de bord des ratifications du HCDH pour le comparer à l'état "
        "enregistré.",
    ),
    "summary": (
        "{treaty}: {n} disagreement(s) among {compared} States — {source} (Last Updated "
        "{updated}, time zone not stated), checked {checked}",
        "{treaty} : {n} désaccord(s) sur {compared} États — {source} (mise à jour "
        "{updated}, fuseau non indiqué), comparé le {checked}",
    ),
    "note": (
        "Disagreements are not change events: the export mirrors the depositary's record and "
        "can lag behind it. Check the depositary's page before acting on one.",
        "Les désaccords ne sont pas des changements : l'export reflète le registre du "
        "dépositaire et peut être en retard sur lui. Vérifiez la page du dépositaire avant "
        "d'agir.",
    ),
    "col_state": ("State", "État"),
    "col_field": ("Field", "Champ"),
    "col_ours": ("Ours", "Le nôtre"),
    "col_theirs": ("Theirs", "Le leur"),
    "not_stated": ("not stated", "non indiquée"),
}


def label(key: str, lang: str, **values: object) -> str:
    text = LABELS[key][1 if lang == "fr" else 0]
    return text.format(**values) if values else text


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _runs(url: str) -> list[queries.CrosscheckRunRow]:
    engine = db.make_engine(url)
    try:
        with db.session(engine) as s:
            return queries.crosscheck_runs(session=s)
    finally:
        engine.dispose()


def _value(value: object, note: object) -> str:
    text = "–" if value is None else str(value)
    return f"{text} ({note})" if note else text


def crosscheck_panel(url: str, lang: str) -> None:
    """The latest kept cross-check of each treaty, with its disagreements."""
    st.subheader(label("heading", lang))
    runs = _runs(url)
    if not runs:
        st.caption(label("none", lang))
        return
    for run in runs:
        st.markdown(
            _escape(
                label(
                    "summary",
                    lang,
                    treaty=run.mtdsg_no,
                    n=len(run.disagreements),
                    compared=run.compared,
                    source=run.their_source,
                    updated=(run.their_last_updated or label("not_stated", lang)).replace("T", " "),
                    checked=readable_datetime(run.checked_at, lang),
                )
            )
        )
        if run.disagreements:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            label("col_state", lang): f"{d.get('name')} ({d.get('code')})",
                            label("col_field", lang): d.get("field"),
                            label("col_ours", lang): _value(d.get("ours"), d.get("our_note")),
                            label("col_theirs", lang): _value(d.get("theirs"), d.get("their_note")),
                        }
                        for d in run.disagreements
                    ]
                ),
                hide_index=True,
                width="stretch",
                key=f"crosscheck_{run.id}",
            )
    st.caption(label("note", lang))


def _escape(text: str) -> str:
    """Markdown-special characters escaped (file names and names come from outside)."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~" else ch for ch in text)
