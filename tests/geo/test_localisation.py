"""Duranton-Overman K-densities (issue #17): exact, calibrated, and finding what is there."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geo.localisation import CURVE_COLUMNS, k_density, localisation, silverman_bandwidth
from geo.projection import to_wgs84


def phi(u):
    return np.exp(-0.5 * u * u) / math.sqrt(2 * math.pi)


def brute_force(x, y, distances, h, w=None):
    """K(d) = sum over pairs of w_i w_j [phi((d - d_ij)/h) + phi((d + d_ij)/h)] / (h sum w_i w_j)."""
    i, j = np.triu_indices(len(x), 1)
    d = np.hypot(x[i] - x[j], y[i] - y[j])
    pw = np.ones(d.size) if w is None else w[i] * w[j]
    grid = distances[:, None]
    return (pw * (phi((grid - d) / h) + phi((grid + d) / h))).sum(1) / (h * pw.sum())


@pytest.mark.parametrize("weighted", [False, True])
def test_k_density_against_brute_force(weighted):
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.normal(0, 1.5, 40), rng.uniform(-20, 20, 40), [5.0, 5.0]])
    y = np.concatenate([rng.normal(0, 1.5, 40), rng.uniform(-20, 20, 40), [5.0, 5.0]])
    w = rng.integers(1, 30, x.size).astype(float) if weighted else None
    for h in (0.3, 0.8, 2.5):
        distances, ours = k_density(x, y, 12.0, 0.1, h, weights=w)
        assert distances[0] == 0 and distances[-1] == pytest.approx(12.0)
        theirs = brute_force(x, y, distances, h, w)
        assert np.abs(ours - theirs).max() <= 5e-4 * theirs.max()


def test_silverman_bandwidth_by_hand_and_from_a_histogram():
    rng = np.random.default_rng(0)
    values = rng.gamma(2.0, 2.0, 5000)
    sd = values.std(ddof=1)
    q1, q3 = np.quantile(values, [0.25, 0.75])
    assert silverman_bandwidth(values) == pytest.approx(
        0.9 * min(sd, (q3 - q1) / 1.34) * 5000**-0.2
    )
    nodes = np.arange(0, 40, 0.01)
    counts = np.histogram(values, bins=np.append(nodes, 40) - 0.005)[0]
    assert silverman_bandwidth(nodes, counts) == pytest.approx(
        silverman_bandwidth(values), rel=0.01
    )
    assert silverman_bandwidth([1.0, 1.0, 1.0]) > 0  # no spread: not 0
    assert math.isnan(silverman_bandwidth([1.0]))


def firms_at(x_km, y_km, sector, **columns):
    lon, lat = to_wgs84(np.asarray(x_km) * 1000.0, np.asarray(y_km) * 1000.0)
    return pd.DataFrame({"lon": lon, "lat": lat, "sector": sector, **columns})


@pytest.fixture(scope="module")
def places():
    """Where firms are: a city 10 km wide, two towns, the steppe (km in the projection)."""
    rng = np.random.default_rng(11)
    xy = np.vstack(
        [
            rng.normal([0, 0], 4.0, (700, 2)),
            rng.normal([60, 40], 1.5, (150, 2)),
            rng.normal([-80, 10], 1.0, (100, 2)),
            rng.uniform(-300, 300, (150, 2)),
        ]
    )
    return xy


def test_a_concentrated_sector_is_localised_and_a_random_one_is_not(places):
    rng = np.random.default_rng(4)
    background = firms_at(places[:, 0], places[:, 1], "other")
    # 'random': 80 of the places; 'tight': 60 firms within a kilometre or so of a point
    background.loc[rng.choice(len(background), 80, replace=False), "sector"] = "random"
    tight = firms_at(rng.normal(2.0, 0.8, 60), rng.normal(-1.0, 0.8, 60), "tight")
    firms = pd.concat([background, tight], ignore_index=True)
    result = localisation(firms, max_km=15, replicates=99, seed=2, groups=["tight", "random"])
    summary = result.summary.set_index("sector")
    assert summary.loc["tight", "status"] == "localised"
    start, end = summary.loc["tight", "localised_ranges"][0]
    assert start == 0 and 1.5 <= end <= 8
    assert summary.loc["tight", "p_localised"] == pytest.approx(0.01)
    assert summary.loc["tight", "localisation_index"] > 0.05
    assert summary.loc["random", "p_localised"] > 0.05
    assert summary.loc["random", "status"] != "localised"
    curves = result.curves
    assert list(curves.columns) == ["sector", *CURVE_COLUMNS]
    assert len(curves) == 2 * 201 and curves["distance_km"].max() == pytest.approx(15)
    one = curves[curves["sector"] == "tight"]
    assert (one["local_low"] <= one["local_high"]).all()
    assert (one["global_low"] <= one["local_low"] + 1e-12).all()
    assert (one["global_high"] >= one["local_high"] - 1e-12).all()


def test_global_band_is_crossed_by_about_5_percent_of_random_sectors(places):
    """40 sectors of 40 firms drawn at random from the places: localised in at most 5%
    (plus binomial error)."""
    rng = np.random.default_rng(9)
    firms = firms_at(places[:, 0], places[:, 1], "other")
    chosen = rng.choice(len(firms), 40 * 25, replace=False)
    firms.loc[chosen, "sector"] = [f"s{i % 40:02d}" for i in range(chosen.size)]
    groups = [f"s{i:02d}" for i in range(40)]
    result = localisation(firms, max_km=10, replicates=99, seed=5, groups=groups)
    summary = result.summary
    assert (summary["status"] != "too few").all()
    share = (summary["p_localised"] < 0.05).mean()
    assert share <= 0.05 + 2 * math.sqrt(0.05 * 0.95 / 40)
    # leaving the global band and p < 0.05 are the same event (up to ties at the quantile)
    localised = summary["status"] == "localised"
    assert (summary.loc[localised, "p_localised"] <= 0.06).all()


def test_weighting_by_employees_follows_the_large_firms(places):
    """Small firms spread over the city, large ones together: weighted, it is localised."""
    rng = np.random.default_rng(6)
    firms = firms_at(places[:, 0], places[:, 1], "other", employees=5)
    spread = rng.choice(np.flatnonzero(np.hypot(*places.T) < 12), 60, replace=False)
    firms.loc[spread, ["sector", "employees"]] = ["x", 2]
    big = firms_at(rng.normal(-3, 0.5, 8), rng.normal(3, 0.5, 8), "x", employees=400)
    firms = pd.concat([firms, big], ignore_index=True)
    plain = localisation(firms, max_km=10, replicates=99, seed=1, groups=["x"])
    weighted = localisation(
        firms, max_km=10, replicates=99, seed=1, groups=["x"], weight="employees"
    )
    lw = weighted.summary.iloc[0]
    assert lw["status"] == "localised" and lw["localised_ranges"][0][0] == 0
    assert lw["localisation_index"] > plain.summary.iloc[0]["localisation_index"]
    assert weighted.weight == "employees" and weighted.metadata()["weight"] == "employees"


def test_the_density_integrates_to_the_share_of_close_pairs(places):
    firms = firms_at(places[:, 0], places[:, 1], "all")
    firms = firms.iloc[::4]
    result = localisation(firms, max_km=50, step_km=0.05, replicates=19, seed=1)
    curve = result.curves
    x = firms_at(places[::4, 0], places[::4, 1], "all")
    i, j = np.triu_indices(len(x), 1)
    d = np.hypot(places[::4, 0][i] - places[::4, 0][j], places[::4, 1][i] - places[::4, 1][j])
    area = np.trapezoid(curve["k_density"], curve["distance_km"])
    assert area == pytest.approx((d <= 50).mean(), abs=0.01)


def test_seed_reproduces_and_a_sector_does_not_depend_on_the_others(places):
    rng = np.random.default_rng(1)
    firms = firms_at(places[:, 0], places[:, 1], rng.choice(["a", "b", "c"], len(places)))
    np.random.seed(3)  # noqa: NPY002 (the global state, on purpose)
    expected = np.random.random(2)  # noqa: NPY002 (the global state, on purpose)
    np.random.seed(3)  # noqa: NPY002 (the global state, on purpose)
    every = localisation(firms, max_km=10, replicates=19, seed=7)
    assert np.array_equal(np.random.random(2), expected)  # noqa: NPY002 (the global state, on purpose)
    alone = localisation(firms, max_km=10, replicates=19, seed=7, groups=["b"])
    pd.testing.assert_frame_equal(
        every.curves[every.curves["sector"] == "b"].reset_index(drop=True), alone.curves
    )
    other = localisation(firms, max_km=10, replicates=19, seed=8, groups=["b"])
    assert not np.allclose(other.curves["local_high"], alone.curves["local_high"])
    assert isinstance(localisation(firms, max_km=10, replicates=19, groups=["a"]).seed, int)


def test_too_few_firms_and_centres(places):
    firms = firms_at(places[:, 0], places[:, 1], "other", precision="point")
    firms.loc[:4, "sector"] = "rare"
    firms.loc[5:, "precision"] = "soum"  # only 5 placed at a point
    result = localisation(firms, max_km=10, replicates=19, seed=1)
    assert set(result.summary["status"]) == {"too few"}
    assert result.curves.empty and list(result.curves.columns) == ["sector", *CURVE_COLUMNS]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"max_km": 0}, "max_km"),
        ({"replicates": 5}, "replicates"),
        ({"by": "branch"}, "no column 'branch'"),
        ({"step_km": 50}, "step_km"),
        ({"weight": "staff"}, "no column 'staff'"),
    ],
)
def test_bad_input_is_named(places, change, message):
    firms = firms_at(places[:, 0], places[:, 1], "a")
    with pytest.raises(ValueError, match=message):
        localisation(firms, **{"max_km": 10, "replicates": 19, **change})
