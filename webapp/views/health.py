"""Health view: each treaty's last poll, failures in a row, freshness, next poll; poll now."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker import queries
from tracker.config import get_settings
from tracker.i18n import readable_date, readable_datetime
from webapp import panels, ui
from webapp.crosscheck import crosscheck_panel

ctx = ui.setup("health_title")
lang = ctx.lang
settings = get_settings()
rows = ui.health(ctx.url, tuple(settings.treaties))
next_poll = ui.read(queries.next_scheduled_poll, cron=settings.poll_cron, now=ui.now())
when = readable_datetime(next_poll.at, lang) if next_poll.at else ctx.t("scheduler_unknown")
st.metric(ctx.t("col_next_poll"), when)
if next_poll.source == "cron":
    st.caption(f"TRACKER_POLL_CRON = {settings.poll_cron}")

never = ctx.t("never")


def data_label(h: queries.HealthRow) -> str:
    if h.last_success_at is None:
        return ctx.t("status_no_data")
    if h.from_snapshot:
        return ctx.t("data_snapshot", date=readable_date(h.published_on, lang))
    return ctx.t("data_live")


table = pd.DataFrame(
    [
        {
            ctx.t("col_treaty"): h.mtdsg_no,
            ctx.t("col_last_poll"): readable_datetime(h.last_poll_at, lang) or never,
            ctx.t("col_outcome"): h.outcome or "",
            ctx.t("col_failures"): h.failures_in_a_row,
            ctx.t("col_data_source"): data_label(h),
            ctx.t("col_freshness"): readable_date(h.status_as_at, lang),
            ctx.t("col_verified"): readable_date(h.last_verified_at, lang) or never,
            ctx.t("col_counts_note"): " ".join(h.count_discrepancy),
            ctx.t("col_accepted"): (
                f"{h.accepted_by}, {readable_datetime(h.accepted_at, lang)}"
                if h.accepted_by
                else ""
            ),
            ctx.t("col_error"): h.error or "",
        }
        for h in rows
    ]
)
st.dataframe(table, hide_index=True, width="stretch")
ui.csv_download([h.to_json() for h in rows], "health.csv", "health_csv", lang)
panels.health_messages(rows, lang)

crosscheck_panel(ctx.url, lang)
if ui.admin_allowed(lang):
    panels.poll_now(rows, lang)
