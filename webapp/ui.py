"""What every view of the app shares: language, database, cached queries, the data-source
banner, the admin check, CSV downloads and the world shapes for the map.

Pages read only through :mod:`tracker.queries`; the cached wrappers here take the database
URL as their first argument, so two databases never share a cache entry. Scraped text is
shown with ``st.text``/``st.dataframe`` or escaped before it goes into Markdown, never as HTML.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from tracker import coverage, db, queries, treaty_names
from tracker.config import get_settings
from tracker.dates import parse_date
from tracker.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    STATUS_KEYS,
    consent_kind_label,
    kind_label,
    readable_date,
    status_label,
    t,
)

logger = logging.getLogger(__name__)

TTL_SECONDS = 60
LANG_KEY = "lang"  # the session's language, kept apart from the widget's own key
_LANG_WIDGET = "_lang_widget"
ADMIN_KEY = "admin_typed"  # the admin password typed in this session
_ADMIN_WIDGET = "_admin"
T = TypeVar("T")


# --- settings that stay: language, admin password; the address ------------------------------


def url_param(name: str) -> str | None:
    """The address's ``?name=`` value (``None`` when absent or empty)."""
    value = st.query_params.get(name)
    return value.strip() or None if value else None


def set_url_param(name: str, value: str | None) -> None:
    """Put ``?name=value`` in the address (remove it for ``None``), so the view can be shared."""
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def _keep(widget_key: str, kept_key: str, url_name: str | None = None) -> None:
    """on_change: copy a settings widget's value into the session's own key (which survives
    page changes whatever Streamlit does with widget keys) and into the address."""
    st.session_state[kept_key] = st.session_state[widget_key]
    if url_name:
        set_url_param(url_name, str(st.session_state[kept_key]))


def settings_sidebar() -> str:
    """The settings that stay for the whole session, drawn by the entry script before the
    view: the language (``?lang=`` in the address wins, then the session's choice, then
    ``TRACKER_APP_LANGUAGE``) and, when an admin password is configured, its field.
    Returns the language."""
    wanted = url_param("lang")
    if wanted in LANGUAGES:
        st.session_state[LANG_KEY] = wanted
    elif st.session_state.get(LANG_KEY) not in LANGUAGES:
        default = get_settings().app_language
        st.session_state[LANG_KEY] = default if default in LANGUAGES else "en"
    lang = str(st.session_state[LANG_KEY])
    set_url_param("lang", lang)
    st.session_state[_LANG_WIDGET] = lang
    st.sidebar.radio(
        "Language / Langue",
        options=list(LANGUAGES),
        format_func=lambda code: LANGUAGE_NAMES[code],
        key=_LANG_WIDGET,
        horizontal=True,
        on_change=_keep,
        args=(_LANG_WIDGET, LANG_KEY, "lang"),
    )
    secret = get_settings().admin_password
    if secret is not None and secret.get_secret_value():
        st.session_state[_ADMIN_WIDGET] = st.session_state.get(ADMIN_KEY, "")
        st.sidebar.text_input(
            t("admin_password", lang),
            type="password",
            key=_ADMIN_WIDGET,
            on_change=_keep,
            args=(_ADMIN_WIDGET, ADMIN_KEY),
        )
    return lang


def current_language() -> str:
    lang = st.session_state.get(LANG_KEY)
    return str(lang) if lang in LANGUAGES else "en"


def database_url() -> str:
    return get_settings().resolved_database_url


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return db.make_engine(url)


def engine() -> Engine:
    return _engine(database_url())


def read(func: Callable[..., T], **kwargs: Any) -> T:
    """Run one :mod:`tracker.queries` function in a fresh session (uncached)."""
    with db.session(engine()) as s:
        return func(session=s, **kwargs)


def clear_caches() -> None:
    """Forget cached query results (after an action changed something)."""
    st.cache_data.clear()


# --- cached queries ---------------------------------------------------------------------------


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def data_source(url: str) -> queries.DataSource:
    with db.session(_engine(url)) as s:
        return queries.data_source(session=s)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def country_overview(
    url: str, code: str, treaties: tuple[str, ...], lang: str, every_stored: bool = True
) -> list[queries.CountryTreatyRow]:
    with db.session(_engine(url)) as s:
        return queries.country_overview(
            session=s, code=code, treaties=treaties, language=lang, every_stored=every_stored
        )


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def stored_treaty_count(url: str) -> int:
    with db.session(_engine(url)) as s:
        return queries.stored_treaty_count(session=s)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def country_choices(url: str) -> list[str]:
    with db.session(_engine(url)) as s:
        return queries.country_choices(session=s)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def treaties(url: str) -> list[queries.TreatySummary]:
    with db.session(_engine(url)) as s:
        return queries.treaties(session=s)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def participants(url: str, mtdsg_no: str, lang: str) -> list[queries.ParticipantStatusRow]:
    with db.session(_engine(url)) as s:
        return queries.participants(session=s, mtdsg_no=mtdsg_no, language=lang)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def parties_over_time(url: str, mtdsg_no: str) -> list[tuple[date, int]]:
    with db.session(_engine(url)) as s:
        return queries.parties_over_time(session=s, mtdsg_no=mtdsg_no)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def history_counts(url: str, mtdsg_no: str, at: date) -> tuple[int | None, int | None]:
    with db.session(_engine(url)) as s:
        view = queries.history_at(session=s, mtdsg_no=mtdsg_no, at=at)
    return (None, None) if view is None else (view.counts.signatories, view.counts.parties)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def standing_on(
    url: str, mtdsg_no: str, at: date
) -> dict[str, tuple[str, date | None, date | None]]:
    """Participant code -> (status, signature, consent date) as a treaty stood at the end of
    day ``at``; participants that had neither signed nor consented by then are left out."""
    with db.session(_engine(url)) as s:
        view = queries.history_at(session=s, mtdsg_no=mtdsg_no, at=at)
    if view is None:
        return {}
    result: dict[str, tuple[str, date | None, date | None]] = {}
    for status, group in (
        ("party", view.parties),
        ("signed", view.signed),
        ("withdrawn", view.withdrawn),
    ):
        for p in group:
            consent = p.consent.date if p.consent and p.consent.date <= at else None
            signed = p.signature if p.signature and p.signature <= at else None
            result[p.code] = (status, signed, consent)
    return result


def typed_date(text: str) -> date | None:
    """A date as people type it: "2014-04-13", "13 April 2014", "13 avril 2014"."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return parse_date(text)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def in_force_at(url: str, mtdsg_no: str, at: date) -> Any:
    with db.session(_engine(url)) as s:
        return queries.in_force_at(session=s, mtdsg_no=mtdsg_no, at=at)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def catch_ups(url: str, mtdsg_no: str | None, country: str | None) -> list[queries.CatchUp]:
    with db.session(_engine(url)) as s:
        return queries.catch_ups(session=s, mtdsg_no=mtdsg_no, country=country)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def events(
    url: str,
    mtdsg_no: str | None,
    country: str | None,
    kinds: tuple[str, ...],
    since: date | None,
    unread_only: bool,
) -> list[queries.EventRow]:
    with db.session(_engine(url)) as s:
        return queries.events(
            session=s,
            mtdsg_no=mtdsg_no,
            country=country,
            kinds=kinds,
            since=since,
            unread_only=unread_only,
        )


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def health(url: str, tracked: tuple[str, ...]) -> list[queries.HealthRow]:
    with db.session(_engine(url)) as s:
        return queries.health(session=s, treaties=tracked)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def watches(url: str) -> list[queries.WatchRow]:
    with db.session(_engine(url)) as s:
        return queries.watches(session=s)


# --- shared pieces of the page ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageContext:
    lang: str
    url: str
    source: queries.DataSource

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)


def setup(title_key: str) -> PageContext:
    """Page title and the data-source banner; returns the context (the language is chosen
    in the sidebar by the entry script, :func:`settings_sidebar`)."""
    lang = current_language()
    url = database_url()
    st.title(t(title_key, lang))
    source = data_source(url)
    banner = source_banner(source, lang)
    if banner and source.kind == "live" and not source.snapshot:
        st.caption(banner)
    elif banner:
        st.info(banner)
    return PageContext(lang=lang, url=url, source=source)


def source_banner(source: queries.DataSource, lang: str) -> str | None:
    """One sentence on where the data comes from: the snapshot, live (from when to when),
    or both (how many treaties of each)."""
    if source.kind == "snapshot" and source.as_of is not None:
        return t("source_snapshot", lang, date=readable_date(source.as_of, lang))
    if source.kind != "live" or source.as_of is None:
        return None
    oldest = readable_date(source.oldest, lang)
    newest = readable_date(source.as_of, lang)
    if source.snapshot:
        return t(
            "source_mixed",
            lang,
            live=source.live,
            total=source.live + source.snapshot,
            snapshot=source.snapshot,
            newest=newest,
            published=readable_date(source.snapshot_published, lang),
        )
    if oldest != newest:
        return t("source_live_range", lang, oldest=oldest, newest=newest)
    return t("source_live", lang, date=newest)


def freshness_note(rows: Any, lang: str) -> None:
    """Under a country's or a treaty's table: the oldest "last verified" among its rows, and
    the rows that are only the snapshot, stale, or without data (tracker.coverage)."""
    fresh = coverage.freshness(rows, now=now(), stale_after=get_settings().stale_after)
    lines = coverage.freshness_lines(fresh, lang)
    if fresh.snapshot or fresh.stale or fresh.unknown:
        st.warning("  \n".join(plain(line) for line in lines))
    elif lines:
        st.caption("  \n".join(plain(line) for line in lines))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>:~$=])")


def plain(text: str | None) -> str:
    """``text`` with every Markdown-special character escaped (for labels and Markdown)."""
    return "" if text is None else _MD_SPECIAL.sub(r"\\\1", text)


#: French headers of the CSV exports (the English ones are the field names themselves).
CSV_HEADERS_FR: dict[str, str] = {
    "country": "pays",
    "treaty": "traité",
    "short_name": "nom_court",
    "title": "titre",
    "status": "statut",
    "participant_name": "nom_du_participant",
    "name_on_page": "nom_sur_la_page",
    "code": "code",
    "signature_date": "date_de_signature",
    "signature_kind": "nature_de_la_signature",
    "consent_date": "date_du_consentement",
    "consent_kind": "nature_du_consentement",
    "in_force_date": "date_d_entree_en_vigueur_pour_lui",
    "treaty_in_force_date": "date_d_entree_en_vigueur_du_traite",
    "has_declarations": "declarations_ou_reserves",
    "footnotes": "notes",
    "listed": "figure_sur_la_page",
    "source_url": "source",
    "last_verified_at": "derniere_verification",
    "status_as_at": "statut_au",
    "data_source": "origine_des_donnees",
    "published_on": "publie_le",
    "count_discrepancy": "ecart_des_totaux",
    "actions": "autres_formalites",
    "id": "id",
    "kind": "type",
    "participant_code": "code_du_participant",
    "old_value": "ancienne_valeur",
    "new_value": "nouvelle_valeur",
    "detail": "detail",
    "effective_date": "date_d_effet",
    "observed_at": "constate_le",
    "read": "lu",
    "catch_up": "rattrapage",
    "description": "description",
    "last_poll_at": "derniere_interrogation",
    "outcome": "resultat",
    "http_status": "statut_http",
    "error": "erreur",
    "failures_in_a_row": "echecs_consecutifs",
    "last_success_at": "dernier_succes",
    "from_snapshot": "instantane_fourni",
    "snapshot_published_on": "instantane_publie_le",
    "accepted_by": "accepte_par",
    "accepted_at": "accepte_le",
    "label": "libelle",
    "country_code": "code_pays",
    "kinds": "types",
    "notify_url_masked": "notification_masquee",
    "language": "langue",
    "digest": "resume",
    "active": "active",
    "created_at": "cree_le",
}


def csv_cell(key: str, value: Any, lang: str) -> str:
    """One CSV cell in words: empty for nothing, yes/no (oui/non) for booleans, a list
    joined with "; ", a status or kind in the app's language. Dates stay ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, list | tuple):
        return "; ".join(csv_cell(key, v, lang) for v in value if v is not None)
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v is not None)
    if key == "status" and value in STATUS_KEYS:
        return status_label(str(value), lang)
    if key == "consent_kind":
        return consent_kind_label(str(value), lang)
    if key in ("kind", "kinds") and value:
        return kind_label(str(value), lang)
    if value in ("unknown", "never", "no data yet"):
        return t(
            {"unknown": "unknown", "never": "never", "no data yet": "status_no_data"}[value], lang
        )
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return str(value)


def csv_frame(records: list[dict[str, Any]], lang: str) -> pd.DataFrame:
    """Records as a CSV table in the app's language: French headers in French, every cell
    in words (:func:`csv_cell`), never "None", "nan", "False", "[]" or "no_data"."""
    if not records:
        return pd.DataFrame()
    keys = list(records[0])
    headers = [CSV_HEADERS_FR.get(k, k) if lang == "fr" else k for k in keys]
    rows = [[csv_cell(k, r.get(k), lang) for k in keys] for r in records]
    return pd.DataFrame(rows, columns=headers)


def csv_download(
    records: list[dict[str, Any]] | pd.DataFrame, file_name: str, key: str, lang: str
) -> None:
    """A download button for ``records`` as CSV, in the app's language (dates in ISO 8601)."""
    frame = records if isinstance(records, pd.DataFrame) else csv_frame(records, lang)
    data = frame.to_csv(index=False).encode("utf-8")
    st.download_button(
        t("download_csv", lang), data=data, file_name=file_name, mime="text/csv", key=key
    )


def yes_no(value: bool | None, lang: str) -> str:
    """ "yes" / "no" / "unknown (no data yet)" in the app's language."""
    if value is None:
        return t("unknown", lang)
    return t("yes" if value else "no", lang)


def treaty_label(mtdsg_no: str, lang: str, full_title: str | None = None) -> str:
    """ "OPIC (IV-11-d)": a treaty's short name in the app's language and its number."""
    return treaty_names.label(mtdsg_no, lang, full_title)


def row_title(row: queries.CountryTreatyRow, lang: str) -> str:
    """The full title of a country row's treaty in the app's language (a treaty with no data
    yet carries only its short name: its known title is shown instead)."""
    stored = None if row.status == "no_data" else row.title
    return treaty_names.title(row.mtdsg_no, lang, stored, None)


def treaty_title(summary: queries.TreatySummary, lang: str) -> str:
    """A treaty's full title in the app's language (the known French title when the page
    was read only in English)."""
    return treaty_names.title(summary.mtdsg_no, lang, summary.title_en, summary.title_fr)


def iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def admin_allowed(lang: str) -> bool:
    """Whether actions that change things may be offered.

    With no admin password configured they are not offered at all. With one, the sidebar
    asks for it and the actions appear once it matches.
    """
    secret = get_settings().admin_password
    if secret is None or not secret.get_secret_value():
        st.caption(t("admin_unset", lang))
        return False
    typed = str(st.session_state.get(ADMIN_KEY) or "")
    if not typed:
        st.caption(t("admin_needed", lang))
        return False
    if not hmac.compare_digest(typed.encode("utf-8"), secret.get_secret_value().encode("utf-8")):
        st.sidebar.error(t("admin_wrong", lang))
        return False
    return True


def now() -> datetime:
    return datetime.now(UTC)


# --- world shapes ------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def world_shapes() -> tuple[dict[str, dict[str, Any]], dict[str, tuple[float, float]]]:
    """Country outlines (GeoJSON geometry by ISO alpha-3) and centres (lat, lon) from the
    ``countryinfo`` package, which ships them: the map needs nothing from the internet."""
    from countryinfo import CountryInfo

    shapes: dict[str, dict[str, Any]] = {}
    centres: dict[str, tuple[float, float]] = {}
    for info in CountryInfo.all().values():
        code = (info.get("ISO") or {}).get("alpha3")
        if not code:
            continue
        geo = info.get("geoJSON") or {}
        features = geo.get("features") or []
        if code != "ATA" and features and features[0].get("geometry"):
            shapes[code] = _rewind(features[0]["geometry"])
        latlng = info.get("latlng") or []
        if len(latlng) == 2:
            centres[code] = (float(latlng[0]), float(latlng[1]))
    return shapes, centres


def _signed_area(ring: list[list[float]]) -> float:
    return sum(
        x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False)
    )


def _rewind(geometry: dict[str, Any]) -> dict[str, Any]:
    """Rings in the order d3-geo (Vega) expects: outer rings clockwise, holes
    counter-clockwise. An outer ring the other way round would fill the whole globe."""

    def polygon(rings: list[list[list[float]]]) -> list[list[list[float]]]:
        result = []
        for index, ring in enumerate(rings):
            clockwise = _signed_area(ring) < 0
            wanted = index == 0
            result.append(ring if clockwise == wanted else ring[::-1])
        return result

    kind = geometry.get("type")
    if kind == "Polygon":
        return {"type": kind, "coordinates": polygon(geometry["coordinates"])}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [polygon(p) for p in geometry["coordinates"]]}
    return geometry
