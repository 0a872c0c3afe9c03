"""Alerts view: change events, newest first, each in a sentence; filterable; mark as read;
CSV export. An empty list says why it is empty."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from tracker import db, queries
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
    format_func=lambda no: ctx.t("all") if no == ALL else ui.treaty_label(no, lang),
    key="alerts_treaty",
)
country_query = c2.text_input(ctx.t("filter_country"), key="alerts_country").strip()
kinds = c3.multiselect(
    ctx.t("filter_kind"),
    queries.event_kinds(),
    format_func=lambda k: kind_label(k, lang),
    key="alerts_kinds",
    placeholder=ctx.t("choose"),
)
# a text field, not st.date_input: its placeholder follows the page's language (aaaa-mm-jj)
since_typed = c4.text_input(
    ctx.t("filter_since"),
    key="alerts_since",
    placeholder=ctx.t("filter_since_placeholder"),
    help=ctx.t("filter_since_help"),
).strip()
since: date | None = ui.typed_date(since_typed) if since_typed else None
if since_typed and since is None:
    st.warning(ui.plain(f"{since_typed}: {ctx.t('as_at_bad')}"))
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


def why_empty() -> str:
    """Why the list is empty: the filters, only the snapshot so far, or no change found."""
    every = ui.events(ctx.url, None, None, (), None, False)
    if len(every) == 1:
        return ctx.t("no_events_filtered_one")
    if every:
        return ctx.t("no_events_filtered", n=len(every))
    source = ctx.source
    if source.kind == "empty":
        return ctx.t("no_events_empty")
    if source.kind == "snapshot" or not source.live:
        published = source.snapshot_published or (source.as_of.date() if source.as_of else None)
        return ctx.t("no_events_snapshot", date=readable_date(published, lang))
    return ctx.t("no_events_live", date=readable_date(source.oldest, lang))


def value_in_words(value: str | None) -> str:
    """An event's old or new value: a date in words, anything else as stored."""
    if not value:
        return ""
    try:
        return readable_date(date.fromisoformat(value), lang)
    except ValueError:
        return value


#: The CSV's columns (queries.EventRow.to_json), for the header of an empty export.
CSV_KEYS = (
    "id", "kind", "treaty", "participant_code", "participant_name", "consent_kind",
    "old_value", "new_value", "detail", "effective_date", "observed_at", "source_url", "read",
    "catch_up", "description",
)  # fmt: skip

if not found:
    st.info(ui.plain(why_empty()))
    empty = pd.DataFrame(columns=list(ui.csv_frame([dict.fromkeys(CSV_KEYS)], lang).columns))
    ui.csv_download(empty, "change-events.csv", "alerts_csv", lang)
else:
    st.write(ctx.t("events_one") if len(found) == 1 else ctx.t("events_many", n=len(found)))
    # each change in a sentence, readable without scrolling sideways
    st.markdown(
        "\n".join(
            f"- {ui.plain(readable_datetime(e.observed_at, lang))}: {ui.plain(e.sentence(lang))}"
            for e in found[:200]
        )
    )
    table = pd.DataFrame(
        [
            {
                ctx.t("col_what"): e.sentence(lang),
                ctx.t("col_observed"): readable_datetime(e.observed_at, lang),
                ctx.t("col_treaty"): ui.treaty_label(e.mtdsg_no, lang),
                ctx.t("col_participant"): e.participant_name or "",
                ctx.t("col_kind"): kind_label(e.kind, lang),
                ctx.t("col_old"): value_in_words(e.old_value),
                ctx.t("col_new"): value_in_words(e.new_value),
                ctx.t("col_effective"): readable_date(e.effective_date, lang),
                ctx.t("col_catch_up"): ui.yes_no(e.catch_up, lang),
                ctx.t("col_source"): e.source_url or "",
                ctx.t("col_read"): ui.yes_no(e.read, lang),
            }
            for e in found
        ]
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            ctx.t("col_source"): st.column_config.LinkColumn(display_text="UNTC"),
            ctx.t("col_what"): st.column_config.TextColumn(width="large"),
        },
    )
    ui.csv_download(
        [{**e.to_json(), "description": e.sentence(lang)} for e in found],
        "change-events.csv",
        "alerts_csv",
        lang,
    )

    unread = [e for e in found if not e.read]
    if unread and ui.admin_allowed(lang):
        labels = {e.id: f"#{e.id} {e.sentence(lang)}" for e in unread}
        picked = st.multiselect(
            ctx.t("mark_read"),
            list(labels),
            format_func=labels.__getitem__,
            key="alerts_pick",
            placeholder=ctx.t("choose"),
        )
        if st.button(ctx.t("mark_read"), key="alerts_mark", disabled=not picked):
            with db.session(ui.engine()) as s:
                marked = queries.mark_read(session=s, event_ids=picked, at=ui.now())
                s.commit()
            ui.clear_caches()
            st.success(ctx.t("marked_read", n=marked))
            st.rerun()
