"""Statistics page: where each sector is concentrated, and how strongly."""

from __future__ import annotations

import streamlit as st

from geo import maps
from geo.filters import FirmFilter
from ui import loaders
from ui.foliummap import map_component
from ui.i18n import t
from ui.state import current_language, url_choice
from ui.statsview import (indicator_table, moran_panel, portfolio_chart, stats_downloads,
                          top_units_chart)
from ui.widgets import aimag_profile

lang = current_language()
st.header(t("page_stats", lang))
st.caption(t("stats_intro", lang))
available = loaders.datasets()
dataset = st.session_state.get("v_dataset") or st.query_params.get("ds", "demo")
dataset = dataset if dataset in available else "demo"
firms = loaders.geocoded_firms(dataset)
names = loaders.sector_names(dataset, lang)
sector_keys = sorted(firms["sector"].dropna().astype(str).unique())
INDICATORS = ("lq_employment", "lq_firms", "employees", "firms", "employees_per_10k",
              "firms_per_10k", "share_of_sector_employment", "share_of_unit_employment",
              "eco_stars")

cols = st.columns([2, 1.3, 2, 1.3])
sector = cols[0].selectbox(t("sector", lang), sector_keys, format_func=lambda k: names.get(k, k),
                           **url_choice("ssec", sector_keys, "mining"))
level = cols[1].radio(t("level", lang), ["aimag", "region", "district"],
                      format_func=lambda v: t(f"level_{v}", lang),
                      **url_choice("slvl", ["aimag", "region", "district"], "aimag"))
indicator = cols[2].selectbox(t("indicator_stats", lang), INDICATORS,
                              format_func=lambda k: t(f"ind_{k}", lang),
                              **url_choice("sind", INDICATORS, "lq_employment"))
scheme = cols[3].radio(t("classes", lang), ["quantiles", "natural_breaks"],
                       format_func=lambda v: t(f"scheme_{v}", lang),
                       **url_choice("scls", ["quantiles", "natural_breaks"], "quantiles"))

everything = FirmFilter()
table = loaders.view_statistics(dataset, repr(everything), everything, level, "sector")
rows = table[table["sector"] == sector]
shown = indicator_table(rows, level, lang)

left, right = st.columns([3, 2])
with left:
    aimags = loaders.aimags()
    if level == "district":
        st.info(t("district_no_map", lang))
        state = None
    else:
        key_col = "aimag_code" if level == "aimag" else "region"
        values = rows.set_index(key_col)[indicator]
        if level == "region":   # colour each aimag by its region's value
            values = aimags.set_index("iso_3166_2")["region_en"].map(values)
        values = values[values.index != "MN"]
        fill, bins = maps.classify(values, scheme)
        selected = st.session_state.get("stats_aimag")
        map_key = repr((dataset, loaders.dataset_version(dataset), lang, sector, level,
                        indicator, scheme, selected))
        build = lambda: maps.atlas_map(  # noqa: E731
            aimags, labels={k: t(k, lang) for k in (
                "name", "region", "population", "layer_aimags", "legend_sectors", "copy_link",
                "copy_link_title")}, lang=lang, layers=("aimags",), fill=fill, bins=bins,
            values={c: (f"{v:,.2f}" if v == v else "–") for c, v in values.items()},
            indicator_label=f"{t('ind_' + indicator, lang)} · {names.get(sector, sector)}",
            selected_aimag=selected, link_control=False)
        state = map_component(build, map_key, key="stats_map", height=520,
                              returned_objects=["last_active_drawing"])
with right:
    top_units_chart(rows, level, indicator, lang)

feature = (state or {}).get("last_active_drawing") or {}
code = (feature.get("properties") or {}).get("iso_3166_2")
if code and code != st.session_state.get("stats_aimag"):
    st.session_state["stats_aimag"] = code
    st.rerun()

st.subheader(t(f"table_{level}", lang))
st.dataframe(shown, hide_index=True, width="stretch")
stats_downloads(table, rows, level, sector, lang)

if level == "aimag":
    moran_panel(rows, sector, names, lang)

selected = st.session_state.get("stats_aimag")
if selected:
    st.divider()
    labelled, clusters = loaders.view_clusters(dataset, repr(everything), everything, 2.0, 10,
                                               False, "dbscan", False)
    pcols = st.columns([1, 2])
    with pcols[0]:
        aimag_profile(selected, lang, dataset=dataset, firm_filter=everything,
                      clusters=clusters)
    with pcols[1]:
        portfolio_chart(table, selected, names, lang)
else:
    st.info(t("click_hint", lang))
