"""The app's entry script: the settings that stay (language, admin password) and the five
views, registered with ``st.navigation``.

``treaty-tracker run`` starts Streamlit on this file; the ``.streamlit/config.toml`` beside
it (shipped with the package) hides the "Deploy" button and the developer menu. Widgets
made here, before the views run, belong to every view: the language and the admin password
survive page changes.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from tracker.i18n import t
from webapp import ui

VIEWS = Path(__file__).resolve().parent / "views"

#: (file, label key, icon, url path), in the sidebar's order; ``/`` opens the first.
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("country.py", "page_country", ":material/flag:", "country"),
    ("treaty.py", "page_treaty", ":material/description:", "treaty"),
    ("alerts.py", "page_alerts", ":material/notifications:", "alerts"),
    ("watchlists.py", "page_watchlists", ":material/visibility:", "watchlists"),
    ("health.py", "page_health", ":material/monitor_heart:", "health"),
)


def main() -> None:
    st.set_page_config(page_title=t("app_title"), page_icon=":scroll:", layout="wide")
    lang = ui.settings_sidebar()
    pages = {
        url_path: st.Page(VIEWS / file, title=t(key, lang), icon=icon, url_path=url_path)
        for file, key, icon, url_path in PAGES
    }

    def home() -> None:
        """``/``: the view the address names (a shared ``/?treaty=IV-11-d`` is the Treaty
        view), else the Country view, at its own address (``/country``), which also opens
        directly."""
        wanted = "treaty" if ui.url_param("treaty") and not ui.url_param("country") else "country"
        st.switch_page(pages[wanted], query_params=st.query_params.to_dict())

    start = st.Page(home, title=t("page_country", lang), url_path="home", default=True,
                    visibility="hidden")  # fmt: skip
    page = st.navigation([start, *pages.values()])
    # the browser tab's title: the view's name and the app's, in the page's language
    st.set_page_config(page_title=f"{page.title} — {t('app_title', lang)}")
    page.run()


if __name__ == "__main__":
    main()
