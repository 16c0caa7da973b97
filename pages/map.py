"""Map page: where each sector's firms concentrate, next to the numbers of each aimag."""

from __future__ import annotations

import streamlit as st

from geo import maps
from geo.admin import REGIONS
from geo.filters import PRECISIONS
from geo.formats import format_number, format_value
from geo.view import SECTOR_RELATIVE
from geo.safety import escape_markdown
from geo.significance import firm_columns
from ui import boundaryview, evidence, loaders, navigation, timeview
from ui.foliummap import map_component
from ui.ecosystemview import with_ecosystem
from ui.superclusterview import map_candidates
from ui.i18n import t
from ui import state
from ui.mapexports import download_metadata, downloads, k_distance_aid
from ui.mapview import aimag_picker, cluster_panel, headline, map_clicked, map_labels, view_controls
from ui.savedviews import CURRENT_SAVED, presenter_bar, saved_views_controls
from ui.state import current_language
from ui.widgets import aimag_profile, filter_summary

lang = current_language()
index = loaders.admin_index()
aimag_codes = tuple(index.aimags["iso_3166_2"])
available = loaders.datasets()
opening = dict(
    datasets=available, sectors_of=loaders.sector_keys, aimags=aimag_codes, regions=tuple(REGIONS)
)
current = state.session_view(**opening)
state.seed_widgets(current)
dataset = st.session_state[state.WIDGET["dataset"]]
if dataset not in available:
    dataset = st.session_state[state.WIDGET["dataset"]] = "demo"
all_firms = loaders.geocoded_firms(dataset)
sector_keys = loaders.sector_keys(dataset)
years = timeview.year_span(all_firms)
timeview.tick(years)  # playing the years: the next year, before any widget


def open_view(name: str, query: dict[str, str]) -> None:
    """Open the saved view ``name`` (a widget callback)."""
    state.open_query(query, **opening)
    st.session_state[CURRENT_SAVED] = name


view = state.store(
    timeview.with_year(view_controls(lang, all_firms, sector_keys, available, current), years)
)
saved_views_controls(lang, view, open_view)
state.publish(state.map_query(view))
if view.presenter:
    presenter_bar(view, lang, open_view)

st.header(t("page_map", lang))
if view.dataset == "demo" and not view.presenter:
    st.warning(t("demo_warning", lang))
for problem in st.session_state.get(state.PROBLEMS, []):
    st.warning(f"{t('link_problem', lang)}: {escape_markdown(problem)}")

firm_filter = view.firm_filter()
key = repr(firm_filter)
firms = loaders.view_firms(dataset, key, firm_filter)
if view.clustering:
    labelled, clusters = loaders.view_clusters(
        dataset,
        key,
        firm_filter,
        view.eps_km,
        view.min_samples,
        view.weighted,
        view.method,
        view.include_centres,
    )
else:
    labelled, clusters = firms, None
# evidence against chance (issue #17): every DBSCAN cluster's p-value, shared per view
significance = None
if view.clustering and view.method == "dbscan" and clusters is not None and len(clusters):
    clusters, significance = evidence.tested_clusters(
        dataset,
        key,
        firm_filter,
        view.eps_km,
        view.min_samples,
        view.weighted,
        view.include_centres,
        progress_text=t("sig_progress", lang).format(
            R=evidence.significance_replicates(dataset, firm_filter)
        ),
    )
    labelled = firm_columns(labelled, clusters)
shown = clusters
if significance is not None and view.significant_only:
    shown = clusters[clusters["significant"]]
selection = loaders.selection_statistics(dataset, key, firm_filter)

headline(view, firms, clusters, selection, lang, significance)
if view.include_centres and view.clustering:
    st.warning(t("centres_warning", lang))
elif view.clustering and not view.presenter and "cluster_status" in labelled.columns:
    # firms placed only at a soum or district centre are left out of clustering: say how
    # many, and how to include them (an upload geocoded to soums shows 0 clusters else)
    left_out = int(
        labelled["cluster_status"]
        .astype("string")
        .str.startswith("excluded: located only")
        .fillna(False)
        .sum()
    )
    if left_out:
        text = t("centres_left_out", lang).format(
            n=format_number(left_out, 0, lang),
            total=format_number(len(labelled), 0, lang),
            option=t("include_centres", lang),
        )
        if clusters is None or not len(clusters):
            st.info(text)
        else:
            st.caption(text)

indicator = selection.set_index("aimag_code")[view.indicator]
indicator = indicator[indicator.index != "MN"]
fill, bins = maps.classify(indicator, "quantiles")
values = {code: format_value(v, view.indicator, lang) for code, v in indicator.items()}
legend_note = ""
if not view.sectors and view.indicator in SECTOR_RELATIVE:
    # every aimag would read LQ 1.00 (all sectors against all sectors): say so, grey fill
    fill, bins, legend_note = {}, [], t("choose_sector_hint", lang)
if significance is not None and "clusters" in view.layers:
    outlines = (
        t("legend_outlines_hidden", lang) if view.significant_only else t("legend_outlines", lang)
    )
    legend_note = f"{legend_note} {outlines}".strip()
sector_names = loaders.sector_names(dataset, lang)
if dataset != "demo" and not view.presenter:
    st.caption(f"{t('dataset', lang)}: {escape_markdown(available[dataset])}")
stage_names = {s: t(f"stage_{s}", lang) for s in ("local", "regional", "national", "international")}
precision_names = {p: t(f"prec_{p}", lang) for p in PRECISIONS}
located = int(firms["lat"].notna().sum())
layers, as_density = maps.drawable_layers(view.layers, located)
if as_density:
    st.info(
        t("too_many_points", lang).format(
            n=format_number(located, 0, lang), limit=format_number(maps.FIRM_POINTS_LIMIT, 0, lang)
        )
    )


def mapped_firms():
    """The firms with coordinates when a layer draws them (else all, unused)."""
    if "firms" in view.layers or "heat" in view.layers:
        return firms[firms["lat"].notna()]
    return firms


def build_map(link_control: bool = True):
    """The map of this view: built when no session has shown the view yet, and again
    for the HTML export (in its own thread)."""
    firm_json = cluster_json = None
    if "firms" in layers:
        firm_json = loaders.firm_map_payload(
            dataset, key, firm_filter, lang, map_labels(lang), sector_names, precision_names
        )
    if "clusters" in view.layers and shown is not None and len(shown):
        if significance is not None:
            cluster_json = evidence.significant_clusters_geojson(
                dataset,
                key,
                firm_filter,
                view.eps_km,
                view.min_samples,
                view.weighted,
                view.include_centres,
                view.significant_only,
                lang,
                sector_names,
                stage_names,
            )
        else:
            cluster_json = loaders.cluster_map_geojson(
                dataset,
                key,
                firm_filter,
                view.eps_km,
                view.min_samples,
                view.weighted,
                view.method,
                view.include_centres,
                lang,
                sector_names,
                stage_names,
            )
    return maps.atlas_map(
        index.aimags,
        labels=map_labels(lang),
        lang=lang,
        firms=mapped_firms(),
        clusters=shown,
        layers=layers,
        basemap=view.basemap,
        fill=fill,
        bins=bins,
        values=values,
        indicator_label=t(f"ind_{view.indicator}", lang),
        indicator=view.indicator,
        legend_note=legend_note,
        sector_names=sector_names,
        stage_names=stage_names,
        precision_names=precision_names,
        selected_aimag=view.aimag,
        firm_json=firm_json,
        cluster_json=cluster_json,
        superclusters=map_candidates(view) if "superclusters" in view.layers else None,
        selected_cluster=view.cluster,
        link_control=link_control,
        view=state.map_start(),
        opening=state.map_opening(),
    )


def build_png() -> bytes:
    """The view as a PNG for slides (made when its button is clicked)."""
    from geo.render import map_png

    title = ", ".join(sector_names.get(k, k) for k in view.sectors) or t("all_sectors", lang)
    where = filter_summary(view, lang)
    if where:
        title = f"{title} ({where})"
    return map_png(
        index.aimags,
        fill=fill,
        bins=bins,
        firms=mapped_firms() if "firms" in layers else None,
        clusters=shown if "clusters" in layers else None,
        sector_names=sector_names,
        title=f"{t('app_title', lang)}: {title}",
        indicator_label=t(f"ind_{view.indicator}", lang),
        indicator=view.indicator,
        lang=lang,
        note=t("demo_source", lang) if dataset == "demo" else available[dataset],
    )


# the map depends on the dataset's version, the language and the view: rendered once
# per such key and shared by every session that opens the same view
map_key = repr(
    (
        dataset,
        loaders.dataset_version(dataset),
        lang,
        state.map_opening(),
        view.replace(presenter=False, lat=None, lon=None, zoom=None),
        # the super-cluster layer follows the Statistics page's co-location choices
        {k: v for k, v in state.stats_choices().items() if k.startswith("co_")}
        if "superclusters" in view.layers
        else None,
    )
)
returns = ["last_active_drawing", "last_clicked", "last_object_clicked", "center", "zoom"]
on_map = map_clicked(aimag_codes)
height = 820 if view.presenter else 640


def show_map() -> None:
    """The map and, under it, the year and its Play button."""
    map_component(
        build_map,
        map_key,
        key="atlas_map",
        height=height,
        returned_objects=returns,
        on_change=on_map,
    )
    timeview.time_controls(view, all_firms, years, lang)


if view.presenter:
    show_map()
else:
    left, right = st.columns([3, 1.3])
    with left:
        show_map()
    with right:
        navigation.place_search(dataset, lang)
        cluster_panel(
            view,
            clusters,
            lang,
            significance,
            shown,
            labelled,
            download_metadata(view, dataset, len(labelled), available[dataset], significance),
        )
        if view.clustering and view.method != "dbscan":
            st.caption(t("sig_needs_dbscan", lang))
        aimag_picker(view, index.aimags, lang)
        if view.aimag:
            navigation.zoom_to_aimag(
                view.aimag, index.aimag(view.aimag)["name_mn" if lang == "mn" else "name_en"], lang
            )
            aimag_profile(
                view.aimag, lang, dataset=dataset, firm_filter=firm_filter, clusters=shown
            )
        else:
            st.info(t("click_hint", lang))

boundaryview.boundaries_caption(lang)
if not view.presenter:
    if view.clustering and view.method == "dbscan":
        k_distance_aid(dataset, key, firm_filter, view, lang)
    downloads(
        view,
        dataset,
        labelled,
        with_ecosystem(shown, dataset),
        build_map,
        lang,
        build_png,
        dataset_name=available[dataset],
        significance=significance,
    )
timeview.play_driver()
