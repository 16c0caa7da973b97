"""Statistics page: aimag and region tables."""

from __future__ import annotations

import streamlit as st

from geo.admin import REGIONS
from ui import loaders
from ui.i18n import t
from ui.state import current_language

lang = current_language()
st.header(t("page_stats", lang))
st.caption(t("stats_intro", lang))

aimags = loaders.aimags()
name_col = "name_mn" if lang == "mn" else "name_en"
region_col = "region_mn" if lang == "mn" else "region_en"
table = aimags[["iso_3166_2", name_col, region_col, "population", "area_km2"]].rename(columns={
    "iso_3166_2": t("iso_code", lang), name_col: t("name", lang), region_col: t("region", lang),
    "population": t("population", lang), "area_km2": t("area_km2", lang),
})
st.subheader(t("aimags_table", lang))
st.dataframe(table, hide_index=True, width="stretch")

regions = loaders.regions()
region_table = regions[["region_en", "region_mn", "population", "area_km2"]].copy()
region_table = region_table.set_index("region_en").loc[list(REGIONS)].reset_index()
region_col_r = "region_mn" if lang == "mn" else "region_en"
st.subheader(t("regions_table", lang))
st.dataframe(
    region_table[[region_col_r, "population", "area_km2"]].rename(columns={
        region_col_r: t("region", lang), "population": t("population", lang),
        "area_km2": t("area_km2", lang)}),
    hide_index=True, width="stretch",
)
