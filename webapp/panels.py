"""Panels the views place with one call: the country brief's download button, the Health
view's grouped messages and background "poll now", and the treaty map with its territories
and a Europe inset.

The wording and the decisions are in pure modules of ``tracker`` (:mod:`tracker.brief`,
:mod:`tracker.health_summary`, :mod:`tracker.poll_job`, :mod:`tracker.territories`), tested
on their own; this module only puts them on the page.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd
import pycountry
import streamlit as st

from tracker import brief, db, health_summary, poll_job, queries, territories
from tracker.config import get_settings
from tracker.domain import TerritorialApplication, is_territorial_row
from tracker.i18n import status_label, t
from webapp import ui

logger = logging.getLogger(__name__)

_JOB_KEY = "_poll_now_job"
_REFRESHED_KEY = "_poll_now_refreshed"
_BOX = {"error": st.error, "warning": st.warning, "info": st.info, "success": st.success}


# --- country brief ---------------------------------------------------------------------------


@st.cache_data(ttl=ui.TTL_SECONDS, show_spinner=False)
def _brief_html(url: str, code: str, lang: str, tracked: tuple[str, ...]) -> tuple[str, str]:
    """(HTML, file name) of the brief; ``url`` keys the cache (one entry per database)."""
    settings = get_settings()
    with db.session(ui.engine()) as s:
        data = brief.collect(
            session=s, code=code, treaties=tracked, language=lang, stale_after=settings.stale_after
        )
    now = ui.now()
    return brief.render(data, generated_at=now), brief.file_name(code, lang, now)


def brief_download(url: str, code: str, lang: str) -> None:
    """A button that downloads the country's one-page brief (HTML to print or attach)."""
    html, name = _brief_html(url, code, lang, tuple(get_settings().treaties))
    st.download_button(
        brief.label("download", lang),
        data=html.encode("utf-8"),
        file_name=name,
        mime="text/html",
        key="country_brief",
        help=brief.label("print_hint", lang),
    )


# --- health ----------------------------------------------------------------------------------


def health_messages(rows: Sequence[queries.HealthRow], lang: str) -> None:
    """One box per cause, the treaties it concerns under it."""
    settings = get_settings()
    for message in health_summary.messages(
        rows, now=ui.now(), stale_after=settings.stale_after, language=lang
    ):
        lines = [ui.plain(message.text), ui.plain(", ".join(message.treaties))]
        lines += [ui.plain(detail) for detail in message.details]
        _BOX[message.level]("  \n".join(lines))


def poll_now(rows: Sequence[queries.HealthRow], lang: str) -> None:
    """Pick treaties and poll them now, in the background: a progress bar (pages recorded of
    pages asked for) that follows the job, and the whole page refreshed when it ends."""
    settings = get_settings()
    job: poll_job.PollJob | None = st.session_state.get(_JOB_KEY)
    running = job is not None and job.exit_status() is None
    if not running:
        numbers = [h.mtdsg_no for h in rows] or list(settings.treaties)
        chosen = st.multiselect(
            ctx_label("poll_pick", lang),
            numbers,
            default=[n for n in settings.treaties if n in numbers],
            key="poll_pick",
            placeholder=ctx_label("poll_pick", lang),
        )
        if st.button(t("poll_now", lang), key="poll_now", disabled=not chosen):
            job = ui.read(
                poll_job.start,
                treaties=chosen,
                languages=tuple(settings.languages),
                log_dir=settings.data_dir / "logs",
                now=ui.now(),
            )
            st.session_state[_JOB_KEY] = job
            st.session_state[_REFRESHED_KEY] = False
            running = True
    if job is not None:
        st.fragment(run_every=1.0 if running else None)(_progress)(lang)


def _progress(lang: str) -> None:
    job: poll_job.PollJob | None = st.session_state.get(_JOB_KEY)
    if job is None:
        return
    progress = ui.read(poll_job.progress, job=job)
    level, text = health_summary.progress_text(progress, lang)
    if not progress.finished:
        st.progress(progress.fraction, text=ui.plain(text))
        return
    if not st.session_state.get(_REFRESHED_KEY):  # refresh the page's figures once
        st.session_state[_REFRESHED_KEY] = True
        ui.clear_caches()
        st.rerun(scope="app")
    _BOX[level](ui.plain(text))
    if level == "error":
        with st.expander(ctx_label("poll_log", lang)):
            st.code(job.log_tail(), language=None)


def ctx_label(key: str, lang: str) -> str:
    labels = {
        "poll_pick": ("Treaties to poll", "Traités à interroger"),
        "poll_log": ("The poll's log", "Journal de l'interrogation"),
    }
    return labels[key][0 if lang == "en" else 1]


# --- the map ---------------------------------------------------------------------------------

#: the Europe inset's bounds (west, east, south, north), degrees
EUROPE = (-25.0, 45.0, 34.0, 72.0)
_COLOURS = {
    "party": "#1b7837",
    "signed": "#f1a340",
    "not_signed": "#cfcfcf",
    "withdrawn": "#b2182b",
    "not_applicable": "#8c96c6",
    "no_data": "#f4f4f4",
}


def _legend(status: str, lang: str) -> str:
    if status in ("not_applicable", "no_data"):
        return territories.label(status, lang)
    return status_label(status, lang)


def _name(code: str, lang: str) -> str:
    found = pycountry.countries.get(alpha_3=code)
    return queries.country_name(code, lang, found.name if found else code)


def map_points(
    rows: Sequence[queries.ParticipantStatusRow],
    shapes: dict[str, dict[str, Any]],
    centres: dict[str, tuple[float, float]],
    lang: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The map's shapes (GeoJSON features) and dots (places too small for a shape), each with
    its name, status label and the note on why (territories)."""
    status_by_code = {r.code: r.status for r in rows}
    declarations = {r.code: r.declaration_text for r in rows}
    names = {r.code: r.name for r in rows}
    applications = [
        TerritorialApplication.from_action(r.page_name, r.code, a)
        for r in rows
        for a in r.actions
        if is_territorial_row(a)
    ]
    known = territories.sovereign_states()
    wanted = [c for c in {*shapes, *centres} if c in known or c in territories.EXCLUDED]
    ruled = territories.territory_statuses(status_by_code, declarations, wanted, applications)

    def describe(code: str) -> tuple[str, str, str]:
        if code in status_by_code:
            return names[code], _legend(status_by_code[code], lang), ""
        found = ruled.get(code)
        if found is not None:
            state = _name(found.state, lang) if found.state else ""
            name = f"{_name(code, lang)} ({state})" if state else _name(code, lang)
            return name, _legend(found.status, lang), territories.note(found, state, lang)
        return _name(code, lang), _legend("not_signed", lang), ""

    features = []
    for code, geometry in shapes.items():
        name, status, note = describe(code)
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"name": name, "status": status, "note": note},
            }
        )
    dots = []
    for code, (lat, lon) in centres.items():
        if code in shapes or (code not in status_by_code and code not in ruled):
            continue
        name, status, note = describe(code)
        dots.append({"name": name, "status": status, "note": note, "lat": lat, "lon": lon})
    return features, dots


def world_map(rows: Sequence[queries.ParticipantStatusRow], lang: str) -> None:
    """The world by status, with Europe zoomed in below it (small States stay visible)."""
    key = tuple((r.code, r.status, hash(r.declaration_text or "")) for r in rows)
    world, europe = _map_specs(key, lang, list(rows))
    st.vega_lite_chart(spec=world, width="stretch")
    st.vega_lite_chart(spec=europe, width="content")


@st.cache_data(ttl=ui.TTL_SECONDS, max_entries=64, show_spinner=False)
def _map_specs(
    key: tuple[tuple[str, str, int], ...], lang: str, _rows: list[queries.ParticipantStatusRow]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two maps' Vega-Lite specs, built once per treaty state and language (``key``):
    Altair's validation of the outlines costs about a second per chart."""
    rows = _rows
    shapes, centres = ui.world_shapes()
    features, dots = map_points(rows, shapes, centres, lang)
    order = ("party", "signed", "not_signed", "withdrawn", "not_applicable", "no_data")
    scale = alt.Scale(domain=[_legend(s, lang) for s in order], range=[_COLOURS[s] for s in order])
    title = t("col_status", lang)

    def layers(points: list[dict[str, Any]], legend: bool) -> list[alt.Chart]:
        colour = {"title": title, "scale": scale} if legend else {"scale": scale, "legend": None}
        charts = [
            alt.Chart(alt.Data(values=features))  # type: ignore[no-untyped-call]  # altair: untyped
            .mark_geoshape(stroke="#888", strokeWidth=0.3)
            .encode(
                color=alt.Color("properties.status:N", **colour),
                tooltip=[
                    alt.Tooltip("properties.name:N", title=t("col_participant", lang)),
                    alt.Tooltip("properties.status:N", title=title),
                    alt.Tooltip("properties.note:N", title=" "),
                ],
            )
        ]
        if points:
            charts.append(
                alt.Chart(pd.DataFrame(points))
                .mark_circle(size=30, stroke="black", strokeWidth=0.5, opacity=1)
                .encode(
                    longitude="lon:Q",
                    latitude="lat:Q",
                    color=alt.Color("status:N", **colour),
                    tooltip=[
                        alt.Tooltip("name:N", title=t("col_participant", lang)),
                        alt.Tooltip("status:N", title=title),
                        alt.Tooltip("note:N", title=" "),
                    ],
                )
            )
        return charts

    world = alt.layer(*layers(dots, True)).project("equalEarth").properties(height=420)
    west, east, south, north = EUROPE
    near = [d for d in dots if west <= d["lon"] <= east and south <= d["lat"] <= north]
    width, height = 560, 420
    europe = (
        alt.layer(*layers(near, False))
        .project(
            type="mercator",
            center=[10, 51],
            scale=560,
            translate=[width / 2, height / 2],
            clipExtent=[[0, 0], [width, height]],
        )
        .properties(width=width, height=height, title=map_label("europe", lang))
    )
    return world.to_dict(), europe.to_dict()


def map_label(key: str, lang: str) -> str:
    labels = {"europe": ("Europe", "Europe")}
    return labels[key][0 if lang == "en" else 1]
