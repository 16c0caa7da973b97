"""geo.cluster: exact DBSCAN semantics, agreement with scikit-learn, weights, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import DBSCAN
from sklearn.metrics import adjusted_rand_score

from geo.cluster import (
    EARTH_RADIUS_KM,
    MONGOLIA_BBOX,
    SectorDBSCAN,
    SectorHDBSCAN,
    cluster_firms,
    dbscan,
    hdbscan,
    k_distances,
    suggest_eps_km,
)
from geo.projection import to_metric


def north_of(lat: float, km: float) -> float:
    """Latitude ``km`` great-circle kilometres north of ``lat`` on the same meridian."""
    return lat + np.degrees(km / EARTH_RADIUS_KM)


def sklearn_labels(lon, lat, eps_km, min_samples, weight=None):
    model = DBSCAN(
        eps=eps_km / EARTH_RADIUS_KM,
        min_samples=min_samples,
        metric="haversine",
        algorithm="ball_tree",
    )
    model.fit(np.radians(np.column_stack([lat, lon])), sample_weight=weight)
    core = np.zeros(len(lon), dtype=bool)
    core[model.core_sample_indices_] = True
    return model.labels_, core


def clustered_points(seed: int, n: int = 3000, spread_deg: float = 0.02):
    rng = np.random.default_rng(seed)
    centres = rng.uniform([95, 43], [115, 50], (15, 2))
    pts = centres[rng.integers(0, len(centres), n)] + rng.normal(0, spread_deg, (n, 2))
    pts[: n // 5] = rng.uniform([95, 43], [115, 50], (n // 5, 2))
    return pts[:, 0], pts[:, 1], rng


# -- exact toy cases ---------------------------------------------------------------
def test_radius_is_inclusive_and_exact():
    lat0 = 47.0
    inside = dbscan([105.0, 105.0], [lat0, north_of(lat0, 2.0 * (1 - 1e-9))], 2.0, 2)
    outside = dbscan([105.0, 105.0], [lat0, north_of(lat0, 2.0 * (1 + 1e-9))], 2.0, 2)
    assert inside.labels.tolist() == [0, 0]
    assert outside.labels.tolist() == [-1, -1]


def test_core_border_and_noise():
    # A, B, C within 0.5 km of each other; D 1.95 km north of C; E far away.
    lat = [47.0, north_of(47.0, 0.3), north_of(47.0, 0.5), north_of(47.0, 2.45), 45.0]
    lon = [105.0] * 4 + [100.0]
    result = dbscan(lon, lat, eps_km=2.0, min_samples=3)
    assert result.core.tolist() == [True, True, True, False, False]
    assert result.labels.tolist() == [0, 0, 0, 0, -1]  # D is a border point
    assert result.n_clusters == 1


def test_border_point_goes_to_the_cluster_scikit_learn_reaches_first():
    # Two clusters 3.8 km apart and one point between them, 1.9 km from each.
    lat = [north_of(47.0, d) for d in (0.0, 0.1, 0.2, 3.8, 3.9, 4.0, 2.0)]
    lon = [105.0] * 7
    mine = dbscan(lon, lat, 2.0, 3)
    ref, ref_core = sklearn_labels(np.array(lon), np.array(lat), 2.0, 3)
    assert mine.labels.tolist() == ref.tolist()
    assert mine.core.tolist() == ref_core.tolist()
    # the same points in reverse order: the other cluster is reached first
    mine_rev = dbscan(lon[::-1], lat[::-1], 2.0, 3)
    ref_rev, _ = sklearn_labels(np.array(lon[::-1]), np.array(lat[::-1]), 2.0, 3)
    assert mine_rev.labels.tolist() == ref_rev.tolist()


def test_min_samples_counts_the_point_itself():
    lat = [47.0, north_of(47.0, 1.0)]
    assert dbscan([105, 105], lat, 2.0, 2).labels.tolist() == [0, 0]
    assert dbscan([105, 105], lat, 2.0, 3).labels.tolist() == [-1, -1]
    assert dbscan([105], [47.0], 2.0, 1).labels.tolist() == [0]


def test_empty_input():
    result = dbscan([], [], 2.0, 5)
    assert result.labels.size == 0 and result.n_clusters == 0


# -- agreement with scikit-learn ---------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("eps_km,min_samples", [(2.0, 10), (0.7, 4), (5.0, 25)])
def test_agrees_with_scikit_learn_haversine(seed, eps_km, min_samples):
    lon, lat, _ = clustered_points(seed)
    mine = dbscan(lon, lat, eps_km, min_samples)
    ref, ref_core = sklearn_labels(lon, lat, eps_km, min_samples)
    assert np.array_equal(mine.core, ref_core)
    assert np.array_equal(mine.labels, ref)
    assert adjusted_rand_score(ref, mine.labels) == 1.0
    assert mine.n_clusters > 3


def test_agrees_on_uniform_random_points():
    rng = np.random.default_rng(11)
    lon, lat = rng.uniform(106.7, 107.1, 4000), rng.uniform(47.8, 48.0, 4000)
    mine = dbscan(lon, lat, 0.3, 5)
    ref, ref_core = sklearn_labels(lon, lat, 0.3, 5)
    assert np.array_equal(mine.core, ref_core) and np.array_equal(mine.labels, ref)


def test_weighted_agrees_with_scikit_learn():
    lon, lat, rng = clustered_points(5)
    weight = rng.integers(0, 8, len(lon)).astype(float)
    mine = dbscan(lon, lat, 2.0, 20, sample_weight=weight)
    ref, ref_core = sklearn_labels(lon, lat, 2.0, 20, weight)
    assert np.array_equal(mine.core, ref_core) and np.array_equal(mine.labels, ref)


def test_groups_are_clustered_as_separate_runs():
    lon, lat, rng = clustered_points(3)
    groups = rng.choice(["mining", "tourism", "ict"], len(lon))
    result = dbscan(lon, lat, 2.0, 5, groups=groups)
    for code, name in enumerate(result.groups):
        idx = np.flatnonzero(groups == name)
        ref, ref_core = sklearn_labels(lon[idx], lat[idx], 2.0, 5)
        local = result.labels[idx]
        local = np.where(local >= 0, local - result.group_offset[code], -1)
        assert np.array_equal(local, ref)
        assert np.array_equal(result.core[idx], ref_core)
    # labels are globally unique: no cluster mixes groups
    frame = pd.DataFrame({"label": result.labels, "group": groups})
    assert frame[frame.label >= 0].groupby("label")["group"].nunique().max() == 1


def test_dense_cell_shortcut_and_duplicates():
    # 500 firms at one address and a few around: all core, one cluster
    lon = np.r_[np.full(500, 106.9), 106.9 + np.linspace(0.001, 0.02, 20)]
    lat = np.full(lon.size, 47.9)
    mine = dbscan(lon, lat, 1.0, 50)
    ref, ref_core = sklearn_labels(lon, lat, 1.0, 50)
    assert np.array_equal(mine.labels, ref) and np.array_equal(mine.core, ref_core)


# -- weights ------------------------------------------------------------------------
def test_weights_make_a_single_large_firm_core():
    lat = [47.0, north_of(47.0, 1.0), 45.0]
    lon = [105.0, 105.0, 100.0]
    result = dbscan(lon, lat, 2.0, 100, sample_weight=[150, 1, 99])
    assert result.core.tolist() == [True, True, False]  # both near 151 employees
    assert result.labels.tolist() == [0, 0, -1]
    unweighted = dbscan(lon, lat, 2.0, 100)
    assert unweighted.labels.tolist() == [-1, -1, -1]


def test_zero_weights_never_make_a_core():
    lon = np.full(50, 105.0)
    lat = 47.0 + np.arange(50) * 1e-4
    assert (dbscan(lon, lat, 2.0, 1, sample_weight=np.zeros(50)).labels == -1).all()


# -- the grid's projection -----------------------------------------------------------
def test_projection_error_bound_within_the_grid_area():
    """Projected lengths stay within 1.5% of great-circle lengths (the grid's margin),
    and within 0.3% over Mongolia itself (at 2 km)."""
    rng = np.random.default_rng(0)
    x0, y0, x1, y1 = MONGOLIA_BBOX
    lon, lat = rng.uniform(x0, x1, 5000), rng.uniform(y0, y1, 5000)
    bearing = rng.uniform(0, 2 * np.pi, 5000)
    d = 2.0 / EARTH_RADIUS_KM
    phi, lam = np.radians(lat), np.radians(lon)
    phi2 = np.arcsin(np.sin(phi) * np.cos(d) + np.cos(phi) * np.sin(d) * np.cos(bearing))
    lam2 = lam + np.arctan2(
        np.sin(bearing) * np.sin(d) * np.cos(phi), np.cos(d) - np.sin(phi) * np.sin(phi2)
    )
    xa, ya = to_metric(lon, lat)
    xb, yb = to_metric(np.degrees(lam2), np.degrees(phi2))
    ratio = np.hypot(xb - xa, yb - ya) / 2000.0
    assert np.abs(ratio - 1).max() < 0.015
    mongolia = (lat > 41.6) & (lat < 52.1) & (lon > 87.7) & (lon < 119.9)
    assert np.abs(ratio[mongolia] - 1).max() < 0.006  # sphere vs ellipsoid included


# -- errors -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"eps_km": 0}, "eps_km"),
        ({"eps_km": float("nan")}, "eps_km"),
        ({"min_samples": 0}, "min_samples"),
        ({"sample_weight": [1, -1]}, "non-negative; position 1"),
        ({"sample_weight": [1, float("nan")]}, "position 1"),
        ({"sample_weight": [1]}, "sample_weight has 1 values"),
        ({"groups": ["a"]}, "groups has 1 values"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, message):
    args = {"lon": [105.0, 105.01], "lat": [47.0, 47.0], "eps_km": 2.0, "min_samples": 2}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        dbscan(
            args.pop("lon"), args.pop("lat"), args.pop("eps_km"), args.pop("min_samples"), **args
        )


def test_points_outside_mongolia_or_missing_are_refused():
    with pytest.raises(ValueError, match="outside Mongolia, first at position 1"):
        dbscan([105.0, 47.0], [47.0, 105.0], 2.0, 2)
    with pytest.raises(ValueError, match="without coordinates"):
        dbscan([105.0, np.nan], [47.0, 47.0], 2.0, 2)
    with pytest.raises(ValueError, match="differ in length"):
        dbscan([105.0], [47.0, 47.0], 2.0, 2)


def test_estimator_interface():
    X = [[106.90, 47.90], [106.91, 47.90], [106.90, 47.91], [100.0, 45.0]]
    model = SectorDBSCAN(eps_km=2, min_samples=3).fit(X)
    assert model.labels_.tolist() == [0, 0, 0, -1]
    assert model.core_sample_indices_.tolist() == [0, 1, 2]
    assert model.n_clusters_ == 1
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        SectorDBSCAN().fit([1, 2, 3])


# -- HDBSCAN and the radius aid ------------------------------------------------------
def test_hdbscan_finds_blobs_of_different_density():
    rng = np.random.default_rng(2)
    dense = rng.normal([106.9, 47.9], 0.003, (300, 2))
    loose = rng.normal([105.0, 46.0], 0.05, (200, 2))
    noise = rng.uniform([95, 43], [115, 50], (50, 2))
    pts = np.vstack([dense, loose, noise])
    labels = SectorHDBSCAN(min_cluster_size=30).fit(pts).labels_
    assert len(set(labels[:300]) - {-1}) >= 1 and len(set(labels[300:500]) - {-1}) >= 1
    assert set(labels[:300]).isdisjoint(set(labels[300:500]) - {-1})
    assert (labels[:300] >= 0).mean() > 0.9 and (labels[300:500] >= 0).mean() > 0.8
    grouped = hdbscan(pts[:, 0], pts[:, 1], 30, groups=np.r_[["a"] * 500, ["b"] * 50])
    assert set(grouped[:300]) - {-1} and set(grouped[300:500]) - {-1}
    assert (grouped[500:] == -1).all()  # 50 scattered firms form no cluster
    with pytest.raises(ValueError, match="min_cluster_size"):
        hdbscan(pts[:, 0], pts[:, 1], 1)


def test_k_distances_and_suggested_radius():
    rng = np.random.default_rng(4)
    centres = rng.uniform([95, 43], [115, 50], (30, 2))
    blobs = centres[rng.integers(0, 30, 3000)] + rng.normal(0, 0.005, (3000, 2))  # ~0.5 km
    noise = rng.uniform([90, 42], [118, 51], (300, 2))
    pts = np.vstack([blobs, noise])
    d = k_distances(pts[:, 0], pts[:, 1], 10)
    assert d.shape == (3300,) and (np.diff(d) >= 0).all()
    eps = suggest_eps_km(d)
    assert 0.2 < eps < 10, eps
    assert np.isnan(suggest_eps_km(np.array([1.0])))
    with pytest.raises(ValueError, match="k must be"):
        k_distances([105], [47], 1)


# -- firm tables ---------------------------------------------------------------------
def firm_table() -> pd.DataFrame:
    lat = [47.0, north_of(47.0, 0.3), north_of(47.0, 0.5), 47.0, np.nan, 30.0, 47.9]
    return pd.DataFrame(
        {
            "name": list("ABCDEFG"),
            "sector": ["ict", "ict", "ict", "mining", "ict", "ict", "ict"],
            "lat": lat,
            "lon": [105.0, 105.0, 105.0, 105.0, 105.0, 60.0, 106.9],
            "precision": ["point", "point", "point", "point", "soum", "point", "district"],
            "employees": [5, 3, "x", 2, 1, 1, 1],
        }
    )


def test_cluster_firms_keeps_every_row_and_says_why():
    firms = firm_table()
    before = firms.copy()
    out = cluster_firms(firms, 2.0, 3)
    pd.testing.assert_frame_equal(firms, before)  # input not modified
    assert len(out) == len(firms) and out.index.equals(firms.index)
    assert out["cluster"].tolist() == [0, 0, 0, -1, -1, -1, -1]
    assert out["cluster_status"].tolist() == [
        "clustered",
        "clustered",
        "clustered",
        "noise",
        "excluded: no coordinates",
        "excluded: coordinates outside Mongolia",
        "excluded: located only to the district centre",
    ]


def test_cluster_firms_by_sector_weight_and_centres():
    firms = firm_table()
    weighted = cluster_firms(firms, 2.0, 8, weight="employees")
    assert weighted["cluster"].tolist()[:3] == [0, 0, 0]  # 5 + 3 + 0 employees
    assert "employees missing or negative" in weighted["cluster_status"].iloc[2]
    together = cluster_firms(firms, 2.0, 4, by=None)
    assert together["cluster"].tolist()[:4] == [0, 0, 0, 0]  # mining joins without sectors
    with_centres = cluster_firms(firms, 2.0, 1, include_centres=True)
    assert with_centres["cluster_status"].iloc[6] == "clustered"
    for kwargs, message in [
        ({"method": "kmeans"}, "method"),
        ({"by": "nope"}, "nope"),
        ({"weight": "nope"}, "nope"),
        ({"lat_column": "y"}, "'y'"),
        ({"method": "hdbscan", "weight": "employees"}, "weights"),
    ]:
        with pytest.raises(ValueError, match=message):
            cluster_firms(firms, 2.0, 3, **kwargs)


def test_compiled_projection_equals_pyproj_within_a_millimetre():
    from geo import _dbscan_kernels as kernels
    from geo.cluster import _LCC
    from geo.projection import to_metric

    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(85, 123, 50_000), rng.uniform(40, 54, 50_000)
    x, y = kernels.lcc_xy(lon, lat, *_LCC)
    ref_x, ref_y = to_metric(lon, lat)
    assert np.abs(x - ref_x).max() < 1e-3 and np.abs(y - ref_y).max() < 1e-3


def test_grid_extent_holds_every_point_of_the_box():
    from geo.cluster import _GRID_EXTENT
    from geo.projection import to_metric

    lon, lat = np.meshgrid(np.linspace(85, 123, 400), np.linspace(40, 54, 400))
    x, y = to_metric(lon.ravel(), lat.ravel())
    x0, y0, x1, y1 = _GRID_EXTENT
    assert x.min() > x0 and y.min() > y0 and x.max() < x1 and y.max() < y1


def test_pandas_columns_and_arrays_give_the_same_groups():
    rng = np.random.default_rng(4)
    lon, lat = rng.uniform(106.8, 107.0, 3000), rng.uniform(47.85, 47.95, 3000)
    sector = pd.Series(rng.choice(["a", "b", None], 3000), dtype="str")
    from_column = dbscan(lon, lat, 0.3, 5, groups=sector)
    from_array = dbscan(lon, lat, 0.3, 5, groups=sector.to_numpy(dtype=object))
    assert np.array_equal(from_column.labels, from_array.labels)
    assert from_column.n_clusters > 3
