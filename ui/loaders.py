"""Cached loaders and pipeline steps, shared by every session.

What is cached here depends only on its arguments (embedded data, a saved
dataset and its version, a filter, parameters): the same for every user who
asks for the same view. Per-user data (an upload in progress, a session's
widgets) never goes through these functions.

Tables are cached once per process with :func:`shared` and handed to each
caller as a copy-on-write copy (pandas 3): a session that changes its copy
changes nothing for anyone else, and thirty sessions hold one table, not
thirty. (``st.cache_data`` unpickled a fresh deep copy at every hit: a fifth
of a Map page run, and about 30 MB kept per session by the deferred downloads;
bench/bench_browser.py.)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import admin, io

F = TypeVar("F", bound=Callable[..., Any])
#: A dataset's saved version and the boundaries' version (:func:`dataset_version`).
Version = tuple[int, str]


def cow_copy(value: Any) -> Any:
    """A copy-on-write copy of a table (or of each table in a tuple); other values as they are.

    Under pandas 3's copy-on-write a shallow copy shares its data until one
    side writes, and then only the writer's copy changes.
    """
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(cow_copy(v) for v in value)
    return value


def shared(max_entries: int | None = None, ttl: float | None = None) -> Callable[[F], F]:
    """Cache a function's result once for all sessions, handing out copy-on-write copies.

    Like ``st.cache_data``, arguments whose names start with an underscore
    are not hashed, and ``.clear()`` empties the cache. ``max_entries`` and
    ``ttl`` (seconds) bound the memory: a filtered table of a large register
    can weigh hundreds of MB.
    """
    def wrap(func: F) -> F:
        cached = st.cache_resource(show_spinner=False, max_entries=max_entries,
                                   ttl=ttl)(func)

        @functools.wraps(func)
        def call(*args, **kwargs):
            return cow_copy(cached(*args, **kwargs))

        call.clear = cached.clear  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]
    return wrap


# -- boundaries: the embedded, generalised ones, or official ones a user loaded ------------
# Every layer below depends on the workspace's boundaries version: loading or removing
# official boundaries changes it, and every page, map and statistic follows.

def boundaries_version() -> str:
    """A key of the boundaries in use: empty for the embedded ones; it changes whenever
    official boundaries are loaded or removed (:meth:`geo.workspace.Workspace.boundaries_key`)."""
    return workspace().boundaries_key()


@st.cache_resource(show_spinner=False, max_entries=3)
def _boundary_layers(version: str):
    from geo.boundaries import boundary_layers, embedded_layers

    stored = workspace().boundaries() if version else None
    if stored is None:
        return embedded_layers()
    source, layer, _ = stored
    return boundary_layers(layer, source.level, source, embedded_aimags(), admin.load_units())


@shared()
def embedded_aimags() -> gpd.GeoDataFrame:
    """The embedded aimag layer (its attributes serve every set of boundaries)."""
    return admin.load_aimags()


def boundary_source():
    """Which boundaries the app uses (:class:`geo.boundaries.BoundarySource`)."""
    return _boundary_layers(boundaries_version()).source


def aimags() -> gpd.GeoDataFrame:
    """The 22 first-level units, drawn from the boundaries in use (see
    :func:`geo.admin.load_aimags`, :func:`geo.boundaries.boundary_layers`)."""
    return cow_copy(_boundary_layers(boundaries_version()).aimags)


def regions() -> gpd.GeoDataFrame:
    """The five regions, the union of their aimags."""
    return cow_copy(_boundary_layers(boundaries_version()).regions)


@shared()
def units() -> pd.DataFrame:
    """The soum and district gazetteer (see :func:`geo.admin.load_units`)."""
    return admin.load_units()


@shared()
def demo_firms() -> pd.DataFrame:
    """The synthetic demo registry (see :func:`geo.io.load_demo_firms`)."""
    return io.load_demo_firms()


def admin_index() -> admin.AdminIndex:
    """The name and point index over the boundaries in use (read-only)."""
    return _boundary_layers(boundaries_version()).index


# -- the analysis pipeline, cached across sessions --------------------------------
# Each step is keyed on scalars (dataset id and its saved version, a filter's repr,
# parameters); the objects themselves travel in underscore arguments, which are not
# hashed. Results are shared by every session that asks for the same view, so
# thirty people opening one link cost one computation. The public functions look
# the version up, so a replaced dataset is never answered from the old one.

def workspace():
    """The shared workspace of this data folder (opened once, see :mod:`geo.workspace`)."""
    from geo.views import data_dir

    return _workspace(str(data_dir() / "workspace.sqlite"))


@st.cache_resource(show_spinner=False)
def _workspace(path: str):
    from geo.workspace import Workspace

    return Workspace(path)


def datasets() -> dict[str, str]:
    """Dataset id -> name: the demo, then the workspace's saved datasets."""
    saved = workspace().list()
    return {"demo": "demo", **dict(zip(saved["id"], saved["name"]))}


def dataset_version(dataset: str) -> Version:
    """The saved version of a dataset (0 for the demo) and the boundaries' version: it
    changes when a dataset is replaced or other boundaries are loaded."""
    bounds = boundaries_version()
    if dataset == "demo":
        return 0, bounds
    return workspace().version(dataset), bounds


def geocoded_firms(dataset: str) -> pd.DataFrame:
    """The firms of a dataset with the geocoder's columns (lat, lon, precision, ...)."""
    return _geocoded_firms(dataset, dataset_version(dataset))


@shared(max_entries=4)
def _geocoded_firms(dataset: str, version: Version) -> pd.DataFrame:
    from geo.geocode import Geocoder

    index = _boundary_layers(version[1]).index
    if dataset != "demo":
        saved = workspace().load(dataset)
        if _boundary_layers(version[1]).source.official:
            # saved before these boundaries: its points take their aimag and soum from them
            return Geocoder(index).relocate(saved)
        return saved
    firms = io.load_demo_firms()
    return Geocoder(index).geocode(firms, address_column="address",
                                   lat_column="gps_lat", lon_column="gps_lon")


def sector_keys(dataset: str) -> tuple[str, ...]:
    """The sector keys of a dataset's firms, sorted."""
    return _sector_keys(dataset, dataset_version(dataset))


@st.cache_data(show_spinner=False, max_entries=16)
def _sector_keys(dataset: str, version: Version) -> tuple[str, ...]:
    firms = geocoded_firms(dataset)
    return tuple(sorted(firms["sector"].dropna().astype(str).unique()))


def region_of() -> dict[str, str]:
    """ISO code -> English region name."""
    a = aimags()
    return dict(zip(a["iso_3166_2"], a["region_en"]))


def view_firms(dataset: str, filter_key: str, firm_filter) -> pd.DataFrame:
    """The firms a filter keeps (``filter_key`` is the filter's repr)."""
    return _view_firms(dataset, dataset_version(dataset), filter_key, firm_filter)


@shared(max_entries=16, ttl=3600)
def _view_firms(dataset: str, version: Version, filter_key: str, _firm_filter) -> pd.DataFrame:
    return _firm_filter.apply(_geocoded_firms(dataset, version), region_of())


def view_clusters(dataset: str, filter_key: str, firm_filter, eps_km: float, min_samples: int,
                  weighted: bool, method: str, include_centres: bool
                  ) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """Cluster labels of the filtered firms and the described clusters."""
    return _view_clusters(dataset, dataset_version(dataset), filter_key, firm_filter, eps_km,
                          min_samples, weighted, method, include_centres)


@shared(max_entries=16, ttl=3600)
def _view_clusters(dataset: str, version: Version, filter_key: str, _firm_filter, eps_km: float,
                   min_samples: int, weighted: bool, method: str, include_centres: bool
                   ) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    from geo.cluster import cluster_firms
    from geo.describe import describe_clusters

    firms = _view_firms(dataset, version, filter_key, _firm_filter)
    weight = "employees" if weighted and "employees" in firms.columns else None
    labelled = cluster_firms(firms, eps_km, min_samples, by="sector", weight=weight,
                             method=method, include_centres=include_centres)
    table = describe_clusters(labelled, aimags=_boundary_layers(version[1]).aimags,
                              by="sector")
    return labelled, table


def view_statistics(dataset: str, filter_key: str, firm_filter, level: str, by: str,
                    weighted: bool = True) -> pd.DataFrame:
    """Sector statistics of the filtered firms at a level."""
    return _view_statistics(dataset, dataset_version(dataset), filter_key, firm_filter, level,
                            by, weighted)


@shared(max_entries=64, ttl=3600)
def _view_statistics(dataset: str, version: Version, filter_key: str, _firm_filter, level: str,
                     by: str, weighted: bool) -> pd.DataFrame:
    from geo.stats import sector_statistics

    firms = _view_firms(dataset, version, filter_key, _firm_filter)
    weight = "employees" if weighted and "employees" in firms.columns else None
    return sector_statistics(firms, aimags=_boundary_layers(version[1]).aimags, level=level,
                             by=by, weight=weight)


def selection_statistics(dataset: str, filter_key: str, firm_filter) -> pd.DataFrame:
    """Aimag statistics of the filter's sectors taken together, against all sectors.

    The firms pass every restriction of the filter except the sectors; the
    selected sectors form the group ``selected``. With no sector chosen the
    group is the whole economy (every LQ is 1).
    """
    return _selection_statistics(dataset, dataset_version(dataset), filter_key, firm_filter)


@shared(max_entries=64, ttl=3600)
def _selection_statistics(dataset: str, version: Version, filter_key: str,
                          _firm_filter) -> pd.DataFrame:
    from geo.stats import sector_statistics

    others = _firm_filter.replace(sectors=())
    firms = _view_firms(dataset, version, repr(others), others)
    chosen = set(_firm_filter.sectors)
    group = firms["sector"].isin(chosen) if chosen else pd.Series(True, index=firms.index)
    frame = firms.assign(_group=group.map({True: "selected", False: "other"}))
    table = sector_statistics(frame, aimags=_boundary_layers(version[1]).aimags, by="_group")
    return table[table["_group"] == "selected"].reset_index(drop=True)


def k_distance_curve(dataset: str, filter_key: str, firm_filter, min_samples: int,
                     include_centres: bool) -> tuple[pd.DataFrame, float]:
    """The sorted k-distance curve of the filtered, clusterable firms and its knee (km)."""
    return _k_distance_curve(dataset, dataset_version(dataset), filter_key, firm_filter,
                             min_samples, include_centres)


@shared(max_entries=32, ttl=3600)
def _k_distance_curve(dataset: str, version: Version, filter_key: str, _firm_filter,
                      min_samples: int, include_centres: bool) -> tuple[pd.DataFrame, float]:
    from geo.cluster import MONGOLIA_BBOX, k_distances, suggest_eps_km

    firms = _view_firms(dataset, version, filter_key, _firm_filter)
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


def sector_names(dataset: str, lang: str) -> dict[str, str]:
    """Sector key -> its label in ``lang`` (from the dataset's label columns, else the key)."""
    return _sector_names(dataset, dataset_version(dataset), lang)


@st.cache_data(show_spinner=False, max_entries=32)
def _sector_names(dataset: str, version: Version, lang: str) -> dict[str, str]:
    firms = _geocoded_firms(dataset, version)
    column = "sector_label_mn" if lang == "mn" else "sector_label_en"
    if "sector" not in firms.columns:
        return {}
    if column not in firms.columns:
        return {k: k for k in firms["sector"].dropna().astype(str).unique()}
    pairs = firms[["sector", column]].dropna().drop_duplicates("sector")
    return dict(zip(pairs["sector"].astype(str), pairs[column].astype(str)))


def firm_map_payload(dataset: str, filter_key: str, firm_filter, lang: str, labels,
                     sector_names, precision_names) -> tuple[str, str]:
    """The firm layer's packed rows and lookup for a dataset, filter and language.

    Labels and names derive from ``dataset`` and ``lang``, which key the cache.
    """
    return _firm_map_payload(dataset, dataset_version(dataset), filter_key, firm_filter, lang,
                             labels, sector_names, precision_names)


@st.cache_data(show_spinner=False, max_entries=32)
def _firm_map_payload(dataset: str, version: Version, filter_key: str, _firm_filter, lang: str,
                      _labels, _sector_names, _precision_names) -> tuple[str, str]:
    from geo import maps

    firms = _view_firms(dataset, version, filter_key, _firm_filter)
    # clusters are made of located firms, so their sectors add no colour here
    colours = maps.view_colours(firms)
    return maps.firm_payload(firms[firms["lat"].notna()], colours=colours, labels=_labels,
                             sector_names=_sector_names, precision_names=_precision_names)


def cluster_map_geojson(dataset: str, filter_key: str, firm_filter, eps_km: float,
                        min_samples: int, weighted: bool, method: str, include_centres: bool,
                        lang: str, sector_names, stage_names) -> dict:
    """The cluster outlines' GeoJSON for a view and a language (shared by sessions)."""
    return _cluster_map_geojson(dataset, dataset_version(dataset), filter_key, firm_filter,
                                eps_km, min_samples, weighted, method, include_centres, lang,
                                sector_names, stage_names)


@st.cache_data(show_spinner=False, max_entries=64)
def _cluster_map_geojson(dataset: str, version: Version, filter_key: str, _firm_filter,
                         eps_km: float, min_samples: int, weighted: bool, method: str,
                         include_centres: bool, lang: str, _sector_names,
                         _stage_names) -> dict:
    from geo import maps

    firms = _view_firms(dataset, version, filter_key, _firm_filter)
    _, clusters = _view_clusters(dataset, version, filter_key, _firm_filter, eps_km,
                                 min_samples, weighted, method, include_centres)
    return maps.cluster_geojson(clusters, colours=maps.view_colours(firms, clusters),
                                sector_names=_sector_names, stage_names=_stage_names)
