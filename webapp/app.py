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

#: (file, label key, icon, url path); the first is the default view, opened at ``/``.
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("country.py", "page_country", ":material/flag:", "country"),
    ("treaty.py", "page_treaty", ":material/description:", "treaty"),
    ("alerts.py", "page_alerts", ":material/notifications:", "alerts"),
    ("watchlists.py", "page_watchlists", ":material/visibility:", "watchlists"),
    ("health.py", "page_health", ":material/monitor_heart:", "health"),
)


def main() -> None:
    st.set_page_config(page_title="Treaty tracker", page_icon=":scroll:", layout="wide")
    lang = ui.settings_sidebar()
    pages = {
        url_path: st.Page(
            VIEWS / file, title=t(key, lang), icon=icon, url_path=url_path, default=index == 0
        )
        for index, (file, key, icon, url_path) in enumerate(PAGES)
    }
    navigation = st.navigation(list(pages.values()))
    # A shared address names a treaty but no view (``/?treaty=IV-11-d``): open the Treaty view.
    if navigation is pages["country"] and ui.url_param("treaty") and not ui.url_param("country"):
        st.switch_page(pages["treaty"], query_params=dict(st.query_params))
    navigation.run()


if __name__ == "__main__":
    main()
