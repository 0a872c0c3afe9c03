"""Country view: where one country stands on every tracked treaty."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker import coverage, queries
from tracker.config import get_settings
from tracker.i18n import consent_kind_label, readable_date, status_label
from webapp import panels, ui

ctx = ui.setup("country_title")
lang = ctx.lang
settings = get_settings()
if ctx.source.kind == "empty":
    st.warning(ctx.t("no_data"))


def _label(code: str) -> str:
    en = queries.country_name(code, "en")
    fr = queries.country_name(code, "fr")
    names = en if en == fr else f"{en} — {fr}"
    return f"{names} ({code})"


query = st.text_input(ctx.t("country_search"), key="country_query")
choices = ui.country_choices(ctx.url)
must_choose = False  # a name that fits several countries: none is picked for the user
if query.strip():
    match = queries.resolve_country(query)
    options = [match.code] if match.code else [c for c in match.candidates if c]
    if not options:
        st.warning(ctx.t("country_no_match", query=query.strip()))
        st.stop()
    if match.code is None:
        must_choose = True
        key = "country_maybe" if match.how == "approximate" else "country_ambiguous"
        names = ", ".join(queries.country_name(c, lang) for c in options)
        st.info(ui.plain(ctx.t(key, query=query.strip(), names=names)))
else:
    options = choices
default = queries.resolve_country(settings.default_country).code or "BEL"
index = None if must_choose else options.index(default) if default in options else 0
code = st.selectbox(
    ctx.t("country_pick"),
    options,
    index=index,
    format_func=_label,
    key="country",
    placeholder=ctx.t("country_pick"),
)
if code is None:
    st.stop()

rows = ui.country_overview(ctx.url, code, tuple(settings.treaties), lang)
st.subheader(queries.country_name(code, lang))

yes, no, unknown = ctx.t("yes"), ctx.t("no"), ctx.t("unknown")
display = pd.DataFrame(
    [
        {
            ctx.t("col_treaty"): r.mtdsg_no,
            ctx.t("col_title"): r.title,
            ctx.t("col_status"): status_label(r.status, lang),
            ctx.t("col_signature"): readable_date(r.signature_date, lang),
            ctx.t("col_consent"): readable_date(r.consent_date, lang),
            ctx.t("col_consent_kind"): consent_kind_label(r.consent_kind, lang),
            ctx.t("col_in_force"): readable_date(r.in_force_date, lang),
            ctx.t("col_declarations"): (
                unknown if r.has_declarations is None else yes if r.has_declarations else no
            ),
            ctx.t("col_source"): r.source_url,
            ctx.t("col_verified"): readable_date(r.last_verified_at, lang),
        }
        for r in rows
    ]
)
st.dataframe(
    display,
    hide_index=True,
    width="stretch",
    column_config={
        ctx.t("col_source"): st.column_config.LinkColumn(display_text="UNTC"),
        ctx.t("col_title"): st.column_config.TextColumn(width="medium"),
        **{
            ctx.t(k): st.column_config.TextColumn(width=115)
            for k in ("col_signature", "col_consent", "col_in_force", "col_verified")
        },
    },
)
ui.freshness_note(rows, lang)
for r in rows:
    for note in r.count_discrepancy:
        st.caption(ui.plain(f"{r.mtdsg_no}: {ctx.t('count_discrepancy', detail=note)}"))
export = pd.DataFrame([{"country": code, **r.to_csv()} for r in rows])
ui.csv_download(export, f"country-{code}.csv", "country_csv", lang)
panels.brief_download(ctx.url, code, lang)

gaps = coverage.gaps(rows)
left, right = st.columns(2)
for column, status, heading in (
    (left, "signed", "signed_not_ratified"),
    (right, "not_signed", "not_signed"),
):
    with column:
        st.subheader(ctx.t(heading))
        chosen = [r for r in rows if r.status == status]
        if not chosen:
            st.write(coverage.empty_gap_text(gaps, lang))
        for r in chosen:
            extra = (
                f" ({ctx.t('col_signature').lower()} {readable_date(r.signature_date, lang)})"
                if r.signature_date
                else ""
            )
            st.markdown(f"- **{ui.plain(r.mtdsg_no)}** {ui.plain(r.title)}{ui.plain(extra)}")
unknown_note = coverage.unknown_gap_text(gaps, lang)
if unknown_note:
    st.warning(ui.plain(unknown_note))

with_text = [r for r in rows if r.declaration_text]
if with_text:
    st.subheader(ctx.t("declarations_of"))
    for r in with_text:
        with st.expander(ui.plain(f"{r.mtdsg_no} — {r.title}")):
            st.text(r.declaration_text)
