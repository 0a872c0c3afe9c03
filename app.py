"""The treaty-tracker app: ``streamlit run app.py`` (or ``treaty-tracker run``).

Five views, each a page under ``pages/`` that also runs on its own: Country, Treaty,
Alerts, Watchlists, Health. Labels in English or French (switch in the sidebar).
"""

from __future__ import annotations

import streamlit as st

from tracker.config import get_settings
from tracker.i18n import LANGUAGES, t

st.set_page_config(page_title="Treaty tracker", page_icon=":scroll:", layout="wide")

# The sidebar's language switch (pages/_ui.py) has already stored a new choice in its
# widget key when the rerun it triggers starts, before the page copies it to "lang".
lang = (
    st.session_state.get("_lang_widget")
    or st.session_state.get("lang")
    or get_settings().app_language
)
if lang not in LANGUAGES:
    lang = "en"

navigation = st.navigation(
    [
        st.Page("pages/country.py", title=t("page_country", lang), icon=":material/flag:",
                default=True, url_path="country"),
        st.Page("pages/treaty.py", title=t("page_treaty", lang), icon=":material/description:",
                url_path="treaty"),
        st.Page("pages/alerts.py", title=t("page_alerts", lang),
                icon=":material/notifications:", url_path="alerts"),
        st.Page("pages/watchlists.py", title=t("page_watchlists", lang),
                icon=":material/visibility:", url_path="watchlists"),
        st.Page("pages/health.py", title=t("page_health", lang),
                icon=":material/monitor_heart:", url_path="health"),
    ]
)  # fmt: skip
navigation.run()
