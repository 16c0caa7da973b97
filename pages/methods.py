"""Methods page: how the data were made and what the numbers mean."""

from __future__ import annotations

import streamlit as st

from geo.describe import StageRules
from ui.i18n import t
from ui.state import current_language

lang = current_language()
st.header(t("page_methods", lang))
st.markdown(t("methods_md", lang))
st.markdown(t("methods_geocoding_md", lang))
st.markdown(t("methods_boundaries_md", lang))
st.markdown(t("methods_clusters_md", lang))
st.markdown(t("methods_stages_md", lang).format(**StageRules().as_dict()))
st.markdown(t("methods_stats_md", lang))
st.markdown(t("demo_md", lang))
