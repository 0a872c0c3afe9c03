"""The treaty-tracker app: ``streamlit run app.py`` in a checkout (``treaty-tracker run``
starts the same app from the installed package, ``webapp/app.py``).

Five views, in ``webapp/views/``: Country, Treaty, Alerts, Watchlists, Health. Labels in
English or French (switch in the sidebar, or ``?lang=fr`` in the address).
"""

from webapp.app import main

main()
