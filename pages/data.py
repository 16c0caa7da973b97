"""Data page: the embedded gazetteer, searchable in any script."""

from __future__ import annotations

import streamlit as st

from ui import loaders
from ui.i18n import t
from ui.state import current_language

lang = current_language()
st.header(t("page_data", lang))
st.caption(t("data_intro", lang))

st.subheader(t("demo_table", lang))
st.warning(t("demo_warning", lang))
st.dataframe(loaders.demo_firms().head(500), hide_index=True, width="stretch")

st.subheader(t("gazetteer_table", lang))
index = loaders.admin_index()
query = st.text_input(t("search_unit", lang), key="unit_query")
units = index.find_units(query) if query.strip() else index.units
names = dict(zip(index.aimags["iso_3166_2"],
                 index.aimags["name_mn" if lang == "mn" else "name_en"]))
shown = units.assign(aimag=units["aimag_code"].map(names))[
    ["unit_code", "aimag", "kind", "name_mn", "name_en", "postal_code", "lat", "lon",
     "centre_source", "variants"]
].rename(columns={"aimag": t("aimag", lang), "kind": t("kind", lang),
                  "postal_code": t("postal_code", lang),
                  "centre_source": t("centre_source", lang), "variants": t("variants", lang)})
st.write(f"{len(shown)} {t('units_found', lang)}")
st.dataframe(shown, hide_index=True, width="stretch")
