"""Country view: where one country stands on every tracked treaty, first in words (the
answer a person asked for), then as a table.

The address says which country (``?country=BEL``, any name or code people type) and which
treaty is spelled out (``?treaty=IV-11-d``); picking another changes the address.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker import answers, coverage, queries
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


SHOW_ALL = "country_all"  # the toggle's key; ``?all=1`` in the address


def _address_all() -> None:
    """on_change of the "show all" toggle: the address follows the choice."""
    ui.set_url_param("all", "1" if st.session_state.get(SHOW_ALL) else None)


def _address_country() -> None:
    """on_change of the country list: the address follows the choice."""
    ui.set_url_param("country", st.session_state.get("country"))


query = st.text_input(ctx.t("country_search"), key="country_query")
choices = ui.country_choices(ctx.url)
must_choose = False  # a name that fits several countries: none is picked for the user
from_address: str | None = None
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
    # A shared address (?country=LUX, ?country=Luxembourg) opens that country.
    wanted = ui.url_param("country")
    from_address = queries.resolve_country(wanted).code if wanted else None
    if wanted and from_address not in options:
        st.warning(ctx.t("country_no_match", query=wanted))
    elif from_address and st.session_state.get("country", from_address) != from_address:
        st.session_state["country"] = from_address  # the address changed meanwhile
default = queries.resolve_country(settings.default_country).code or "BEL"
if not must_choose and not query.strip() and from_address in options:
    default = from_address
index = None if must_choose else options.index(default) if default in options else 0
code = st.selectbox(
    ctx.t("country_pick"),
    options,
    index=index,
    format_func=_label,
    key="country",
    placeholder=ctx.t("country_pick"),
    on_change=_address_country,
    persist_state="session",  # the country stays chosen across page changes
)
if code is None:
    st.stop()
ui.set_url_param("country", code)

tracked_set = set(settings.treaties)
# the tracked treaties only are read unless every stored one is asked for
tracked = ui.country_overview(ctx.url, code, tuple(settings.treaties), lang, every_stored=False)
stored = ui.stored_treaty_count(ctx.url)
untracked = stored - len([r for r in tracked if r.status != "no_data"])  # stored, not tracked
name = queries.country_name(code, lang)
st.subheader(name)

# --- the answer, in words (about the tracked treaties) -------------------------------------
st.markdown(f"**{ui.plain(answers.country_summary(name, tracked, lang))}**")

# --- tracked treaties only (default), or every stored one (``?all=1``) ----------------------
show_all = False
if untracked:
    if ui.url_param("all") == "1":
        st.session_state[SHOW_ALL] = True
    show_all = st.toggle(
        ctx.t("country_show_all", n=stored, tracked=len(tracked)),
        key=SHOW_ALL,
        help=ctx.t("country_show_all_help"),
        on_change=_address_all,
        persist_state="session",  # the choice stays across page changes, as the country
    )
    ui.set_url_param("all", "1" if show_all else None)
    st.caption(
        ctx.t("country_showing_all", n=stored)
        if show_all
        else ctx.t("country_showing_tracked", tracked=len(tracked), n=stored)
    )


def _every_row(country: str) -> list[queries.CountryTreatyRow]:
    return ui.country_overview(ctx.url, country, tuple(settings.treaties), lang, every_stored=True)


rows = _every_row(code) if show_all else tracked
by_no = {r.mtdsg_no: r for r in rows}
numbers = list(by_no)
wanted_treaty = ui.url_param("treaty")
if wanted_treaty and wanted_treaty not in by_no and untracked:
    # a shared ?treaty= of a stored treaty that is not tracked: spelled out all the same
    wanted_row = next((r for r in _every_row(code) if r.mtdsg_no == wanted_treaty), None)
    if wanted_row is not None:
        by_no[wanted_row.mtdsg_no] = wanted_row
        numbers.append(wanted_row.mtdsg_no)
if wanted_treaty in by_no and st.session_state.get("country_treaty") != wanted_treaty:
    st.session_state["country_treaty"] = wanted_treaty
if numbers:
    first = "IV-11-d" if "IV-11-d" in by_no else numbers[0]
    chosen = st.selectbox(
        ctx.t("country_answer_pick"),
        numbers,
        index=numbers.index(first),
        format_func=lambda no: ui.treaty_label(no, lang, by_no[no].title),
        key="country_treaty",
        on_change=lambda: ui.set_url_param("treaty", st.session_state.get("country_treaty")),
    )
    if chosen is not None:
        if wanted_treaty or chosen != first:
            ui.set_url_param("treaty", chosen)
        sentence = answers.treaty_sentence(name, by_no[chosen], today=ui.now().date(),
                                           language=lang)  # fmt: skip
        st.info(ui.plain(sentence))

# --- the table ----------------------------------------------------------------------------------
display = pd.DataFrame(
    [
        {
            ctx.t("col_treaty"): ui.treaty_label(r.mtdsg_no, lang, r.title),
            ctx.t("col_status"): status_label(r.status, lang),
            ctx.t("col_signature"): readable_date(r.signature_date, lang),
            ctx.t("col_consent"): readable_date(r.consent_date, lang),
            ctx.t("col_consent_kind"): consent_kind_label(r.consent_kind, lang),
            ctx.t("col_in_force"): readable_date(r.in_force_date, lang),
            ctx.t("col_verified"): readable_date(r.last_verified_at, lang),
            ctx.t("col_source"): r.source_url or "",
            ctx.t("col_declarations"): ui.yes_no(r.has_declarations, lang),
            ctx.t("col_number"): r.mtdsg_no,
            ctx.t("col_title"): ui.row_title(r, lang),
        }
        for r in rows
    ]
)
st.dataframe(
    display,
    hide_index=True,
    width="stretch",
    # every tracked treaty without scrolling; all stored ones scroll inside the table
    height=35 * (min(len(display), 25) + 1) + 3,
    column_config={
        ctx.t("col_source"): st.column_config.LinkColumn(display_text="UNTC"),
        ctx.t("col_treaty"): st.column_config.TextColumn(width=240, pinned=True),
        ctx.t("col_title"): st.column_config.TextColumn(width="large"),
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
ui.csv_download(
    [{"country": code, "short_name": ui.treaty_label(r.mtdsg_no, lang, r.title), **r.to_csv()}
     for r in rows],
    f"country-{code}.csv",
    "country_csv",
    lang,
)  # fmt: skip
panels.brief_download(ctx.url, code, lang)

# --- every treaty in words (findable with Ctrl-F, read by screen readers) ---------------------
st.subheader(ctx.t("country_in_words"))
today = ui.now().date()


def _sentences(chosen: list[queries.CountryTreatyRow]) -> str:
    return "\n".join(
        f"- {ui.plain(answers.treaty_sentence(name, r, today=today, language=lang))}"
        for r in chosen
    )


# the tracked treaties and, when all are shown, those the State takes part in; the other
# stored treaties (neither signed nor joined) in a collapsed expander
spelled = [r for r in rows if r.mtdsg_no in tracked_set or r.status != "not_signed"]
st.markdown(_sentences(spelled))
others = [r for r in rows if r.mtdsg_no not in tracked_set and r.status == "not_signed"]
if others:
    with st.expander(ctx.t("country_others_not_signed", n=len(others)), expanded=False):
        st.markdown(_sentences(others))

gaps = coverage.gaps(tracked)  # the gaps are those of the tracked treaties
left, right = st.columns(2)
for column, status, heading in (
    (left, "signed", "signed_not_ratified"),
    (right, "not_signed", "not_signed"),
):
    with column:
        st.subheader(ctx.t(heading))
        chosen_rows = [r for r in tracked if r.status == status]
        if not chosen_rows:
            st.write(coverage.empty_gap_text(gaps, lang))
        for r in chosen_rows:
            extra = (
                f" ({ctx.t('col_signature').lower()} {readable_date(r.signature_date, lang)})"
                if r.signature_date
                else ""
            )
            title = ui.row_title(r, lang)
            st.markdown(f"- **{ui.plain(r.mtdsg_no)}** {ui.plain(title)}{ui.plain(extra)}")
unknown_note = coverage.unknown_gap_text(gaps, lang)
if unknown_note:
    st.warning(ui.plain(unknown_note))

# the texts of the tracked treaties (hundreds of boxes for every stored treaty slowed the
# page); the other stored treaties with declarations are named, their texts in the Treaty view
with_text = [r for r in rows if r.declaration_text and r.mtdsg_no in tracked_set]
other_text = [r for r in rows if r.declaration_text and r.mtdsg_no not in tracked_set]
if with_text or other_text:
    st.subheader(ctx.t("declarations_of"))
if other_text:
    names = ", ".join(r.mtdsg_no for r in other_text)
    st.caption(ui.plain(ctx.t("declarations_others", n=len(other_text), names=names)))
for r in with_text:
    with st.expander(
        ui.plain(f"{ui.treaty_label(r.mtdsg_no, lang, r.title)} — {ui.row_title(r, lang)}")
    ):
        st.text(r.declaration_text)
