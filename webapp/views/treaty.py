"""Treaty view: participants, a world map by status, parties over time, declarations."""

from __future__ import annotations

from datetime import date

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
default = "IV-11-d" if "IV-11-d" in by_no else numbers[0]
mtdsg_no = st.selectbox(
    ctx.t("treaty_pick"),
    numbers,
    index=numbers.index(default),
    format_func=lambda no: f"{no} — {by_no[no].title(lang)}",
    key="treaty",
)
summary = by_no[mtdsg_no]
st.subheader(summary.title(lang))
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

# --- participants table -------------------------------------------------------------------------
st.header(ctx.t("participants"))
status_names = {s: status_label(s, lang) for s in STATUSES}
filter_left, filter_right = st.columns(2)
chosen_statuses = filter_left.multiselect(
    ctx.t("filter_status"),
    list(STATUSES),
    format_func=lambda s: status_names[s],
    key="treaty_status_filter",
)
name_filter = filter_right.text_input(ctx.t("filter_name"), key="treaty_name_filter").strip()
shown = [
    r
    for r in rows
    if (not chosen_statuses or r.status in chosen_statuses)
    and (not name_filter or name_filter.casefold() in f"{r.name} {r.page_name} {r.code}".casefold())
]
yes, no = ctx.t("yes"), ctx.t("no")
table = pd.DataFrame(
    [
        {
            ctx.t("col_participant"): r.name,
            ctx.t("col_code"): r.code,
            ctx.t("col_status"): status_names[r.status],
            ctx.t("col_signature"): r.signature_date,
            ctx.t("col_consent"): r.consent_date,
            ctx.t("col_consent_kind"): consent_kind_label(r.consent_kind, lang),
            ctx.t("col_in_force"): r.in_force_date,
            ctx.t("col_declarations"): yes if r.has_declarations else no,
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
for key in ("col_signature", "col_consent", "col_in_force"):
    table[ctx.t(key)] = pd.to_datetime(table[ctx.t(key)])  # missing dates show blank
date_format = "D MMM YYYY"
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        ctx.t(k): st.column_config.DateColumn(format=date_format)
        for k in ("col_signature", "col_consent", "col_in_force")
    },
)
export = pd.DataFrame(
    [
        {
            "treaty": mtdsg_no,
            "code": r.code,
            "name_on_page": r.page_name,
            "status": r.status,
            "signature_date": ui.iso(r.signature_date),
            "consent_date": ui.iso(r.consent_date),
            "consent_kind": r.consent_kind,
            "in_force_date": ui.iso(r.in_force_date),
            "has_declarations": r.has_declarations,
            "footnotes": " ".join(r.footnotes),
            "signature_kind": r.signature_kind,
            "actions": "; ".join(f"{a['kind']} {a['date']} ({a['column']})" for a in r.actions),
        }
        for r in shown
    ]
)
ui.csv_download(export, f"participants-{mtdsg_no}.csv", "participants_csv", lang)

# --- world map ------------------------------------------------------------------------------------
st.header(ctx.t("world_map"))
panels.world_map(rows, lang)
st.caption(ctx.t("map_note"))

# --- parties over time ----------------------------------------------------------------------------
st.header(ctx.t("parties_over_time"))
points = ui.parties_over_time(ctx.url, mtdsg_no)
if points:
    series = pd.DataFrame(points, columns=["date", "parties"])
    series["date"] = pd.to_datetime(series["date"])
    line = (
        alt.Chart(series)
        .mark_line(interpolate="step-after", point=False)
        .encode(
            x=alt.X("date:T", title=ctx.t("col_date")),
            y=alt.Y("parties:Q", title=ctx.t("col_parties")),
            tooltip=[alt.Tooltip("date:T", format="%d %b %Y"), "parties:Q"],
        )
    )
    chart: alt.LayerChart | alt.FacetChart | alt.Chart = line
    if summary.eif_date is not None:
        milestone = pd.DataFrame(
            {"date": [pd.Timestamp(summary.eif_date)], "label": [ctx.t("eif_milestone")]}
        )
        rule = alt.Chart(milestone).mark_rule(color="#b2182b", strokeDash=[4, 3]).encode(x="date:T")
        text = (
            alt.Chart(milestone)
            .mark_text(align="left", dx=4, dy=-6, color="#b2182b")
            .encode(x="date:T", y=alt.value(10), text="label:N")
        )
        chart = alt.layer(line, rule, text)
    st.altair_chart(chart.properties(height=300), width="stretch")
    as_at: date = st.date_input(
        ctx.t("as_at"),
        value=summary.status_as_at.date() if summary.status_as_at else date.today(),
        min_value=date(1945, 1, 1),
        key="treaty_as_at",
    )
    signatories, parties = ui.history_counts(ctx.url, mtdsg_no, as_at)
    signed = "—" if signatories is None else signatories
    st.write(
        ui.plain(
            f"{readable_date(as_at, lang)}: {signed} {ctx.t('col_signature').lower()}, "
            f"{parties} {ctx.t('col_parties').lower()}"
        )
    )
    in_force = ui.in_force_at(ctx.url, mtdsg_no, as_at)
    if in_force is not None:
        for line in coverage.in_force_lines(in_force, lang):
            st.write(ui.plain(line))
else:
    st.write(ctx.t("none"))

# --- declarations ---
st.header(ctx.t("declarations"))
with_text = [r for r in rows if r.declaration_text]
if not with_text:
    st.write(ctx.t("none"))
for r in with_text:
    with st.expander(ui.plain(r.name)):
        st.text(r.declaration_text)
