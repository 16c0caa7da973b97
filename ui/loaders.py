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
from typing import Any, Generic, TypeVar

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import admin, io

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")

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
        cached = st.cache_resource(show_spinner=False, max_entries=max_entries, ttl=ttl)(func)

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
# Each step is cached on its own arguments, which are its cache key: the dataset id and its
# saved version, a filter's repr, parameters. Objects travel in arguments whose names start
# with an underscore, which are not hashed. Results are shared by every session that asks
# for the same view, so thirty people opening one link cost one computation.
#
# A step is written with the version as its second argument and decorated with
# @per_version(cache): callers leave the version out (``view_firms(dataset, key, filter)``)
# and it is looked up for them, so a replaced dataset is never answered from the old one;
# a step inside another passes the version it has (``view_firms.at(dataset, version, ...)``).


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


class PerVersion(Generic[R]):
    """A cached pipeline step whose cache key starts with (dataset, version).

    Calling it without the version looks the version up (:func:`dataset_version`);
    :meth:`at` calls the cached step with a given version; :meth:`clear` empties its cache.
    The step's own signature is its cache key (underscore arguments excluded).
    """

    def __init__(self, step: Callable[..., R], cached: Callable[..., R]) -> None:
        functools.update_wrapper(self, step)
        self.at = cached

    def __call__(self, dataset: str, *args: Any, **kwargs: Any) -> R:
        return self.at(dataset, dataset_version(dataset), *args, **kwargs)

    def clear(self) -> None:
        """Forget every cached result of this step."""
        self.at.clear()  # type: ignore[attr-defined]


def per_version(
    cache: Callable[[Callable[..., R]], Callable[..., R]],
) -> Callable[[Callable[..., R]], PerVersion[R]]:
    """Cache a step ``step(dataset, version, ...)`` with ``cache`` (:func:`shared` or
    ``st.cache_data``) and let callers leave the version out."""

    def wrap(step: Callable[..., R]) -> PerVersion[R]:
        return PerVersion(step, cache(step))

    return wrap


@per_version(shared(max_entries=4))
def geocoded_firms(dataset: str, version: Version) -> pd.DataFrame:
    """The firms of a dataset with the geocoder's columns (lat, lon, precision, ...)."""
    from geo.geocode import Geocoder

    index = _boundary_layers(version[1]).index
    if dataset != "demo":
        saved = workspace().load(dataset)
        if _boundary_layers(version[1]).source.official:
            # saved before these boundaries: its points take their aimag and soum from them
            return Geocoder(index).relocate(saved)
        return saved
    firms = io.load_demo_firms()
    return Geocoder(index).geocode(
        firms, address_column="address", lat_column="gps_lat", lon_column="gps_lon"
    )


#: The cached step itself (for code written before :func:`per_version`).
_geocoded_firms = geocoded_firms.at


@per_version(shared(max_entries=4))
def place_index(dataset: str, version: Version):
    """The search box's names: the gazetteer's and the located firms' of a dataset."""
    from geo.search import PlaceIndex

    return PlaceIndex(_boundary_layers(version[1]).index, geocoded_firms.at(dataset, version))


@per_version(st.cache_data(show_spinner=False, max_entries=16))
def sector_keys(dataset: str, version: Version) -> tuple[str, ...]:
    """The sector keys of a dataset's firms, sorted."""
    firms = geocoded_firms.at(dataset, version)
    return tuple(sorted(firms["sector"].dropna().astype(str).unique()))


@st.cache_data(show_spinner=False)
def region_names() -> dict[str, str]:
    """English region name -> Mongolian, from the aimag table (the one regions table)."""
    a = aimags()
    return dict(zip(a["region_en"], a["region_mn"]))


def region_name(region: str, lang: str) -> str:
    """A region's name in ``lang`` (regions are keyed by their English name)."""
    return region_names().get(region, region) if lang == "mn" else region


@st.cache_data(show_spinner=False)
def region_of() -> dict[str, str]:
    """ISO code -> English region name."""
    a = aimags()
    return dict(zip(a["iso_3166_2"], a["region_en"]))


@per_version(shared(max_entries=16, ttl=3600))
def view_firms(dataset: str, version: Version, filter_key: str, _firm_filter) -> pd.DataFrame:
    """The firms a filter keeps (``filter_key`` is the filter's repr)."""
    return _firm_filter.apply(geocoded_firms.at(dataset, version), region_of())


@per_version(shared(max_entries=16, ttl=3600))
def view_clusters(
    dataset: str,
    version: Version,
    filter_key: str,
    _firm_filter,
    eps_km: float,
    min_samples: int,
    weighted: bool,
    method: str,
    include_centres: bool,
) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """Cluster labels of the filtered firms and the described clusters."""
    from geo.cluster import cluster_firms
    from geo.describe import describe_clusters

    firms = view_firms.at(dataset, version, filter_key, _firm_filter)
    weight = "employees" if weighted and "employees" in firms.columns else None
    labelled = cluster_firms(
        firms,
        eps_km,
        min_samples,
        by="sector",
        weight=weight,
        method=method,
        include_centres=include_centres,
    )
    table = describe_clusters(labelled, aimags=_boundary_layers(version[1]).aimags, by="sector")
    return labelled, table


@per_version(shared(max_entries=16, ttl=3600))
def cluster_lineages(
    dataset: str,
    version: Version,
    filter_key: str,
    _firm_filter,
    eps_km: float,
    min_samples: int,
    weighted: bool,
    include_centres: bool,
    years: tuple[int, ...],
) -> pd.DataFrame:
    """The clusters of each of ``years`` linked across the years
    (:func:`geo.timeline.link_clusters`): DBSCAN on the filter's firms as of each year,
    the last year's being the filter's own (its clusters are the map's)."""
    from geo.cluster import cluster_firms
    from geo.timeline import link_clusters

    labels = {}
    for year in years:
        flt = _firm_filter if year == years[-1] else _firm_filter.replace(as_of=year)
        firms = view_firms.at(dataset, version, repr(flt), flt)
        weight = "employees" if weighted and "employees" in firms.columns else None
        labelled = cluster_firms(
            firms,
            eps_km,
            min_samples,
            by="sector",
            weight=weight,
            method="dbscan",
            include_centres=include_centres,
        )
        labels[year] = pd.Series(labelled["cluster"].to_numpy(), index=labelled.index)
    return link_clusters(labels)


@per_version(shared(max_entries=64, ttl=3600))
def view_statistics(
    dataset: str,
    version: Version,
    filter_key: str,
    _firm_filter,
    level: str,
    by: str,
    weighted: bool = True,
) -> pd.DataFrame:
    """Sector statistics of the filtered firms at a level."""
    from geo.stats import sector_statistics

    firms = view_firms.at(dataset, version, filter_key, _firm_filter)
    weight = "employees" if weighted and "employees" in firms.columns else None
    return sector_statistics(
        firms, aimags=_boundary_layers(version[1]).aimags, level=level, by=by, weight=weight
    )


@per_version(shared(max_entries=64, ttl=3600))
def selection_statistics(
    dataset: str, version: Version, filter_key: str, _firm_filter
) -> pd.DataFrame:
    """Aimag statistics of the filter's sectors taken together, against all sectors.

    The firms pass every restriction of the filter except the sectors; the
    selected sectors form the group ``selected``. With no sector chosen the
    group is the whole economy (every LQ is 1).
    """
    from geo.stats import sector_statistics

    others = _firm_filter.replace(sectors=())
    firms = view_firms.at(dataset, version, repr(others), others)
    chosen = set(_firm_filter.sectors)
    group = firms["sector"].isin(chosen) if chosen else pd.Series(True, index=firms.index)
    frame = firms.assign(_group=group.map({True: "selected", False: "other"}))
    table = sector_statistics(frame, aimags=_boundary_layers(version[1]).aimags, by="_group")
    return table[table["_group"] == "selected"].reset_index(drop=True)


@per_version(shared(max_entries=32, ttl=3600))
def k_distance_curve(
    dataset: str,
    version: Version,
    filter_key: str,
    _firm_filter,
    min_samples: int,
    include_centres: bool,
) -> tuple[pd.DataFrame, float]:
    """The sorted k-distance curve of the filtered, clusterable firms and its knee (km)."""
    from geo.cluster import MONGOLIA_BBOX, k_distances, suggest_eps_km

    firms = view_firms.at(dataset, version, filter_key, _firm_filter)
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


@per_version(st.cache_data(show_spinner=False, max_entries=32))
def sector_names(dataset: str, version: Version, lang: str) -> dict[str, str]:
    """Sector key -> its label in ``lang`` (from the dataset's label columns, else the key)."""
    firms = geocoded_firms.at(dataset, version)
    column = "sector_label_mn" if lang == "mn" else "sector_label_en"
    if "sector" not in firms.columns:
        return {}
    if column not in firms.columns:
        return {k: k for k in firms["sector"].dropna().astype(str).unique()}
    pairs = firms[["sector", column]].dropna().drop_duplicates("sector")
    return dict(zip(pairs["sector"].astype(str), pairs[column].astype(str)))


@per_version(st.cache_data(show_spinner=False, max_entries=32))
def firm_map_payload(
    dataset: str,
    version: Version,
    filter_key: str,
    _firm_filter,
    lang: str,
    _labels,
    _sector_names,
    _precision_names,
) -> tuple[str, str]:
    """The firm layer's packed rows and lookup for a dataset, filter and language.

    Labels and names derive from ``dataset`` and ``lang``, which key the cache.
    """
    from geo import maps

    firms = view_firms.at(dataset, version, filter_key, _firm_filter)
    # clusters are made of located firms, so their sectors add no colour here
    colours = maps.view_colours(firms)
    return maps.firm_payload(
        firms[firms["lat"].notna()],
        colours=colours,
        labels=_labels,
        sector_names=_sector_names,
        precision_names=_precision_names,
    )


@per_version(st.cache_data(show_spinner=False, max_entries=64))
def cluster_map_geojson(
    dataset: str,
    version: Version,
    filter_key: str,
    _firm_filter,
    eps_km: float,
    min_samples: int,
    weighted: bool,
    method: str,
    include_centres: bool,
    lang: str,
    _sector_names,
    _stage_names,
) -> dict:
    """The cluster outlines' GeoJSON for a view and a language (shared by sessions)."""
    from geo import maps

    firms = view_firms.at(dataset, version, filter_key, _firm_filter)
    _, clusters = view_clusters.at(
        dataset,
        version,
        filter_key,
        _firm_filter,
        eps_km,
        min_samples,
        weighted,
        method,
        include_centres,
    )
    return maps.cluster_geojson(
        clusters,
        colours=maps.view_colours(firms, clusters),
        sector_names=_sector_names,
        stage_names=_stage_names,
        lang=lang,
    )


@per_version(shared(max_entries=4))
def register_institutions(dataset: str, version: Version) -> pd.DataFrame:
    """The institutions of a dataset's register (:func:`geo.institutions.institutions_from_register`:
    research, education, finance, associations, public administration by ISIC division),
    whatever the view's filter: a cluster's ecosystem is every institution around it."""
    from geo.institutions import institutions_from_register

    return institutions_from_register(geocoded_firms.at(dataset, version))
