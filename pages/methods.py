"""Methods page: how the data were made and what the numbers mean."""

from __future__ import annotations

import streamlit as st

from geo.describe import StageRules
from geo.settings import (
    APP_SEED,
    KDENSITY_MAX_KM,
    KDENSITY_REPLICATES,
    COLOCATION_RADIUS_KM,
    COLOCATION_REPLICATES,
    ECOSYSTEM_DISTANCE_KM,
    SUPERCLUSTER_GAP_KM,
    SUPERCLUSTER_MIN_COLOCATION,
)
from geo.significance import replicates_for
from geo.timeline import AgeRules
from ui.i18n import t
from ui.state import current_language

lang = current_language()
st.header(t("page_methods", lang))
st.markdown(t("methods_md", lang))
st.markdown(t("methods_geocoding_md", lang))
st.markdown(t("methods_boundaries_md", lang))
st.markdown(t("methods_clusters_md", lang))
st.markdown(
    t("methods_significance_md", lang).format(
        R=replicates_for(1), seed=APP_SEED, R_kd=KDENSITY_REPLICATES, D=f"{KDENSITY_MAX_KM:g}"
    )
)
st.markdown(t("methods_stages_md", lang).format(**StageRules().as_dict()))
st.markdown(t("methods_stats_md", lang))
st.markdown(t("methods_time_md", lang).format(**AgeRules().as_dict()))
st.markdown(
    t("methods_ecosystem_md", lang).format(
        r=f"{COLOCATION_RADIUS_KM:g}",
        R=COLOCATION_REPLICATES,
        seed=APP_SEED,
        q=f"{SUPERCLUSTER_MIN_COLOCATION:g}",
        gap=f"{SUPERCLUSTER_GAP_KM:g}",
        d=f"{ECOSYSTEM_DISTANCE_KM:g}",
    )
)
st.markdown(t("demo_md", lang))
