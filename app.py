"""Cluster Atlas Mongolia: the Streamlit entry point.

Run with ``streamlit run app.py`` (or ``make run``). The pages live in
``pages/``; the logic they call lives in ``geo/``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.i18n import t
from ui import state
from ui.state import current_language, language_switch
from ui.widgets import guarded, page_style

presenting = st.query_params.get("pres") == "1"
st.set_page_config(
    page_title="Cluster Atlas Mongolia",
    page_icon=str(Path(__file__).parent / "static" / "favicon.png"),
    layout="wide",
    initial_sidebar_state="collapsed" if presenting else "auto",
)

lang = current_language()
pages = [
    st.Page(
        "pages/map.py",
        title=t("page_map", lang),
        icon=":material/map:",
        url_path="map",
        default=True,
    ),
    st.Page(
        "pages/aimag_statistics.py",
        title=t("page_stats", lang),
        icon=":material/bar_chart:",
        url_path="statistics",
    ),
    st.Page("pages/data.py", title=t("page_data", lang), icon=":material/table:", url_path="data"),
    st.Page(
        "pages/methods.py",
        title=t("page_methods", lang),
        icon=":material/menu_book:",
        url_path="methods",
    ),
]
navigation = st.navigation(pages)
state.note_page(navigation.url_path)
st.sidebar.title(t("app_title", lang))
# the Map and Statistics write their whole URL, language included, once per run; a second
# write here would be a second entry in the browser's history (Back would stay on the page)
language_switch(in_url=navigation.url_path not in ("", "map", "statistics"))
page_style()
guarded(navigation.run, lang)
