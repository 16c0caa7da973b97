"""Spatial concentrations of firms: exact grid DBSCAN, HDBSCAN and a radius aid.

DBSCAN (Ester, Kriegel, Sander and Xu, 1996) calls a firm a *core* firm when
at least ``min_samples`` firms (or, with weights, that many employees) lie
within ``eps_km`` of it, itself included; core firms within ``eps_km`` of each
other form one cluster; a non-core firm within ``eps_km`` of a core firm is a
*border* firm of that cluster; the rest is noise (label ``-1``).

:func:`dbscan` gives exactly the labels of scikit-learn's
``DBSCAN(eps=eps_km / EARTH_RADIUS_KM, min_samples=..., metric="haversine")``
on the same points in the same order: identical core firms, identical cluster
numbering, and border firms assigned as scikit-learn assigns them (to the
first cluster, in scikit-learn's order, that reaches them). Distances are
great-circle distances on a sphere of radius :data:`EARTH_RADIUS_KM`; the
only disagreements possible are floating-point ties within about 1e-12 of
the radius. The sphere differs from the WGS84 ellipsoid by at most 0.5% of a
distance; positions of firms are rarely known to better than that.

Unlike scikit-learn, which holds every neighbourhood in memory (about 200 GB
for a million dense firms), the implementation indexes points in a grid of
square cells a little shorter than ``eps / sqrt(2)`` on a side in the
Lambert conformal conic of :mod:`geo.projection`: two firms in one cell are
always neighbours, and a firm's neighbours lie in the 5 x 5 cells around it.
Memory is linear in the number of firms; the kernels are compiled with
numba and use every core. Groups (sectors) are clustered in one pass, each on
its own, as if scikit-learn were run on each group separately.

:class:`SectorDBSCAN` and :class:`SectorHDBSCAN` wrap the same as scikit-learn
estimators (``BaseEstimator`` and ``ClusterMixin``: ``get_params``, ``fit``,
``fit_predict``, ``labels_``; ``sklearn.base.clone`` copies them);
:func:`k_distances` and :func:`suggest_eps_km` help choose the radius.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from geo import _dbscan_kernels as kernels
from geo.projection import lcc_constants, to_metric

if TYPE_CHECKING:
    from geo.estimators import SectorDBSCAN, SectorHDBSCAN

__all__ = [
    "EARTH_RADIUS_KM",
    "MONGOLIA_BBOX",
    "SectorDBSCAN",
    "SectorHDBSCAN",
    "CLUSTER_COLUMNS",
    "POINT_PRECISIONS",
    "cluster_firms",
    "dbscan",
    "hdbscan",
    "k_distances",
    "suggest_eps_km",
]

#: Mean Earth radius (IUGG), kilometres: ``eps`` in radians is ``eps_km / EARTH_RADIUS_KM``.
EARTH_RADIUS_KM = 6371.0088

#: (min lon, min lat, max lon, max lat) within which the grid is calibrated:
#: Mongolia (87.7-119.9 E, 41.6-52.1 N) with a margin.
MONGOLIA_BBOX = (85.0, 40.0, 123.0, 54.0)

# The grid lives in the Lambert conformal conic; within MONGOLIA_BBOX its
# lengths differ from great-circle lengths on the sphere by less than 1.5%
# (tests/geo/test_cluster.py measures it). The cell side keeps a cell's
# diagonal below 0.95 eps (so below eps on the sphere), and 2 cells reach
# 1.34 eps, more than any neighbour's projected distance.
_CELL_FACTOR = 0.95 / np.sqrt(2.0)

# The projection's constants, for the compiled forward formulas (equal to to_metric).
_LCC = tuple(lcc_constants()[k] for k in ("a", "e", "n", "aF", "rho0", "lon0"))


def _projected_extent(
    bbox: tuple[float, float, float, float], margin_m: float = 1000.0
) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) in the conic of a longitude/latitude box, with a margin.

    A projection maps the box's boundary to the boundary of its image, so the
    extremes lie on the boundary, sampled every 0.01 degree.
    """
    lon0, lat0, lon1, lat1 = bbox
    lons = np.linspace(lon0, lon1, int((lon1 - lon0) * 100) + 1)
    lats = np.linspace(lat0, lat1, int((lat1 - lat0) * 100) + 1)
    edge_lon = np.concatenate([lons, lons, np.full_like(lats, lon0), np.full_like(lats, lon1)])
    edge_lat = np.concatenate([np.full_like(lons, lat0), np.full_like(lons, lat1), lats, lats])
    x, y = to_metric(edge_lon, edge_lat)
    return (
        float(x.min()) - margin_m,
        float(y.min()) - margin_m,
        float(x.max()) + margin_m,
        float(y.max()) + margin_m,
    )


_GRID_EXTENT = _projected_extent(MONGOLIA_BBOX)


def _check_points(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    lon = np.asarray(lon, dtype=float).ravel()
    lat = np.asarray(lat, dtype=float).ravel()
    if lon.shape != lat.shape:
        raise ValueError(f"lon and lat differ in length ({lon.size} and {lat.size})")
    bad = ~(np.isfinite(lon) & np.isfinite(lat))
    if bad.any():
        raise ValueError(
            f"{int(bad.sum())} points without coordinates (first at position "
            f"{int(np.flatnonzero(bad)[0])}); drop or label them before clustering"
        )
    x0, y0, x1, y1 = MONGOLIA_BBOX
    outside = (lon < x0) | (lon > x1) | (lat < y0) | (lat > y1)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise ValueError(
            f"{int(outside.sum())} points outside Mongolia, first at position {i}: "
            f"lon {lon[i]}, lat {lat[i]} (are longitude and latitude swapped?)"
        )
    return lon, lat


def _check_parameters(eps_km: float, min_samples: float) -> None:
    if not (np.isfinite(eps_km) and 0.01 <= eps_km <= 500):
        raise ValueError(f"eps_km must be between 0.01 and 500 km, got {eps_km!r}")
    if not (np.isfinite(min_samples) and min_samples >= 1):
        raise ValueError(f"min_samples must be at least 1, got {min_samples!r}")


def _group_codes(groups: ArrayLike | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    if groups is None:
        return np.zeros(n, dtype=np.int64), np.array([None], dtype=object)
    # a pandas column is factorized as it is (fast for string and categorical dtypes);
    # anything else as an object array, without inferring a dtype first
    if isinstance(groups, (pd.Series, pd.Index)):
        if len(groups) != n:
            raise ValueError(f"groups has {len(groups)} values for {n} points")
        codes, distinct = pd.factorize(groups, use_na_sentinel=False)
        return codes.astype(np.int64), np.asarray(distinct, dtype=object)
    values = np.asarray(groups, dtype=object).ravel()
    if values.size != n:
        raise ValueError(f"groups has {values.size} values for {n} points")
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Unit vectors on the sphere, shape (n, 3), of longitudes and latitudes in degrees."""
    return kernels.unit_vectors(
        np.ascontiguousarray(lon, dtype=float).ravel(),
        np.ascontiguousarray(lat, dtype=float).ravel(),
    )


@dataclass(frozen=True)
class DBSCANResult:
    """What :func:`dbscan` returns.

    Attributes
    ----------
    labels : ndarray of int64
        Cluster of each point, ``-1`` for noise. Numbered group after group
        (in order of first appearance), and within a group as scikit-learn
        numbers them: by the first core point of each cluster.
    core : ndarray of bool
        Whether each point is a core point.
    group_offset : ndarray of int64
        ``labels - group_offset[group code]`` is the label scikit-learn gives
        when run on that group alone.
    groups : ndarray
        The distinct groups, in the order of their codes.
    """

    labels: np.ndarray
    core: np.ndarray
    group_offset: np.ndarray
    groups: np.ndarray

    @property
    def n_clusters(self) -> int:
        """Number of clusters over all groups."""
        return int(self.labels.max() + 1) if self.labels.size else 0


def dbscan(
    lon: ArrayLike,
    lat: ArrayLike,
    eps_km: float,
    min_samples: float,
    *,
    sample_weight: ArrayLike | None = None,
    groups: ArrayLike | None = None,
) -> DBSCANResult:
    """Exact DBSCAN of points in Mongolia with a radius in kilometres.

    Parameters
    ----------
    lon, lat : array-like of float, shape (n,)
        WGS84 longitude and latitude in degrees, all finite and within
        :data:`MONGOLIA_BBOX`.
    eps_km : float
        The radius, great-circle kilometres (0.01-500); the bound is inclusive.
    min_samples : float
        Points (or total weight) within ``eps_km``, the point included, that
        make a point a core point.
    sample_weight : array-like of float, shape (n,), optional
        Non-negative weight of each point (for example employees): a point is
        core when the weights within ``eps_km`` sum to ``min_samples``.
    groups : array-like, shape (n,), optional
        A group for each point (for example the sector); every group is
        clustered on its own. Missing values form a group of their own.

    Returns
    -------
    DBSCANResult
        Labels, core flags and the numbering of groups.

    Raises
    ------
    ValueError
        On missing coordinates, points outside Mongolia, negative or missing
        weights, or parameters out of range; the message names the first
        offending position.

    Notes
    -----
    Time is linear in the number of points plus the number of pairs of points
    closer than ``eps_km`` in cells that are not dense enough to decide at
    once; memory is linear in the number of points.
    """
    lon, lat = _check_points(lon, lat)
    _check_parameters(float(eps_km), float(min_samples))
    n = lon.size
    if sample_weight is None:
        weight = np.ones(n)
    else:
        weight = np.asarray(sample_weight, dtype=float).ravel()
        if weight.size != n:
            raise ValueError(f"sample_weight has {weight.size} values for {n} points")
        bad = ~np.isfinite(weight) | (weight < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"sample_weight must be finite and non-negative; position {i} is {weight[i]!r}"
            )
    codes, uniques = _group_codes(groups, n)
    if n == 0:
        return DBSCANResult(
            np.empty(0, np.int64), np.empty(0, bool), np.zeros(len(uniques), np.int64), uniques
        )

    # Grid cells in the conformal projection, keyed by (group, column, row); the grid
    # spans the projected MONGOLIA_BBOX, inside which every point lies.
    side = eps_km * 1000.0 * _CELL_FACTOR
    x0, y0, x1, y1 = _GRID_EXTENT
    nx, ny = int((x1 - x0) / side) + 5, int((y1 - y0) / side) + 5
    if float(codes.max() + 1) * nx * ny >= 2.0**62:
        raise ValueError("too many groups or too small a radius for the grid index")
    key, xyz_all = kernels.grid_points(
        lon,
        lat,
        codes,
        *_LCC,
        x0,
        y0,  # type: ignore[call-arg]
        side,
        nx,
        ny,
    )
    order = np.argsort(key)  # any order within a cell gives the same labels
    start, cell_key = kernels.cell_runs(key, order)
    del key
    xyz = kernels.take_rows(xyz_all, order)
    del xyz_all
    w = np.ones(n) if sample_weight is None else weight[order]
    chord2 = (2.0 * np.sin(eps_km / EARTH_RADIUS_KM / 2.0)) ** 2

    nbr = kernels.stencil(cell_key, ny)
    core = kernels.core_points(xyz, w, start, nbr, chord2, float(min_samples))
    root = kernels.connect_cells(xyz, core, start, nbr, chord2)

    # Number clusters group by group, each by its first core point (original order).
    ncell = start.size - 1
    first_all = kernels.first_core_of_roots(root, start, core, order, ncell)
    roots = np.flatnonzero(first_all < np.iinfo(np.int64).max)
    first = first_all[roots]
    comp_group = codes[first]
    rank = np.lexsort((first, comp_group))
    label_of_root = np.full(ncell, -1, dtype=np.int64)
    label_of_root[roots[rank]] = np.arange(rank.size)
    cell_label = np.where(root >= 0, label_of_root[np.maximum(root, 0)], -1)

    labels_sorted = kernels.border_labels(xyz, core, start, nbr, chord2, cell_label)
    labels = kernels.scatter(labels_sorted, order)
    core_out = kernels.scatter(core, order)
    per_group = np.bincount(comp_group, minlength=len(uniques))
    offset = np.concatenate([[0], np.cumsum(per_group)[:-1]]).astype(np.int64)
    return DBSCANResult(labels, core_out, offset, uniques)


def hdbscan(
    lon: ArrayLike,
    lat: ArrayLike,
    min_cluster_size: int,
    *,
    min_samples: int | None = None,
    groups: ArrayLike | None = None,
) -> np.ndarray:
    """HDBSCAN (Campello, Moulavi and Sander, 2013) per group, in projected kilometres.

    For concentrations of varying density, where one radius cannot fit both
    Ulaanbaatar and a soum centre. Uses scikit-learn's ``HDBSCAN`` on each
    group's points in the conformal projection of :mod:`geo.projection`.

    Parameters
    ----------
    lon, lat : array-like of float, shape (n,)
        WGS84 degrees, within :data:`MONGOLIA_BBOX`.
    min_cluster_size : int
        Smallest number of firms that forms a cluster (at least 2).
    min_samples : int, optional
        Density of the core distance; defaults to ``min_cluster_size``.
    groups : array-like, shape (n,), optional
        Cluster each group on its own.

    Returns
    -------
    ndarray of int64
        Labels numbered group after group; ``-1`` is noise.

    Notes
    -----
    HDBSCAN's clusters are relative to the group's own density: a group
    with a single concentration yields no cluster (scikit-learn's default
    ``allow_single_cluster=False``), and thinly scattered firms can form a
    "cluster" hundreds of kilometres wide. DBSCAN's fixed radius says more
    plainly what a concentration is; HDBSCAN is the second opinion.
    """
    from sklearn.cluster import HDBSCAN

    lon, lat = _check_points(lon, lat)
    if int(min_cluster_size) < 2:
        raise ValueError(f"min_cluster_size must be at least 2, got {min_cluster_size!r}")
    if min_samples is not None and int(min_samples) < 1:
        raise ValueError(f"min_samples must be at least 1, got {min_samples!r}")
    codes, uniques = _group_codes(groups, lon.size)
    x, y = to_metric(lon, lat)
    xy = np.column_stack([x, y]) / 1000.0
    labels = np.full(lon.size, -1, dtype=np.int64)
    offset = 0
    for g in range(len(uniques)):
        idx = np.flatnonzero(codes == g)
        if idx.size < int(min_cluster_size):
            continue
        model = HDBSCAN(
            min_cluster_size=int(min_cluster_size),
            min_samples=None if min_samples is None else int(min_samples),
            copy=True,
        )
        local = model.fit_predict(xy[idx])
        found = local >= 0
        labels[idx[found]] = local[found] + offset
        offset += int(local.max()) + 1 if found.any() else 0
    return labels


def k_distances(lon: ArrayLike, lat: ArrayLike, k: int) -> np.ndarray:
    """Distance (km) from each firm to its k-th nearest firm, itself counted first, sorted.

    With ``k = min_samples`` this is the radius each firm would need to be a
    core firm: the curve of these distances, sorted, bends where clusters end
    and scattered firms begin (Ester et al., 1996).

    Parameters
    ----------
    lon, lat : array-like of float
        WGS84 degrees.
    k : int
        Usually DBSCAN's ``min_samples``; at least 2.

    Returns
    -------
    ndarray of float
        Ascending distances in kilometres (projected; within 0.3% of the
        great-circle distance at cluster scales).
    """
    from scipy.spatial import cKDTree

    lon, lat = _check_points(lon, lat)
    k = int(k)
    if k < 2:
        raise ValueError(f"k must be at least 2, got {k}")
    if lon.size < k:
        return np.empty(0)
    x, y = to_metric(lon, lat)
    xy = np.column_stack([x, y]) / 1000.0
    dist, _ = cKDTree(xy).query(xy, k=k, workers=-1)
    return np.sort(dist[:, -1])


def suggest_eps_km(distances: np.ndarray, *, floor_km: float = 0.05) -> float:
    """The knee of a sorted k-distance curve: a suggested DBSCAN radius in km.

    The curve is taken on a logarithmic distance scale (firm spacings range
    from metres in Ulaanbaatar to hundreds of kilometres in the Gobi) and the
    knee is the point farthest below the straight line from its first to
    its last point (the "Kneedle" idea of Satopää et al., 2011).

    Parameters
    ----------
    distances : ndarray
        Output of :func:`k_distances`.
    floor_km : float, default 0.05
        Distances below this are raised to it (duplicates at one address).

    Returns
    -------
    float
        Suggested radius in km, or ``nan`` for fewer than 3 distances.
    """
    d = np.sort(np.asarray(distances, dtype=float))
    d = d[np.isfinite(d)]
    if d.size < 3:
        return float("nan")
    y = np.log10(np.maximum(d, floor_km))
    if y[-1] == y[0]:
        return float(10 ** y[0])
    x = np.linspace(0.0, 1.0, d.size)
    yn = (y - y[0]) / (y[-1] - y[0])
    return float(10 ** y[int(np.argmax(x - yn))])


#: Values of ``precision`` that locate a firm itself, not just its unit's centre.
POINT_PRECISIONS = ("point",)

#: Columns :func:`cluster_firms` adds.
CLUSTER_COLUMNS = ["cluster", "cluster_core", "cluster_status"]


def cluster_firms(
    firms: pd.DataFrame,
    eps_km: float = 2.0,
    min_samples: float = 10,
    *,
    by: str | None = "sector",
    weight: str | None = None,
    method: str = "dbscan",
    include_centres: bool = False,
    lat_column: str = "lat",
    lon_column: str = "lon",
    precision_column: str = "precision",
) -> pd.DataFrame:
    """Cluster a firm table; every row comes back, with its cluster or the reason it has none.

    Parameters
    ----------
    firms : DataFrame
        Firms with WGS84 coordinates (for example the output of
        :meth:`geo.geocode.Geocoder.geocode`). Not modified.
    eps_km, min_samples : float
        DBSCAN's radius (km) and minimum firms (or weight); for HDBSCAN,
        ``min_samples`` is the minimum cluster size and ``eps_km`` is unused.
    by : str or None, default "sector"
        Column whose groups are clustered separately; ``None`` clusters all
        firms together.
    weight : str, optional
        Column of non-negative weights (for example ``"employees"``): a core
        firm then needs ``min_samples`` employees within the radius. Missing
        or negative weights count as 0 and are reported in ``cluster_status``.
        DBSCAN only.
    method : {"dbscan", "hdbscan"}
    include_centres : bool, default False
        Also cluster firms located only to the centre of their soum, district
        or aimag (``precision`` other than ``"point"``). Off by default: such
        firms pile up on one point, and every soum centre with enough of them
        would become a "cluster".
    lat_column, lon_column, precision_column : str
        Where coordinates and geocoding precision are. Without a precision
        column every firm with coordinates counts as a point.

    Returns
    -------
    DataFrame
        A copy of ``firms`` with ``cluster`` (int, -1 for noise or excluded),
        ``cluster_core`` (bool) and ``cluster_status`` (``clustered``,
        ``noise``, or ``excluded: <reason>``).
    """
    if method not in ("dbscan", "hdbscan"):
        raise ValueError(f"method must be 'dbscan' or 'hdbscan', got {method!r}")
    for col in (lat_column, lon_column):
        if col not in firms.columns:
            raise ValueError(
                f"no column {col!r} with coordinates "
                f"(columns: {', '.join(map(str, firms.columns))})"
            )
    if by is not None and by not in firms.columns:
        raise ValueError(f"no column {by!r} to cluster by")
    if weight is not None:
        if weight not in firms.columns:
            raise ValueError(f"no weight column {weight!r}")
        if method == "hdbscan":
            raise ValueError("HDBSCAN does not take weights; use method='dbscan'")

    n = len(firms)
    lat = pd.to_numeric(firms[lat_column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lon = pd.to_numeric(firms[lon_column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    status = np.full(n, "", dtype=object)
    x0, y0, x1, y1 = MONGOLIA_BBOX
    has_xy = np.isfinite(lat) & np.isfinite(lon)
    inside = has_xy & (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    status[~has_xy] = "excluded: no coordinates"
    status[has_xy & ~inside] = "excluded: coordinates outside Mongolia"
    use = inside.copy()
    if precision_column in firms.columns and not include_centres:
        precision = firms[precision_column].astype("string").fillna("none").to_numpy(dtype=object)
        centre = use & ~np.isin(precision, POINT_PRECISIONS)
        for value in pd.unique(precision[centre]):
            status[centre & (precision == value)] = (
                f"excluded: located only to the {value} centre"
                if value != "none"
                else "excluded: not located"
            )
        use &= ~centre
    groups = None
    if by is not None:
        groups = firms[by].astype("str").fillna("(none)")[use]

    bad_weight = np.zeros(n, dtype=bool)
    if weight is not None:
        w_all = np.array(pd.to_numeric(firms[weight], errors="coerce"), dtype=float)
        bad_weight = ~np.isfinite(w_all) | (w_all < 0)
        w_all = np.where(bad_weight, 0.0, w_all)
    labels = np.full(n, -1, dtype=np.int64)
    core = np.zeros(n, dtype=bool)
    idx = np.flatnonzero(use)
    if idx.size:
        if method == "dbscan":
            w = w_all[idx] if weight is not None else None
            result = dbscan(lon[idx], lat[idx], eps_km, min_samples, sample_weight=w, groups=groups)
            labels[idx], core[idx] = result.labels, result.core
        else:
            labels[idx] = hdbscan(lon[idx], lat[idx], int(min_samples), groups=groups)
            core[idx] = labels[idx] >= 0
    status[use] = np.where(labels[use] >= 0, "clustered", "noise")
    bad = bad_weight & use
    status[bad] = status[bad] + f" ({weight} missing or negative: weight 0)"
    out = firms.copy()
    out["cluster"] = labels
    out["cluster_core"] = core
    out["cluster_status"] = pd.array(status, dtype="string")
    return out


# The scikit-learn estimators live in geo.estimators (they wrap the functions above); their
# names stay importable from here, where they were first published, but are loaded on first
# use: importing scikit-learn takes 0.75 s, most of a command line's start.
def __getattr__(name: str) -> Any:
    if name in ("SectorDBSCAN", "SectorHDBSCAN"):
        from geo import estimators

        return getattr(estimators, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
