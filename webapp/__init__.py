"""The treaty-tracker app (Streamlit), shipped inside the package.

``webapp/app.py`` is the app's entry script: ``treaty-tracker run`` starts Streamlit on it,
wherever the project is installed; the top-level ``app.py`` of a checkout runs the same
:func:`webapp.app.main`. The views live in ``webapp/views/`` (one script each, registered
with ``st.navigation``), what they share in :mod:`webapp.ui`. Views read only through
:mod:`tracker.queries`.
"""

from __future__ import annotations
