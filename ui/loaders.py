"""Cached loaders of the embedded data, shared by every session.

The objects cached here are read-only reference data, identical for every
user; per-user data never goes through these functions.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import admin, io


@st.cache_data(show_spinner=False)
def aimags() -> gpd.GeoDataFrame:
    """The 22 first-level units (see :func:`geo.admin.load_aimags`)."""
    return admin.load_aimags()


@st.cache_data(show_spinner=False)
def regions() -> gpd.GeoDataFrame:
    """The five regions (see :func:`geo.admin.load_regions`)."""
    return admin.load_regions()


@st.cache_data(show_spinner=False)
def units() -> pd.DataFrame:
    """The soum and district gazetteer (see :func:`geo.admin.load_units`)."""
    return admin.load_units()


@st.cache_data(show_spinner=False)
def demo_firms() -> pd.DataFrame:
    """The synthetic demo registry (see :func:`geo.io.load_demo_firms`)."""
    return io.load_demo_firms()


@st.cache_resource(show_spinner=False)
def admin_index() -> admin.AdminIndex:
    """The name and point index over the embedded geography (read-only)."""
    return admin.AdminIndex(aimags(), units())


# -- the analysis pipeline, cached across sessions --------------------------------
# Each step is keyed on scalars (dataset id, a filter's repr, parameters); the
# objects themselves travel in underscore arguments, which Streamlit does not
# hash. Results are shared by every session that asks for the same view, so
# thirty people opening one link cost one computation.

def datasets() -> dict[str, str]:
    """Dataset id -> name: the demo, then the workspace's saved datasets."""
    from geo.workspace import Workspace

    saved = Workspace.default().list()
    return {"demo": "demo", **dict(zip(saved["id"], saved["name"]))}


def geocoded_firms(dataset: str) -> pd.DataFrame:
    """The firms of a dataset with the geocoder's columns (lat, lon, precision, ...).

    Keyed on the dataset's saved version, so a replaced dataset is read again.
    """
    version = 0
    if dataset != "demo":
        from geo.workspace import Workspace

        version = Workspace.default().version(dataset)
    return _geocoded_firms(dataset, version)


@st.cache_data(show_spinner=False, max_entries=8)
def _geocoded_firms(dataset: str, version: int) -> pd.DataFrame:
    from geo.geocode import Geocoder

    if dataset != "demo":
        from geo.workspace import Workspace

        return Workspace.default().load(dataset)
    firms = io.load_demo_firms()
    return Geocoder(admin_index()).geocode(firms, address_column="address",
                                           lat_column="gps_lat", lon_column="gps_lon")


@st.cache_data(show_spinner=False)
def region_of() -> dict[str, str]:
    """ISO code -> English region name."""
    a = aimags()
    return dict(zip(a["iso_3166_2"], a["region_en"]))


@st.cache_data(show_spinner=False, max_entries=64)
def view_firms(dataset: str, filter_key: str, _firm_filter) -> pd.DataFrame:
    """The firms a filter keeps."""
    return _firm_filter.apply(geocoded_firms(dataset), region_of())


@st.cache_data(show_spinner=False, max_entries=64)
def view_clusters(dataset: str, filter_key: str, _firm_filter, eps_km: float, min_samples: int,
                  weighted: bool, method: str, include_centres: bool
                  ) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """Cluster labels of the filtered firms and the described clusters."""
    from geo.cluster import cluster_firms
    from geo.describe import describe_clusters

    firms = view_firms(dataset, filter_key, _firm_filter)
    weight = "employees" if weighted and "employees" in firms.columns else None
    labelled = cluster_firms(firms, eps_km, min_samples, by="sector", weight=weight,
                             method=method, include_centres=include_centres)
    table = describe_clusters(labelled, aimags=aimags(), by="sector")
    return labelled, table


@st.cache_data(show_spinner=False, max_entries=64)
def view_statistics(dataset: str, filter_key: str, _firm_filter, level: str, by: str,
                    weighted: bool = True) -> pd.DataFrame:
    """Sector statistics of the filtered firms at a level."""
    from geo.stats import sector_statistics

    firms = view_firms(dataset, filter_key, _firm_filter)
    weight = "employees" if weighted and "employees" in firms.columns else None
    return sector_statistics(firms, aimags=aimags(), level=level, by=by, weight=weight)


@st.cache_data(show_spinner=False, max_entries=64)
def selection_statistics(dataset: str, filter_key: str, _firm_filter) -> pd.DataFrame:
    """Aimag statistics of the filter's sectors taken together, against all sectors.

    The firms pass every restriction of the filter except the sectors; the
    selected sectors form the group ``selected``. With no sector chosen the
    group is the whole economy (every LQ is 1).
    """
    from geo.stats import sector_statistics

    others = _firm_filter.replace(sectors=())
    firms = view_firms(dataset, repr(others), others)
    chosen = set(_firm_filter.sectors)
    group = firms["sector"].isin(chosen) if chosen else pd.Series(True, index=firms.index)
    frame = firms.assign(_group=group.map({True: "selected", False: "other"}))
    table = sector_statistics(frame, aimags=aimags(), by="_group")
    return table[table["_group"] == "selected"].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=32)
def k_distance_curve(dataset: str, filter_key: str, _firm_filter, min_samples: int,
                     include_centres: bool) -> tuple[pd.DataFrame, float]:
    """The sorted k-distance curve of the filtered, clusterable firms and its knee (km)."""
    from geo.cluster import MONGOLIA_BBOX, k_distances, suggest_eps_km

    firms = view_firms(dataset, filter_key, _firm_filter)
    ok = firms["lat"].notna() & firms["lon"].notna()
    if not include_centres and "precision" in firms.columns:
        ok &= firms["precision"].eq("point").fillna(False)
    x0, y0, x1, y1 = MONGOLIA_BBOX
    ok &= firms["lon"].between(x0, x1) & firms["lat"].between(y0, y1)
    f = firms[ok]
    if len(f) < max(min_samples, 3):
        return pd.DataFrame({"rank": [], "km": []}), float("nan")
    d = k_distances(f["lon"].to_numpy(float), f["lat"].to_numpy(float), min_samples)
    knee = suggest_eps_km(d)
    step = max(1, len(d) // 400)
    curve = pd.DataFrame({"rank": range(0, len(d), step), "km": d[::step]})
    return curve, knee


@st.cache_data(show_spinner=False)
def sector_names(dataset: str, lang: str) -> dict[str, str]:
    """Sector key -> its label in ``lang`` (from the dataset's label columns, else the key)."""
    firms = geocoded_firms(dataset)
    column = "sector_label_mn" if lang == "mn" else "sector_label_en"
    if "sector" not in firms.columns:
        return {}
    if column not in firms.columns:
        return {k: k for k in firms["sector"].dropna().astype(str).unique()}
    pairs = firms[["sector", column]].dropna().drop_duplicates("sector")
    return dict(zip(pairs["sector"].astype(str), pairs[column].astype(str)))


@st.cache_data(show_spinner=False, max_entries=32)
def firm_map_payload(dataset: str, filter_key: str, _firm_filter, lang: str, _labels,
                     _sector_names, _precision_names) -> tuple[str, str]:
    """The firm layer's JSON for a dataset, filter and language (shared by sessions).

    Labels and names derive from ``dataset`` and ``lang``, which key the cache.
    """
    from geo import maps

    firms = view_firms(dataset, filter_key, _firm_filter)
    # clusters are made of located firms, so their sectors add no colour here
    colours = maps.view_colours(firms)
    return maps.firm_payload(firms[firms["lat"].notna()], colours=colours, labels=_labels,
                             sector_names=_sector_names, precision_names=_precision_names)


@st.cache_data(show_spinner=False, max_entries=64)
def cluster_map_geojson(dataset: str, filter_key: str, _firm_filter, eps_km: float,
                        min_samples: int, weighted: bool, method: str, include_centres: bool,
                        lang: str, _sector_names, _stage_names) -> dict:
    """The cluster outlines' GeoJSON for a view and a language (shared by sessions)."""
    from geo import maps

    firms = view_firms(dataset, filter_key, _firm_filter)
    _, clusters = view_clusters(dataset, filter_key, _firm_filter, eps_km, min_samples,
                                weighted, method, include_centres)
    return maps.cluster_geojson(clusters, colours=maps.view_colours(firms, clusters),
                                sector_names=_sector_names, stage_names=_stage_names)
