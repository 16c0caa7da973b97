"""Statistics page: where each sector is concentrated, and how strongly.

It shows the dataset and filter of the session's view (set on the Map page,
or by the link that opened it) and shares its selected aimag.
"""

from __future__ import annotations

import streamlit as st

from geo import maps
from geo.admin import REGIONS
from geo.compare import unit_keys
from geo.formats import format_value
from geo.stats import KEY_COLUMN
from ui import boundaryview, loaders, state, timeview
from ui.chartexport import chart_context
from ui.compareview import compare_panel
from ui.foliummap import map_component
from ui.reportview import report_panel
from ui.i18n import t
from ui.colocationview import colocation_panel
from ui.significanceview import localisation_panel
from ui.state import STATS_CHOICES, STATS_WIDGET, current_language
from ui.superclusterview import supercluster_panel
from ui.statsview import (
    indicator_table,
    moran_panel,
    portfolio_chart,
    stats_downloads,
    table_formats,
    top_units_chart,
    view_caption,
)
from ui.widgets import aimag_profile

lang = current_language()
index = loaders.admin_index()
aimag_codes = tuple(index.aimags["iso_3166_2"])
available = loaders.datasets()
view = state.session_view(available, loaders.sector_keys, aimag_codes, tuple(REGIONS))
dataset = view.dataset
names = loaders.sector_names(dataset, lang)
sector_keys = list(loaders.sector_keys(dataset))
choices = state.stats_choices()
if choices.get("sector") not in sector_keys:  # first visit: the Map's first sector
    choices["sector"] = next(
        (s for s in view.sectors if s in sector_keys),
        "mining" if "mining" in sector_keys else sector_keys[0],
    )
options = {
    "sector": sector_keys,
    **{
        name: list(allowed)
        for name, (_, allowed, _) in STATS_CHOICES.items()
        if allowed is not None
    },
}
state.seed_stats_widgets(choices, options, lang)
# the units compared are those of the level about to be shown (the seeded widget's); the
# view's filter, for all sectors: the table compares the chosen sector with the rest
selection = view.firm_filter().replace(sectors=())
shown_level = st.session_state[STATS_WIDGET["level"]]
table = loaders.view_statistics(dataset, repr(selection), selection, shown_level, "sector")
kept_units = selection.kept_units(shown_level, loaders.aimags())
compare_options = [
    u for u in unit_keys(table, shown_level) if kept_units is None or u in kept_units
]
compared = state.seed_compare_widget(choices, compare_options)

st.header(t("page_stats", lang))
st.caption(t("stats_intro", lang))
view_caption(view, available, lang)

cols = st.columns([2, 1.3, 2, 1.3])
sector = cols[0].selectbox(
    t("sector", lang),
    sector_keys,
    format_func=lambda k: names.get(k, k),
    placeholder=t("choose_option", lang),
    key=STATS_WIDGET["sector"],
)
level = cols[1].radio(
    t("level", lang),
    options["level"],
    format_func=lambda v: t(f"level_{v}", lang),
    key=STATS_WIDGET["level"],
)
indicator = cols[2].selectbox(
    t("indicator_stats", lang),
    options["indicator"],
    placeholder=t("choose_option", lang),
    format_func=lambda k: t(f"ind_{k}", lang),
    key=STATS_WIDGET["indicator"],
)
scheme = cols[3].radio(
    t("classes", lang),
    options["scheme"],
    format_func=lambda v: t(f"scheme_{v}", lang),
    key=STATS_WIDGET["scheme"],
)
choices = {
    "sector": sector,
    "level": level,
    "indicator": indicator,
    "scheme": scheme,
    "compare": ",".join(compared) or None,
    # drawn further down (ui.colocationview); seeded above, so their state is set
    **{name: st.session_state[STATS_WIDGET[name]] for name in ("co_radius", "co_replicates")},
}
state.store_stats(choices)
state.publish(state.stats_query(view, choices))

charts = chart_context(view, available[dataset], lang)  # what exported charts say

rows = table[table["sector"] == sector]
# units the view's filter leaves out have no firms here: they are not shown (the country
# row stays, as the reference)
kept = selection.kept_aimags(loaders.aimags())
units = selection.kept_units(level, loaders.aimags())
if units is not None:
    rows = rows[rows[KEY_COLUMN[level]].isin(units)]
shown = indicator_table(rows, level, lang)


def select_aimag(value: dict) -> None:
    """A click on the Statistics map selects the aimag (a widget callback)."""
    feature = value.get("last_active_drawing") or {}
    code = (feature.get("properties") or {}).get("iso_3166_2")
    if code in aimag_codes:
        state.change(aimag=code)


left, right = st.columns([3, 2])
with left:
    aimags = loaders.aimags()
    if level == "district":
        st.info(t("district_no_map", lang))
    else:
        key_col = "aimag_code" if level == "aimag" else "region"
        values = rows.set_index(key_col)[indicator]
        if level == "region":  # colour each aimag by its region's value
            values = aimags.set_index("iso_3166_2")["region_en"].map(values)
        values = values[values.index != "MN"]
        fill, bins = maps.classify(values, scheme)
        value_label = f"{t('ind_' + indicator, lang)} · {names.get(sector, sector)}"
        if level == "region":
            value_label = f"{t('level_region', lang)}: {value_label}"
        map_key = repr(
            (
                dataset,
                loaders.dataset_version(dataset),
                repr(selection),
                lang,
                sector,
                level,
                indicator,
                scheme,
                view.aimag,
            )
        )
        build = lambda: maps.atlas_map(  # noqa: E731
            aimags,
            labels={
                k: t(k, lang)
                for k in (
                    "name",
                    "region",
                    "population",
                    "layer_aimags",
                    "legend_sectors",
                    "copy_link",
                    "copy_link_title",
                    "legend",
                )
            },
            lang=lang,
            layers=("aimags",),
            fill=fill,
            bins=bins,
            values={c: format_value(v, indicator, lang) for c, v in values.items()},
            indicator_label=value_label,
            indicator=indicator,
            selected_aimag=view.aimag,
            link_control=False,
        )
        map_component(
            build,
            map_key,
            key="stats_map",
            height=520,
            returned_objects=["last_active_drawing"],
            on_change=select_aimag,
        )
    boundaryview.boundaries_caption(lang)
with right:
    top_units_chart(
        rows,
        level,
        indicator,
        lang,
        sector=sector,
        sector_name=names.get(sector, sector),
        charts=charts,
    )

st.subheader(t(f"table_{level}", lang))
if level == "district" and kept is not None and "MN-1" not in kept:
    st.info(t("district_filtered_out", lang))
else:
    st.dataframe(
        shown.style.format(table_formats(lang), na_rep="–"), hide_index=True, width="stretch"
    )
firms = loaders.view_firms(dataset, repr(selection), selection)
unlocated = int((firms["sector"].eq(sector) & firms["aimag_code"].isna()).sum())
if unlocated:
    st.caption(t("unlocated_note", lang).format(n=unlocated))
stats_downloads(table, rows, level, sector, lang, view=view, dataset_name=available[dataset])

st.divider()
compare_panel(table, level, compare_options, names, lang, charts)

localisation_panel(view, selection, sector, names, lang, available[dataset])
timeview.aimag_age_section(view, selection, sector, names, lang)
related = colocation_panel(view, selection, names, lang, available[dataset])
if related is not None:
    supercluster_panel(view, selection, related, names, lang, available[dataset])

if level == "aimag":
    if kept is None:
        moran_panel(rows, sector, names, lang)
    else:  # neighbours outside the filter would count as zeros
        st.subheader(t("moran_title", lang))
        st.caption(t("moran_needs_all", lang))

if view.aimag:
    st.divider()
    labelled, clusters = loaders.view_clusters(
        dataset,
        repr(selection),
        selection,
        view.eps_km,
        view.min_samples,
        view.weighted,
        view.method,
        view.include_centres,
    )
    pcols = st.columns([1, 2])
    with pcols[0]:
        aimag_profile(view.aimag, lang, dataset=dataset, firm_filter=selection, clusters=clusters)
    with pcols[1]:  # an aimag's portfolio, whatever level the table above shows
        by_aimag = (
            table
            if level == "aimag"
            else loaders.view_statistics(dataset, repr(selection), selection, "aimag", "sector")
        )
        portfolio_chart(
            by_aimag,
            view.aimag,
            names,
            lang,
            charts=charts,
            aimag_name=index.aimag(view.aimag)["name_mn" if lang == "mn" else "name_en"],
        )
elif level == "district":
    st.info(t("district_hint", lang))
else:
    st.info(t("click_hint", lang))

st.divider()
report_panel(view, lang, available[dataset])
