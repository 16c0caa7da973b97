"""The Map page's widgets: view controls, headline, the cluster list, clicks on the map, the
aimag picker (saved views: ui.savedviews; radius aid and downloads: ui.mapexports)."""

from __future__ import annotations


import pandas as pd
import streamlit as st

from geo.admin import REGIONS
from geo.filters import PRECISIONS, SIZE_BANDS
from geo.safety import escape_markdown
from geo.formats import format_number, format_value
from geo.view import INDICATORS, LAYERS, View, map_event_changes
from ui import loaders
from ui.ecosystemview import ecosystem_profile
from ui.i18n import t
from ui import navigation, state
from ui.significanceview import (
    cluster_columns,
    cluster_detail,
    column_config,
    headline_count,
    significance_note,
)
from ui.state import WIDGET

_ANY = "any"


def map_labels(lang: str) -> dict[str, str]:
    """Interface strings the map needs."""
    keys = (
        "name",
        "region",
        "population",
        "sector",
        "firms",
        "employees",
        "address",
        "precision",
        "cluster",
        "stage",
        "aimags",
        "layer_aimags",
        "layer_firms",
        "layer_clusters",
        "layer_heat",
        "layer_superclusters",
        "sc_sectors",
        "legend_sectors",
        "copy_link",
        "copy_link_title",
        "more",
        "legend",
        "p_value",
        "whole_country",
        "full_screen",
    )
    return {k: t(k, lang) for k in keys}


def _tristate(label: str, key: str, lang: str) -> bool | None:
    options = [_ANY, "yes", "no"]
    if st.session_state.get(key) not in options:
        st.session_state[key] = _ANY
    choice = st.sidebar.radio(
        label, options, key=key, horizontal=True, format_func=lambda v: t(f"tri_{v}", lang)
    )
    return None if choice == _ANY else choice == "yes"


def _dataset_changed() -> None:
    """Another dataset: the cluster numbers of the old one mean nothing there."""
    state.change(dataset=st.session_state[WIDGET["dataset"]], cluster=None)


def view_controls(
    lang: str,
    firms: pd.DataFrame,
    sector_keys: tuple[str, ...],
    available: dict[str, str],
    current: View,
) -> View:
    """Draw the sidebar filters and parameters; return the view they describe.

    ``current`` is the session's view: the widgets were seeded from it, and
    the fields that have no widget (selection, centre and zoom) come from it.
    """
    side = st.sidebar
    side.selectbox(
        t("dataset", lang),
        list(available),
        key=WIDGET["dataset"],
        placeholder=t("choose_option", lang),
        on_change=_dataset_changed,
        format_func=lambda d: t("demo_name", lang) if d == "demo" else available[d],
    )
    dataset = st.session_state[WIDGET["dataset"]]
    names = loaders.sector_names(dataset, lang)
    side.subheader(t("filters", lang))
    st.session_state[WIDGET["sectors"]] = [
        k for k in st.session_state.get(WIDGET["sectors"], []) if k in sector_keys
    ]
    sectors = side.multiselect(
        t("sectors", lang),
        list(sector_keys),
        key=WIDGET["sectors"],
        format_func=lambda k: names.get(k, k),
        placeholder=t("all_sectors", lang),
    )
    region_options = [_ANY, *REGIONS]
    if st.session_state.get(WIDGET["region"]) not in region_options:
        st.session_state[WIDGET["region"]] = _ANY
    region = side.selectbox(
        t("region", lang),
        region_options,
        key=WIDGET["region"],
        placeholder=t("choose_option", lang),
        format_func=lambda r: t("tri_any", lang) if r == _ANY else loaders.region_name(r, lang),
    )
    aimags = loaders.aimags()
    in_region = aimags if region == _ANY else aimags[aimags["region_en"] == region]
    codes = list(in_region["iso_3166_2"])
    st.session_state[WIDGET["aimags"]] = [
        c for c in st.session_state.get(WIDGET["aimags"], []) if c in codes
    ]
    aimag_names = dict(zip(aimags["iso_3166_2"], aimags["name_mn" if lang == "mn" else "name_en"]))
    chosen_aimags = side.multiselect(
        t("aimags", lang),
        codes,
        key=WIDGET["aimags"],
        format_func=lambda c: aimag_names.get(c, c),
        placeholder=t("all_aimags", lang),
    )
    sizes = side.multiselect(
        t("size_band", lang),
        list(SIZE_BANDS),
        key=WIDGET["sizes"],
        format_func=lambda b: t(f"size_{b}", lang),
        placeholder=t("all_sizes", lang),
    )
    years = pd.to_numeric(firms.get("founded"), errors="coerce").dropna()
    founded = None
    if len(years) and years.min() < years.max():  # a slider needs two different ends
        lo, hi = int(years.min()), int(years.max())
        stored = st.session_state.get(WIDGET["founded"])
        if not (isinstance(stored, (tuple, list)) and len(stored) == 2):
            stored = (lo, hi)
        st.session_state[WIDGET["founded"]] = (
            max(lo, min(int(stored[0]), hi)),
            min(hi, max(int(stored[1]), lo)),
        )
        picked = side.slider(t("founded", lang), lo, hi, key=WIDGET["founded"])
        founded = None if tuple(picked) == (lo, hi) else (int(picked[0]), int(picked[1]))
    exporter = _tristate(t("exporters", lang), WIDGET["exporter"], lang)
    foreign = _tristate(t("foreign_owned", lang), WIDGET["foreign_owned"], lang)
    precisions = side.multiselect(
        t("precision", lang),
        list(PRECISIONS),
        key=WIDGET["precisions"],
        format_func=lambda p: t(f"prec_{p}", lang),
        placeholder=t("all_precisions", lang),
    )
    side.button(
        t("reset_filters", lang),
        key="reset_filters",
        on_click=state.reset_filter,
        help=t("reset_filters_help", lang),
        icon=":material/filter_alt_off:",
    )

    side.subheader(t("clustering", lang))
    clustering = side.toggle(t("clustering_on", lang), key=WIDGET["clustering"])
    method = side.radio(
        t("method", lang),
        ["dbscan", "hdbscan"],
        key=WIDGET["method"],
        horizontal=True,
        format_func=lambda m: m.upper(),
    )
    eps = side.number_input(
        t("eps_km", lang),
        min_value=0.05,
        max_value=100.0,
        step=0.1,
        key=WIDGET["eps_km"],
        disabled=method != "dbscan",
        help=t("eps_help", lang),
    )
    min_samples = side.number_input(
        t("min_samples", lang),
        min_value=2,
        max_value=10_000,
        step=1,
        key=WIDGET["min_samples"],
        help=t("min_samples_help", lang),
    )
    weighted = side.checkbox(
        t("weighted", lang),
        key=WIDGET["weighted"],
        disabled=method != "dbscan",
        help=t("weighted_help", lang),
    )
    include_centres = side.checkbox(
        t("include_centres", lang),
        key=WIDGET["include_centres"],
        help=t("include_centres_help", lang),
    )
    significant_only = side.toggle(
        t("significant_only", lang),
        key=WIDGET["significant_only"],
        disabled=method != "dbscan" or not clustering,
        help=t("significant_only_help", lang),
    )

    side.subheader(t("layers", lang))
    layers = side.multiselect(
        t("layers", lang),
        list(LAYERS),
        key=WIDGET["layers"],
        format_func=lambda k: t(f"layer_{k}", lang),
        label_visibility="collapsed",
    )
    indicator = side.selectbox(
        t("indicator", lang),
        list(INDICATORS),
        key=WIDGET["indicator"],
        placeholder=t("choose_option", lang),
        format_func=lambda k: t(f"ind_{k}", lang),
    )
    basemap = side.radio(
        t("basemap", lang),
        ["none", "osm"],
        key=WIDGET["basemap"],
        format_func=lambda v: t(f"basemap_{v}", lang),
    )
    presenter = side.toggle(t("presenter", lang), key=WIDGET["presenter"])
    return current.replace(
        lang=lang,
        dataset=dataset or "demo",
        sectors=tuple(sectors),
        region=None if region == _ANY else region,
        aimags=tuple(chosen_aimags),
        sizes=tuple(sizes),
        founded=founded,
        exporter=exporter,
        foreign_owned=foreign,
        precisions=tuple(precisions),
        eps_km=float(eps),
        min_samples=int(min_samples),
        weighted=bool(weighted),
        method=method,
        clustering=bool(clustering),
        include_centres=bool(include_centres),
        layers=tuple(layers),
        basemap=basemap,
        indicator=indicator,
        presenter=bool(presenter),
        significant_only=bool(significant_only),
    )


def headline(
    view: View, firms: pd.DataFrame, clusters, selection: pd.DataFrame, lang: str, significance=None
) -> None:
    """The numbers above the map; in presenter mode one figure per selected sector.

    With ``significance`` (:func:`ui.evidence.tested_clusters`) the cluster figure
    counts the significant clusters only.
    """
    n_clusters = 0 if clusters is None else len(clusters)
    employees = pd.to_numeric(firms.get("employees"), errors="coerce").sum()
    cols = st.columns(4)
    cols[0].metric(t("firms", lang), format_number(len(firms), 0, lang))
    cols[1].metric(t("employees", lang), format_number(employees, 0, lang))
    counted = headline_count(clusters, significance)
    if counted is None:
        cols[2].metric(t("clusters_found", lang), n_clusters)
    else:
        cols[2].metric(
            t("significant_clusters", lang),
            counted[0],
            help=t("significant_clusters_help", lang).format(**counted[1]),
        )
    sel = selection[selection["aimag_code"] != "MN"]
    if view.sectors and len(sel) and sel["lq_employment"].notna().any():
        top = sel.loc[sel["lq_employment"].idxmax()]
        name = top["name_mn"] if lang == "mn" else top["name_en"]
        cols[3].metric(
            t("top_lq_aimag", lang),
            name,
            f"LQ {format_value(top['lq_employment'], 'lq_employment', lang)}",
            delta_color="off",
        )
    if view.presenter and view.sectors:
        names = loaders.sector_names(view.dataset, lang)
        per = st.columns(min(len(view.sectors), 4))
        for i, sector in enumerate(view.sectors[:4]):
            mask = firms["sector"] == sector
            e = pd.to_numeric(firms.loc[mask, "employees"], errors="coerce").sum()
            per[i].metric(
                f"{escape_markdown(names.get(sector, sector))} · {t('employees', lang).lower()}",
                format_number(e, 0, lang),
            )


#: Session key of the cluster table's generation: a new one drops the table's ticks.
TABLE_GENERATION = "cluster_table_generation"


def select_cluster(cluster: int | None) -> None:
    """Select a cluster (None: none), from the list, the map or "Clear selection";
    the list shows the selection afresh (a widget callback)."""
    state.change(cluster=cluster)
    st.session_state[TABLE_GENERATION] = st.session_state.get(TABLE_GENERATION, 0) + 1


def cluster_panel(
    view: View,
    clusters,
    lang: str,
    significance=None,
    shown=None,
    labelled: pd.DataFrame | None = None,
    download: tuple[dict, str] | None = None,
) -> None:
    """The list of detected clusters; selecting a row selects the cluster on the map.

    With ``significance`` the list gains each cluster's p-value and a tick for the
    significant ones; ``shown`` are the clusters on the map (all, or the significant).
    With the ``labelled`` firms (clustered) a selected cluster shows its history, and
    with the view's ``download`` metadata and file stem its firms, to read and download.
    """
    st.subheader(t("clusters_found", lang))
    tested = significance is not None and clusters is not None and "p_value" in clusters
    shown_all = clusters
    if tested and shown is not None:
        clusters = shown
    if clusters is None:
        st.caption(t("clustering_off", lang))
        return
    if not len(clusters):
        st.caption(t("no_clusters", lang))
        if tested:
            significance_note(significance, shown_all, clusters, lang)
        return
    names = loaders.sector_names(view.dataset, lang)
    table = pd.DataFrame(
        {
            t("cluster", lang): clusters["cluster"].to_numpy(),
            **(cluster_columns(clusters, lang) if tested else {}),
            t("sector", lang): clusters["sector"].map(lambda k: names.get(k, k)).to_numpy(),
            t("firms", lang): clusters["firms"].to_numpy(),
            t("employees", lang): clusters["employees"].round().astype(int).to_numpy(),
            t("aimags", lang): clusters["aimags"].to_numpy(),
            t("stage", lang): clusters["stage"].map(lambda s: t(f"stage_{s}", lang)).to_numpy(),
        }
    ).sort_values(t("employees", lang), ascending=False)
    ids = table[t("cluster", lang)].astype(int).tolist()
    key = f"cluster_table_{st.session_state.get(TABLE_GENERATION, 0)}"

    def picked() -> None:
        rows = st.session_state[key]["selection"]["rows"]
        state.change(cluster=ids[rows[0]] if rows else None)

    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=260,
        on_select=picked,
        selection_mode="single-row",
        key=key,
        column_config=column_config(lang) if tested else None,
    )
    if tested:
        significance_note(significance, shown_all, clusters, lang)
    if view.cluster is not None:
        hit = clusters[clusters["cluster"] == view.cluster]
        if len(hit):
            c = hit.iloc[0]
            sector = escape_markdown(names.get(c["sector"], c["sector"]))
            st.markdown(f"**#{int(c['cluster'])} · {sector}**")
            st.caption(
                f"{t('stage', lang)}: {t('stage_' + c['stage'], lang)} — "
                f"{escape_markdown(c['stage_reason'])}"
            )
            st.caption(
                f"{t('dominant_divisions', lang)}: "
                f"{escape_markdown(c['dominant_divisions']) or '–'} · "
                f"{t('area_km2', lang)}: {format_number(c['area_km2'], 1, lang)} · "
                f"{t('sector_share', lang)}: "
                f"{format_number(100 * c['sector_share'], 0, lang)}%"
            )
            if tested:
                cluster_detail(c, significance.replicates, lang)
            ecosystem_profile(hit.iloc[[0]], view.dataset, lang)
            if labelled is not None:
                from ui.timeview import cluster_history

                cluster_history(view, labelled, c, lang)
            if labelled is not None and download is not None:
                navigation.cluster_firms(
                    view, labelled, int(c["cluster"]), lang, meta=download[0], stem=download[1]
                )
            buttons = st.columns(2)
            with buttons[0]:
                navigation.zoom_to_cluster(c, lang)
            buttons[1].button(
                t("clear_selection", lang),
                key="clear_cluster",
                on_click=select_cluster,
                args=(None,),
            )
        else:  # a link's cluster that this view (its filter, year, parameters) does not have
            st.caption(t("cluster_not_here", lang).format(n=int(view.cluster)))
            st.button(
                t("clear_selection", lang),
                key="clear_cluster",
                on_click=select_cluster,
                args=(None,),
            )


def map_clicked(aimag_codes: tuple[str, ...]):
    """The Map's callback for what the map reports: its centre and zoom, and clicks.

    A click on an aimag or a cluster outline selects it. A click that reached
    the map but no layer (Leaflet gives the first click after the map opens to
    the map pane when the pointer's target changed under it) selects the aimag
    under the clicked point, so no click is lost; a click on a firm marker
    selects nothing (its popup opens).
    """

    def aimag_at(lat: float, lon: float) -> str | None:
        code = loaders.admin_index().locate([lat], [lon]).at[0, "aimag_code"]
        return code if isinstance(code, str) else None

    def on_map(value: dict) -> None:
        before = st.session_state.get("atlas_map_last") or {}
        st.session_state["atlas_map_last"] = value
        changes = map_event_changes(before, value, aimag_codes, aimag_at)
        if "cluster" in changes:
            select_cluster(changes.pop("cluster"))
        if changes:
            state.change(**changes)

    return on_map


def aimag_picker(view: View, aimags: pd.DataFrame, lang: str) -> None:
    """Select an aimag from the side panel: the same selection a click on the map makes."""
    codes = [""] + list(aimags["iso_3166_2"])
    names = dict(zip(aimags["iso_3166_2"], aimags["name_mn" if lang == "mn" else "name_en"]))
    # follow a click on the map (allowed: the widget is not drawn yet in this run)
    st.session_state["aimag_pick"] = view.aimag or ""

    def chosen() -> None:
        state.change(aimag=st.session_state["aimag_pick"] or None)

    st.selectbox(
        t("selected_aimag", lang),
        codes,
        key="aimag_pick",
        on_change=chosen,
        placeholder=t("choose_option", lang),
        format_func=lambda c: names.get(c, "—") if c else "—",
    )
