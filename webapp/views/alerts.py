"""Alerts view: change events, newest first, filterable; mark as read; CSV export."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from tracker import queries
from tracker.i18n import kind_label, readable_date, readable_datetime
from webapp import ui

ctx = ui.setup("alerts_title")
lang = ctx.lang
all_treaties = ui.treaties(ctx.url)
ALL = ""

c1, c2, c3, c4 = st.columns(4)
treaty_options = [ALL, *(tr.mtdsg_no for tr in all_treaties)]
mtdsg_no = c1.selectbox(
    ctx.t("filter_treaty"),
    treaty_options,
    format_func=lambda no: ctx.t("all") if no == ALL else no,
    key="alerts_treaty",
)
country_query = c2.text_input(ctx.t("filter_country"), key="alerts_country").strip()
kinds = c3.multiselect(
    ctx.t("filter_kind"),
    queries.event_kinds(),
    format_func=lambda k: kind_label(k, lang),
    key="alerts_kinds",
)
since: date | None = c4.date_input(ctx.t("filter_since"), value=None, key="alerts_since")
unread_only = st.checkbox(ctx.t("unread_only"), key="alerts_unread")

country: str | None = None
if country_query:
    match = queries.resolve_country(country_query)
    if match.code is None:
        if match.candidates:
            names = ", ".join(
                f"{queries.country_name(c, lang)} ({c})" for c in match.candidates[:12]
            )
            st.warning(ui.plain(f"{country_query}: {names}"))
        else:
            st.warning(ctx.t("country_no_match", query=country_query))
        st.stop()
    country = match.code

found = ui.events(ctx.url, mtdsg_no or None, country, tuple(kinds), since, unread_only)
for catch_up in ui.catch_ups(ctx.url, mtdsg_no or None, country):
    st.info(ui.plain(catch_up.sentence(lang)))
st.write(ctx.t("events_count", n=len(found)))
if not found:
    st.info(ctx.t("no_events"))
else:
    yes, no = ctx.t("yes"), ctx.t("no")
    table = pd.DataFrame(
        [
            {
                ctx.t("col_observed"): readable_datetime(e.observed_at, lang),
                ctx.t("col_treaty"): e.mtdsg_no,
                ctx.t("col_participant"): e.participant_name or "",
                ctx.t("col_kind"): kind_label(e.kind, lang),
                ctx.t("col_what"): e.sentence(lang),
                ctx.t("col_old"): e.old_value or "",
                ctx.t("col_new"): e.new_value or "",
                ctx.t("col_effective"): readable_date(e.effective_date, lang),
                ctx.t("col_catch_up"): yes if e.catch_up else no,
                ctx.t("col_source"): e.source_url,
                ctx.t("col_read"): yes if e.read else no,
            }
            for e in found
        ]
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={ctx.t("col_source"): st.column_config.LinkColumn(display_text="UNTC")},
    )
    export = pd.DataFrame([e.to_json() for e in found])
    ui.csv_download(export, "change-events.csv", "alerts_csv", lang)

    unread = [e for e in found if not e.read]
    if unread and ui.admin_allowed(lang):
        labels = {e.id: f"#{e.id} {e.sentence(lang)}" for e in unread}
        picked = st.multiselect(
            ctx.t("mark_read"), list(labels), format_func=labels.__getitem__, key="alerts_pick"
        )
        if st.button(ctx.t("mark_read"), key="alerts_mark", disabled=not picked):
            with ui.db.session(ui.engine()) as s:
                marked = queries.mark_read(session=s, event_ids=picked, at=ui.now())
                s.commit()
            ui.clear_caches()
            st.success(ctx.t("marked_read", n=marked))
            st.rerun()
