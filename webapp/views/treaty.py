"""Treaty view: participants, a world map by status, parties over time, declarations.

"As it stood on" (``?at=2014-04-13`` in the address) shows the table, the map and the counts
as they stood at the end of that day. The address also says which treaty
(``?treaty=IV-11-d``); picking another changes it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from tracker import coverage
from tracker.i18n import actions_label, consent_kind_label, readable_date, status_label
from tracker.queries import STATUSES
from webapp import panels, ui

ctx = ui.setup("treaty_title")
lang = ctx.lang
all_treaties = ui.treaties(ctx.url)
if not all_treaties:
    st.warning(ctx.t("no_data"))
    st.stop()

by_no = {tr.mtdsg_no: tr for tr in all_treaties}
numbers = list(by_no)
wanted = ui.url_param("treaty")
if wanted in by_no and st.session_state.get("treaty", wanted) != wanted:
    st.session_state["treaty"] = wanted  # the address changed meanwhile
default = wanted if wanted in by_no else "IV-11-d" if "IV-11-d" in by_no else numbers[0]
mtdsg_no = st.selectbox(
    ctx.t("treaty_pick"),
    numbers,
    index=numbers.index(default),
    format_func=lambda no: (
        f"{ui.treaty_label(no, lang, ui.treaty_title(by_no[no], lang))} — "
        f"{ui.treaty_title(by_no[no], lang)}"
    ),
    key="treaty",
    on_change=lambda: ui.set_url_param("treaty", st.session_state.get("treaty")),
    persist_state="session",  # the treaty stays chosen across page changes
)
ui.set_url_param("treaty", mtdsg_no)
summary = by_no[mtdsg_no]
title = ui.treaty_title(summary, lang)
st.subheader(title)


def counted(n: int | None, one: str, many: str) -> str:
    """ "1 signature", "48 signatures"; "—" for a count the page does not state."""
    if n is None:
        return "—"
    return ctx.t(one if n == 1 else many, n=n)


eif = readable_date(summary.eif_date, lang) or (summary.eif_text or "—")
st.write(
    ui.plain(
        ctx.t(
            "treaty_counts",
            signatories=summary.signatories if summary.signatories is not None else "—",
            parties=summary.parties if summary.parties is not None else "—",
            eif=eif,
        )
    )
)
ui.freshness_note([summary], lang)
for note in summary.count_discrepancy:
    st.caption(ui.plain(ctx.t("count_discrepancy", detail=note)))
for catch_up in ui.catch_ups(ctx.url, mtdsg_no, None):
    st.info(ui.plain(catch_up.sentence(lang)))
if summary.source_url:
    st.link_button("UNTC", summary.source_url)

rows = ui.participants(ctx.url, mtdsg_no, lang)
status_names = {s: status_label(s, lang) for s in STATUSES}

# --- as it stood on a date -------------------------------------------------------------------
from_address = ui.url_param("at")
as_at: date | None = None
if from_address:
    as_at = ui.typed_date(from_address)
    if as_at is None:
        st.warning(ui.plain(f"?at={from_address}: {ctx.t('as_at_bad')}"))
with st.form("as_at_form", border=False):
    left, middle, right = st.columns([3, 1, 1], vertical_alignment="bottom")
    typed = left.text_input(
        ctx.t("as_at"),
        value=as_at.isoformat() if as_at else "",
        placeholder=ctx.t("as_at_placeholder"),
        help=ctx.t("as_at_help"),
        key=f"treaty_as_at_{as_at}",
    )
    middle.form_submit_button(ctx.t("as_at_apply"))  # Enter in the field sends it too
    cleared = right.form_submit_button(ctx.t("as_at_clear"))
if cleared:
    ui.set_url_param("at", None)
    st.rerun()
typed = typed.strip()
chosen = ui.typed_date(typed) if typed else None
if typed and chosen is None:
    st.warning(ui.plain(f"{typed}: {ctx.t('as_at_bad')}"))
elif chosen != as_at:  # the form was sent (Enter or Apply) with another date
    ui.set_url_param("at", chosen.isoformat() if chosen else None)
    st.rerun()

stood: dict[str, tuple[str, date | None, date | None]] | None = None
if as_at is not None:
    stood = ui.standing_on(ctx.url, mtdsg_no, as_at)
    signatories, parties = ui.history_counts(ctx.url, mtdsg_no, as_at)
    st.info(
        ui.plain(
            ctx.t("as_at_showing", date=readable_date(as_at, lang))
            + " "
            + (
                ctx.t("signatures_unknown")
                if signatories is None
                else counted(signatories, "signatures_one", "signatures_many")
            )
            + ", "
            + counted(parties, "parties_one", "parties_many")
            + "."
        )
    )
    in_force = ui.in_force_at(ctx.url, mtdsg_no, as_at)
    if in_force is not None:
        for line in coverage.in_force_lines(in_force, lang):
            st.write(ui.plain(line))


def status_of(code: str, status: str) -> str:
    """A participant's status today, or as it stood on the chosen date."""
    if stood is None:
        return status
    return stood[code][0] if code in stood else "not_signed"


def by_then(value: date | None) -> date | None:
    """A date, or nothing when it came after the chosen date."""
    return value if as_at is None or (value is not None and value <= as_at) else None


# --- participants table -------------------------------------------------------------------------
st.header(ctx.t("participants"))
filter_left, filter_right = st.columns(2)
chosen_statuses = filter_left.multiselect(
    ctx.t("filter_status"),
    list(STATUSES),
    format_func=lambda s: status_names[s],
    key="treaty_status_filter",
    placeholder=ctx.t("filter_choose"),
)
name_filter = filter_right.text_input(ctx.t("filter_name"), key="treaty_name_filter").strip()
current = [r for r in rows if stood is None or r.code in stood]  # not yet there: left out
shown = [
    r
    for r in current
    if (not chosen_statuses or status_of(r.code, r.status) in chosen_statuses)
    and (not name_filter or name_filter.casefold() in f"{r.name} {r.page_name} {r.code}".casefold())
]
table = pd.DataFrame(
    [
        {
            ctx.t("col_participant"): r.name,
            ctx.t("col_code"): r.code,
            ctx.t("col_status"): status_names[status_of(r.code, r.status)],
            ctx.t("col_signature"): readable_date(by_then(r.signature_date), lang),
            ctx.t("col_consent"): readable_date(by_then(r.consent_date), lang),
            ctx.t("col_consent_kind"): (
                consent_kind_label(r.consent_kind, lang) if by_then(r.consent_date) else ""
            ),
            ctx.t("col_in_force"): readable_date(by_then(r.in_force_date), lang),
            ctx.t("col_declarations"): ui.yes_no(r.has_declarations, lang),
            ctx.t("col_actions"): actions_label(r.actions, lang),
        }
        for r in shown
    ],
    columns=[
        ctx.t(k)
        for k in (
            "col_participant", "col_code", "col_status", "col_signature", "col_consent",
            "col_consent_kind", "col_in_force", "col_declarations", "col_actions",
        )
    ],
)  # fmt: skip
st.dataframe(table, hide_index=True, width="stretch")
ui.csv_download(
    [
        {
            "treaty": mtdsg_no,
            "code": r.code,
            "name_on_page": r.page_name,
            "status": status_of(r.code, r.status),
            "signature_date": ui.iso(by_then(r.signature_date)),
            "consent_date": ui.iso(by_then(r.consent_date)),
            "consent_kind": r.consent_kind if by_then(r.consent_date) else None,
            "in_force_date": ui.iso(by_then(r.in_force_date)),
            "has_declarations": r.has_declarations,
            "footnotes": " ".join(r.footnotes),
            "signature_kind": r.signature_kind,
            "actions": "; ".join(f"{a['kind']} {a['date']} ({a['column']})" for a in r.actions),
        }
        for r in shown
    ],
    f"participants-{mtdsg_no}{f'-{as_at.isoformat()}' if as_at else ''}.csv",
    "participants_csv",
    lang,
)

# --- world map ------------------------------------------------------------------------------------
st.header(ctx.t("world_map"))
panels.world_map([replace(r, status=status_of(r.code, r.status)) for r in current], lang)
st.caption(
    ui.plain(
        ctx.t("map_note")
        + (f" {ctx.t('as_at_showing', date=readable_date(as_at, lang))}" if as_at else "")
    )
)

# --- parties over time ----------------------------------------------------------------------------
st.header(ctx.t("parties_over_time"))
points = ui.parties_over_time(ctx.url, mtdsg_no)
if points:
    series = pd.DataFrame(points, columns=["date", "parties"])
    series["when"] = [readable_date(d, lang) for d in series["date"]]
    series["date"] = pd.to_datetime(series["date"])
    # years on the axis (the same in both languages); the day in words in the tooltip
    x = alt.X("date:T", title=ctx.t("col_date"), axis=alt.Axis(format="%Y", tickCount="year"))
    line = (
        alt.Chart(series)
        .mark_line(interpolate="step-after", point=False)
        .encode(
            x=x,
            y=alt.Y("parties:Q", title=ctx.t("col_parties")),
            tooltip=[
                alt.Tooltip("when:N", title=ctx.t("col_date")),
                alt.Tooltip("parties:Q", title=ctx.t("col_parties")),
            ],
        )
    )
    chart: alt.LayerChart | alt.FacetChart | alt.Chart = line
    marks: list[dict[str, Any]] = []
    if summary.eif_date is not None:
        marks.append(
            {
                "date": pd.Timestamp(summary.eif_date),
                "label": ctx.t("eif_milestone"),
                "when": readable_date(summary.eif_date, lang),
                "colour": "#b2182b",
                "y": 10,
            }
        )
    if as_at is not None:
        marks.append(
            {
                "date": pd.Timestamp(as_at),
                "label": readable_date(as_at, lang),
                "when": readable_date(as_at, lang),
                "colour": "#2166ac",
                "y": 28,  # below the entry into force's label, which may be a day away
            }
        )
    if marks:
        milestones = pd.DataFrame(marks)
        rule = (
            alt.Chart(milestones)
            .mark_rule(strokeDash=[4, 3])
            .encode(
                x="date:T",
                color=alt.Color("colour:N", scale=None),
                tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("when:N", title=" ")],
            )
        )
        text = (
            alt.Chart(milestones)
            .mark_text(align="left", dx=4, dy=-6)
            .encode(
                x="date:T",
                y=alt.Y("y:Q", scale=None, axis=None),  # pixels from the top
                text="label:N",
                color=alt.Color("colour:N", scale=None),
            )
        )
        chart = alt.layer(line, rule, text)
    st.altair_chart(chart.properties(height=300), width="stretch")
    if summary.eif_date is not None:
        st.caption(ui.plain(ctx.t("eif_tooltip", date=readable_date(summary.eif_date, lang))))
else:
    st.write(ctx.t("no_parties_yet"))

# --- declarations ---
st.header(ctx.t("declarations"))
with_text = [r for r in current if r.declaration_text]
if not with_text:
    st.write(ctx.t("no_declarations"))
for r in with_text:
    with st.expander(ui.plain(r.name)):
        st.text(r.declaration_text)
