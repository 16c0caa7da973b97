"""Map page: the aimags of Mongolia on an offline map."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo import maps
from ui import loaders
from ui.i18n import t
from ui.state import current_language
from ui.widgets import aimag_profile

lang = current_language()
st.header(t("page_map", lang))
st.caption(t("map_caption", lang))
st.warning(t("demo_warning", lang))

basemap = st.sidebar.radio(
    t("basemap", lang), options=["none", "osm"],
    format_func=lambda v: t(f"basemap_{v}", lang), key="basemap",
)

aimags = loaders.aimags()
labels = {k: t(k, lang) for k in ("name", "region", "population")}
fmap = maps.base_map(tiles=None if basemap == "none" else "osm")
maps.aimag_layer(aimags, labels, lang=lang, name=t("layer_aimags", lang)).add_to(fmap)

left, right = st.columns([3, 1])
with left:
    state = st_folium(
        fmap, height=620, use_container_width=True, key=f"map_{lang}_{basemap}",
        center=maps.MONGOLIA_CENTER, zoom=5,
        returned_objects=["last_active_drawing"],
    )
with right:
    feature = (state or {}).get("last_active_drawing") or {}
    code = (feature.get("properties") or {}).get("iso_3166_2")
    if code:
        aimag_profile(code, lang)
    else:
        st.info(t("click_hint", lang))
