"""Cached results that test against chance: clusters' p-values, K-densities, co-location.

Monte Carlo results take seconds, not milliseconds, so a person waiting sees a progress
bar. A bar drawn inside an st.cache_* function would be recorded and replayed on every
later hit, so these results live in a store of their own (one per process, shared by all
sessions, keyed like the caches of :mod:`ui.loaders`): a miss computes with a bar, a hit
returns at once, and sessions asking for a result being computed wait for it instead of
computing it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import streamlit as st

from geo.settings import APP_SEED, KDENSITY_MAX_FIRMS, KDENSITY_MAX_KM, KDENSITY_REPLICATES
from ui.loaders import Version, dataset_version, shared, view_clusters, view_firms

# Seed, draws and sizes of the app's p-values and K-densities: geo.settings.


class _Results:
    """A small shared store: key -> result, the most recent ``size`` kept."""

    def __init__(self, size: int = 24) -> None:
        import threading
        from collections import OrderedDict

        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.busy: dict = {}

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def get_or_compute(self, key, compute: Callable[[], Any]):
        import threading

        found = self.get(key)
        if found is not None:
            return found
        with self.lock:
            busy = self.busy.setdefault(key, threading.Lock())
        with busy:
            found = self.get(key)
            if found is not None:
                return found
            value = compute()
            with self.lock:
                self.items[key] = value
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
                self.busy.pop(key, None)
            return value


@st.cache_resource(show_spinner=False)
def _results() -> _Results:
    return _Results()


def _with_bar(text: str | None, compute: Callable[..., Any]) -> Callable[[], Any]:
    """``compute(progress)`` with a progress bar while it runs (``text`` None: no bar)."""

    def run():
        if text is None:
            return compute(None)
        bar = st.progress(0.0, text=text)
        try:
            return compute(lambda f: bar.progress(min(1.0, float(f)), text=text))
        finally:
            bar.empty()

    return run


def significance_replicates(dataset: str, firm_filter) -> int:
    """``R`` of the view's p-values: 499, more when more sectors are compared."""
    from geo.significance import replicates_for

    base = firm_filter.replace(sectors=())
    firms = view_firms(dataset, repr(base), base)
    return replicates_for(firms["sector"].nunique() if "sector" in firms.columns else 1)


def _significance_key(
    dataset: str,
    firm_filter,
    eps_km: float,
    min_samples: int,
    weighted: bool,
    include_centres: bool,
) -> tuple:
    """The store's key of a view's p-values (its last two items: ``R`` and the seed)."""
    base = firm_filter.replace(sectors=())
    replicates = significance_replicates(dataset, firm_filter)
    return (
        "significance",
        dataset,
        dataset_version(dataset),
        repr(base),
        float(eps_km),
        int(min_samples),
        bool(weighted),
        bool(include_centres),
        replicates,
        APP_SEED,
    )


def significance_ready(
    dataset: str,
    firm_filter,
    eps_km: float,
    min_samples: int,
    weighted: bool,
    include_centres: bool,
) -> bool:
    """Whether the view's p-values were computed already (nothing is computed here)."""
    key = _significance_key(dataset, firm_filter, eps_km, min_samples, weighted, include_centres)
    return _results().get(key) is not None


def view_significance(
    dataset: str,
    firm_filter,
    eps_km: float,
    min_samples: int,
    weighted: bool,
    include_centres: bool,
    *,
    progress_text: str | None = None,
):
    """Monte Carlo p-values of the DBSCAN clusters of every sector (:mod:`geo.significance`).

    The firms of the view's filter *without its sectors* are the population
    whose labels are redrawn (a sector is compared with all firms, not with the
    other sectors on show), and the adjustment runs over all their sectors, so
    that a cluster's answer does not change with the sectors chosen. ``R`` from
    :func:`significance_replicates`, seed :data:`APP_SEED`; shared per
    (dataset version, filter, parameters, R, seed); ``progress_text`` labels
    the bar shown while it is computed. Cluster numbers are those of the
    filter without sectors: :func:`tested_clusters` gives the view's.
    """
    version = dataset_version(dataset)
    base = firm_filter.replace(sectors=())
    key = _significance_key(dataset, firm_filter, eps_km, min_samples, weighted, include_centres)
    replicates = key[-2]

    def compute(progress):
        from geo.significance import cluster_significance

        labelled, _ = view_clusters.at(
            dataset,
            version,
            repr(base),
            base,
            eps_km,
            min_samples,
            weighted,
            "dbscan",
            include_centres,
        )
        weight = "employees" if weighted and "employees" in labelled.columns else None
        return cluster_significance(
            labelled,
            eps_km,
            min_samples,
            by="sector",
            weight=weight,
            replicates=replicates,
            seed=APP_SEED,
            progress=progress,
        )

    return _results().get_or_compute(key, _with_bar(progress_text, compute))


def tested_clusters(
    dataset: str,
    filter_key: str,
    firm_filter,
    eps_km: float,
    min_samples: int,
    weighted: bool,
    include_centres: bool,
    *,
    progress_text: str | None = None,
):
    """The view's described clusters with their p-values, and the test's result.

    Returns
    -------
    clusters : GeoDataFrame
        :func:`view_clusters`' table with ``footprint_firms``,
        ``footprint_sector_firms``, ``llr``, ``local_lq``, ``hypergeom_p``,
        ``p_value`` and ``significant``.
    result : geo.significance.ClusterSignificance
    """
    result = view_significance(
        dataset,
        firm_filter,
        eps_km,
        min_samples,
        weighted,
        include_centres,
        progress_text=progress_text,
    )
    clusters = _tested_clusters(
        dataset,
        dataset_version(dataset),
        filter_key,
        firm_filter,
        eps_km,
        min_samples,
        weighted,
        include_centres,
        result.replicates,
        result.seed,
    )
    return clusters, result


@shared(max_entries=16, ttl=3600)
def _tested_clusters(
    dataset: str,
    version: Version,
    filter_key: str,
    _firm_filter,
    eps_km: float,
    min_samples: int,
    weighted: bool,
    include_centres: bool,
    replicates: int,
    seed: int,
) -> gpd.GeoDataFrame:
    labelled, clusters = view_clusters.at(
        dataset,
        version,
        filter_key,
        _firm_filter,
        eps_km,
        min_samples,
        weighted,
        "dbscan",
        include_centres,
    )
    base = _firm_filter.replace(sectors=())
    whole, _ = view_clusters.at(
        dataset, version, repr(base), base, eps_km, min_samples, weighted, "dbscan", include_centres
    )
    result = view_significance(
        dataset, _firm_filter, eps_km, min_samples, weighted, include_centres
    )
    # a sector is clustered on its own: the view's clusters are the same firms as the
    # whole filter's, numbered otherwise; one member of each gives its number there
    members = labelled.loc[labelled["cluster"] >= 0, "cluster"]
    one = members[~members.duplicated()]
    number = dict(zip(one.to_numpy(), whole.loc[one.index, "cluster"].to_numpy()))
    facts = result.clusters.set_index("cluster")
    out = clusters.copy()
    there = out["cluster"].map(number)
    for column in (
        "footprint_firms",
        "footprint_sector_firms",
        "llr",
        "local_lq",
        "hypergeom_p",
        "p_value",
        "significant",
    ):
        out[column] = there.map(facts[column]).to_numpy()
    out["significant"] = out["significant"].fillna(False).astype(bool)
    return out


def significant_clusters_geojson(
    dataset: str,
    filter_key: str,
    firm_filter,
    eps_km: float,
    min_samples: int,
    weighted: bool,
    include_centres: bool,
    significant_only: bool,
    lang: str,
    sector_names,
    stage_names,
) -> dict:
    """The cluster outlines' GeoJSON with each cluster's p-value and significance."""
    return _significant_clusters_geojson(
        dataset,
        dataset_version(dataset),
        filter_key,
        firm_filter,
        eps_km,
        min_samples,
        weighted,
        include_centres,
        significant_only,
        lang,
        sector_names,
        stage_names,
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _significant_clusters_geojson(
    dataset: str,
    version: Version,
    filter_key: str,
    _firm_filter,
    eps_km: float,
    min_samples: int,
    weighted: bool,
    include_centres: bool,
    significant_only: bool,
    lang: str,
    _sector_names,
    _stage_names,
) -> dict:
    from geo import maps

    firms = view_firms.at(dataset, version, filter_key, _firm_filter)
    shown, _ = tested_clusters(
        dataset, filter_key, _firm_filter, eps_km, min_samples, weighted, include_centres
    )
    colours = maps.view_colours(firms, shown)
    if significant_only:
        shown = shown[shown["significant"]]
    return maps.cluster_geojson(
        shown, colours=colours, sector_names=_sector_names, stage_names=_stage_names
    )


def view_localisation(
    dataset: str, filter_key: str, firm_filter, *, progress_text: str | None = None
):
    """Every sector's K-density (:mod:`geo.localisation`) over the filter's firms:
    :data:`KDENSITY_REPLICATES` draws, 0 to :data:`KDENSITY_MAX_KM` km, seed
    :data:`APP_SEED`; shared per (dataset version, filter, parameters)."""
    version = dataset_version(dataset)
    key = (
        "localisation",
        dataset,
        version,
        filter_key,
        KDENSITY_MAX_KM,
        KDENSITY_REPLICATES,
        KDENSITY_MAX_FIRMS,
        APP_SEED,
    )

    def compute(progress):
        from geo.localisation import localisation

        firms = view_firms.at(dataset, version, filter_key, firm_filter)
        return localisation(
            firms,
            by="sector",
            max_km=KDENSITY_MAX_KM,
            replicates=KDENSITY_REPLICATES,
            seed=APP_SEED,
            max_firms=KDENSITY_MAX_FIRMS,
            progress=progress,
        )

    return _results().get_or_compute(key, _with_bar(progress_text, compute))


def view_colocation(
    dataset: str,
    filter_key: str,
    firm_filter,
    radius_km: float,
    replicates: int,
    *,
    progress_text: str | None = None,
):
    """Co-location quotients of every pair of sectors (:mod:`geo.colocation`) over the
    filter's firms located to a point (firms placed only at a soum or district centre
    would all be each other's neighbours: left out and counted); seed :data:`APP_SEED`;
    shared per (dataset version, filter, radius, replicates)."""
    version = dataset_version(dataset)
    key = ("colocation", dataset, version, filter_key, float(radius_km), int(replicates), APP_SEED)

    def compute(progress):
        from geo.colocation import colocation_quotients

        firms = view_firms.at(dataset, version, filter_key, firm_filter)
        work = firms[["sector", "lat", "lon"]].copy()
        centre = (
            (firms["precision"] != "point").to_numpy()
            if "precision" in firms
            else np.zeros(len(firms), dtype=bool)
        )
        work.loc[centre, ["lat", "lon"]] = np.nan
        table = colocation_quotients(
            work,
            by="sector",
            radius_km=radius_km,
            replicates=replicates,
            seed=APP_SEED,
            progress=progress,
        )
        table.attrs["centres"] = int((centre & firms["lat"].notna().to_numpy()).sum())
        return table

    return _results().get_or_compute(key, _with_bar(progress_text, compute))
