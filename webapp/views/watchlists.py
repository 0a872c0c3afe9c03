"""Watchlists view: who is told about which changes (addresses are shown masked); with the
admin password, add a watch (its address checked before it is saved), send it a test
message, deactivate or delete it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker import db, notify, queries
from tracker.config import get_settings
from tracker.i18n import LANGUAGE_NAMES, LANGUAGES, kind_label, readable_date
from webapp import ui

ctx = ui.setup("watch_title")
lang = ctx.lang
rows = ui.watches(ctx.url)
yes, no = ctx.t("yes"), ctx.t("no")
if not rows:
    st.info(ctx.t("watch_none"))
else:
    table = pd.DataFrame(
        [
            {
                "#": w.id,
                ctx.t("col_label"): w.label,
                ctx.t("col_country"): w.country_code or ctx.t("all"),
                ctx.t("col_treaty"): w.mtdsg_no or ctx.t("all"),
                ctx.t("col_kinds"): ", ".join(kind_label(k, lang) for k in w.kinds) or ctx.t("all"),
                ctx.t("col_notify"): w.notify_masked,
                ctx.t("col_language"): w.language,
                ctx.t("col_digest"): yes if w.digest else no,
                ctx.t("col_active"): yes if w.active else no,
                ctx.t("col_date"): readable_date(w.created_at, lang),
            }
            for w in rows
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    export = [
        {
            "id": w.id,
            "label": w.label,
            "country_code": w.country_code,
            "treaty": w.mtdsg_no,
            "kinds": list(w.kinds),
            "notify_url_masked": w.notify_masked,
            "language": w.language,
            "digest": w.digest,
            "active": w.active,
            "created_at": ui.iso(w.created_at),
        }
        for w in rows
    ]
    ui.csv_download(export, "watches.csv", "watches_csv", lang)

FLASH = "_watch_flash"  # a message to show after the rerun that follows a change
RESET = "_watch_reset"  # set after a save: the form starts afresh on the next run
FORM_DEFAULTS: dict[str, object] = {
    "watch_label": "",
    "watch_url": "",
    "watch_country": "",
    "watch_treaty": "",
    "watch_kinds": [],
    "watch_digest": False,
}


def address_problem(exc: notify.AddressError, address: str) -> str:
    """The plain words, in the page's language, for an address that cannot deliver."""
    if exc.reason == "empty":
        return ctx.t("watch_label_needed")
    return ctx.t(f"watch_err_{exc.reason}", address=queries.mask_url(address), detail=exc.detail)


if ui.admin_allowed(lang):
    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH))
    if st.session_state.pop(RESET, False):  # before the widgets exist, so they take it
        st.session_state.update(FORM_DEFAULTS)
    st.subheader(ctx.t("watch_add"))
    treaty_numbers = ["", *(tr.mtdsg_no for tr in ui.treaties(ctx.url))]
    with st.form("watch_form"):
        label = st.text_input(ctx.t("col_label"), key="watch_label")
        notify_url = st.text_input(
            ctx.t("watch_url"), type="password", key="watch_url", placeholder="officer@ecpat.be"
        )
        st.caption(ctx.t("watch_url_help"))
        if not get_settings().smtp_url:
            st.caption(ctx.t("watch_no_smtp"))
        country_query = st.text_input(ctx.t("col_country"), key="watch_country")
        mtdsg_no = st.selectbox(
            ctx.t("col_treaty"),
            treaty_numbers,
            format_func=lambda no: no or ctx.t("all"),
            key="watch_treaty",
        )
        kinds = st.multiselect(
            ctx.t("col_kinds"),
            queries.event_kinds(),
            format_func=lambda k: kind_label(k, lang),
            key="watch_kinds",
            placeholder=ctx.t("choose"),
        )
        watch_lang = st.selectbox(
            ctx.t("col_language"),
            list(LANGUAGES),
            format_func=LANGUAGE_NAMES.__getitem__,
            key="watch_lang",
        )
        digest = st.checkbox(ctx.t("col_digest"), key="watch_digest")
        submitted = st.form_submit_button(ctx.t("save"))
    if submitted:
        code: str | None = None
        problem: str | None = None
        if country_query.strip():
            match = queries.resolve_country(country_query)
            code = match.code
            if code is None and match.candidates:  # never picked for the user
                key = "country_maybe" if match.how == "approximate" else "country_ambiguous"
                names = ", ".join(
                    f"{queries.country_name(c, lang)} ({c})" for c in match.candidates[:12]
                )
                problem = ctx.t(key, query=country_query.strip(), names=names)
            elif code is None:
                problem = ctx.t("country_no_match", query=country_query.strip())
        if problem is None and (not label.strip() or not notify_url.strip()):
            problem = ctx.t("watch_label_needed")
        if problem is None:
            try:
                with db.session(ui.engine()) as s:
                    queries.add_watch(
                        session=s,
                        watch=queries.WatchInput(
                            label=label,
                            notify_url=notify_url,
                            country_code=code,
                            mtdsg_no=mtdsg_no or None,
                            kinds=tuple(kinds),
                            digest=digest,
                            language=watch_lang,
                        ),
                    )
                    s.commit()
            except notify.AddressError as exc:
                problem = address_problem(exc, notify_url)
        if problem:
            st.error(problem)  # the form keeps what was typed, to be corrected
        else:
            ui.clear_caches()
            st.session_state[RESET] = True
            st.session_state[FLASH] = ctx.t("watch_saved")
            st.rerun()

    if rows:
        by_id = {w.id: w for w in rows}
        picked = st.selectbox(
            ctx.t("watch_pick"),
            list(by_id),
            format_func=lambda i: f"#{i} {by_id[i].label} ({by_id[i].notify_masked})",
            key="watch_pick",
        )
        left, middle, right = st.columns(3)
        if left.button(ctx.t("watch_test"), key="watch_test"):
            with st.spinner(ctx.t("watch_test")):
                try:
                    shown = ui.read(queries.send_watch_test, watch_id=picked)
                except notify.DeliveryError as exc:
                    st.error(ctx.t("watch_test_failed", error=str(exc)))
                else:
                    st.success(ctx.t("watch_test_sent", address=shown))
        if middle.button(ctx.t("watch_toggle"), key="watch_toggle"):
            with db.session(ui.engine()) as s:
                queries.set_watch_active(
                    session=s, watch_id=picked, active=not by_id[picked].active
                )
                s.commit()
            ui.clear_caches()
            st.rerun()
        if right.button(ctx.t("watch_delete"), key="watch_delete"):
            with db.session(ui.engine()) as s:
                queries.delete_watch(session=s, watch_id=picked)
                s.commit()
            ui.clear_caches()
            st.rerun()
