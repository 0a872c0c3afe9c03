"""Health view: each treaty's last poll, failures in a row, freshness, next poll; poll now."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import streamlit as st

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # the page run on its own
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pages import _ui as ui  # noqa: E402
from pages._crosscheck import crosscheck_panel  # noqa: E402
from tracker import queries
from tracker.config import get_settings
from tracker.i18n import readable_date, readable_datetime

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
ui.csv_download(pd.DataFrame([h.to_json() for h in rows]), "health.csv", "health_csv", lang)
failing = [h for h in rows if h.failures_in_a_row]
for h in failing:
    st.error(ui.plain(f"{h.mtdsg_no}: {h.failures_in_a_row} × {h.outcome} — {h.error or ''}"))
for h in rows:
    for note in h.count_discrepancy:
        st.warning(ui.plain(f"{h.mtdsg_no}: {ctx.t('count_discrepancy', detail=note)}"))

crosscheck_panel(ctx.url, lang)

if ui.admin_allowed(lang):
    choice = st.selectbox(
        ctx.t("col_treaty"), [h.mtdsg_no for h in rows] or list(settings.treaties), key="poll_pick"
    )
    if st.button(ctx.t("poll_now"), key="poll_now"):
        command = [sys.executable, "-m", "tracker.cli", "poll", "--treaty", choice]
        with st.spinner(ctx.t("poll_now")):
            try:
                done = subprocess.run(
                    command,
                    capture_output=True,
                    text=True,
                    timeout=settings.poll_timeout_seconds,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                done = None
        ui.clear_caches()
        if done is not None and done.returncode == 0:
            st.success(ctx.t("poll_done", outcome=done.stdout.strip().splitlines()[0:1]))
        else:
            detail = "timeout" if done is None else (done.stdout + done.stderr).strip()[-2000:]
            st.error(ctx.t("poll_failed", error=""))
            st.text(detail)
